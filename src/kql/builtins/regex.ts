// Kusto's regex dialect is RE2. Patterns are compiled with re2js (a faithful pure-JS port of RE2/Go regexp), so
// RE2 syntax — inline flags `(?i)`, `(?P<name>…)`, `\pL`, no backreferences or lookaround — behaves as in
// Kusto; what RE2 rejects is rejected here with a clear runtime error. Compiled patterns are cached because
// they are almost always query constants.
//
// Iteration over successive matches follows RE2's GlobalReplace/FindAll rule (not JavaScript's): matches do not
// overlap, and an empty match that abuts the previous match is skipped.
import { RE2JS } from "re2js";
import { KqlError } from "../api.js";
import type { Dyn, KqlType } from "../values.js";
import { defineScalar } from "./registry.js";
import { convertTo } from "./conversion.js";
import { type JsTranslation, translateRe2 } from "./c1-regex-js.js";
import { checkDialect, refuseUnicodePerlClasses } from "./regex-dialect.js";

export interface RegexMatch {
  /** UTF-16 offsets of the whole match. */
  start: number;
  end: number;
  /** groups[0] is the whole match; unmatched optional groups are undefined. */
  groups: (string | undefined)[];
}

export interface KqlRegex {
  readonly source: string;
  /** Number of capturing groups (excluding group 0). */
  readonly groupCount: number;
  /** Name → group number for `(?P<name>…)` groups. */
  readonly namedGroups: Readonly<Record<string, number>>;
  /** Whether the pattern matches anywhere in s (unanchored, like `matches regex`). */
  test(s: string): boolean;
  /** First match at or after `from`. */
  exec(s: string, from?: number): RegexMatch | null;
  /** All successive non-overlapping matches (RE2 rules for empty matches). */
  matchAll(s: string): RegexMatch[];
  /** Replaces every match; `rewrite` uses Kusto/RE2 syntax: `\0`…`\9` groups, `\\` a backslash. */
  replace(s: string, rewrite: string): string;
  /** Splits s around the matches. */
  split(s: string): string[];
}

class Re2Regex implements KqlRegex {
  readonly groupCount: number;
  readonly namedGroups: Readonly<Record<string, number>>;
  private readonly re: RE2JS;
  /** Equivalent JS RegExp for the fast path (see c1-regex-js.ts), when the pattern is in the safe subset. */
  private readonly js: JsTranslation | undefined;
  private readonly jsGlobal: RegExp | undefined;
  /** Kinds of Perl class ("dsw") whose Unicode reading in Kusto differs from RE2's on some text (regex-dialect.ts). */
  private readonly perlClasses: string;
  /** The last text checked for those classes, so matchAll's repeated exec() calls check it once. */
  private checkedText: string | undefined;

  /** `dialect` false: RE2 only, without regex-dialect.ts's refusals (the engines' differential tests). */
  constructor(readonly source: string, useJs = true, dialect = true) {
    this.perlClasses = dialect ? checkDialect(source).perlClasses : "";
    try {
      this.re = RE2JS.compile(source);
    } catch (e) {
      const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e);
      throw new KqlError("runtime", `invalid regular expression ${JSON.stringify(source)} (Kusto uses RE2 syntax): ${why}`);
    }
    this.groupCount = this.re.re2().numberOfCapturingGroups();
    this.namedGroups = { ...this.re.re2().namedGroups };
    this.js = useJs ? translateRe2(source) : undefined;
    this.jsGlobal = this.js?.capturesExact ? new RegExp(this.js.re.source, this.js.re.flags + "g") : undefined;
  }

  /** Which engine answers test() / exec() (for tests and diagnostics). */
  get engines(): { test: "js" | "re2js"; exec: "js" | "re2js" } {
    return { test: this.js ? "js" : "re2js", exec: this.jsGlobal ? "js" : "re2js" };
  }

  private checkText(s: string): void {
    if (s === this.checkedText) return;
    refuseUnicodePerlClasses(this.source, this.perlClasses, s);
    this.checkedText = s;
  }

  test(s: string): boolean {
    if (this.perlClasses) this.checkText(s);
    return this.js ? this.js.re.test(s) : this.re.test(s);
  }

  exec(s: string, from = 0): RegexMatch | null {
    if (this.perlClasses) this.checkText(s);
    if (from > s.length) return null;
    const g = this.jsGlobal;
    if (g) {
      g.lastIndex = from;
      const m = g.exec(s);
      if (!m) return null;
      const groups: (string | undefined)[] = [];
      for (let k = 0; k <= this.groupCount; k++) groups.push(m[k]);
      return { start: m.index, end: m.index + m[0].length, groups };
    }
    const m = this.re.matcher(s);
    if (!m.find(from)) return null;
    const groups: (string | undefined)[] = [];
    for (let k = 0; k <= this.groupCount; k++) groups.push(m.group(k) ?? undefined);
    return { start: m.start(0), end: m.end(0), groups };
  }

  matchAll(s: string): RegexMatch[] {
    const out: RegexMatch[] = [];
    let pos = 0;
    let lastEnd = -1;
    for (let m = this.exec(s, pos); m; m = pos <= s.length ? this.exec(s, pos) : null) {
      if (m.start === m.end && m.start === lastEnd) {
        // Empty match abutting the previous one: RE2 skips one character (a whole code point) and retries.
        if (m.start >= s.length) break;
        pos = m.start + codePointWidth(s, m.start);
        continue;
      }
      out.push(m);
      lastEnd = m.end;
      pos = m.end > m.start ? m.end : m.end + (m.end < s.length ? codePointWidth(s, m.end) : 1);
    }
    return out;
  }

  replace(s: string, rewrite: string): string {
    const parts = parseRewrite(rewrite, this);
    let out = "";
    let prev = 0;
    for (const m of this.matchAll(s)) {
      out += s.slice(prev, m.start);
      for (const p of parts) out += typeof p === "string" ? p : (m.groups[p] ?? "");
      prev = m.end;
    }
    return out + s.slice(prev);
  }

  split(s: string): string[] {
    const out: string[] = [];
    let prev = 0;
    for (const m of this.matchAll(s)) {
      out.push(s.slice(prev, m.start));
      prev = m.end;
    }
    out.push(s.slice(prev));
    return out;
  }
}

function codePointWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}

function refuseRewrite(rewrite: string): never {
  throw new KqlError("unsupported", `unsupported: rewrite ${JSON.stringify(rewrite)} with a backslash not followed by a digit or backslash (invalid in RE2; Kusto's result not documented)`);
}

/** Parses an RE2 rewrite string into literal pieces and group numbers. */
function parseRewrite(rewrite: string, re: KqlRegex): (string | number)[] {
  const parts: (string | number)[] = [];
  let lit = "";
  for (let i = 0; i < rewrite.length; i++) {
    const c = rewrite[i]!;
    if (c !== "\\") { lit += c; continue; }
    // RE2 rejects a rewrite with any other escape (or a trailing backslash); what Kusto then returns (an error,
    // the text unchanged?) is not documented.
    if (i + 1 >= rewrite.length) refuseRewrite(rewrite);
    const n = rewrite[i + 1]!;
    if (n >= "0" && n <= "9") {
      const g = n.charCodeAt(0) - 48;
      if (g > re.groupCount) {
        throw new KqlError("runtime", `rewrite ${JSON.stringify(rewrite)} refers to group \\${g} but regex ${JSON.stringify(re.source)} has ${re.groupCount} capture group(s)`);
      }
      if (lit) { parts.push(lit); lit = ""; }
      parts.push(g);
      i++;
    } else if (n === "\\") {
      lit += "\\";
      i++;
    } else {
      refuseRewrite(rewrite);
    }
  }
  if (lit) parts.push(lit);
  return parts;
}

const CACHE_LIMIT = 2000;
const cache = new Map<string, KqlRegex>();

