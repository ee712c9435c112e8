// Shared helpers of the datetime/dynamic/ip/math/conditional/aggregate builtin families: optional trailing
// parameters, conversion of typed values into dynamic, ordering and distinctness keys, civil-date arithmetic on
// 100 ns ticks.
import { KqlError } from "../api.js";
import type { Dyn, KqlType, Value } from "../values.js";
import { DynScalar, TICKS_PER_DAY, TICKS_PER_MS } from "../values.js";
import type { EvalContext, ParamType, ScalarOverload } from "./registry.js";

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

/** A long result must stay exact: values.ts represents longs as doubles, so refuse anything beyond 2^53. */
export function exactLong(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw runtimeError(`${what}: long result ${n} exceeds the engine's exact range (2^53)`);
  return n;
}

// ---------- dynamic ----------

/** A typed scalar placed into a dynamic value (array element, bag member): datetime/timespan/guid stay typed. */
export function toDyn(v: Value, type: KqlType): Dyn {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "datetime": case "timespan": return new DynScalar(type, v as bigint);
    case "guid": return new DynScalar("guid", v as string);
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
    case "number": return "d" + String(v);
    case "bigint": return "t" + v.toString();
    case "boolean": return v ? "b1" : "b0";
    default: return v instanceof DynScalar ? `x${v.type}:${v.value}` : "j" + JSON.stringify(v);
  }
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
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (a instanceof DynScalar || b instanceof DynScalar) {
    return a instanceof DynScalar && b instanceof DynScalar && a.type === b.type && a.value === b.value;
  }
  // Nested typed members compare by their JSON text (a datetime and its text are then equal: accepted, rare).
  return JSON.stringify(a) === JSON.stringify(b);
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
    if (to === "string") return typeof v === "string" ? v : v instanceof DynScalar ? v.text() : JSON.stringify(v);
    if (v instanceof DynScalar) return v.type === to ? v.value : null;
    if (NUMERIC_RANK[to] !== undefined) return typeof v === "number" ? v : null;
    if (to === "bool") return typeof v === "boolean" ? v : null;
    return null;
  }
  return v;
}

function nullOfType(t: KqlType): Value {
  return t === "string" ? "" : null;
}
