// Shared helpers of the datetime/dynamic/ip/math/conditional/aggregate builtin families: optional trailing
// parameters, conversion of typed values into dynamic, ordering and distinctness keys, civil-date arithmetic on
// 100 ns ticks.
import { KqlError } from "../api.js";
import type { Dyn, KqlType, Value } from "../values.js";
import { DynScalar, TICKS_PER_DAY, TICKS_PER_MS, dynNum, dynReal, dynToJsonText, hasWholeReal, isDynReal, isWholeReal } from "../values.js";
import type { EvalContext, ParamType, ScalarOverload } from "./registry.js";
import { exactLong as checkedLong } from "../int64.js";

type Impl = (args: Value[], ctx: EvalContext, argTypes: KqlType[]) => Value;

/**
 * Overloads for a parameter list whose last `optional` parameters may be omitted (the registry models optional
 * trailing parameters as separate overloads). impl sees only the arguments actually passed.
 */
export function withOptional(
  params: ParamType[], optional: number, returns: ScalarOverload["returns"], impl: Impl,
): ScalarOverload[] {
  const out: ScalarOverload[] = [];
  for (let n = params.length - optional; n <= params.length; n++) out.push({ params: params.slice(0, n), returns, impl });
  return out;
}

export function runtimeError(message: string): KqlError {
  return new KqlError("runtime", message);
}

/** A long result of function `what` must stay exact (int64.ts): refused with `unsupported` beyond ±(2^53 − 1). */
export function exactLong(n: number, what: string): number {
  return checkedLong(n, `${what}() result`);
}

// ---------- dynamic ----------

/** A typed scalar placed into a dynamic value (array element, bag member): datetime/timespan/guid/real stay typed. */
export function toDyn(v: Value, type: KqlType): Dyn {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "datetime": case "timespan": return new DynScalar(type, v as bigint);
    case "guid": return new DynScalar("guid", v as string);
    case "real": return dynReal(v as number); // 2.0 stays a real (a plain whole number reads as a long)
    case "dynamic": return v as Dyn;
    default:
      if (typeof v === "bigint") return Number(v);
      return v as Dyn;
  }
}

/** Identity key for distinctness (make_set, dcount, set_*): type-tagged so 1 and "1" differ. */
export function dynKey(v: Value): string {
  if (v === null || v === undefined) return "n";
  switch (typeof v) {
    case "string": return "s" + v;
    case "number": return "d" + String(v); // a whole-valued real is a DynScalar: "xreal:2" 
    case "bigint": return "t" + v.toString();
    case "boolean": return v ? "b1" : "b0";
    default: return v instanceof DynScalar ? `x${v.type}:${v.value}` : "j" + dynToJsonText(v as Dyn);
  }
}

/**
 * A set of dynamic values by dynKey (make_set, set_union, array distinctness). Whether a long and a real of the
 * same value (1 and 1.0, [1] and [1.0]) are one element is not documented: meeting both is refused.
 */
export class DynKeySet {
  private readonly keys = new Set<string>();
  private readonly plain = new Map<string, string>();

  /** Adds the value's key; false when it was already there. */
  add(v: Value): boolean {
    const k = dynKey(v);
    if (this.keys.has(k)) return false;
    const p = plainKey(v, k);
    if (p !== undefined) {
      const seen = this.plain.get(p);
      if (seen !== undefined && seen !== k) throw refuseLongVsReal();
      this.plain.set(p, k);
    }
    this.keys.add(k);
    return true;
  }

  has(v: Value): boolean {
    return this.keys.has(dynKey(v));
  }
}

/** The key with whole-valued reals read as plain numbers (undefined: the value holds no number). */
function plainKey(v: Value, k: string): string | undefined {
  if (typeof v === "number") return k;
  if (v instanceof DynScalar) return isWholeReal(v) ? "d" + String(v.value) : undefined;
  if (v !== null && typeof v === "object") return hasWholeReal(v as Dyn) ? "j" + JSON.stringify(v) : k;
  return undefined;
}

export function refuseLongVsReal(): KqlError {
  return new KqlError("unsupported", "unsupported: distinctness of a long and a real of the same value in dynamic values (1 vs 1.0)");
}

export function isArray(v: Value): v is Dyn[] {
  return Array.isArray(v);
}

export function isBag(v: Value): v is { [k: string]: Dyn } {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof DynScalar);
}