/** Compiles (or returns the cached) RE2 pattern; throws KqlError("runtime") for an invalid pattern. */
export function compileRegex(pattern: string): KqlRegex {
  let re = cache.get(pattern);
  if (!re) {
    re = new Re2Regex(pattern);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** An uncached regex on one engine only — for differential tests of the JS fast path against re2js. */
export function compileRegexForTest(pattern: string, engine: "auto" | "re2js"): KqlRegex & { engines: { test: string; exec: string } } {
  return new Re2Regex(pattern, engine === "auto", false);
}

/** Quotes text so that it matches literally inside an RE2 pattern. */
export function quoteRegex(text: string): string {
  return RE2JS.quote(text);
}

// ---------------------------------------------------------------------------------------------------------
// Regex builtins.

/** Capture group `g` of the first match, or null when there is no match (or the group did not take part). */
function extractGroup(pattern: string, group: number, source: string): string | null {
  const re = compileRegex(pattern);
  if (!Number.isInteger(group) || group < 0 || group > re.groupCount) {
    throw new KqlError("runtime", `extract(): capture group ${group} is out of range for regex ${JSON.stringify(pattern)} (${re.groupCount} group(s))`);
  }
  const m = re.exec(source);
  if (!m) return null;
  return m.groups[group] ?? null;
}

defineScalar({
  name: "extract",
  nulls: "propagate",
  overloads: [
    {
      // extract(regex, captureGroup, source): "" when there is no match (string results are never null).
      params: ["string", "long", "string"],
      returns: "string",
      impl: ([re, g, s]) => extractGroup(re as string, g as number, s as string) ?? "",
    },
    {
      // extract(regex, captureGroup, source, typeof(T)): the compiler passes the type literal as its type name
      // (e.g. "long") with argument type string; the result is null when there is no match or conversion fails.
      // The result type is the literal's type, which the compiler takes from the binder.
      params: ["string", "long", "string", "string"],
      returns: "dynamic",
      impl: ([re, g, s, t]) => {
        const v = extractGroup(re as string, g as number, s as string);
        const type = t as KqlType;
        if (v === null) return type === "string" ? "" : null;
        return convertTo(v, "string", type);
      },
    },
  ],
});

function extractAll(pattern: string, groups: Dyn[] | null, source: string): Dyn {
  const re = compileRegex(pattern);
  if (re.groupCount === 0) {
    throw new KqlError("runtime", `extract_all(): regex ${JSON.stringify(pattern)} must contain between 1 and 16 capture groups`);
  }
  let sel: number[];
  if (groups === null) sel = Array.from({ length: re.groupCount }, (_, i) => i + 1);
  else {
    sel = groups.map((g) => {
      const n = typeof g === "string" ? re.namedGroups[g] : typeof g === "number" ? g : undefined;
      if (n === undefined || !Number.isInteger(n) || n < 1 || n > re.groupCount) {
        throw new KqlError("runtime", `extract_all(): capture group ${JSON.stringify(g)} is not a group of regex ${JSON.stringify(pattern)}`);
      }
      return n;
    });
  }
  const matches = re.matchAll(source);
  if (matches.length === 0) return null;
  if (sel.length === 1) return matches.map((m) => m.groups[sel[0]!] ?? "");
  return matches.map((m) => sel.map((g) => m.groups[g] ?? ""));
}

defineScalar({
  name: "extract_all",
  aliases: ["extractall"],
  nulls: "propagate",
  overloads: [
    { params: ["string", "string"], returns: "dynamic", impl: ([re, s]) => extractAll(re as string, null, s as string) },
    {
      params: ["string", "dynamic", "string"],
      returns: "dynamic",
      impl: ([re, g, s]) => {
        if (!Array.isArray(g)) throw new KqlError("runtime", "extract_all(): captureGroups must be a dynamic array");
        return extractAll(re as string, g, s as string);
      },
    },
  ],
});

defineScalar({
  name: "replace_regex",
  nulls: "propagate",
  overloads: [{
    params: ["string", "string", "string"],
    returns: "string",
    impl: ([s, re, rw]) => compileRegex(re as string).replace(s as string, rw as string),
  }],
});

// The deprecated replace() takes (regex, rewrite, source).
defineScalar({
  name: "replace",
  nulls: "propagate",
  overloads: [{
    params: ["string", "string", "string"],
    returns: "string",
    impl: ([re, rw, s]) => compileRegex(re as string).replace(s as string, rw as string),
  }],
});

// trim family: remove all leading / trailing matches of the regex (trim("--", "--a--") == "a").
function trimStart(pattern: string, s: string): string {
  const m = compileRegex(`^(?:${pattern})+`).exec(s);
  return m ? s.slice(m.end) : s;
}
function trimEnd(pattern: string, s: string): string {
  const m = compileRegex(`(?:${pattern})+$`).exec(s);
  return m ? s.slice(0, m.start) : s;
}

defineScalar({
  name: "trim_start",
  nulls: "propagate",
  overloads: [{ params: ["string", "string"], returns: "string", impl: ([re, s]) => trimStart(re as string, s as string) }],
});
defineScalar({
  name: "trim_end",
  nulls: "propagate",
  overloads: [{ params: ["string", "string"], returns: "string", impl: ([re, s]) => trimEnd(re as string, s as string) }],
});
defineScalar({
  name: "trim",
  nulls: "propagate",
  overloads: [{
    params: ["string", "string"],
    returns: "string",
    impl: ([re, s]) => trimEnd(re as string, trimStart(re as string, s as string)),
  }],
});

/** Plain occurrences may overlap ("aaaa" has "aa" 3 times); regex matches do not. */
function countOf(source: string, search: string, kind: string): number {
  if (kind === "regex") {
    const re = compileRegex(search);
    const matches = re.matchAll(source);
    // countof-function.md's examples all match text; whether empty matches count (and which: RE2 and .NET differ
    // after a match, "aaa" with a* is 1 or 2) is not documented.
    if (re.test("") || matches.some((m) => m.start === m.end)) throw new KqlError("unsupported", `unsupported: countof() with a regex matching empty text (${JSON.stringify(search)})`);
    return matches.length;
  }
  if (kind !== "normal") throw new KqlError("runtime", `countof(): kind must be "normal" or "regex", not ${JSON.stringify(kind)}`);
  if (search.length === 0) throw new KqlError("unsupported", "unsupported: countof() of an empty search string (undocumented)");
  let n = 0;
  for (let i = source.indexOf(search); i >= 0; i = source.indexOf(search, i + 1)) n++;
  return n;
}

defineScalar({
  name: "countof",
  nulls: "propagate",
  overloads: [
    { params: ["string", "string"], returns: "long", impl: ([s, q]) => countOf(s as string, q as string, "normal") },
    { params: ["string", "string", "string"], returns: "long", impl: ([s, q, k]) => countOf(s as string, q as string, k as string) },
  ],
});

