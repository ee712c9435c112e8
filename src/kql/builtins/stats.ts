// Special functions and statistics: erf, erfc, gamma, loggamma, beta_cdf, beta_pdf, beta_inv, welch_test.
// Standard double-precision algorithms (series / continued fractions / Lanczos), accurate to a few ulps — the
// docs print 15 significant digits. Inputs whose Kusto result the docs leave open (poles of gamma, overflow,
// degenerate Welch samples) are refused as unsupported rather than guessed.
import { KqlError } from "../api.js";
import { defineScalar } from "./registry.js";
import { preciseExp, preciseLn } from "./c2-precise.js";

const unsupported = (what: string): KqlError => new KqlError("unsupported", `unsupported: ${what}`);

// ---------- erf / erfc ----------

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** e^(-x²) with x² split exactly into hi + lo (Dekker), so large x lose no digits to the rounding of x². */
function expMinusSquare(x: number): number {
  const c = 134217729 * x; // 2^27 + 1
  const xh = c - (c - x), xl = x - xh;
  const hi = x * x;
  const lo = xh * xh - hi + 2 * xh * xl + xl * xl;
  return preciseExp(-hi) * (1 - lo);
}

/** erf(x) for 0 ≤ x < 2: e^(-x²)·2/√π·Σ (2x²)^n·x/(2n+1)!! — all terms positive, so no cancellation. */
function erfSeries(x: number): number {
  const x2 = 2 * x * x;
  let term = x, sum = x;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * expMinusSquare(x) * sum;
}

/** erfc(x) for x ≥ 0.5 by its continued fraction (modified Lentz): e^(-x²)/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))). */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x, c = x, d = 0;
  for (let n = 1; n < 2000; n++) { // ~730 steps at x = 0.5, ~40 at x = 2.5
    const a = n / 2;
    d = x + a * d; d = d === 0 ? tiny : d; d = 1 / d;
    c = x + a / c; c = c === 0 ? tiny : c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * expMinusSquare(x)) / f;
}

/** erfc of x ≥ 0: below 0.5 erf is small, so 1 - erf loses nothing. */
function erfcPositive(x: number): number {
  return x < 0.5 ? 1 - erfSeries(x) : erfcFraction(x);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  const r = a < 2 ? erfSeries(a) : a > 6 ? 1 : 1 - erfcFraction(a);
  return x < 0 ? -r : r;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 27) return 0; // e^(-729) underflows
  if (x < -6) return 2; // 2 - erfc(6) rounds to 2
  return x < 0 ? 2 - erfcPositive(-x) : erfcPositive(x);
}

// ---------- gamma / loggamma ----------

// Lanczos approximation, g = 7, 9 coefficients (relative error ~1e-15 for x ≥ 0.5).
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LN_2PI = 0.9189385332046728;

function lanczosSum(x: number): number { // x ≥ 0.5; Γ(x) = √(2π)·t^(x-½)·e^(-t)·sum with t = x + g - ½
  let s = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i]! / (x - 1 + i);
  return s;
}

/** sin(πx) with the argument reduced exactly, so large |x| keep their precision. */
function sinPi(x: number): number {
  const r = x % 2; // exact
  if (r === 0 || r === 1 || r === -1) return 0;
  return Math.sin(Math.PI * r);
}

const FACTORIALS: number[] = [1];
for (let i = 1; i <= 170; i++) FACTORIALS.push(FACTORIALS[i - 1]! * i); // exact up to 22!, then ≤ 1 ulp per step

function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

