// String functions. Arguments Kusto.Language types as "scalar" (strcat, substring, indexof…) are rendered
// with tostring() semantics first; null scalars become "" (strings are never null).
import { KqlError } from "../api.js";
import type { Dyn, KqlType, Value } from "../values.js";
import { dynNum, valueToString } from "../values.js";
import { kqlToString } from "./conversion.js";
import { defineScalar } from "./registry.js";
import { compileRegex } from "./regex.js";
import { has, lowerInvariant, upperInvariant } from "./stringops.js";
import { checkCaseMapping } from "./casefold.js";

/** tostring() of an argument of (binder) type t. */
export function str(v: Value, t: KqlType): string {
  return kqlToString(v ?? null, t);
}

/** Text of a dynamic array element (strings raw, everything else as JSON / number text). */
function dynText(d: Dyn): string {
  return valueToString(d, "dynamic");
}

defineScalar({
  name: "strcat",
  nulls: "custom",
  overloads: [{
    params: ["scalar"],
    variadic: true,
    returns: "string",
    impl: (args, _c, types) => {
      let out = "";
      for (let i = 0; i < args.length; i++) out += str(args[i]!, types[i]!);
      return out;
    },
  }],
});

defineScalar({
  name: "strcat_delim",
  nulls: "custom",
  overloads: [{
    params: ["scalar", "scalar", "scalar"],
    variadic: true,
    returns: "string",
    impl: (args, _c, types) => {
      const delim = str(args[0]!, types[0]!);
      const parts: string[] = [];
      for (let i = 1; i < args.length; i++) parts.push(str(args[i]!, types[i]!));
      return parts.join(delim);
    },
  }],
});

defineScalar({
  name: "strcat_array",
  nulls: "custom",
  overloads: [{
    params: ["dynamic", "scalar"],
    returns: "string",
    impl: ([arr, d], _c, types) => {
      if (!Array.isArray(arr)) return "";
      return arr.map(dynText).join(str(d!, types[1]!));
    },
  }],
});

/** -1, 0 or 1 by ordinal (UTF-16 code unit) comparison. */
export function ordinalCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

defineScalar({
  name: "strcmp",
  nulls: "custom",
  overloads: [{
    params: ["scalar", "scalar"],
    returns: "long",
    impl: ([a, b], _c, t) => ordinalCompare(str(a!, t[0]!), str(b!, t[1]!)),
  }],
});

/** Number of Unicode code points (strlen-function.md: "This function counts Unicode code points"). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}

defineScalar({
  name: "strlen",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "long", impl: ([s]) => codePointLength(s as string) }],
});

defineScalar({
  name: "string_size",
  nulls: "propagate",
  overloads: [{ params: ["string"], returns: "long", impl: ([s]) => Buffer.byteLength(s as string, "utf8") }],
});

defineScalar({
  name: "toupper",
  nulls: "custom",
  overloads: [{ params: ["scalar"], returns: "string", impl: ([v], _c, t) => {
    const s = str(v!, t[0]!);
    checkCaseMapping("toupper", s);
    return upperInvariant(s);
  } }],
});
defineScalar({
  name: "tolower",
  nulls: "custom",
  overloads: [{ params: ["scalar"], returns: "string", impl: ([v], _c, t) => {
    const s = str(v!, t[0]!);
    checkCaseMapping("tolower", s);
    return lowerInvariant(s);
  } }],
});

/**
 * strlen counts code points (documented) but the pages say nothing of whether substring/indexof positions count
 * code points or UTF-16 units, nor how reverse treats a character beyond U+FFFF: text holding one is refused.
 */
function refuseAstral(fn: string, s: string): void {
  if (/[\ud800-\udfff]/.test(s)) {
    throw new KqlError("unsupported", `unsupported: ${fn}() of text with a character beyond U+FFFF (code point vs UTF-16 positions not documented)`);
  }
}

/**
 * substring(source, start [, length]) over UTF-16 code units: a negative start counts from the end
 * (substring("123456", -2, 2) == "56"); out-of-range parts are clipped.
 */
