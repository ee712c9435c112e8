// Runtime value representation of the local KQL engine, shared by compiler, runtime and builtins.
import { KqlError } from "./api.js";
//
//   bool            boolean | null
//   int, long       number | null   (integral; long is exact only within ±2^53 — wider results raise an error
//                                    rather than silently losing digits)
//   real, decimal   number | null   (NaN and ±Infinity allowed for real)
//   string          string          (never null: Kusto strings are empty, not null)
//   datetime        bigint | null   (100 ns ticks since 1970-01-01T00:00:00Z, exact like Kusto's ticks)
//   timespan        bigint | null   (100 ns ticks)
//   guid            string | null   (lower-case canonical form)
//   dynamic         Dyn             (JSON-like; null is JSON null / absent; datetime/timespan/guid members and
//                                    whole-valued reals are DynScalar so they keep their Kusto type inside the
//                                    dynamic value: a plain number is a long when integral, else a real)

export type KqlType =
  | "bool"
  | "int"
  | "long"
  | "real"
  | "decimal"
  | "string"
  | "datetime"
  | "timespan"
  | "guid"
  | "dynamic";

export const KQL_TYPES: readonly KqlType[] = [
  "bool", "int", "long", "real", "decimal", "string", "datetime", "timespan", "guid", "dynamic",
];

export type Dyn = null | boolean | number | string | DynScalar | Dyn[] | { [key: string]: Dyn };
export type Value = null | boolean | number | string | bigint | Dyn;

export const TICKS_PER_MS = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_MINUTE = 600_000_000n;
export const TICKS_PER_HOUR = 36_000_000_000n;
export const TICKS_PER_DAY = 864_000_000_000n;

/** Normalises the many spellings Kusto and schema files use (String, Datetime, boolean, Int64, double…). */
export function normalizeTypeName(name: string): KqlType | undefined {
  const n = name.trim().toLowerCase().replace(/^system\./, "");
  switch (n) {
    case "bool": case "boolean": return "bool";
    case "int": case "int32": return "int";
    case "long": case "int64": return "long";
    case "real": case "double": case "float": return "real";
    case "decimal": return "decimal";
    case "string": return "string";
    case "datetime": case "date": return "datetime";
    case "timespan": case "time": return "timespan";
    case "guid": case "uniqueid": return "guid";
    case "dynamic": case "object": return "dynamic";
    default: return undefined;
  }
}

/** The "null" of a type: "" for string, null otherwise. */
export function nullOf(type: KqlType): Value {
  return type === "string" ? "" : null;
}

// ---------- datetime / timespan text forms ----------

const EPOCH_DATE_TICKS = 0n;

