// Correctly rounded ln/log2/log10/exp/pow and trigonometry. V8's Math functions (fdlibm ports) are one ulp off the
// correctly rounded double for a few percent of inputs, where Kusto's C runtime returns the correctly rounded one — e.g. the documented series_log([3]) = 1.0986122886681098 while
// Math.log(3) = 1.0986122886681096. These evaluate in 192-bit fixed point (BigInt) and round once to double.
const P = 192n;
const ONE = 1n << P;

/** Fixed-point product (both operands scaled by 2^P). */
const mul = (a: bigint, b: bigint): bigint => (a * b) / ONE; // truncates toward zero, so series terms reach 0
const div = (a: bigint, b: bigint): bigint => (a << P) / b;

/** 2·atanh(t) = ln((1+t)/(1-t)) by its series; t small (|t| < 0.2). */
function atanh2(t: bigint): bigint {
  const t2 = mul(t, t);
  let term = t, sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = mul(term, t2);
  }
  return 2n * sum;
}

const LN2 = atanh2(div(ONE, 3n * ONE)); // ln 2 = 2·atanh(1/3)
const LN10 = 3n * LN2 + atanh2(div(ONE, 9n * ONE)); // ln 10 = 3·ln 2 + ln(10/8) = 3·ln 2 + 2·atanh(1/9)
const SQRT2 = (() => { // Newton iteration for √2 in fixed point
  let x = (ONE * 3n) / 2n;
  for (let i = 0; i < 12; i++) x = (x + div(2n * ONE, x)) / 2n;
  return x;
})();

/** A finite double as an integer mantissa and binary exponent: x = mant · 2^exp. */
function decompose(x: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (expBits !== 0) mant |= 1n << 52n;
  if (bits >> 63n) mant = -mant;
  return { mant, exp: expBits === 0 ? -1074 : expBits - 1075 };
}

/** Exact fixed-point value of a finite double of moderate magnitude (|x| ≥ 2^-200). */
function toFixed(x: number): bigint {
  const { mant, exp } = decompose(x);
  const shift = BigInt(exp) + P;
  return shift >= 0n ? mant << shift : mant >> -shift;
}

/**
 * Rounds v·2^(k−P) (v a fixed-point value) to the nearest double: BigInt → Number conversion rounds correctly and
 * the power-of-two scaling after it is exact in the normal range.
 */
function toDouble(v: bigint, k = 0): number {
  if (v === 0n) return 0;
  const neg = v < 0n;
  let a = neg ? -v : v;
  let e = k - Number(P);
  const bits = a.toString(2).length;
  if (bits > 1000) { a >>= BigInt(bits - 1000); e += bits - 1000; }
  let r = Number(a);
  while (e > 0) { const s = Math.min(e, 512); r *= 2 ** s; e -= s; }
  while (e < 0) { const s = Math.min(-e, 512); r /= 2 ** s; e += s; }
  return neg ? -r : r;
}

/** ln(x) in fixed point for a finite x > 0. */
function lnFixed(x: number): bigint {
  const d = decompose(x);
  // x = m · 2^e with m = mant · 2^(exp − e) normalised into [1/√2, √2), so the atanh argument stays below 0.172.
  const len = d.mant.toString(2).length;
  let e = d.exp + len - 1;
  let m = d.mant << (P - BigInt(len - 1)); // in [1, 2)
  if (m >= SQRT2) { m >>= 1n; e++; }
  const t = div(m - ONE, m + ONE);
  return BigInt(e) * LN2 + atanh2(t);
}

/** e^v for a fixed-point v: v = k·ln2 + r, |r| ≤ ln2/2, e^r by Taylor series. Returns [mantissa, k]. */
function expFixed(v: bigint): [bigint, number] {
  const k = (v + (v >= 0n ? LN2 / 2n : -LN2 / 2n)) / LN2;
  const r = v - k * LN2;
  let term = ONE, sum = ONE;
  for (let n = 1n; term !== 0n; n++) {
    term = mul(term, r) / n;
    sum += term;
  }
  return [sum, Number(k)];
}

