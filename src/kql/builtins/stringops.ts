// Kusto's string comparison operators as plain functions (used by the compiler for binary operators and by the
// builtins). Semantics follow the KQL reference "String operators" (datatypes-string-operators.md):
//  - `has*` match *terms*: maximal runs of ASCII alphanumeric characters. A needle matches where the text
//    around it does not extend a term: if the needle starts with a term character the character before the
//    match must not be one, and likewise at the end. A needle made of several terms ("North America", "a.b")
//    therefore matches as a phrase. `hasprefix` only checks the start boundary, `hassuffix` only the end.
//  - Whether letters and digits beyond ASCII are term characters is not settled by the docs: older versions of
//    the page say "ASCII alphanumeric", the current one "alphanumeric". Where a has* answer depends on it (a
//    match is bounded only by such a character, or the needle starts or ends with one) the operator raises
//    `unsupported` instead of choosing a reading.
//  - Case-insensitive forms compare invariant lower-case (one-to-one, length-preserving) text.
//  - `==`, `!=`, `in`, `contains_cs`… are ordinal (code unit) comparisons.
import { KqlError } from "../api.js";
import { compileRegex } from "./regex.js";
import { caseFoldGuard, checkCaseFold } from "./casefold.js";

export type StringPredicate = (left: string, right: string) => boolean;

/** ASCII letters and digits: the characters a Kusto term is made of. */
export function isTermChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

// Length-preserving lower-casing (.NET's ToLowerInvariant maps one UTF-16 unit to one). JS toLowerCase only
// changes the length for U+0130 (İ → i + combining dot), which invariant casing maps to plain "i".
// JS also applies the context-dependent final-sigma rule (ΣΑΣ → σας), which .NET's per-character mapping does
// not (σασ): text that produced a ς is lowered one character at a time.
export function lowerInvariant(s: string): string {
  const l = s.toLowerCase();
  if (l.length === s.length && !l.includes("\u03c2")) return l;
  let out = "";
  for (const ch of s) out += ch === "\u0130" ? "i" : ch.toLowerCase();
  return out;
}

/** Length-preserving invariant upper-casing (ß stays ß, as in .NET, instead of becoming "SS"). */
export function upperInvariant(s: string): string {
  const u = s.toUpperCase();
  if (u.length === s.length) return u;
  let out = "";
  for (const ch of s) {
    const c = ch.toUpperCase();
    out += c.length === ch.length ? c : ch;
  }
  return out;
}

/** A letter, digit or mark beyond ASCII (surrogates included): a term character only under the Unicode reading. */
function isDisputedTermChar(code: number): boolean {
  if (code < 0x80) return false;
  if (code >= 0xd800 && code <= 0xdfff) return true;
  return /[\p{L}\p{N}\p{M}]/u.test(String.fromCharCode(code));
}

function disputedBoundary(code: number): never {
  const ch = String.fromCharCode(code);
  throw new KqlError("unsupported", `unsupported: has-family term boundary at the non-ASCII character '${ch}' (U+${code.toString(16).toUpperCase().padStart(4, "0")}): the docs leave open whether it extends a term`);
}

type TermMode = "term" | "prefix" | "suffix";

// contains/startswith "" are true (.NET IndexOf/StartsWith), but whether an empty string is a term, prefix or
// suffix of one is not documented: the has family refuses an empty needle.
function emptyTerm(mode: TermMode | "has_any" | "has_all"): never {
  const op = mode === "term" ? "has" : mode === "prefix" || mode === "suffix" ? `has${mode}` : mode;
  throw new KqlError("unsupported", `unsupported: ${op} with an empty string as the term (not documented)`);
}

/** Which ends of a needle must sit on a term boundary (only ends that are term characters themselves). */
function boundaries(needle: string, mode: TermMode): [boolean, boolean] {
  const n = needle.length;
  return [mode !== "suffix" && n > 0 && isTermChar(needle.charCodeAt(0)), mode !== "prefix" && n > 0 && isTermChar(needle.charCodeAt(n - 1))];
}

/**
 * Core of the has family: is `needle` in `hay` with the required boundaries? `hay`/`needle` are the texts to
 * compare (case-folded for the case-insensitive operators); boundaries are judged on the original text `orig`
 * (same length as `hay`, since folding is length-preserving).
 */