export function substring(s: string, start: number, length?: number): string {
  refuseAstral("substring", s);
  let from = Math.trunc(start);
  // substring-function.md counts a negative start from the end; one reaching before the first character, and a
  // negative length, are not covered: refused rather than clipped.
  if (from < -s.length) throw new KqlError("unsupported", `unsupported: substring() start ${from} before the beginning of a ${s.length}-character string`);
  if (length !== undefined && length < 0) throw new KqlError("unsupported", `unsupported: substring() with a negative length (${length})`);
  if (from < 0) from = s.length + from;
  if (from >= s.length) return "";
  if (length === undefined) return s.slice(from);
  const len = Math.trunc(length);
  if (len <= 0) return "";
  return s.slice(from, from + len);
}

defineScalar({
  name: "substring",
  nulls: "custom",
  overloads: [
    {
      params: ["scalar", "integral"],
      returns: "string",
      impl: ([s, a], _c, t) => (a === null ? "" : substring(str(s!, t[0]!), a as number)),
    },
    {
      params: ["scalar", "integral", "integral"],
      returns: "string",
      impl: ([s, a, l], _c, t) => (a === null || l === null ? "" : substring(str(s!, t[0]!), a as number, l as number)),
    },
  ],
});

/**
 * indexof() per indexof-function.md: negative start counts from the end; length -1 = unlimited; each
 * further occurrence is searched from one past the previous match with the same window length.
 * Returns null for length < -1 or occurrence < 0.
 */
export function indexOf(s: string, match: string, start = 0, length = -1, occurrence = 1): number | null {
  refuseAstral("indexof", s);
  if (length < -1 || occurrence < 0) return null;
  // The page gives null for occurrence < 0 only, and counts a negative start back from the end without saying
  // what happens before the first character: both undocumented cases are refused.
  if (occurrence === 0) throw new KqlError("unsupported", "unsupported: indexof() with occurrence 0");
  if (start < -s.length) throw new KqlError("unsupported", `unsupported: indexof() start ${start} before the beginning of a ${s.length}-character string`);
  let from = start < 0 ? Math.max(0, s.length + start) : start;
  let found = -1;
  for (let k = 0; k < occurrence; k++) {
    if (from > s.length) return -1;
    const limit = length === -1 ? s.length : Math.min(s.length, from + length);
    const i = s.indexOf(match, from);
    if (i < 0 || i + match.length > limit) return -1;
    found = i;
    from = i + 1;
  }
  return found;
}

function indexOfImpl(args: Value[], types: KqlType[]): Value {
  for (let i = 2; i < args.length; i++) if (args[i] === null) return null;
  return indexOf(str(args[0]!, types[0]!), str(args[1]!, types[1]!), args[2] as number | undefined,
    args[3] as number | undefined, args[4] as number | undefined);
}

defineScalar({
  name: "indexof",
  nulls: "custom",
  overloads: [2, 3, 4, 5].map((n) => ({
    params: ["scalar", "scalar", "integral", "integral", "integral"].slice(0, n) as ("scalar" | "integral")[],
    returns: "long" as const,
    impl: (args: Value[], _c: unknown, t: KqlType[]) => indexOfImpl(args, t),
  })),
});

defineScalar({
  name: "has_any_index",
  nulls: "custom",
  overloads: [{
    params: ["string", "dynamic"],
    returns: "long",
    impl: ([s, values]) => {
      if (!Array.isArray(values)) return -1;
      const text = s as string;
      for (let i = 0; i < values.length; i++) if (has(text, dynText(values[i]!))) return i;
      return -1;
    },
  }],
});

/** Reverses by code point so surrogate pairs stay intact. */
export function reverseString(s: string): string {
  refuseAstral("reverse", s);
  return Array.from(s).reverse().join("");
}

defineScalar({
  name: "reverse",
  nulls: "custom",
  overloads: [{ params: ["scalar"], returns: "string", impl: ([v], _c, t) => reverseString(str(v!, t[0]!)) }],
});

/** split(source, delimiter [, index]) — split("", "_") == [""]; with an index, [part] or [] when absent. */
export function split(s: string, delim: string, index?: number): string[] {
  // split-function.md: an index past the end yields no element ("at the index if it exists"); an empty delimiter
  // and a negative index are not covered: refused.
  if (delim === "") throw new KqlError("unsupported", "unsupported: split() with an empty delimiter (undocumented)");
  const parts = s.split(delim);
  if (index === undefined) return parts;
  const i = Math.trunc(index);
  if (i < 0) throw new KqlError("unsupported", `unsupported: split() with a negative index (${i})`);
  return i < parts.length ? [parts[i]!] : [];
}

