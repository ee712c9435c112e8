// Correctly rounded ln/log2/log10/exp/pow. V8's Math.log/exp/pow (fdlibm ports) may be one ulp off where Kusto's C
// runtime returns the correctly rounded double — e.g. the documented series_log([3]) = 1.0986122886681098 while
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