function findTerm(orig: string, hay: string, needle: string, checkStart: boolean, checkEnd: boolean, mode: TermMode): boolean {
  const n = needle.length;
  if (n === 0) emptyTerm(mode);
  // Under the Unicode reading a needle end that is a non-ASCII letter/digit is checked too.
  const uniStart = checkStart || (mode !== "suffix" && isDisputedTermChar(needle.charCodeAt(0)));
  const uniEnd = checkEnd || (mode !== "prefix" && isDisputedTermChar(needle.charCodeAt(n - 1)));
  let disputed = -1;
  let i = hay.indexOf(needle);
  while (i >= 0) {
    const before = i === 0 ? -1 : orig.charCodeAt(i - 1);
    const after = i + n === orig.length ? -1 : orig.charCodeAt(i + n);
    const startOk = !checkStart || before < 0 || !isTermChar(before);
    const endOk = !checkEnd || after < 0 || !isTermChar(after);
    if (startOk && endOk) {
      // A match under the ASCII reading; is it one under the Unicode reading too?
      const uniTerm = (c: number) => c >= 0 && (isTermChar(c) || isDisputedTermChar(c));
      const startDisputed = uniStart && uniTerm(before);
      const endDisputed = uniEnd && uniTerm(after);
      if (!startDisputed && !endDisputed) return true;
      // Name the non-ASCII character involved: the neighbour, or else the needle's own first/last character.
      if (disputed < 0) disputed = startDisputed ? (isTermChar(before) ? needle.charCodeAt(0) : before) : (isTermChar(after) ? needle.charCodeAt(n - 1) : after);
    }
    i = hay.indexOf(needle, i + 1);
  }
  if (disputed >= 0) disputedBoundary(disputed);
  return false;
}

function termCi(l: string, r: string, mode: TermMode): boolean {
  checkCaseFold(mode === "term" ? "has" : `has${mode}`, l, r);
  const [a, b] = boundaries(r, mode);
  return findTerm(l, lowerInvariant(l), lowerInvariant(r), a, b, mode);
}
function termCs(l: string, r: string, mode: TermMode): boolean {
  const [a, b] = boundaries(r, mode);
  return findTerm(l, l, r, a, b, mode);
}

export const has: StringPredicate = (l, r) => termCi(l, r, "term");
export const hasCs: StringPredicate = (l, r) => termCs(l, r, "term");
export const hasPrefix: StringPredicate = (l, r) => termCi(l, r, "prefix");
export const hasPrefixCs: StringPredicate = (l, r) => termCs(l, r, "prefix");
export const hasSuffix: StringPredicate = (l, r) => termCi(l, r, "suffix");
export const hasSuffixCs: StringPredicate = (l, r) => termCs(l, r, "suffix");
export const contains: StringPredicate = (l, r) => (checkCaseFold("contains", l, r), lowerInvariant(l).includes(lowerInvariant(r)));
export const containsCs: StringPredicate = (l, r) => l.includes(r);
export const startsWith: StringPredicate = (l, r) => (checkCaseFold("startswith", l, r), lowerInvariant(l).startsWith(lowerInvariant(r)));
export const startsWithCs: StringPredicate = (l, r) => l.startsWith(r);
export const endsWith: StringPredicate = (l, r) => (checkCaseFold("endswith", l, r), lowerInvariant(l).endsWith(lowerInvariant(r)));
export const endsWithCs: StringPredicate = (l, r) => l.endsWith(r);
export const equals: StringPredicate = (l, r) => l === r;
export const equalsCi: StringPredicate = (l, r) =>
  l === r || (l.length === r.length && (checkCaseFold("=~", l, r), lowerInvariant(l) === lowerInvariant(r)));
export const matchesRegex: StringPredicate = (l, r) => compileRegex(r).test(l);

/** `l in (set)` — ordinal. */
export function inSet(l: string, set: readonly string[]): boolean {
  return set.includes(l);
}
/** `l in~ (set)` — case-insensitive. */
export function inSetCi(l: string, set: readonly string[]): boolean {
  const ll = lowerInvariant(l);
  return set.some((s) => s === l || (s.length === l.length && (checkCaseFold("in~", l, s), lowerInvariant(s) === ll)));
}
/** `l has_any (set)`: some needle is a term (or phrase) of l; false for an empty set. */
export function hasAny(l: string, needles: readonly string[]): boolean {
  // Non-empty needles first: an empty one only matters (and is refused) when none of them matches.
  return needles.some((n) => n !== "" && termCi(l, n, "term")) || (needles.includes("") && emptyTerm("has_any"));
}
/** `l has_all (set)`: every needle is a term (or phrase) of l; true for an empty set. */
export function hasAll(l: string, needles: readonly string[]): boolean {
  return needles.every((n) => n === "" || termCi(l, n, "term")) && (!needles.includes("") || emptyTerm("has_all"));
}

