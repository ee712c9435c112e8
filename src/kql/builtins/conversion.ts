// Conversion functions (tostring, toint, tolong, toreal/todouble, todecimal, tobool/toboolean, todatetime,
// totimespan, toguid, todynamic/parse_json). `convertTo` is the single conversion table, shared with
// extract(…, typeof(T)) and anything else that converts text to a typed value. Failed conversions are null, as
// documented; conversions whose Kusto result cannot be represented exactly here raise an error instead of
// guessing (see docs/kql-builtins-strings.md).
import { KqlError } from "../api.js";
import type { Dyn, KqlType, Value } from "../values.js";
import { DynScalar, TICKS_PER_SECOND, formatDatetime, valueToString } from "../values.js";
import { parseDatetimeStrict, parseTimespanStrict } from "../datetime-text.js";
import { typeJsonNumbers } from "./json-numbers.js";
import { refuseDuplicateJsonKeys, refuseJsonOverflow, refuseLenientJson } from "./json-lenient.js";
import { defineScalar } from "./registry.js";
import { toDyn } from "./c2-util.js";
import { fitsInt32 } from "../int64.js";


/** Kusto's text → real: optional whitespace, sign, digits, fraction, exponent; NaN / Infinity by name. */
export function parseReal(text: string): number | null {
  const s = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  switch (s) {
    case "NaN": return NaN;
    case "Infinity": case "+Infinity": return Infinity;
    case "-Infinity": return -Infinity;
  }
  return null;
}

/**
 * Text → long. Integer text is exact; text with a fractional part is truncated toward zero (the toint()/tolong()
 * docs: "If the input includes a decimal value, the result truncates to only the integer portion").
 */
export function parseLong(text: string): number | null {
  const s = text.trim();
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw outOfRange(s, "long");
    return n === 0 ? 0 : n;
  }
  const r = parseReal(s);
  if (r === null || !Number.isFinite(r)) return null;
  return realToLong(r);
}

function realToLong(r: number): number | null {
  if (!Number.isFinite(r)) return null;
  const t = Math.trunc(r);
  if (!Number.isSafeInteger(t)) throw outOfRange(String(r), "long");
  return t === 0 ? 0 : t;
}

function outOfRange(text: string, type: string): KqlError {
  return new KqlError("unsupported", `unsupported: converting ${text} to ${type} exceeds the engine's exact integer range (±2^53)`);
}

/**
 * Kusto's text → bool: "true"/"false" (any case, trimmed), as tobool-function.md shows. Whether the texts "1"/"0"
 * convert (.NET's bool.TryParse rejects them; tobool(1) of a number is true) is not documented: refused.
 */
export function parseBool(text: string): boolean | null {
  const s = text.trim().toLowerCase();
  if (s === "true") return true;
  if (s === "false") return false;
  if (s === "1" || s === "0") throw new KqlError("unsupported", `unsupported: tobool() of the text '${s}' (undocumented)`);
  return null;
}

/**
 * toguid() text rule (toguid-function.md): "takes the first 32 characters of the input, ignoring properly
 * located hyphens, validates that the characters are between 0-9 or a-f … The rest of the string is ignored".
 * Its example accepts `0123456789ab-cdef-0123-456789abcdef`, so hyphens are skipped wherever they appear.
 */
export function parseGuid(text: string): string | null {
  let hex = "";
  for (let i = 0; i < text.length && hex.length < 32; i++) {
    const c = text[i]!;
    if (c === "-") continue;
    if (!/[0-9a-fA-F]/.test(c)) return null;
    hex += c;
  }
  if (hex.length < 32) return null;
  const l = hex.toLowerCase();
  return `${l.slice(0, 8)}-${l.slice(8, 12)}-${l.slice(12, 16)}-${l.slice(16, 20)}-${l.slice(20)}`;
}

/**
 * parse_json()/todynamic() of text: the parsed JSON value; text that is not well-formed JSON is returned as a
 * dynamic string holding the original text (parse-json-function.md: "If json is of type string, but it isn't
 * a properly formatted JSON string, then the returned value is an object of type dynamic that holds the
 * original string value"). Empty or blank text is null.
 */
export function parseJsonText(text: string): Dyn {
  if (text.trim() === "") return null;
  let d: Dyn;
  try {
    d = JSON.parse(text) as Dyn;
  } catch {
    refuseLenientJson(text);
    return text;
  }
  refuseJsonOverflow(text, d);
  refuseDuplicateJsonKeys(text, d);
  d = typeJsonNumbers(text, d); // 2.0 stays a real; also refuses longs beyond ±2^53
  return freezeParsed ? deepFreeze(d) : d;
}

let freezeParsed = false;

/**
 * Tests only: deep-freeze every value parse_json/todynamic returns. parse_json's memo hands the same object to
 * every row with the same text, so a builtin or operator that edited a dynamic value in place would silently
 * change other rows; frozen, such an edit throws (modules are strict) and the test fails.
 */