/** Memoises a unary function (columns repeat values; each evaluation costs ~30 µs). */
function memo(f: (x: number) => number): (x: number) => number {
  const cache = new Map<number, number>();
  return (x) => {
    let r = cache.get(x);
    if (r === undefined) {
      if (cache.size >= 4096) cache.clear();
      r = f(x);
      cache.set(x, r);
    }
    return r;
  };
}

export const preciseLn = memo(lnDouble);
export const preciseLog2 = memo(log2Double);
export const preciseLog10 = memo(log10Double);
export const preciseExp = memo(expDouble);

function lnDouble(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
  if (x === 1) return 0;
  return toDouble(lnFixed(x));
}

function log2Double(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log2(x);
  const e = Math.log2(x);
  if (Number.isInteger(e) && 2 ** e === x) return e; // exact powers of two
  return toDouble(div(lnFixed(x), LN2));
}

function log10Double(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log10(x);
  const e = Math.round(Math.log10(x));
  if (e >= 0 && e <= 22 && 10 ** e === x) return e; // exact powers of ten
  return toDouble(div(lnFixed(x), LN10));
}

function expDouble(x: number): number {
  if (!Number.isFinite(x) || x > 710 || x < -746) return Math.exp(x);
  if (x === 0) return 1;
  const [m, k] = expFixed(toFixed(x));
  return toDouble(m, k);
}

/** base^y with the C library's special cases (delegated to Math.pow) and correct rounding elsewhere. */
export function precisePow(base: number, y: number): number {
  if (!Number.isFinite(base) || !Number.isFinite(y) || base === 0 || y === 0 || base === 1) return Math.pow(base, y);
  let sign = 1;
  let b = base;
  if (b < 0) {
    if (!Number.isInteger(y)) return NaN;
    if (Math.abs(y) % 2 === 1) sign = -1;
    b = -b;
  }
  const v = mul(lnFixed(b), toFixed(y));
  if (v > 710n * ONE) return sign * Infinity;
  if (v < -746n * ONE) return sign * 0;
  const [m, k] = expFixed(v);
  return sign * toDouble(m, k);
}

// ---------- trigonometry ----------

/** atan(t) for a small fixed-point t (|t| ≤ 0.21) by its alternating series. */
function atanSeries(t: bigint): bigint {
  const t2 = mul(t, t);
  let term = t, sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += ((k & 3n) === 1n ? 1n : -1n) * (term / k);
    term = mul(term, t2);
  }
  return sum;
}

/** π by Machin's formula, with 64 guard bits for argument reduction of |x| ≤ 2^40. */
const G = 64n;
const PI_WIDE = (() => {
  const W = P + G, one = 1n << W;
  const at = (inv: bigint): bigint => { // atan(1/inv) at scale 2^W
    let term = one / inv, sum = 0n;
    const inv2 = inv * inv;
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += ((k & 3n) === 1n ? 1n : -1n) * (term / k);
      term /= inv2;
    }
    return sum;
  };
  return 16n * at(5n) - 4n * at(239n);
})();
const PI = PI_WIDE >> G;
const HALF_PI_WIDE = PI_WIDE / 2n;

/** Integer square root (floor). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** sin and cos of a fixed-point r with |r| ≤ π/4 (Taylor series). */
function sinCosSmall(r: bigint): [bigint, bigint] {
  const r2 = mul(r, r);
  let s = 0n, term = r;
  for (let n = 1n; term !== 0n; n += 2n) {
    s += term;
    term = -mul(term, r2) / ((n + 1n) * (n + 2n));
  }
  let c = 0n;
  term = ONE;
  for (let n = 0n; term !== 0n; n += 2n) {
    c += term;
    term = -mul(term, r2) / ((n + 1n) * (n + 2n));
  }
  return [s, c];
}