/** Ticks → `2024-01-01T00:00:00Z`, with a fraction only when non-zero (up to 7 digits, trailing zeros trimmed). */
export function formatDatetime(ticks: bigint): string {
  let ms = ticks / TICKS_PER_MS;
  let sub = ticks % TICKS_PER_MS; // remaining 100 ns units
  if (sub < 0n) { sub += TICKS_PER_MS; ms -= 1n; }
  const d = new Date(Number(ms));
  const y = d.getUTCFullYear();
  const pad = (v: number, w = 2) => String(v).padStart(w, "0");
  const base = `${pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac7 = BigInt(d.getUTCMilliseconds()) * TICKS_PER_MS + sub; // 0..9_999_999
  if (frac7 === 0n) return `${base}Z`;
  return `${base}.${frac7.toString().padStart(7, "0").replace(/0+$/, "")}Z`;
}

/** Ticks → `[-][d.]hh:mm:ss[.fffffff]` (Kusto's timespan text form). */
export function formatTimespan(ticks: bigint): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const days = t / TICKS_PER_DAY; t %= TICKS_PER_DAY;
  const hours = t / TICKS_PER_HOUR; t %= TICKS_PER_HOUR;
  const minutes = t / TICKS_PER_MINUTE; t %= TICKS_PER_MINUTE;
  const seconds = t / TICKS_PER_SECOND; t %= TICKS_PER_SECOND;
  const pad = (v: bigint) => v.toString().padStart(2, "0");
  let s = `${neg ? "-" : ""}${days > 0n ? `${days}.` : ""}${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  if (t > 0n) s += `.${t.toString().padStart(7, "0")}`;
  return s;
}

/**
 * Milliseconds since the epoch of a UTC calendar time, or null for year 0 or a day the month lacks (Feb 30).
 * Years 1..99 are taken literally: Date.UTC would read them as 1901..1999.
 */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number | null {
  if (year < 1 || year > 9999) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getUTCDate() === day && d.getUTCMonth() === month - 1 ? d.getTime() : null;
}

/**
 * Parses the datetime strings Kusto accepts in `todatetime()`/`datetime()` and sample data: ISO 8601 with or
 * without zone (no zone = UTC), fractions up to 7 digits, date-only, and RFC 1123/822 forms. Returns null when the
 * text is not a datetime (callers decide whether that is null or an error).
 */
export function parseDatetime(text: string): bigint | null {
  const s = text.trim();
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (m) {
    const [, y, mo, d, h = "0", mi = "0", se = "0", frac = "", zone] = m;
    const month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(se);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
    const ms = utcMs(Number(y), month, day, hour, minute, second);
    if (ms === null) return null;
    let ticks = BigInt(ms) * TICKS_PER_MS + BigInt((frac + "0000000").slice(0, 7));
    if (zone && zone.toUpperCase() !== "Z") {
      const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
      const off = (BigInt(Number(zm[2]) * 60 + Number(zm[3])) * TICKS_PER_MINUTE) * (zm[1] === "+" ? 1n : -1n);
      ticks -= off;
    }
    return ticks + EPOCH_DATE_TICKS;
  }
  // RFC 1123 / 822 and other forms Date understands with an explicit zone; only whole seconds. (Years 0001..0999
  // are left to todatetime's own RFC parser: Date.parse reads "0014" as 2014.)
  if (/^[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+(?:\d{2}|[1-9]\d{3})\s+\d{1,2}:\d{2}(:\d{2})?\s+(GMT|UTC|Z|[+-]\d{4})$/.test(s)) {
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) return BigInt(ms) * TICKS_PER_MS;
  }
  return null;
}

/**
 * Parses Kusto timespan text: `[-][d.]hh:mm[:ss[.fffffff]]`, and literal forms `1d`, `2h`, `30m`, `10s`,
 * `100ms`, `5microsecond`, `3tick`, `1.5h`. Returns null when not a timespan.
 */
export function parseTimespan(text: string): bigint | null {
  const s = text.trim();
  let m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(s);
  if (m) {
    const [, neg, d = "0", h, mi, se = "0", frac = ""] = m;
    if (Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return null;
    const t = BigInt(d) * TICKS_PER_DAY + BigInt(h) * TICKS_PER_HOUR + BigInt(mi) * TICKS_PER_MINUTE +
      BigInt(se) * TICKS_PER_SECOND + BigInt((frac + "0000000").slice(0, 7));
    return neg ? -t : t;
  }
  m = /^(-)?(\d+(?:\.\d+)?)\s*(d|day|days|h|hr|hrs|hour|hours|m|min|minute|minutes|s|sec|second|seconds|ms|milli|millis|millisecond|milliseconds|microsecond|microseconds|tick|ticks)$/i.exec(s);
  if (m) {
    const unit = m[3]!.toLowerCase();
    const per: Record<string, number> = {
      d: 864e9, day: 864e9, days: 864e9,
      h: 36e9, hr: 36e9, hrs: 36e9, hour: 36e9, hours: 36e9,
      m: 6e8, min: 6e8, minute: 6e8, minutes: 6e8,
      s: 1e7, sec: 1e7, second: 1e7, seconds: 1e7,
      ms: 1e4, milli: 1e4, millis: 1e4, millisecond: 1e4, milliseconds: 1e4,
      microsecond: 10, microseconds: 10, tick: 1, ticks: 1,
    };
    const num = m[2]!;
    // Integral amounts stay exact in bigint; fractional ones round to the nearest tick.
    const t = /^\d+$/.test(num) ? BigInt(num) * BigInt(per[unit]!) : BigInt(Math.round(Number(num) * per[unit]!));
    return m[1] ? -t : t;
  }
  return null;
}

/**
 * A datetime, timespan, guid or whole-valued real held inside a dynamic value (dynamic literal, pack/bag_pack,
 * make_list, todynamic, parse_json('2.0')…). Kusto keeps such members typed — gettype() says "datetime" or
 * "real" — while parse_json('"2020-01-01"') is a string and a JavaScript number cannot say whether 2 is a long
 * or a real. Their JSON text (tostring of the bag, output, distinctness keys) is Kusto's: datetime with 7
 * fraction digits, timespan [-][d.]hh:mm:ss[.fffffff], guid lower-case, real with a decimal point (`2.0`, as in
 * series_fill_linear-function.md's output table). Non-integral reals, NaN and ±Infinity stay plain numbers (a
 * plain number is a long only when integral). Instances are immutable; equal values need not be the same
 * instance. Read numbers out of dynamic values with dynNum(), never `typeof v === "number"` alone.
 */
export class DynScalar {
  constructor(readonly type: "datetime" | "timespan" | "guid" | "real", readonly value: bigint | string | number) {}

  /** JSON.stringify writes the text form (a real: its number); dynToJsonText writes Kusto's real text. */
  toJSON(): string | number {
    return this.type === "real" ? (this.value as number) : this.text();
  }

  /**
   * The member's text as a scalar (tostring(d.t)). For a whole-valued real Kusto's text is not documented
   * ("2" as tostring(2.0) gives, or "2.0" as inside an array): refused.
   */
  text(): string {
    if (this.type === "datetime") return formatDatetime7(this.value as bigint);
    if (this.type === "timespan") return formatTimespan(this.value as bigint);
    if (this.type === "real") throw refuseRealText();
    return this.value as string;
  }
}

/** Thrown where the text of a whole-valued dynamic real is needed outside a JSON document. */
function refuseRealText(): Error {
  return new KqlError("unsupported", "unsupported: the text of a whole-valued real held in a dynamic value (tostring(parse_json('2.0')))");
}

/** A real placed into a dynamic value: whole values (and -0) are tagged so they stay real; others are plain. */
export function dynReal(n: number): Dyn {
  return Number.isInteger(n) ? new DynScalar("real", n) : n;
}

/** A whole-valued real held in a dynamic value (the tagged form dynReal makes). */
export function isWholeReal(v: unknown): v is DynScalar & { value: number } {
  return v instanceof DynScalar && v.type === "real";
}

/** A number read out of a dynamic value (long or real), else null. */
export function dynNum(v: Value | undefined): number | null {
  if (typeof v === "number") return v;
  return isWholeReal(v) ? v.value : null;
}

/** Whether a dynamic value holds a real (plain non-integral number or a tagged whole-valued real). */
export function isDynReal(v: Value | undefined): boolean {
  return typeof v === "number" ? !Number.isInteger(v) : isWholeReal(v);
}

/**
 * A dynamic value as its JSON text, as Kusto serialises it (tostring of an array/bag, table/CSV cells): typed
 * members as their text, whole-valued reals with a decimal point (`[1.0,2.5]`). `lenient` (JSON output, where
 * any spelling of the same number is the same JSON value) writes the whole reals Kusto's text is not pinned
 * down for — beyond 1e15, where .NET switches to exponent form, and -0 — as plain numbers instead of refusing.
 */
export function dynToJsonText(v: Dyn, lenient = false): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "string": return JSON.stringify(v);
    case "number":
      // JSON has no NaN/Infinity (JSON.stringify writes null); how Kusto writes one inside a dynamic is undocumented.
      if (!Number.isFinite(v)) throw new KqlError("unsupported", `unsupported: the text of ${v} inside a dynamic value (series_divide(dynamic([2]), 0), pack_array(1.0/0))`);
      return JSON.stringify(v);
    case "boolean": return JSON.stringify(v);
  }
  if (v instanceof DynScalar) return v.type === "real" ? wholeRealJson(v.value as number, lenient) : JSON.stringify(v.text());
  // Without whole reals or NaN/±Infinity, JSON.stringify writes the same text (DynScalar.toJSON gives the typed
  // members' text).
  if (!needsOwnText(v)) return JSON.stringify(v);
  if (Array.isArray(v)) {
    let s = "[";
    for (let i = 0; i < v.length; i++) s += (i ? "," : "") + dynToJsonText(v[i]!, lenient);
    return s + "]";
  }
  let s = "{", first = true;
  for (const k of Object.keys(v)) {
    s += (first ? "" : ",") + JSON.stringify(k) + ":" + dynToJsonText(v[k]!, lenient);
    first = false;
  }
  return s + "}";
}