defineScalar({
  name: "split",
  nulls: "custom",
  overloads: [
    { params: ["scalar", "string"], returns: "dynamic", impl: ([s, d], _c, t) => split(str(s!, t[0]!), d as string) },
    {
      params: ["scalar", "string", "integral"],
      returns: "dynamic",
      impl: ([s, d, i], _c, t) => (i === null ? null : split(str(s!, t[0]!), d as string, i as number)),
    },
  ],
});

/** Replaces every non-overlapping occurrence, left to right; an empty lookup changes nothing. */
export function replaceString(text: string, lookup: string, rewrite: string): string {
  // replace-string-function.md does not say what an empty lookup does (.NET's String.Replace rejects it).
  if (lookup === "") throw new KqlError("unsupported", "unsupported: replace_string() with an empty lookup string (undocumented)");
  return text.split(lookup).join(rewrite);
}

defineScalar({
  name: "replace_string",
  nulls: "propagate",
  overloads: [{
    params: ["string", "string", "string"],
    returns: "string",
    impl: ([t, l, r]) => replaceString(t as string, l as string, r as string),
  }],
});

const STRREP_MAX = 1024;

defineScalar({
  name: "strrep",
  nulls: "custom",
  overloads: [2, 3].map((n) => ({
    params: ["scalar", "integral", "scalar"].slice(0, n) as ("scalar" | "integral")[],
    returns: "string" as const,
    impl: (args: Value[], _c: unknown, t: KqlType[]) => {
      if (args[1] === null) return "";
      // strrep-function.md contradicts itself beyond 1024 ("Must be a value from 1 to 67108864" vs "more than the
      // maximal allowed value of 1024 … repeated 1024 times") and says nothing of counts below 1: both refused.
      const times = Math.trunc(args[1] as number);
      if (times < 1 || times > STRREP_MAX) throw new KqlError("unsupported", `unsupported: strrep() multiplier ${times} (outside 1..1024 the docs disagree or are silent)`);
      const delim = n === 3 ? str(args[2]!, t[2]!) : "";
      return new Array<string>(times).fill(str(args[0]!, t[0]!)).join(delim);
    },
  })),
});

/** translate(): chars of searchList map to the same position of replacementList (its last char repeats). */
export function translate(search: string, replacement: string, source: string): string {
  const map = new Map<string, string>();
  const from = Array.from(search), to = Array.from(replacement);
  from.forEach((c, i) => {
    const r = to.length === 0 ? "" : to[Math.min(i, to.length - 1)]!;
    // A character listed twice with different replacements: first or last wins? Not documented.
    if (map.has(c) && map.get(c) !== r) throw new KqlError("unsupported", `unsupported: translate() with '${c}' listed twice in searchList with different replacements (not documented)`);
    map.set(c, r);
  });
  let out = "";
  for (const c of source) out += map.get(c) ?? c;
  return out;
}

defineScalar({
  name: "translate",
  nulls: "propagate",
  overloads: [{
    params: ["string", "string", "string"],
    returns: "string",
    impl: ([a, b, s]) => translate(a as string, b as string, s as string),
  }],
});

defineScalar({
  name: "unicode_codepoints_from_string",
  aliases: ["to_utf8"],
  nulls: "custom",
  overloads: [{
    params: ["scalar"],
    returns: "dynamic",
    impl: ([v], _c, t) => Array.from(str(v!, t[0]!), (c) => c.codePointAt(0)!),
  }],
});