export function gamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (isNonPositiveInteger(x)) throw unsupported(`gamma(${x}) at a pole`);
  if (x > 171.6) throw unsupported(`gamma(${x}) beyond the double range`);
  if (Number.isInteger(x)) return FACTORIALS[x - 1]!;
  if (x < 0.5) return Math.PI / (sinPi(x) * gamma(1 - x)); // reflection
  if (x > 20) {
    // Γ(x) = Γ(y)·y·(y+1)···(x-1): the product rounds once per step (~1e-15 overall) where Lanczos' t^(x-½) would
    // amplify the rounding of t by x (1e-13 at x = 170).
    let y = x, p = 1;
    while (y > 20) { y -= 1; p *= y; } // exact subtractions
    return gamma(y) * p;
  }
  const t = x + LANCZOS_G - 0.5;
  // t^(x-½)·e^(-t) in two halves so that t^(x-½) alone cannot overflow before e^(-t) scales it down.
  const half = Math.pow(t, (x - 0.5) / 2);
  return Math.sqrt(2 * Math.PI) * half * (half * preciseExp(-t)) * lanczosSum(x);
}

// ζ(k) for k = 2…40: even k in closed form, ζ(3), ζ(5), ζ(7), ζ(9) tabulated, larger k by summation with an
// Euler–Maclaurin tail (error < 1e-17 there).
const ZETA: number[] = (() => {
  const z: number[] = [];
  const pi2 = Math.PI * Math.PI;
  z[2] = pi2 / 6; z[4] = (pi2 * pi2) / 90; z[6] = (pi2 ** 3) / 945; z[8] = (pi2 ** 4) / 9450; z[10] = (pi2 ** 5) / 93555;
  z[3] = 1.2020569031595942; z[5] = 1.0369277551433699; z[7] = 1.0083492773819228; z[9] = 1.0020083928260822;
  for (let k = 11; k <= 40; k++) {
    const N = 10;
    let s = 0;
    for (let n = N - 1; n >= 1; n--) s += n ** -k;
    z[k] = s + N ** (1 - k) / (k - 1) + N ** -k / 2 + (k * N ** (-k - 1)) / 12;
  }
  return z;
})();
const EULER_GAMMA = 0.5772156649015329;

/** ln Γ(1 + z) = -γz + Σ_{k≥2} (-1)^k ζ(k) z^k / k, for |z| ≤ 0.25 (terms fall by 4× per step). */
function lgammaOnePlus(z: number): number {
  let sum = 0, zk = z;
  for (let k = 2; k <= 40; k++) {
    zk *= z;
    sum += ((k % 2 === 0 ? 1 : -1) * ZETA[k]! * zk) / k;
  }
  return -EULER_GAMMA * z + sum;
}

/** ln|Γ(x)|. */
export function loggamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (isNonPositiveInteger(x)) throw unsupported(`loggamma(${x}) at a pole`);
  if (x === Infinity) return Infinity;
  if (Number.isInteger(x) && x <= 171) return preciseLn(FACTORIALS[x - 1]!);
  if (x < 0.5) return preciseLn(Math.PI / Math.abs(sinPi(x))) - loggamma(1 - x); // reflection
  // Near the zeros at 1 and 2, ln Γ is tiny and ln(Γ(x)) would leave only Γ's absolute error: use the series.
  if (Math.abs(x - 1) <= 0.25) return lgammaOnePlus(x - 1);
  if (Math.abs(x - 2) <= 0.25) return lgammaOnePlus(x - 2) + Math.log1p(x - 2);
  if (x < 15) return preciseLn(gamma(x));
  // Stirling's series; at x ≥ 15 the first omitted term is below 1e-17 relative.
  const r = 1 / x, r2 = r * r;
  const series = r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680))));
  return (x - 0.5) * preciseLn(x) - x + HALF_LN_2PI + series;
}

// ---------- beta distribution ----------

function logBeta(a: number, b: number): number {
  return loggamma(a) + loggamma(b) - loggamma(a + b);
}

