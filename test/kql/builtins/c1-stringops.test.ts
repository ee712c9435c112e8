// String operators. Expected values come from the KQL reference, "String operators"
// (data-explorer/kusto/query/datatypes-string-operators.md): every "Example (yields true)" of its table is
// asserted, plus term-boundary cases derived from its definition of a term ("maximal sequences of ASCII
// alphanumeric characters"), e.g. `Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun`.
import { describe, expect, it } from "vitest";
import {
  STRING_OPERATORS, compileSetPredicate, compileStringPredicate, has, hasAll, hasAny, hasCs, hasPrefix,
  hasSuffix, inSet, inSetCi, lowerInvariant, terms,
} from "../../../src/kql/builtins/stringops.js";

// [left, operator, right] triples the docs' table says yield true.
const DOC_TRUE: [string, string, string][] = [
  ["aBc", "==", "aBc"], ["abc", "!=", "ABC"], ["abc", "=~", "ABC"], ["aBc", "!~", "xyz"],
  ["FabriKam", "contains", "BRik"], ["Fabrikam", "!contains", "xyz"], ["FabriKam", "contains_cs", "Kam"],
  ["Fabrikam", "!contains_cs", "Kam"], ["Fabrikam", "endswith", "Kam"], ["Fabrikam", "!endswith", "brik"],
  ["Fabrikam", "endswith_cs", "kam"], ["Fabrikam", "!endswith_cs", "brik"],
  ["North America", "has", "america"], ["North America", "!has", "amer"],
  ["North America", "has_cs", "America"], ["North America", "!has_cs", "amer"],
  ["North America", "hasprefix", "ame"], ["North America", "!hasprefix", "mer"],
  ["North America", "hasprefix_cs", "Ame"], ["North America", "!hasprefix_cs", "CA"],
  ["North America", "hassuffix", "ica"], ["North America", "!hassuffix", "americ"],
  ["North America", "hassuffix_cs", "ica"], ["North America", "!hassuffix_cs", "icA"],
  ["Fabrikam", "matches regex", "b.*k"], ["Fabrikam", "startswith", "fab"], ["Fabrikam", "!startswith", "kam"],
  ["Fabrikam", "startswith_cs", "Fab"], ["Fabrikam", "!startswith_cs", "fab"],
];

describe("string operators: the documented examples", () => {
  for (const [l, op, r] of DOC_TRUE) {
    it(`"${l}" ${op} "${r}" is true`, () => {
      expect(STRING_OPERATORS[op]!(l, r)).toBe(true);
      expect(compileStringPredicate(op, r)!(l)).toBe(true);
    });
  }
  it("set operators (in, !in, in~, !in~, has_any, has_all)", () => {
    expect(inSet("abc", ["123", "345", "abc"])).toBe(true);
    expect(inSet("bca", ["123", "345", "abc"])).toBe(false);
    expect(inSetCi("Abc", ["123", "345", "abc"])).toBe(true);
    expect(inSetCi("bCa", ["123", "345", "ABC"])).toBe(false);
    expect(hasAny("North America", ["south", "north"])).toBe(true);
    expect(hasAll("North and South America", ["south", "north"])).toBe(true);
    expect(hasAll("North America", ["south", "north"])).toBe(false);
    expect(compileSetPredicate("in~", ["123", "345", "abc"])!("Abc")).toBe(true);
    expect(compileSetPredicate("!in", ["123", "345", "abc"])!("bca")).toBe(true);
  });
});

