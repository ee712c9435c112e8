// Where Kusto's documented regex syntax (regex.md: Rust-regex style, Unicode-aware) and RE2 — which compiles the
// patterns here — read the same pattern differently. RE2 takes `[a-y&&xyz]` as a plain class with '&' in it,
// `\<` as a literal '<', and `\d`/`\w`/`\s`/`\b` as ASCII-only; regex.md documents class set operations, nested
// classes, word-boundary assertions and Unicode Perl classes. Such patterns are refused (`unsupported`) instead of
// answered with RE2's reading; the Perl classes only over text holding a character the two readings classify
// differently (a non-ASCII digit for \d, letter/mark/digit/connector for \w and \b, space or U+000B for \s).
import { KqlError } from "../api.js";

export interface DialectInfo {
  /** Perl classes the pattern uses, as "d" (\d \D), "w" (\w \W \b \B), "s" (\s \S): Unicode in Kusto, ASCII in RE2. */
  perlClasses: string;
}

function refuse(source: string, what: string): never {
  throw new KqlError("unsupported", `unsupported: regex ${JSON.stringify(source)}: ${what} (regex.md's syntax; RE2 reads it differently)`);
}

const PERL = new Set([..."dDwWsS"]);
const KIND: Record<string, string> = { d: "d", D: "d", w: "w", W: "w", b: "w", B: "w", s: "s", S: "s" };
const COMPLEMENT: Record<string, string> = { d: "D", D: "d", w: "W", W: "w", s: "S", S: "s" };
/** Flags RE2 lacks: x (verbose), R (CRLF), u (Unicode on/off). */
const FOREIGN_FLAGS = /[xRu]/;

/** Index just past a `\p{…}`/`\pX` escape whose backslash is at i (or i + 2 for other escapes). */
function skipEscape(p: string, i: number): number {
  const c = p[i + 1];
  if ((c === "p" || c === "P" || c === "x") && p[i + 2] === "{") {
    const close = p.indexOf("}", i + 3);
    return close < 0 ? p.length : close + 1;
  }
  return i + 2;
}

/** Checks a pattern (already accepted by RE2) for syntax whose documented meaning RE2 does not share. */
export function checkDialect(p: string): DialectInfo {
  const kinds = new Set<string>();
  for (let i = 0; i < p.length;) {
    const c = p[i]!;
    if (c === "\\") {
      const n = p[i + 1] ?? "";
      if (n === "<" || n === ">") refuse(p, `\\${n} word-boundary assertion`);
      if ((n === "b" || n === "B") && p[i + 2] === "{") refuse(p, `\\${n}{…} word-boundary assertion`);
      if (n === "u" || n === "U") refuse(p, `\\${n} escape`);
      // RE2-only escapes (literal text \Q…\E, any byte \C) are not in regex.md's escape table.
      if (n === "Q" || n === "C") refuse(p, `\\${n} escape`);
      if (KIND[n]) kinds.add(KIND[n]);
      i = skipEscape(p, i);
    } else if (c === "[") {
      const r = scanClass(p, i);
      for (const k of r.perl) kinds.add(k);
      i = r.end;
    } else if (c === "{" && !/^\{\d+(,\d*)?\}/.test(p.slice(i, i + 24))) {
      // RE2 reads a '{' that starts no counted repetition as a literal; regex.md (the Rust regex syntax the current
      // service documents) lists only x{n}, x{n,}, x{n,m}, and that syntax rejects a stray '{'.
      refuse(p, "'{' outside a counted repetition (escape it: \\{)");
    } else if (c === "(" && p[i + 1] === "?") {
      const m = /^\(\?([A-Za-z-]*)[):]/.exec(p.slice(i, i + 40));
      if (m && FOREIGN_FLAGS.test(m[1]!)) refuse(p, `flag group (?${m[1]}…)`);
      i += 2;
    } else i++;
  }
  return { perlClasses: [...kinds].sort().join("") };
}

/** Scans the bracket class opening at p[start]; returns the index past it and the kinds of Perl class that matter. */
function scanClass(p: string, start: number): { end: number; perl: string[] } {
  let i = start + 1;
  if (p[i] === "^") i++;
  if (p[i] === "]") i++; // a leading ']' is literal
  const perl = new Set<string>();
  while (i < p.length && p[i] !== "]") {
    const c = p[i]!;
    if (c === "\\") {
      const n = p[i + 1] ?? "";
      if (n === "u" || n === "U") refuse(p, `\\${n} escape`);
      if (PERL.has(n)) perl.add(n);
      i = skipEscape(p, i);
    } else if (c === "[") {
      const posix = /^\[:\^?[a-z]+:\]/.exec(p.slice(i, i + 16));
      if (!posix) refuse(p, "nested character class");
      i += posix[0].length;
    } else if ((c === "&" || c === "-" || c === "~") && p[i + 1] === c) {
      refuse(p, `character class set operation '${c}${c}'`);
    } else i++;
  }
  // A class holding a Perl class and its complement ([\s\S]) matches every character under either reading.
  const everything = [...perl].some((x) => perl.has(COMPLEMENT[x]!));
  return { end: i + 1, perl: everything ? [] : [...perl].map((x) => KIND[x]!) };
}

/** Characters the Unicode (regex.md) and ASCII (RE2) readings of each kind of Perl class classify differently. */
const DIFFERS: Record<string, RegExp> = {
  d: /(?![0-9])\p{Nd}/u,
  w: /(?![\x00-\x7f])[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u,
  s: /\x0b|(?![\x00-\x7f])\p{White_Space}/u,
};

/** Plain ASCII text without U+000B, on which every kind agrees (a fast pre-check: most log text is ASCII). */
const AGREED = /^[\x00-\x0a\x0c-\x7f]*$/;

/** Refuses text on which the pattern's Perl classes (checkDialect's `perlClasses`) would match differently. */
export function refuseUnicodePerlClasses(source: string, kinds: string, text: string): void {
  if (AGREED.test(text)) return;
  for (const k of kinds) {
    if (DIFFERS[k]!.test(text)) {
      const cls = k === "d" ? "\\d" : k === "w" ? "\\w / \\b" : "\\s";
      throw new KqlError("unsupported", `unsupported: regex ${JSON.stringify(source)}: ${cls} over text with a character Kusto's Unicode class (regex.md) and RE2's ASCII class read differently`);
    }
  }
}
