// Correctly rounded ln/log2/log10/exp/pow. V8's Math.log/exp/pow (fdlibm ports) may be one ulp off where Kusto's C
// runtime returns the correctly rounded double — e.g. the documented series_log([3]) = 1.0986122886681098 while
// Math.log(3) = 1.0986122886681096. These evaluate in 256-bit fixed point (BigInt) and round once to double.
const P = 256n;
const ONE = 1n << P;

/** Fixed-point product (both operands scaled by 2^P). */
const mul = (a: bigint, b: bigint): bigint => (a * b) >> P;
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

/** Exact fixed-point value of a finite double. */
function toFixed(x: number): bigint {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e = expBits - 1075;
  if (expBits === 0) e = -1074; else mant |= 1n << 52n;
  const shift = BigInt(e) + P;
  return sign * (shift >= 0n ? mant << shift : mant >> -shift);
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
  let e = Math.floor(Math.log2(x));
  let m = toFixed(x);
  m = e >= 0 ? m >> BigInt(e) : m << BigInt(-e);
  // Normalise m into [1/√2, √2) so the atanh argument stays below 0.172.
  while (m >= SQRT2) { m >>= 1n; e++; }
  while (m < SQRT2 >> 1n) { m <<= 1n; e--; }
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

export function preciseLn(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log(x);
  if (x === 1) return 0;
  return toDouble(lnFixed(x));
}

export function preciseLog2(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log2(x);
  const e = Math.log2(x);
  if (Number.isInteger(e) && 2 ** e === x) return e; // exact powers of two
  return toDouble(div(lnFixed(x), LN2));
}

export function preciseLog10(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log10(x);
  const e = Math.round(Math.log10(x));
  if (e >= 0 && e <= 22 && 10 ** e === x) return e; // exact powers of ten
  return toDouble(div(lnFixed(x), LN10));
}

export function preciseExp(x: number): number {
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