function wholeRealJson(n: number, lenient: boolean): string {
  if (Math.abs(n) < 1e15 && !Object.is(n, -0)) return `${n}.0`;
  if (lenient) return Object.is(n, -0) ? "-0.0" : String(n);
  throw refuseRealText();
}

/** Whether a dynamic value holds a whole-valued real or a NaN/±Infinity anywhere (JSON.stringify's text is not Kusto's). */
function needsOwnText(v: Dyn): boolean {
  if (typeof v === "number") return !Number.isFinite(v);
  if (v === null || typeof v !== "object") return false;
  if (v instanceof DynScalar) return v.type === "real";
  if (Array.isArray(v)) return v.some(needsOwnText);
  for (const k of Object.keys(v)) if (needsOwnText(v[k]!)) return true;
  return false;
}

/** Whether a dynamic value holds a whole-valued real anywhere (the only members whose JSON text differs). */
export function hasWholeReal(v: Dyn): boolean {
  if (v === null || typeof v !== "object") return false;
  if (v instanceof DynScalar) return v.type === "real";
  if (Array.isArray(v)) return v.some(hasWholeReal);
  for (const k of Object.keys(v)) if (hasWholeReal(v[k]!)) return true;
  return false;
}

export function isDynScalar(v: unknown): v is DynScalar {
  return v instanceof DynScalar;
}