/** Deep equality of dynamic values (set_has_element, array_index_of). Numbers compare by value. */
export function dynEquals(a: Dyn, b: Dyn): boolean {
  if (a === b) return true;
  const x = dynNum(a), y = dynNum(b);
  if (x !== null || y !== null) {
    if (x !== y) return false;
    // Same number: equal when both are longs or both reals; a long against a real (1 vs 1.0) is not documented.
    if (isDynReal(a) !== isDynReal(b)) throw refuseLongVsReal();
    return true;
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (a instanceof DynScalar || b instanceof DynScalar) {
    return a instanceof DynScalar && b instanceof DynScalar && a.type === b.type && a.value === b.value;
  }
  // Nested typed members compare by their JSON text (a datetime and its text are then equal: accepted, rare).
  const eq = JSON.stringify(a) === JSON.stringify(b);
  if (eq && (hasWholeReal(a) || hasWholeReal(b)) && dynToJsonText(a, true) !== dynToJsonText(b, true)) throw refuseLongVsReal();
  return eq;
}

// ---------- ordering ----------

/** Ordering of non-null scalars of one type: numbers, bigint ticks, strings (ordinal), bools (false < true). */
export function compareScalars(a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") {
    // NaN sorts first, as in .NET's double.CompareTo.
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  const x = dynNum(a as Dyn), y = dynNum(b as Dyn); // a whole-valued real orders as its number
  if (x !== null && y !== null) return compareScalars(x, y);
  if (a instanceof DynScalar && b instanceof DynScalar && a.type === b.type) return compareScalars(a.value, b.value);
  return 0;
}

// ---------- civil dates over ticks ----------

export interface Civil {
  year: number; month: number; day: number; hour: number; minute: number; second: number;
  /** Sub-second part in ticks (0..9_999_999). */
  fraction: number;
  /** 0 = Sunday. */
  weekday: number;
}

/** Splits ticks into calendar fields (proleptic Gregorian, UTC). */
export function civil(ticks: bigint): Civil {
  let ms = ticks / TICKS_PER_MS;
  let sub = ticks % TICKS_PER_MS;
  if (sub < 0n) { sub += TICKS_PER_MS; ms -= 1n; }
  const d = new Date(Number(ms));
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
    fraction: d.getUTCMilliseconds() * 10_000 + Number(sub), weekday: d.getUTCDay(),
  };
}

/** Ticks of a calendar date (month may overflow, as with Date.UTC), years 0..99 taken literally. */
export function fromCivil(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, fraction = 0): bigint {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return BigInt(d.getTime()) * TICKS_PER_MS + BigInt(fraction);
}

/** Start of the UTC day holding `ticks`. */
export function dayStart(ticks: bigint): bigint {
  const r = ticks % TICKS_PER_DAY;
  return ticks - (r < 0n ? r + TICKS_PER_DAY : r);
}

export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Kusto's datetime range: 0001-01-01 .. 9999-12-31T23:59:59.9999999. Outside it the result is null. */
export const MIN_TICKS = fromCivil(1, 1, 1);
export const MAX_TICKS = fromCivil(10000, 1, 1) - 1n;

export function inRange(t: bigint): bigint | null {
  return t < MIN_TICKS || t > MAX_TICKS ? null : t;
}

// ---------- common argument type (iff, case, coalesce, min_of, max_of) ----------

const NUMERIC_RANK: Partial<Record<KqlType, number>> = { int: 1, long: 2, decimal: 3, real: 4 };

/** Kusto's common type of several arguments: numbers widen (int < long < decimal < real), dynamic yields. */
export function commonType(types: KqlType[]): KqlType {
  const concrete = types.filter((t) => t !== "dynamic");
  if (concrete.length === 0) return types[0] ?? "dynamic";
  let best = concrete[0]!;
  for (const t of concrete) {
    const a = NUMERIC_RANK[best], b = NUMERIC_RANK[t];
    if (a !== undefined && b !== undefined && b > a) best = t;
  }
  return best;
}

/** Converts a value of type `from` to the common type `to` (dynamic → string/number; numbers are shared). */
export function toCommon(v: Value, from: KqlType, to: KqlType): Value {
  if (from === to || v === null || v === undefined) return v ?? nullOfType(to);
  if (from === "dynamic") {
    if (to === "string") return typeof v === "string" ? v : v instanceof DynScalar ? v.text() : dynToJsonText(v as Dyn);
    if (NUMERIC_RANK[to] !== undefined) return dynNum(v);
    if (v instanceof DynScalar) return v.type === to ? v.value : null;
    if (to === "bool") return typeof v === "boolean" ? v : null;
    return null;
  }
  return v;
}

function nullOfType(t: KqlType): Value {
  return t === "string" ? "" : null;
}
