// Kusto's string comparison operators as plain functions (used by the compiler for binary operators and by the
// builtins). Semantics follow the KQL reference "String operators" (datatypes-string-operators.md):
//  - `has*` match *terms*: maximal runs of ASCII alphanumeric characters. A needle matches where the text
//    around it does not extend a term: if the needle starts with a term character the character before the
//    match must not be one, and likewise at the end. A needle made of several terms ("North America", "a.b")
//    therefore matches as a phrase. `hasprefix` only checks the start boundary, `hassuffix` only the end.
//  - Case-insensitive forms compare invariant lower-case (one-to-one, length-preserving) text.
//  - `==`, `!=`, `in`, `contains_cs`… are ordinal (code unit) comparisons.
import { compileRegex } from "./regex.js";

export type StringPredicate = (left: string, right: string) => boolean;

/** ASCII letters and digits: the characters a Kusto term is made of. */
export function isTermChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

// Length-preserving lower-casing (.NET's ToLowerInvariant maps one UTF-16 unit to one). JS toLowerCase only
// changes the length for U+0130 (İ → i + combining dot), which invariant casing maps to plain "i".
export function lowerInvariant(s: string): string {
  const l = s.toLowerCase();
  if (l.length === s.length) return l;
  return s.replace(/\u0130/g, "i").toLowerCase();
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

type TermMode = "term" | "prefix" | "suffix";

/** Core of the has family; both arguments already case-folded as required. */
function findTerm(hay: string, needle: string, mode: TermMode): boolean {
  const n = needle.length;
  if (n === 0) return true; // an empty needle occurs everywhere (like contains "")
  const checkStart = mode !== "suffix" && isTermChar(needle.charCodeAt(0));
  const checkEnd = mode !== "prefix" && isTermChar(needle.charCodeAt(n - 1));
  let i = hay.indexOf(needle);
  while (i >= 0) {
    const startOk = !checkStart || i === 0 || !isTermChar(hay.charCodeAt(i - 1));
    const endOk = !checkEnd || i + n === hay.length || !isTermChar(hay.charCodeAt(i + n));
    if (startOk && endOk) return true;
    i = hay.indexOf(needle, i + 1);
  }
  return false;
}

export const has: StringPredicate = (l, r) => findTerm(lowerInvariant(l), lowerInvariant(r), "term");
export const hasCs: StringPredicate = (l, r) => findTerm(l, r, "term");
export const hasPrefix: StringPredicate = (l, r) => findTerm(lowerInvariant(l), lowerInvariant(r), "prefix");
export const hasPrefixCs: StringPredicate = (l, r) => findTerm(l, r, "prefix");
export const hasSuffix: StringPredicate = (l, r) => findTerm(lowerInvariant(l), lowerInvariant(r), "suffix");
export const hasSuffixCs: StringPredicate = (l, r) => findTerm(l, r, "suffix");
export const contains: StringPredicate = (l, r) => lowerInvariant(l).includes(lowerInvariant(r));
export const containsCs: StringPredicate = (l, r) => l.includes(r);
export const startsWith: StringPredicate = (l, r) => lowerInvariant(l).startsWith(lowerInvariant(r));
export const startsWithCs: StringPredicate = (l, r) => l.startsWith(r);
export const endsWith: StringPredicate = (l, r) => lowerInvariant(l).endsWith(lowerInvariant(r));
export const endsWithCs: StringPredicate = (l, r) => l.endsWith(r);
export const equals: StringPredicate = (l, r) => l === r;
export const equalsCi: StringPredicate = (l, r) => l === r || lowerInvariant(l) === lowerInvariant(r);
export const matchesRegex: StringPredicate = (l, r) => compileRegex(r).test(l);

/** `l in (set)` — ordinal. */
export function inSet(l: string, set: readonly string[]): boolean {
  return set.includes(l);
}
/** `l in~ (set)` — case-insensitive. */
export function inSetCi(l: string, set: readonly string[]): boolean {
  const ll = lowerInvariant(l);
  return set.some((s) => lowerInvariant(s) === ll);
}
/** `l has_any (set)`: some needle is a term (or phrase) of l; false for an empty set. */
export function hasAny(l: string, needles: readonly string[]): boolean {
  const ll = lowerInvariant(l);
  return needles.some((n) => findTerm(ll, lowerInvariant(n), "term"));
}
/** `l has_all (set)`: every needle is a term (or phrase) of l; true for an empty set. */
export function hasAll(l: string, needles: readonly string[]): boolean {
  const ll = lowerInvariant(l);
  return needles.every((n) => findTerm(ll, lowerInvariant(n), "term"));
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

/**
 * Specialises an operator for a constant right-hand side (the common case: `where Col has "x"`): the needle is
 * case-folded and the regex compiled once instead of per row. Returns undefined for an unknown operator.
 */
export function compileStringPredicate(op: string, right: string): ((left: string) => boolean) | undefined {
  const neg = op.startsWith("!") && op !== "!=" && op !== "!~";
  const base = neg ? op.slice(1) : op;
  let f: ((l: string) => boolean) | undefined;
  const lr = lowerInvariant(right);
  switch (base) {
    case "has": f = (l) => findTerm(lowerInvariant(l), lr, "term"); break;
    case "has_cs": f = (l) => findTerm(l, right, "term"); break;
    case "hasprefix": f = (l) => findTerm(lowerInvariant(l), lr, "prefix"); break;
    case "hasprefix_cs": f = (l) => findTerm(l, right, "prefix"); break;
    case "hassuffix": f = (l) => findTerm(lowerInvariant(l), lr, "suffix"); break;
    case "hassuffix_cs": f = (l) => findTerm(l, right, "suffix"); break;
    case "contains": f = (l) => lowerInvariant(l).includes(lr); break;
    case "contains_cs": f = (l) => l.includes(right); break;
    case "startswith": f = (l) => lowerInvariant(l).startsWith(lr); break;
    case "startswith_cs": f = (l) => l.startsWith(right); break;
    case "endswith": f = (l) => lowerInvariant(l).endsWith(lr); break;
    case "endswith_cs": f = (l) => l.endsWith(right); break;
    case "==": f = (l) => l === right; break;
    case "!=": f = (l) => l !== right; break;
    case "=~": f = (l) => l === right || lowerInvariant(l) === lr; break;
    case "!~": f = (l) => l !== right && lowerInvariant(l) !== lr; break;
    case "matches regex": { const re = compileRegex(right); f = (l) => re.test(l); break; }
    default: return undefined;
  }
  if (!neg) return f;
  const g = f;
  return (l) => !g(l);
}

/**
 * Specialises set operators (`in`, `!in`, `in~`, `!in~`, `has_any`, `has_all`) for a constant set. has_any
 * over pure-term needles tokenises the text once and probes a Set instead of scanning per needle.
 */
export function compileSetPredicate(op: string, set: readonly string[]): ((left: string) => boolean) | undefined {
  switch (op) {
    case "in": { const s = new Set(set); return (l) => s.has(l); }
    case "!in": { const s = new Set(set); return (l) => !s.has(l); }
    case "in~": { const s = new Set(set.map(lowerInvariant)); return (l) => s.has(lowerInvariant(l)); }
    case "!in~": { const s = new Set(set.map(lowerInvariant)); return (l) => !s.has(lowerInvariant(l)); }
    case "has_any": {
      const needles = set.map(lowerInvariant);
      if (needles.length > 4 && needles.every(isSingleTerm)) {
        const terms = new Set(needles);
        return (l) => someTerm(lowerInvariant(l), terms);
      }
      return (l) => { const ll = lowerInvariant(l); return needles.some((n) => findTerm(ll, n, "term")); };
    }
    case "has_all": {
      const needles = set.map(lowerInvariant);
      return (l) => { const ll = lowerInvariant(l); return needles.every((n) => findTerm(ll, n, "term")); };
    }
    default: return undefined;
  }
}

function isSingleTerm(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTermChar(s.charCodeAt(i))) return false;
  return true;
}

function someTerm(s: string, terms: ReadonlySet<string>): boolean {
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const t = i < s.length && isTermChar(s.charCodeAt(i));
    if (t && start < 0) start = i;
    else if (!t && start >= 0) {
      if (terms.has(s.slice(start, i))) return true;
      start = -1;
    }
  }
  return false;
}

/** Splits text into its Kusto terms (maximal ASCII alphanumeric runs), in order. */
export function terms(s: string): string[] {
  return s.match(/[A-Za-z0-9]+/g) ?? [];
}