/**
 * A dynamic value as plain JSON data: typed members (DynScalar) replaced by their text (a whole-valued real by
 * its number), everything else shared
 * (copies only the arrays/bags on the way to a typed member). For output and for comparing with expected JSON.
 */
export function dynToPlain(v: Dyn): Dyn {
  if (v === null || typeof v !== "object") return v;
  if (v instanceof DynScalar) return v.type === "real" ? (v.value as number) : v.text();
  if (Array.isArray(v)) {
    let out: Dyn[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const c = dynToPlain(v[i]!);
      if (c !== v[i]) (out ??= v.slice())[i] = c;
    }
    return out ?? v;
  }
  let out: { [k: string]: Dyn } | undefined;
  for (const k of Object.keys(v)) {
    const c = dynToPlain(v[k]!);
    // defineProperty: a "__proto__" key is an ordinary member of a Kusto bag.
    if (c !== v[k]) Object.defineProperty((out ??= { ...v }), k, { value: c, enumerable: true, writable: true, configurable: true });
  }
  return out ?? v;
}

/** Ticks → `2024-01-01T00:00:00.0000000Z` (always 7 fraction digits: Kusto's round-trip form in tostring/dynamic). */
export function formatDatetime7(ticks: bigint): string {
  const frac = ((ticks % TICKS_PER_SECOND) + TICKS_PER_SECOND) % TICKS_PER_SECOND;
  return `${formatDatetime(ticks - frac).slice(0, -1)}.${frac.toString().padStart(7, "0")}Z`;
}

/** Kusto's type of a runtime JS value inside dynamic (for gettype-like decisions). */
export function dynamicTypeOf(v: Dyn): "null" | "bool" | "long" | "real" | "string" | "array" | "dictionary" | DynScalar["type"] {
  if (v === null) return "null";
  if (v instanceof DynScalar) return v.type;
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "long" : "real";
  if (typeof v === "string") return "string";
  if (Array.isArray(v)) return "array";
  return "dictionary";
}

/** Kusto's `tostring()` of a value of a known type (also how dynamic members render as strings). */
export function valueToString(v: Value, type: KqlType): string {
  if (v === null || v === undefined) return "";
  switch (type) {
    case "string": return v as string;
    case "bool": return v ? "true" : "false";
    case "datetime": return formatDatetime(v as bigint);
    case "timespan": return formatTimespan(v as bigint);
    case "int": case "long": case "real": case "decimal": return numberToString(v as number);
    case "guid": return v as string;
    case "dynamic":
      return typeof v === "string" ? v : typeof v === "number" ? numberToString(v) : v instanceof DynScalar ? v.text() : dynToJsonText(v as Dyn);
  }
}

/** Kusto prints reals without exponent for ordinary magnitudes and NaN/Infinity by name. */
export function numberToString(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return String(n);
}