/** Every binary string operator by its KQL spelling, `!` forms included. */
export const STRING_OPERATORS: Readonly<Record<string, StringPredicate>> = (() => {
  const pos: Record<string, StringPredicate> = {
    "has": has, "has_cs": hasCs, "hasprefix": hasPrefix, "hasprefix_cs": hasPrefixCs,
    "hassuffix": hasSuffix, "hassuffix_cs": hasSuffixCs, "contains": contains, "contains_cs": containsCs,
    "startswith": startsWith, "startswith_cs": startsWithCs, "endswith": endsWith, "endswith_cs": endsWithCs,
    "==": equals, "=~": equalsCi, "matches regex": matchesRegex,
  };
  const all: Record<string, StringPredicate> = { ...pos, "!=": (l, r) => l !== r, "!~": (l, r) => !equalsCi(l, r) };
  for (const [op, f] of Object.entries(pos)) {
    if (op === "==" || op === "=~" || op === "matches regex") continue;
    all[`!${op}`] = (l, r) => !f(l, r);
  }
  return all;
})();

// Fast path for constant ASCII needles: a case-insensitive JS RegExp (irregexp compiles it to native code) is
// several times faster than folding every row. Without the `u` flag, /i never maps a non-ASCII character to an
// ASCII one, whereas invariant lower-casing maps U+0130 (İ) to "i" and U+212A (Kelvin) to "k" — so those two
// are added to the needle's i/k explicitly; term boundaries use [A-Za-z0-9] on the original text in both paths.
const ASCII_ONLY = /^[\x00-\x7f]*$/;

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? "\\" + ch : ch;
}

/** Regex source for one needle with the boundary assertions its mode requires. */
function termSource(needle: string, mode: TermMode | "contains" | "starts" | "ends"): string {
  const body = Array.from(needle, (ch) =>
    ch === "i" || ch === "I" ? "[i\u0130]" : ch === "k" || ch === "K" ? "[k\u212a]" : escapeRegExp(ch)).join("");
  switch (mode) {
    case "contains": return body;
    case "starts": return `^${body}`;
    case "ends": return `${body}$`;
    default: {
      const [a, b] = boundaries(needle, mode);
      return `${a ? "(?<![A-Za-z0-9])" : ""}${body}${b ? "(?![A-Za-z0-9])" : ""}`;
    }
  }
}

function ciRegex(needle: string, mode: TermMode | "contains" | "starts" | "ends"): RegExp | undefined {
  if (needle === "" || !ASCII_ONLY.test(needle)) return undefined;
  return new RegExp(termSource(needle, mode), "i");
}

/**
 * Specialises an operator for a constant right-hand side (the common case: `where Col has "x"`): the needle is
 * case-folded (or turned into a case-insensitive RegExp) and the regex compiled once instead of per row.
 * Returns undefined for an unknown operator.
 */