/** Continued fraction of the regularised incomplete beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  d = Math.abs(d) < tiny ? tiny : d;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + aa / c; c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + aa / c; c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) return h;
  }
  throw unsupported(`incomplete beta function did not converge for x=${x}, a=${a}, b=${b}`);
}

/** Regularised incomplete beta I_x(a, b), 0 ≤ x ≤ 1, a, b > 0. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = preciseExp(a * preciseLn(x) + b * preciseLn(1 - x) - logBeta(a, b));
  // The fraction converges fast for x < (a+1)/(a+b+2); otherwise use the symmetry I_x(a,b) = 1 - I_(1-x)(b,a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

const validShape = (v: number): boolean => v > 0 && v <= 10000;

// beta-cdf-function.md: x outside [0, 1] or alpha/beta outside (0, 10000] → NaN.
export function betaCdf(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || x < 0 || x > 1 || !validShape(a) || !validShape(b)) return NaN;
  return incompleteBeta(x, a, b);
}

// beta-pdf-function.md: x outside (0, 1) or alpha/beta ≤ 0 → NaN.
export function betaPdf(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || x <= 0 || x >= 1 || !(a > 0) || !(b > 0)) return NaN;
  return preciseExp((a - 1) * preciseLn(x) + (b - 1) * preciseLn(1 - x) - logBeta(a, b));
}

/**
 * beta-inv-function.md. Its notes and its example disagree; the example's output (with its own comments) is
 * taken as Kusto's behaviour: probability outside (0, 1] → null, alpha or beta ≤ 0 → NaN.
 */
export function betaInv(p: number, a: number, b: number): number | null {
  if (Number.isNaN(p) || p <= 0 || p > 1) return null;
  if (!(a > 0) || !(b > 0)) return NaN;
  if (a > 10000 || b > 10000) throw unsupported("beta_inv with alpha or beta above 10000");
  if (p === 1) return 1;
  // Bisection on [0, 1] down to adjacent doubles: I_x is monotonic, so this finds the root to full precision.
  let lo = 0, hi = 1;
  for (let i = 0; i < 2000; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (incompleteBeta(mid, a, b) < p) lo = mid; else hi = mid;
  }
  return Math.abs(incompleteBeta(lo, a, b) - p) <= Math.abs(incompleteBeta(hi, a, b) - p) ? lo : hi;
}

// ---------- Welch's t-test ----------

/**
 * Two-sided p-value of Welch's unequal-variances t-test (welch-test-function.md; the Wikipedia example it cites
 * gives p = 0.021): t = (m1 - m2) / √(v1/n1 + v2/n2), Welch–Satterthwaite degrees of freedom ν, and
 * p = I_(ν/(ν+t²))(ν/2, ½).
 */
export function welchTest(m1: number, v1: number, n1: number, m2: number, v2: number, n2: number): number {
  const args = [m1, v1, n1, m2, v2, n2];
  if (args.some((v) => !Number.isFinite(v)) || n1 < 2 || n2 < 2 || v1 < 0 || v2 < 0 || (v1 === 0 && v2 === 0)) {
    throw unsupported("welch_test with fewer than 2 values per sample, zero or negative variances, or non-finite arguments");
  }
  const s1 = v1 / n1, s2 = v2 / n2, se2 = s1 + s2;
  const t = (m1 - m2) / Math.sqrt(se2);
  const dof = (se2 * se2) / ((s1 * s1) / (n1 - 1) + (s2 * s2) / (n2 - 1));
  return incompleteBeta(dof / (dof + t * t), dof / 2, 0.5);
}

// ---------- registration ----------

const real1 = (name: string, f: (x: number) => number) => defineScalar({
  name, nulls: "propagate",
  overloads: [{ params: ["real"], returns: "real", impl: (a) => f(a[0] as number) }],
});
real1("erf", erf);
real1("erfc", erfc);
real1("gamma", gamma);
real1("loggamma", loggamma);

const real3 = (name: string, f: (x: number, a: number, b: number) => number | null) => defineScalar({
  name, nulls: "propagate",
  overloads: [{ params: ["real", "real", "real"], returns: "real", impl: (a) => f(a[0] as number, a[1] as number, a[2] as number) }],
});
real3("beta_cdf", betaCdf);
real3("beta_pdf", betaPdf);
real3("beta_inv", betaInv);

defineScalar({
  name: "welch_test",
  nulls: "propagate",
  overloads: [{
    params: ["real", "real", "real", "real", "real", "real"], returns: "real",
    impl: (a) => welchTest(...(a as [number, number, number, number, number, number])),
  }],
});