/** Reduces x by multiples of π/2: [sin(x), cos(x)] in fixed point. */
function sinCos(x: number): [bigint, bigint] {
  const wide = toFixed(x) << G;
  const k = (wide + (wide >= 0n ? HALF_PI_WIDE / 2n : -HALF_PI_WIDE / 2n)) / HALF_PI_WIDE; // nearest multiple
  const r = (wide - k * HALF_PI_WIDE) >> G;
  const [s, c] = sinCosSmall(r);
  switch (Number(((k % 4n) + 4n) % 4n)) {
    case 0: return [s, c];
    case 1: return [c, -s];
    case 2: return [-s, -c];
    default: return [-c, s];
  }
}

/** Trigonometric arguments handled exactly: |x| in [2^-27, 2^40]; outside, the small-angle limits or Math. */
const TRIG_MAX = 2 ** 40, TINY = 2 ** -27;

function sinDouble(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > TRIG_MAX) return Math.sin(x);
  if (Math.abs(x) < TINY) return x; // sin x = x − x³/6: the correction is below half an ulp
  return toDouble(sinCos(x)[0]);
}

function cosDouble(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > TRIG_MAX) return Math.cos(x);
  if (Math.abs(x) < TINY) return 1;
  return toDouble(sinCos(x)[1]);
}

function tanDouble(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > TRIG_MAX) return Math.tan(x);
  if (Math.abs(x) < TINY) return x;
  const [s, c] = sinCos(x);
  return c === 0n ? Math.tan(x) : toDouble(div(s, c));
}

/** atan of a fixed-point value of any magnitude. */
function atanFixed(t: bigint): bigint {
  const neg = t < 0n;
  let a = neg ? -t : t;
  let base = 0n;
  if (a > ONE) { a = div(ONE, a); base = PI / 2n; } // atan(a) = π/2 − atan(1/a)
  // Two halvings, atan(a) = 2·atan(a / (1 + √(1 + a²))), bring a below tan(π/16) ≈ 0.199.
  let scale = 1n;
  for (let i = 0; i < 2; i++) {
    a = div(a, ONE + isqrt(ONE * ONE + a * a));
    scale *= 2n;
  }
  let r = scale * atanSeries(a);
  if (base !== 0n) r = base - r;
  return neg ? -r : r;
}

function atanDouble(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x) || Math.abs(x) > 2 ** 60) return Math.atan(x); // ±π/2 to the last bit
  if (Math.abs(x) < TINY) return x;
  return toDouble(atanFixed(toFixed(x)));
}

function asinDouble(x: number): number {
  if (!(Math.abs(x) <= 1)) return NaN;
  if (Math.abs(x) < TINY) return x;
  const X = toFixed(x);
  if (Math.abs(x) === 1) return toDouble(x > 0 ? PI / 2n : -PI / 2n);
  const root = isqrt(ONE * ONE - X * X); // √(1 − x²), exact input
  return toDouble(atanFixed(div(X, root)));
}

function acosDouble(x: number): number {
  if (!(Math.abs(x) <= 1)) return NaN;
  if (x === 1) return 0;
  if (x === -1) return toDouble(PI);
  const X = toFixed(x);
  const root = isqrt(ONE * ONE - X * X);
  // acos x = π/2 − atan(x / √(1 − x²)), evaluated without cancellation via atan2-style form.
  return toDouble(PI / 2n - atanFixed(div(X, root)));
}

export const preciseSin = memo(sinDouble);
export const preciseCos = memo(cosDouble);
export const preciseTan = memo(tanDouble);
export const preciseAtan = memo(atanDouble);
export const preciseAsin = memo(asinDouble);
export const preciseAcos = memo(acosDouble);

/** atan2 with IEEE special cases from Math.atan2 and correct rounding for ordinary finite arguments. */
export function preciseAtan2(y: number, x: number): number {
  if (!Number.isFinite(y) || !Number.isFinite(x) || y === 0 || x === 0) return Math.atan2(y, x);
  const ratio = Math.abs(y / x);
  if (!(ratio > 2 ** -60 && ratio < 2 ** 60) || Math.abs(x) < 2 ** -100 || Math.abs(y) < 2 ** -100) return Math.atan2(y, x);
  const a = atanFixed(div(toFixed(Math.abs(y)), toFixed(Math.abs(x))));
  const r = x > 0 ? a : PI - a;
  return toDouble(y < 0 ? -r : r);
}