export function compileStringPredicate(op: string, right: string): ((left: string) => boolean) | undefined {
  const neg = op.startsWith("!") && op !== "!=" && op !== "!~";
  const base = neg ? op.slice(1) : op;
  let f: ((l: string) => boolean) | undefined;
  const lr = lowerInvariant(right);
  const ci = (mode: TermMode | "contains" | "starts" | "ends", slow: (l: string) => boolean) => {
    const re = ciRegex(right, mode);
    return re ? (l: string) => re.test(l) : slow;
  };
  switch (base) {
    case "has": case "hasprefix": case "hassuffix": {
      const mode: TermMode = base === "has" ? "term" : base === "hasprefix" ? "prefix" : "suffix";
      const [a, b] = boundaries(right, mode);
      const slow = (l: string) => findTerm(l, lowerInvariant(l), lr, a, b, mode);
      // The RegExp answers the ASCII reading; a hit in non-ASCII text is re-judged by the general path.
      const re = ciRegex(right, mode);
      f = re ? (l) => re.test(l) && (ASCII_ONLY.test(l) || slow(l)) : slow;
      break;
    }
    case "has_cs": case "hasprefix_cs": case "hassuffix_cs": {
      const mode: TermMode = base === "has_cs" ? "term" : base === "hasprefix_cs" ? "prefix" : "suffix";
      const [a, b] = boundaries(right, mode);
      f = (l) => findTerm(l, l, right, a, b, mode);
      break;
    }
    case "contains": f = ci("contains", (l) => lowerInvariant(l).includes(lr)); break;
    case "contains_cs": f = (l) => l.includes(right); break;
    case "startswith": f = ci("starts", (l) => lowerInvariant(l).startsWith(lr)); break;
    case "startswith_cs": f = (l) => l.startsWith(right); break;
    case "endswith": f = ci("ends", (l) => lowerInvariant(l).endsWith(lr)); break;
    case "endswith_cs": f = (l) => l.endsWith(right); break;
    case "==": f = (l) => l === right; break;
    case "!=": f = (l) => l !== right; break;
    case "=~": f = (l) => l === right || (l.length === lr.length && lowerInvariant(l) === lr); break;
    case "!~": f = (l) => l !== right && (l.length !== lr.length || lowerInvariant(l) !== lr); break;
    case "matches regex": { const re = compileRegex(right); f = (l) => re.test(l); break; }
    default: return undefined;
  }
  const guard = CASE_INSENSITIVE.has(base) ? caseFoldGuard(base, right) : undefined;
  if (guard) {
    const unguarded = f;
    // =~ decides unequal lengths without folding (folding preserves length), as the general path does.
    const byLength = base === "=~" || base === "!~";
    f = (l) => l === right || (byLength && l.length !== right.length) ? unguarded(l) : (guard(l), unguarded(l));
  }
  if (!neg) return f;
  const g = f;
  return (l) => !g(l);
}

const CASE_INSENSITIVE = new Set(["has", "hasprefix", "hassuffix", "contains", "startswith", "endswith", "=~", "!~"]);

/** One guard for a set of needles (undefined when none of them can be disputed). */
function setGuard(op: string, set: readonly string[]): ((l: string) => void) | undefined {
  const guards = set.flatMap((n) => caseFoldGuard(op, n) ?? []);
  if (guards.length === 0) return undefined;
  // ASCII needles can only be disputed by non-ASCII text: one test instead of one per needle.
  const asciiNeedles = set.every((n) => ASCII_ONLY.test(n));
  return (l) => {
    if (asciiNeedles && ASCII_ONLY.test(l)) return;
    for (const g of guards) g(l);
  };
}

/**
 * Specialises set operators (`in`, `!in`, `in~`, `!in~`, `has_any`, `has_all`) for a constant set. in~ first
 * filters by length (folding preserves it); has_any over ASCII needles is one alternation RegExp.
 */
export function compileSetPredicate(op: string, set: readonly string[]): ((left: string) => boolean) | undefined {
  switch (op) {
    case "in": { const s = new Set(set); return (l) => s.has(l); }
    case "!in": { const s = new Set(set); return (l) => !s.has(l); }
    case "in~": case "!in~": {
      const s = new Set(set.map(lowerInvariant));
      const lengths = new Set(set.map((x) => x.length));
      const exact = new Set(set);
      const guard = setGuard("in~", set);
      const hit = guard
        ? (l: string) => lengths.has(l.length) && (exact.has(l) || (guard(l), s.has(lowerInvariant(l))))
        : (l: string) => lengths.has(l.length) && (s.has(l) || s.has(lowerInvariant(l)));
      return op === "in~" ? hit : (l) => !hit(l);
    }
    case "has_any": {
      if (set.length === 0) return () => false;
      if (set.some((n) => n === "")) {
        const rest = compileSetPredicate("has_any", set.filter((n) => n !== ""))!;
        return (l) => rest(l) || emptyTerm("has_any");
      }
      let f = (l: string) => hasAny(l, set);
      if (set.every((n) => ASCII_ONLY.test(n))) {
        const re = new RegExp(set.map((n) => termSource(n, "term")).join("|"), "i");
        f = (l) => re.test(l) && (ASCII_ONLY.test(l) || hasAny(l, set));
      }
      const guard = setGuard(op, set);
      const unguarded = f;
      return guard ? (l) => (guard(l), unguarded(l)) : f;
    }
    case "has_all": {
      const preds = set.filter((n) => n !== "").map((n) => compileStringPredicate("has", n)!);
      const empty = set.includes("");
      return (l) => preds.every((p) => p(l)) && (!empty || emptyTerm("has_all"));
    }
    default: return undefined;
  }
}

/** Splits text into its Kusto terms (maximal ASCII alphanumeric runs), in order. */
export function terms(s: string): string[] {
  return s.match(/[A-Za-z0-9]+/g) ?? [];
}