/** Code points (integers or arrays of them) → text; null when any is not a Unicode scalar value. */
function codePointsToString(args: Value[]): string | null {
  let out = "";
  const add = (d: Dyn): boolean => {
    const v = dynNum(d); // as a real scalar argument, a whole-valued real element counts by its value
    if (v === null || !Number.isInteger(v) || v < 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return false;
    out += String.fromCodePoint(v);
    return true;
  };
  for (const a of args) {
    if (a === null) return null;
    if (Array.isArray(a)) { for (const x of a) if (!add(x)) return null; }
    else if (!add(a as Dyn)) return null;
  }
  return out;
}

// unicode-codepoints-to-string-function.md: "If any argument isn't a valid Unicode codepoint, the function
// returns null" — the null string, "".
defineScalar({
  name: "unicode_codepoints_to_string",
  aliases: ["make_string"],
  nulls: "custom",
  overloads: [{ params: ["scalar"], variadic: true, returns: "string", impl: (args) => codePointsToString(args) ?? "" }],
});

defineScalar({
  name: "isascii",
  nulls: "custom",
  overloads: [{ params: ["scalar"], returns: "bool", impl: ([v], _c, t) => /^[\x00-\x7f]*$/.test(str(v!, t[0]!)) }],
});

// A JS string is valid UTF-8 unless it holds a lone surrogate (which has no UTF-8 encoding).
defineScalar({
  name: "isutf8",
  nulls: "custom",
  overloads: [{
    params: ["scalar"],
    returns: "bool",
    impl: ([v], _c, t) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(str(v!, t[0]!)),
  }],
});

/**
 * indexof_regex() per indexof-regex-function.md: matches do not overlap; unlike indexof() a negative start is
 * null (its example `indexof_regex("abcabc", @"a|ab", -1)` returns null).
 */
export function indexOfRegex(s: string, pattern: string, start = 0, length = -1, occurrence = 1): number | null {
  refuseAstral("indexof_regex", s);
  if (start < 0 || length < -1 || occurrence < 1) return null;
  const re = compileRegex(pattern);
  let from = start;
  const limit = length === -1 ? s.length : Math.min(s.length, from + length);
  const window = s.slice(0, limit);
  let found = -1;
  for (let k = 0; k < occurrence; k++) {
    if (from > window.length) return -1;
    const m = re.exec(window, from);
    if (!m) return -1;
    found = m.start;
    from = m.end > m.start ? m.end : m.end + 1;
  }
  return found;
}

defineScalar({
  name: "indexof_regex",
  nulls: "custom",
  overloads: [2, 3, 4, 5].map((n) => ({
    params: ["scalar", "scalar", "integral", "integral", "integral"].slice(0, n) as ("scalar" | "integral")[],
    returns: "long" as const,
    impl: (args: Value[], _c: unknown, t: KqlType[]) => {
      for (let i = 2; i < args.length; i++) if (args[i] === null) return null;
      return indexOfRegex(str(args[0]!, t[0]!), str(args[1]!, t[1]!), args[2] as number | undefined,
        args[3] as number | undefined, args[4] as number | undefined);
    },
  })),
});

/**
 * replace_strings(text, lookups, rewrites) per replace-strings-function.md: "the earlier match takes the
 * precedence" — lookups claim their non-overlapping occurrences in array order, and a later lookup only matches
 * text no earlier lookup claimed (["is", "This"] turns "This is" into "Thwas was"). A claimed match whose rewrite
 * is not a string keeps its text; lookups that are not strings are ignored.
 */
export function replaceStrings(text: string, lookups: Dyn[], rewrites: Dyn[]): string {
  const claimed = new Uint8Array(text.length);
  const hits: { start: number; end: number; rewrite: string }[] = [];
  lookups.forEach((l, k) => {
    if (typeof l !== "string" || l === "") return;
    const r = rewrites[k];
    for (let i = text.indexOf(l); i >= 0; ) {
      let free = true;
      for (let j = i; j < i + l.length; j++) if (claimed[j]) { free = false; break; }
      if (!free) { i = text.indexOf(l, i + 1); continue; }
      claimed.fill(1, i, i + l.length);
      hits.push({ start: i, end: i + l.length, rewrite: typeof r === "string" ? r : l });
      i = text.indexOf(l, i + l.length);
    }
  });
  if (hits.length === 0) return text;
  hits.sort((a, b) => a.start - b.start);
  let out = "";
  let prev = 0;
  for (const h of hits) { out += text.slice(prev, h.start) + h.rewrite; prev = h.end; }
  return out + text.slice(prev);
}

defineScalar({
  name: "replace_strings",
  nulls: "propagate",
  overloads: [{
    params: ["string", "dynamic", "dynamic"],
    returns: "string",
    impl: ([t, l, r]) => replaceStrings(t as string, Array.isArray(l) ? l : [], Array.isArray(r) ? r : []),
  }],
});
