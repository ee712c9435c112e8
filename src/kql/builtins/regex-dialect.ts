// Where Kusto's documented regex syntax (regex.md: Rust-regex style, Unicode-aware) and RE2 — which compiles the
// patterns here — read the same pattern differently. RE2 takes `[a-y&&xyz]` as a plain class with '&' in it,
// `\<` as a literal '<', and `\d`/`\w`/`\s`/`\b` as ASCII-only; regex.md documents class set operations, nested
// classes, word-boundary assertions and Unicode Perl classes. Such patterns are refused (`unsupported`) instead of
// answered with RE2's reading; the Perl classes only where the text is not plain ASCII, where both agree.
import { KqlError } from "../api.js";

export interface DialectInfo {
  /** The pattern uses \d \D \w \W \s \S \b \B, whose Unicode (Kusto) and ASCII (RE2) readings differ off ASCII. */
  perlClasses: boolean;
}

function refuse(source: string, what: string): never {
  throw new KqlError("unsupported", `unsupported: regex ${JSON.stringify(source)}: ${what} (regex.md's syntax; RE2 reads it differently)`);
}

const PERL = new Set([..."dDwWsS"]);
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
  let perlClasses = false;
  for (let i = 0; i < p.length;) {
    const c = p[i]!;
    if (c === "\\") {
      const n = p[i + 1] ?? "";
      if (n === "<" || n === ">") refuse(p, `\\${n} word-boundary assertion`);
      if ((n === "b" || n === "B") && p[i + 2] === "{") refuse(p, `\\${n}{…} word-boundary assertion`);
      if (n === "u" || n === "U") refuse(p, `\\${n} escape`);
      // RE2-only escapes (literal text \Q…\E, any byte \C) are not in regex.md's escape table.
      if (n === "Q" || n === "C") refuse(p, `\\${n} escape`);
      if (PERL.has(n) || n === "b" || n === "B") perlClasses = true;
      i = skipEscape(p, i);
    } else if (c === "[") {
      const r = scanClass(p, i);
      perlClasses ||= r.perl;
      i = r.end;
    } else if (c === "{" && !/^\{\d+(,\d*)?\}/.test(p.slice(i, i + 24))) {
      // RE2 reads a '{' that starts no counted repetition as a literal; regex.md only lists x{n}, x{n,}, x{n,m}.
      refuse(p, "'{' outside a counted repetition (escape it: \\{)");
    } else if (c === "(" && p[i + 1] === "?") {
      const m = /^\(\?([A-Za-z-]*)[):]/.exec(p.slice(i, i + 40));
      if (m && FOREIGN_FLAGS.test(m[1]!)) refuse(p, `flag group (?${m[1]}…)`);
      i += 2;
    } else i++;
  }
  return { perlClasses };
}

/** Scans the bracket class opening at p[start]; returns the index past it and whether a Perl class matters. */
function scanClass(p: string, start: number): { end: number; perl: boolean } {
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
  return { end: i + 1, perl: perl.size > 0 && !everything };
}

/** Text on which \d \w \s \b mean the same in RE2 and in Kusto: ASCII without U+000B (a Unicode space only). */
const NOT_ASCII_SAFE = /[^\x00-\x0a\x0c-\x7f]/;

export function refuseUnicodePerlClasses(source: string, text: string): void {
  if (NOT_ASCII_SAFE.test(text)) {
    throw new KqlError("unsupported", `unsupported: regex ${JSON.stringify(source)} with \\d, \\w, \\s or \\b over text beyond ASCII (Unicode classes in Kusto, regex.md; ASCII in RE2)`);
  }
}
