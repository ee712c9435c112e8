// Case-insensitive comparison (=~, in~, contains, has…) and tolower()/toupper() are exact for text whose case
// classes are simple: one lower and one upper form that map to each other. For a few characters the answer
// depends on how Kusto folds, which the docs do not say: .NET's OrdinalIgnoreCase compares simple *upper* case
// (Kelvin sign K ≁ k, final ς ~ σ, µ ~ μ, ſ ~ s) where lower-casing would decide the other way; Windows'
// invariant casing leaves İ and ı alone where ICU maps them to i and I; and characters whose full case mapping
// changes length (ᾳ → ΑΙ) have simple mappings JavaScript does not expose; cased letters beyond U+FFFF were not
// case-mapped by older .NET/Windows casing. Such inputs are refused.
import { KqlError } from "../api.js";

const ASCII_ONLY = /^[\x00-\x7f]*$/;

interface FoldTables {
  /** Code point → disputed class id, for every member of a class on which the foldings disagree. */
  group: Map<number, number>;
  /** Members whose presence makes a comparison within their class disputed. */
  unstable: Set<number>;
  /** Class id → its members. */
  members: Map<number, number[]>;
}

let tables: FoldTables | undefined;

function simple(ch: string, mapped: string): string {
  return [...mapped].length === 1 ? mapped : ch;
}

/** Built lazily (≈130k code points) on the first non-ASCII comparison. */
function foldTables(): FoldTables {
  if (tables) return tables;
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const union = (a: number, b: number) => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a), rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  const unstable = new Set<number>();
  const lower = (ch: string) => simple(ch, ch.toLowerCase());
  const upper = (ch: string) => simple(ch, ch.toUpperCase());
  for (let cp = 0x80; cp < 0x20000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const lo = lower(ch), up = upper(ch);
    const lengthChanges = ch.toLowerCase() !== lo || (ch.toUpperCase() !== up && cp !== 0xdf);
    // Cased letters beyond U+FFFF (Deseret, Osage, Adlam…): whether .NET/Windows casing maps surrogate pairs at
    // all has varied between versions.
    const astralCased = cp > 0xffff && (lo !== ch || up !== ch);
    if (lengthChanges || astralCased || cp === 0x130 || cp === 0x131 || lower(up) !== lo || upper(lo) !== up) {
      unstable.add(cp);
      for (const p of [lo, up, lower(up), upper(lo)]) union(cp, p.codePointAt(0)!);
    }
  }
  // İ and ı belong with i and I (their full/ICU mappings).
  for (const cp of [0x130, 0x131]) { union(cp, 0x69); union(cp, 0x49); }
  const group = new Map<number, number>();
  const members = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const g = find(cp);
    group.set(cp, g);
    members.set(g, [...(members.get(g) ?? []), cp]);
  }
  tables = { group, unstable, members };
  return tables;
}

/** Disputed classes present in a text: class id → whether an unstable member of it occurs. */
type ClassUse = Map<number, boolean>;

function classUse(s: string): ClassUse {
  const t = foldTables();
  const use: ClassUse = new Map();
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const g = t.group.get(cp);
    if (g !== undefined) use.set(g, (use.get(g) ?? false) || t.unstable.has(cp));
  }
  return use;
}

function refuse(op: string, text: string, needle: string): never {
  const t = foldTables();
  const bad = [...text + needle].find((ch) => t.unstable.has(ch.codePointAt(0)!)) ?? "";
  const code = bad.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0");
  throw new KqlError("unsupported", `unsupported: case-insensitive ${op} of text with '${bad}' (U+${code}): whether Kusto folds it like its other case forms is not documented`);
}

/**
 * A checker for case-insensitive comparisons against a fixed needle: throws unsupported when the answer for a
 * given text could depend on the folding. Returns undefined when no text can be disputed (the common case:
 * needles without i, k, s or a non-ASCII cased letter).
 */
export function caseFoldGuard(op: string, needle: string): ((text: string) => void) | undefined {
  const asciiNeedle = ASCII_ONLY.test(needle);
  // ASCII needles only meet disputed classes through i, k and s (İ ı, K, ſ).
  if (asciiNeedle && !/[iks]/i.test(needle)) return undefined;
  const n = classUse(needle);
  if (n.size === 0) return undefined;
  // Disputed when the text holds any member of a class the needle meets through an unstable member, or an
  // unstable member of a class the needle meets at all: one character-class test per text.
  const t = foldTables();
  const trigger: number[] = [];
  for (const [g, nu] of n) for (const cp of t.members.get(g)!) if (nu || t.unstable.has(cp)) trigger.push(cp);
  // Without the u flag when every trigger is within U+FFFF (measurably faster on long ASCII text).
  const bmp = trigger.every((cp) => cp <= 0xffff);
  const re = bmp
    ? new RegExp(`[${trigger.map((cp) => `\\u${cp.toString(16).padStart(4, "0")}`).join("")}]`)
    : new RegExp(`[${trigger.map((cp) => `\\u{${cp.toString(16)}}`).join("")}]`, "u");
  return (text) => {
    if (re.test(text)) refuse(op, text, needle);
  };
}

const guardCache = new Map<string, ((text: string) => void) | undefined>();

/** caseFoldGuard for non-constant operands (guards cached per needle). */
export function checkCaseFold(op: string, text: string, needle: string): void {
  if (ASCII_ONLY.test(needle) && (ASCII_ONLY.test(text) || !/[iks]/i.test(needle))) return;
  const key = `${op}\u0000${needle}`;
  if (!guardCache.has(key)) {
    if (guardCache.size >= 1000) guardCache.clear();
    guardCache.set(key, caseFoldGuard(op, needle));
  }
  guardCache.get(key)?.(text);
}

/** tolower()/toupper(): refuses the characters whose simple case mapping is implementation-dependent. */
export function checkCaseMapping(fn: string, s: string): void {
  if (ASCII_ONLY.test(s)) return;
  const t = foldTables();
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const lengthChanges = fn === "tolower" ? ch.toLowerCase().length !== ch.length : cp !== 0xdf && ch.toUpperCase().length !== ch.length;
    if (cp === 0x130 || cp === 0x131 || ((lengthChanges || cp > 0xffff) && t.unstable.has(cp))) {
      throw new KqlError("unsupported", `unsupported: ${fn}() of '${ch}' (U+${cp.toString(16).toUpperCase().padStart(4, "0")}): its invariant case mapping differs between .NET/Windows and ICU or has no simple form here`);
    }
  }
}