describe("has: whole terms", () => {
  const text = "Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun";
  it("splits text into maximal ASCII alphanumeric runs", () => {
    expect(terms(text)).toEqual(["Kusto", "ad67d136", "c1db", "4f9f", "88ef", "d94f3b6b0b5a", "KustoExplorerQueryRun"]);
  });
  it("matches every term, case-insensitively, and nothing that is only part of a term", () => {
    for (const t of terms(text)) expect(has(text, t.toUpperCase())).toBe(true);
    expect(has(text, "Explorer")).toBe(false);
    expect(has(text, "ad67")).toBe(false);
    expect(has(text, "d94f3b6b0b5")).toBe(false);
    expect(hasCs(text, "kusto")).toBe(false);
    expect(hasCs(text, "Kusto")).toBe(true);
  });
  it("matches a needle with separators as a phrase of terms", () => {
    expect(has(text, "c1db-4f9f")).toBe(true);
    expect(has(text, "1db-4f9f")).toBe(false);
    expect(has(text, "c1db-4f9")).toBe(false);
    expect(has("a.b.c", "b.c")).toBe(true);
    expect(has("cmd.exe /c whoami", "cmd.exe")).toBe(true);
    expect(has("xcmd.exe", "cmd.exe")).toBe(false);
    expect(has("North America", "north america")).toBe(true);
  });
  it("treats underscore as a separator", () => {
    expect(has("my_var", "var")).toBe(true);
  });
  it("refuses an answer that hinges on a non-ASCII letter at a term boundary", () => {
    // Older pages say terms are runs of "ASCII alphanumeric" characters, the current one "alphanumeric".
    expect(() => has("caféteria", "teria")).toThrow(/unsupported: has-family term boundary at the non-ASCII character 'é'/);
    expect(() => compileStringPredicate("has", "teria")!("caféteria")).toThrow(/unsupported/);
    expect(() => compileSetPredicate("has_any", ["teria", "zzz"])!("caféteria")).toThrow(/unsupported/);
    expect(() => hasPrefix("naïve", "ve")).toThrow(/unsupported/);
    expect(() => has("xüber", "über")).toThrow(/unsupported/); // the needle itself starts with one
    // Either reading gives the same answer: no refusal.
    expect(has("café teria", "teria")).toBe(true);
    expect(has("caféteria teria", "teria")).toBe(true);
    expect(has("über straße", "straße")).toBe(true);
    expect(has("caféteria", "fet")).toBe(false);
    expect(STRING_OPERATORS["contains"]!("caféteria", "teria")).toBe(true);
  });
  it("finds a later occurrence when the first one is inside a longer term", () => {
    expect(has("americas america", "america")).toBe(true);
    expect(hasPrefix("xame ame", "ame")).toBe(true);
    expect(hasSuffix("icax ica", "ica")).toBe(true);
  });
  it("hasprefix / hassuffix anchor only one side", () => {
    expect(hasPrefix("North America", "Amer")).toBe(true);
    expect(hasPrefix("North America", "meri")).toBe(false);
    expect(hasSuffix("North America", "rica")).toBe(true);
    expect(hasSuffix("North America", "Americ")).toBe(false);
    expect(hasSuffix("powershell.exe", "shell.exe")).toBe(true);
  });
  it("empty haystack has nothing but the empty needle", () => {
    expect(has("", "a")).toBe(false);
    expect(STRING_OPERATORS["!has"]!("", "a")).toBe(true);
  });
  it("has_any with many single-term needles uses the term set and agrees with has", () => {
    const needles = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];
    const f = compileSetPredicate("has_any", needles)!;
    for (const s of ["x ZETA y", "zetas", "alpha-beta", "", "epsilon_1", "deltax delta"]) {
      expect(f(s)).toBe(needles.some((n) => has(s, n)));
    }
    expect(f("x ZETA y")).toBe(true);
    expect(f("zetas")).toBe(false);
  });
});

describe("case folding", () => {
  it("is length-preserving (invariant culture maps one UTF-16 unit to one)", () => {
    expect(lowerInvariant("İstanbul")).toBe("istanbul");
    expect(STRING_OPERATORS["=~"]!("ÄÖÜ", "äöü")).toBe(true);
    expect(STRING_OPERATORS["=="]!("ÄÖÜ", "äöü")).toBe(false);
  });
});

describe("constant-needle fast paths agree with the general operators", () => {
  // Seeded pseudo-random texts over an alphabet with separators, mixed case and the characters whose invariant
  // lower-case form is ASCII (U+0130, U+212A), compared operator by operator.
  const alphabet = ["a", "B", "i", "I", "k", "K", "\u0130", "\u212a", "ß", "é", "1", " ", ".", "-", "_", "\\", "(", "$"];
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const text = (max: number) => Array.from({ length: rnd(max) }, () => alphabet[rnd(alphabet.length)]).join("");
  const ops = Object.keys(STRING_OPERATORS).filter((op) => !op.includes("regex"));
  // A refusal (non-ASCII letter at a term boundary) must be reached by both paths alike.
  const outcome = (f: () => boolean): boolean | string => {
    try { return f(); } catch (e) { return e instanceof Error && /unsupported/.test(e.message) ? "unsupported" : String(e); }
  };
  it("for single operators", () => {
    for (let k = 0; k < 400; k++) {
      const needle = text(4);
      const preds = ops.map((op) => [op, compileStringPredicate(op, needle)!] as const);
      for (let j = 0; j < 25; j++) {
        const hay = text(12);
        for (const [op, p] of preds) expect(outcome(() => p(hay)), `${JSON.stringify(hay)} ${op} ${JSON.stringify(needle)}`).toBe(outcome(() => STRING_OPERATORS[op]!(hay, needle)));
      }
    }
  });
  it("for has_any / has_all / in~", () => {
    for (let k = 0; k < 300; k++) {
      const set = Array.from({ length: rnd(4) }, () => text(4));
      const any = compileSetPredicate("has_any", set)!, all = compileSetPredicate("has_all", set)!, ci = compileSetPredicate("in~", set)!;
      for (let j = 0; j < 20; j++) {
        const hay = text(10);
        expect(outcome(() => any(hay))).toBe(outcome(() => hasAny(hay, set)));
        expect(outcome(() => all(hay))).toBe(outcome(() => hasAll(hay, set)));
        expect(outcome(() => ci(hay))).toBe(outcome(() => inSetCi(hay, set)));
      }
    }
  });
  it("K (Kelvin) and İ against k and i are refused: lower- and upper-case folding disagree on them", () => {
    expect(outcome(() => compileStringPredicate("has", "kit")!("\u212a\u0130T"))).toBe("unsupported");
    expect(outcome(() => has("\u212a\u0130T", "kit"))).toBe("unsupported");
    // Needles without i/k/s cannot meet those characters' classes: no refusal.
    expect(compileStringPredicate("has", "bar")!("\u212a bar")).toBe(true);
  });
});
