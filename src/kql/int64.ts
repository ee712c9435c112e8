// Integer results on the engine's value model. int and long are held as doubles (values.ts), which are exact
// integers only within ±(2^53 − 1). Kusto's long is a 64-bit integer, and the docs say nothing about what happens
// when a result leaves even that range (wrap, null or error), so every path producing an int or long checks its
// result here: inside ±(2^53 − 1) the double is the exact answer; outside, the engine refuses with `unsupported`
// instead of printing a rounded number. A check costs two comparisons on an already computed number.
import { KqlError } from "./api.js";

/** 2^53 − 1: the widest magnitude a double holds as an exact integer. */
export const MAX_EXACT = Number.MAX_SAFE_INTEGER;
const MAX_EXACT_BIG = BigInt(MAX_EXACT);

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** The refusal for a result beyond ±(2^53 − 1); `what` names the producer ("long arithmetic result", "sum()"). */
export function beyondExactRange(what: string): KqlError {
  return new KqlError("unsupported", `unsupported: ${what} beyond the engine's exact range (±2^53)`);
}

/** True when the (integral) number is an exact long on this engine. */
export function isExactLong(n: number): boolean {
  return n <= MAX_EXACT && n >= -MAX_EXACT;
}

/** `n` when it is an exact long, else the `unsupported` refusal naming `what`. */
export function exactLong(n: number, what: string): number {
  if (n <= MAX_EXACT && n >= -MAX_EXACT) return n;
  throw beyondExactRange(what);
}

/** An exact bigint result (tick arithmetic, 64-bit bit operations) as a long, refused beyond ±(2^53 − 1). */
export function exactLongFromBig(b: bigint, what: string): number {
  if (b <= MAX_EXACT_BIG && b >= -MAX_EXACT_BIG) return Number(b);
  throw beyondExactRange(what);
}

/** True when the number fits Kusto's 32-bit int. */
export function fitsInt32(n: number): boolean {
  return n >= INT32_MIN && n <= INT32_MAX;
}

/**
 * A running integer sum (sum()/sumif() of int/long, row_cumsum): doubles while every partial sum is exact,
 * then BigInt, so a partial sum beyond 2^53 that later comes back does not leave a rounded total behind. The
 * total is refused when it is beyond ±(2^53 − 1); a partial sum beyond 64 bits (where Kusto's behaviour is not
 * documented) is refused too.
 */
export class ExactIntSum {
  private n = 0;
  private big: bigint | null = null;

  constructor(private readonly what: string) {}

  plus(v: number): void {
    if (this.big === null) {
      const s = this.n + v;
      if (s <= MAX_EXACT && s >= -MAX_EXACT) { this.n = s; return; }
      this.big = BigInt(this.n);
    }
    this.big += BigInt(v);
    if (this.big !== BigInt.asIntN(64, this.big)) throw new KqlError("unsupported", `unsupported: ${this.what} with a partial sum beyond 64 bits (Kusto's overflow behaviour is not documented)`);
  }

  reset(): void {
    this.n = 0;
    this.big = null;
  }

  /** The exact total, or the refusal when it is beyond ±(2^53 − 1). */
  total(): number {
    return this.big === null ? this.n : exactLongFromBig(this.big, this.what);
  }
}

/**
 * True when a parsed JSON value holds an integer beyond ±(2^53 − 1): JSON.parse has already rounded it, so the
 * value is not the one written (sample data refuses it rather than keep a different number).
 */
export function hasInexactInteger(d: unknown): boolean {
  if (typeof d === "number") return Number.isInteger(d) && !(d <= MAX_EXACT && d >= -MAX_EXACT);
  if (d === null || typeof d !== "object") return false;
  if (Array.isArray(d)) return d.some(hasInexactInteger);
  for (const k in d) if (hasInexactInteger((d as Record<string, unknown>)[k])) return true;
  return false;
}