export function freezeParsedJsonForTests(on: boolean): void {
  freezeParsed = on;
}

export function deepFreeze(d: Dyn): Dyn {
  if (d !== null && typeof d === "object" && !Object.isFrozen(d)) {
    Object.freeze(d);
    for (const x of Object.values(d)) deepFreeze(x as Dyn);
  }
  return d;
}

/**
 * todatetime() text: the documented formats of scalar-data-types/datetime.md (ISO 8601, RFC 822, RFC 850,
 * sortable) → their value; garbage → null; other date-shaped text → unsupported (datetime-text.ts). `what` names
 * the construct in the refusal ("datetime literal" for datetime(...)).
 */
export function parseDatetimeText(text: string, what = "todatetime()"): bigint | null {
  return parseDatetimeStrict(text, what);
}

function unsupported(from: KqlType, to: KqlType): KqlError {
  return new KqlError("unsupported", `unsupported: conversion of ${from} to ${to}`);
}

/**
 * .NET's shortest round-trip double text, which Kusto's tostring() uses: scientific notation ("1E+15",
 * "1E-05") when the decimal exponent is >= 15 or < -4, plain digits otherwise.
 */
export function realToString(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mant, expText] = n.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp >= 15 || exp < -4) {
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${mant}E${exp < 0 ? "-" : "+"}${e}`;
  }
  return String(n);
}

/**
 * tostring(): datetimes always carry 7 fraction digits ("2017-10-15T12:00:00.0000000Z" — see the
 * reverse() example in reverse-function.md), reals use .NET formatting; everything else as valueToString.
 */
export function kqlToString(v: Value, t: KqlType): string {
  if (v === null || v === undefined) return "";
  switch (t) {
    case "datetime": {
      const ticks = v as bigint;
      const frac = ((ticks % TICKS_PER_SECOND) + TICKS_PER_SECOND) % TICKS_PER_SECOND;
      const base = formatDatetime(ticks - frac).replace(/Z$/, "");
      return `${base}.${frac.toString().padStart(7, "0")}Z`;
    }
    case "real": return realToString(v as number);
    // .NET's decimal keeps the scale it was written with (decimal(1.10) prints "1.10", todecimal("3.0") "3.0");
    // the engine holds decimals as doubles, so their text is refused rather than printed as "1.1".
    case "decimal": throw new KqlError("unsupported", "unsupported: the text of a decimal (its scale, e.g. the trailing zero of 1.10, is not kept)");
    default: return valueToString(v, t);
  }
}

/** Converts a value of type `from` to type `to` with Kusto's to*() semantics (null when not convertible). */
export function convertTo(v: Value, from: KqlType, to: KqlType): Value {
  if (v === null || v === undefined) return to === "string" ? "" : null;
  if (from === "dynamic") return convertDynamic(v as Dyn, to);
  switch (to) {
    case "string":
      return kqlToString(v, from);
    case "dynamic":
      return from === "string" ? parseJsonText(v as string) : scalarToDynamic(v, from);
    case "long":
    case "int": {
      let n: number | null;
      switch (from) {
        case "string": n = parseLong(v as string); break;
        case "bool": n = v ? 1 : 0; break;
        case "int": case "long": n = v as number; break;
        case "real": case "decimal": n = realToLong(v as number); break;
        case "timespan": {
          const t = v as bigint;
          if (t > BigInt(Number.MAX_SAFE_INTEGER) || t < -BigInt(Number.MAX_SAFE_INTEGER)) throw outOfRange(t.toString(), to);
          n = Number(t);
          break;
        }
        default: throw unsupported(from, to);
      }
      if (n === null) return null;
      if (to === "int" && !fitsInt32(n)) throw beyondInt32(n);
      return n;
    }
    case "real":
    case "decimal": {
      switch (from) {
        case "string": { const r = parseReal(v as string); return to === "decimal" && r !== null && !Number.isFinite(r) ? null : r; }
        case "bool": return v ? 1 : 0;
        case "int": case "long": case "real": case "decimal": return v as number;
        default: throw unsupported(from, to);
      }
    }
    case "bool":
      switch (from) {
        case "string": return parseBool(v as string);
        case "bool": return v;
        case "int": case "long": case "real": case "decimal": return Number.isNaN(v as number) ? null : (v as number) !== 0;
        default: throw unsupported(from, to);
      }
    case "datetime":
      switch (from) {
        case "datetime": return v;
        case "string": return parseDatetimeText(v as string);
        default: throw unsupported(from, to);
      }
    case "timespan":
      switch (from) {
        case "timespan": return v;
        case "string": return parseTimespanStrict(v as string);
        default: throw unsupported(from, to);
      }
    case "guid":
      switch (from) {
        case "guid": return v;
        case "string": return parseGuid(v as string);
        default: throw unsupported(from, to);
      }
  }
}

// toint() of a value beyond 32 bits: the docs do not say whether Kusto wraps (a C# unchecked cast) or returns
// null, so neither is guessed.
function beyondInt32(n: number): KqlError {
  return new KqlError("unsupported", `unsupported: converting ${n} to int (beyond int's 32-bit range; Kusto's result is not documented)`);
}

/** A scalar placed into dynamic: datetime / timespan / guid stay typed (DynScalar, see toDyn). */
function scalarToDynamic(v: Value, from: KqlType): Dyn {
  return toDyn(v, from);
}

/** Conversions out of dynamic: by the runtime kind of the JSON value. */
function convertDynamic(d: Dyn, to: KqlType): Value {
  if (d === null) return to === "string" ? "" : null;
  if (to === "dynamic") return d;
  if (to === "string") return valueToString(d, "dynamic");
  if (typeof d === "string") return convertTo(d, "string", to);
  if (typeof d === "number") return convertTo(d, "real", to);
  if (typeof d === "boolean") return convertTo(d, "bool", to);
  // A typed member converts as its own type (todatetime(d.t), tolong(d.span) → ticks…).
  if (d instanceof DynScalar) return convertTo(d.value, d.type, to);
  return null; // arrays and property bags convert to nothing but string/dynamic
}

// ---------------------------------------------------------------------------------------------------------

function defineConversion(name: string, to: KqlType, aliases?: string[]): void {
  defineScalar({
    name,
    aliases,
    nulls: "propagate",
    overloads: [{
      params: ["scalar"], returns: to, impl: ([v], _ctx, types) => convertTo(v!, types[0]!, to),
      specialize: (_k, types) => {
        const from = types[0]!;
        return to === "dynamic" && from === "string" ? memoParseJson() : (v) => convertTo(v, from, to);
      },
    }],
  });
}

/**
 * parse_json at one call site, remembering recent texts: JSON columns repeat whole documents (the same
 * AdditionalFields over and over), and dynamic values are never modified in place by the engine (every
 * builtin that edits one copies it first, as constants and column values are already shared between rows).
 */
export function memoParseJson(): (v: Value) => Value {
  // A null-prototype dictionary rather than a Map: a property lookup internalises the key string in place, so
  // the next lookup of the same string object is a pointer comparison (measured: ~6× less time than Map.get
  // when the texts are in cache, ~2× on the benchmark's table, where each lookup first waits for the text to
  // come from memory). Every key is an own data property ("__proto__" included: there is no prototype).
  let cache: Record<string, Dyn> = Object.create(null) as Record<string, Dyn>;
  let size = 0;
  // Distinct documents make the memo pure overhead (internalising each miss): after a window of mostly misses,
  // parse directly for a while, then probe again.
  let lookups = 0, hits = 0, bypass = 0;
  return (v) => {
    const text = v as string;
    if (bypass > 0) { bypass--; return parseJsonText(text); }
    const hit = cache[text];
    if (++lookups === MEMO_WINDOW) {
      if (hits < MEMO_WINDOW / 4) bypass = MEMO_BYPASS;
      lookups = hits = 0;
    }
    if (hit !== undefined) { hits++; return hit; }
    const d = parseJsonText(text);
    if (text.length <= 1024) {
      if (size >= 4096) { cache = Object.create(null) as Record<string, Dyn>; size = 0; }
      cache[text] = d;
      size++;
    }
    return d;
  };
}

const MEMO_WINDOW = 1024;
const MEMO_BYPASS = 16 * 1024;

defineConversion("tostring", "string");
defineConversion("toint", "int");
defineConversion("tolong", "long");
defineConversion("toreal", "real", ["todouble"]);
defineConversion("todecimal", "decimal");
defineConversion("tobool", "bool", ["toboolean"]);
defineConversion("todatetime", "datetime");
defineConversion("totimespan", "timespan", ["totime"]);
defineConversion("toguid", "guid");
// todynamic(value:string) and parse_json(json_text: string or dynamic): dynamic input passes through unchanged.
defineConversion("parse_json", "dynamic", ["todynamic", "parsejson", "toobject"]);

/**
 * tohex(value [, minLength]) per tohex-function.md: two's complement of the value's width for negatives (8 digits
 * for int, 16 for long), lower-case, zero-padded to minLength (capped at 16).
 */
export function toHex(v: number, type: KqlType, minLength = 0): string {
  const width = type === "int" ? 32 : 64;
  const hex = BigInt.asUintN(width, BigInt(v)).toString(16);
  return hex.padStart(Math.min(Math.max(0, Math.trunc(minLength)), 16), "0");
}

defineScalar({
  name: "tohex",
  nulls: "propagate",
  overloads: [
    { params: ["integral"], returns: "string", impl: ([v], _c, t) => toHex(v as number, t[0]!) },
    { params: ["integral", "integral"], returns: "string", impl: ([v, m], _c, t) => toHex(v as number, t[0]!, m as number) },
  ],
});
