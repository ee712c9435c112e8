// regex.md documents Kusto's regex syntax (class set operations, nested classes, \< \> \b{…} assertions, flags
// x R u, \u escapes, Unicode \d \w \s \b). RE2, which compiles the patterns, reads those differently; the engine
// used to answer with RE2's reading (e.g. "a" matches regex "[a-y&&xyz]" was true: regex.md's class is {x, y}).
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { errorOf } from "../operators-util.js";

const one = (q: string) => (runQuery(q) as { rows: unknown[][] }).rows[0];
const refused = (q: string) => {
  const e = errorOf(q);
  expect(e.kind, q).toBe("unsupported");
  return e.message;
};

describe("syntax regex.md defines and RE2 reads differently is refused with line:col", () => {
  it("class set operations and nested classes (RE2: literal '&', '-', '~', '[')", () => {
    for (const re of ["[a-y&&xyz]", "[0-9&&[^4]]", "[0-9--4]", "[a-g~~b-h]", "[a&&b]", "[x[^xyz]]"]) {
      expect(refused(`print "a" matches regex @"${re}"`)).toMatch(/character class .* at 1:\d+$|nested character class .* at 1:\d+$/);
    }
  });
  it("word-boundary assertions \\< \\> \\b{start} (RE2: literal '<', '>', '{start}')", () => {
    for (const re of ["\\<\\w+", "\\w+\\>", "\\b{start}\\w", "ab\\b{end-half}"]) {
      expect(refused(`print extract(@"${re}", 0, "hello world")`)).toMatch(/word-boundary assertion/);
    }
  });
  it("flags x, R, u and \\u escapes (RE2 rejects them; Kusto accepts them)", () => {
    for (const re of ["(?x) a b", "(?mR)^b$", "(?-u:\\b).+", "\\u0041", "[\\u{41}]", "\\U00000041", "\\Qa.b\\E"]) {
      expect(refused(`print extract(@"${re}", 0, "A b")`)).toMatch(/flag group|escape/);
    }
  });
  it("\\d \\w \\s \\b over text holding a character the Unicode (regex.md) and ASCII (RE2) classes read differently", () => {
    expect(refused(`datatable(s:string)["٣"] | where s matches regex @"^\\d$"`)).toMatch(/\\d over text .* at 1:\d+$/);
    expect(refused(`datatable(s:string)["é"] | extend x = extract(@"\\w+", 0, s)`)).toMatch(/\\w \/ \\b over text/);
    expect(refused(`print "x-é" matches regex @"x\\b"`)).toMatch(/\\w \/ \\b over text/);
    expect(refused(`print replace_regex("a\\u000bb", @"\\s", "_")`)).toMatch(/\\s over text/); // U+000B: Unicode space only
    expect(refused(`print replace_regex("a\\u00a0b", @"\\S+", "_")`)).toMatch(/\\s over text/);
  });
  it("other non-ASCII text leaves those classes alone (both readings agree on it)", () => {
    // é is no digit and no space; 😀 no word character: \d, \s and \w answer.
    expect(one(`print extract(@"\\d+", 0, "café 123"), replace_regex("é à", @"\\s", "_"), extract(@"\\w+", 0, "😀 ab")`))
      .toEqual(["123", "é_à", "ab"]);
  });
});

describe("what both readings agree on still runs", () => {
  it("Perl classes over ASCII text", () => {
    expect(one(`print extract(@"(\\d+)", 1, "id=42"), replace_regex("a b\\tc", @"\\s", "_"), "x-y" matches regex @"\\bx\\b"`))
      .toEqual(["42", "a_b_c", true]);
  });
  it("a class holding a Perl class and its complement matches everything ([\\s\\S])", () => {
    expect(one(`print extract(@"a[\\s\\S]c", 0, "xaéc")`)).toEqual(["aéc"]);
  });
  it("regex.md's own examples: escapes in classes, POSIX classes, scoped flags", () => {
    // [\[\]] matches [ or ]; [[:alpha:]] is [A-Za-z]; (?i)a+(?-i)b+: a+ matches a or A, b+ only b.
    expect(one(`print a = "[" matches regex @"^[\\[\\]]$", b = extract("[[:alpha:]]+", 0, "12abC3"),
      c = extract("[[:^alpha:]]+", 0, "ab12c"), d = "AAb" matches regex "^(?i)a+(?-i)b+$", e = "AAB" matches regex "^(?i)a+(?-i)b+$"`))
      .toEqual([true, "abC", "12", true, false]);
  });
  it("non-ASCII text without Perl classes", () => {
    expect(one(`print extract(@"[\\p{Greek}[:digit:]]+", 0, "xα1β2y"), "é" matches regex @"^\\pL$"`)).toEqual(["α1β2", true]);
  });
});

describe("'{' outside a counted repetition", () => {
  it("is refused (RE2: a literal; regex.md lists only x{n}, x{n,}, x{n,m}); escaped \\{ and repetitions run", () => {
    expect(refused(`print extract(@'{"id":(\\d+)', 1, '{"id":42}')`)).toMatch(/counted repetition/);
    expect(refused(`print extract(@'a{,2}', 0, 'aa')`)).toMatch(/counted repetition/);
    expect(one(`print extract(@'\\{"id":(\\d{1,3})\\}', 1, '{"id":42}'), extract("a{2,}", 0, "caaat"), extract("a{2}", 0, "aaa")`))
      .toEqual(["42", "aaa", "aa"]);
  });
});
