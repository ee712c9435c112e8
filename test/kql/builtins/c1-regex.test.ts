// Regex functions (RE2 dialect). Expected values: extract-function.md, extract-all-function.md,
// replace-regex-function.md, countof-function.md, trim-function.md (+ trim-start/trim-end), and the RE2 rules for
// successive matches (empty matches abutting a previous match are skipped).
import { describe, expect, it } from "vitest";
import { compileRegex, compileRegexForTest } from "../../../src/kql/builtins/regex.js";
import { KqlError } from "../../../src/kql/api.js";
import { call } from "./c1-helpers.js";

const GUID = "82b8be2d-dfa7-4bd1-8f63-24ad26d31449";

describe("extract", () => {
  it("documented examples", () => {
    expect(call("extract", ["User: ([^,]+)", 1, "User: JohnDoe, Email: johndoe@example.com, Age: 29"])).toBe("JohnDoe");
    for (const [date, month] of [["15-12-2024", 12], ["21-07-2023", 7], ["10-03-2022", 3]] as const) {
      expect(call("extract", ["-(\\d{2})-", 1, date, "int"])).toBe(month);
    }
  });
  it("no match: empty string, or null with a type", () => {
    expect(call("extract", ["x(\\d+)", 1, "abc"])).toBe("");
    expect(call("extract", ["x(\\d+)", 1, "abc", "long"])).toBeNull();
    expect(call("extract", ["x(\\w+)", 1, "xabc", "long"])).toBeNull();
    expect(call("extract", ["(\\d+)", 0, "ab 42 cd"])).toBe("42");
  });
  it("supports RE2 inline flags and named groups", () => {
    expect(call("extract", ["(?i)user=(\\w+)", 1, "USER=Bob"])).toBe("Bob");
    expect(call("extract", ["(?P<n>\\d+)-(?P<m>\\d+)", 2, "10-20"])).toBe("20");
  });
  it("rejects constructs RE2 does not support, with a clear error", () => {
    expect(() => call("extract", ["(?<=a)b", 0, "ab"])).toThrow(KqlError);
    expect(() => call("extract", ["(a)\\1", 0, "aa"])).toThrow(/RE2/);
  });
});

describe("extract_all", () => {
  it("documented examples", () => {
    expect(call("extract_all", ["(\\d+)", "a set of numbers: 123, 567 and 789"])).toEqual(["123", "567", "789"]);
    expect(call("extract_all", ["([\\da-f]{2})", GUID])).toEqual(
      ["82", "b8", "be", "2d", "df", "a7", "4b", "d1", "8f", "63", "24", "ad", "26", "d3", "14", "49"]);
    expect(call("extract_all", ["(\\w)(\\w+)(\\w)", GUID])).toEqual(
      [["8", "2b8be2", "d"], ["d", "fa", "7"], ["4", "bd", "1"], ["8", "f6", "3"], ["2", "4ad26d3144", "9"]]);
    expect(call("extract_all", ["(\\w)(\\w+)(\\w)", [1, 3], GUID])).toEqual(
      [["8", "d"], ["d", "7"], ["4", "1"], ["8", "3"], ["2", "9"]]);
    expect(call("extract_all", ["(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)", ["first", 2, "last"], GUID])).toEqual(
      [["8", "2b8be2", "d"], ["d", "fa", "7"], ["4", "bd", "1"], ["8", "f6", "3"], ["2", "4ad26d3144", "9"]]);
  });
  it("is null when nothing matches", () => {
    expect(call("extract_all", ["(\\d+)", "none"])).toBeNull();
  });
});

describe("replace_regex", () => {
  it("documented example: \\1 refers to a capture group", () => {
    for (let x = 1; x <= 5; x++) {
      expect(call("replace_regex", [`Number is ${x}.000000`, "is (\\d+)", "was: \\1"])).toBe(`Number was: ${x}.000000`);
    }
  });
  it("\\0 is the whole match and matches don't overlap", () => {
    expect(call("replace_regex", ["aaa", "aa", "<\\0>"])).toBe("<aa>a");
  });
  it("empty matches follow RE2 (an empty match right after a match is skipped)", () => {
    expect(call("replace_regex", ["baaac", "a*", "-"])).toBe("-b-c-");
    expect(call("replace_regex", ["abc", "", "-"])).toBe("-a-b-c-");
  });
  it("the deprecated replace() takes (regex, rewrite, source)", () => {
    expect(call("replace", ["is (\\d+)", "was: \\1", "Number is 1"])).toBe("Number was: 1");
  });
});

describe("countof (countof-function.md)", () => {
  it("documented examples", () => {
    expect(call("countof", ["aaa", "a"])).toBe(3);
    expect(call("countof", ["aaaa", "aa"])).toBe(3);
    expect(call("countof", ["ababa", "ab", "normal"])).toBe(2);
    expect(call("countof", ["ababa", "aba"])).toBe(2);
    expect(call("countof", ["ababa", "aba", "regex"])).toBe(1);
    expect(call("countof", ["abcabc", "a.c", "regex"])).toBe(2);
  });
});

describe("trim family (trim-function.md, trim-start-function.md, trim-end-function.md)", () => {
  it("documented examples", () => {
    expect(call("trim", ["--", "--https://bing.com--"])).toBe("https://bing.com");
    for (let x = 1; x <= 5; x++) expect(call("trim", ["[^\\w]+", `-  Te st${x}// $`])).toBe(`Te st${x}`);
    expect(call("trim", ["\\s+", "    Hello, world!    "])).toBe("Hello, world!");
    expect(call("trim_start", ["--", "--https://bing.com--"])).toBe("https://bing.com--");
    expect(call("trim_start", ["https://", "https://bing.com"])).toBe("bing.com");
    expect(call("trim_start", ["[^\\w]+", "-  Te st1// $"])).toBe("Te st1// $");
    expect(call("trim_start", ["\\s+", "    Hello, world!    "])).toBe("Hello, world!    ");
    expect(call("trim_end", ["--", "--https://bing.com--"])).toBe("--https://bing.com");
  });
  it("leaves text without leading/trailing matches alone", () => {
    expect(call("trim", ["x", "axb"])).toBe("axb");
    expect(call("trim_start", ["a|ab", "abab"])).toBe("bab");
  });
});

describe("compileRegex", () => {
  it("caches compiled patterns and exposes groups", () => {
    const a = compileRegex("(?P<y>\\d{4})-(\\d{2})");
    expect(compileRegex("(?P<y>\\d{4})-(\\d{2})")).toBe(a);
    expect(a.groupCount).toBe(2);
    expect(a.namedGroups).toEqual({ y: 1 });
    expect(a.exec("on 2024-05!")).toEqual({ start: 3, end: 10, groups: ["2024-05", "2024", "05"] });
    expect(a.split("x2024-05y2025-11z")).toEqual(["x", "y", "z"]);
  });
  it("is RE2, not JavaScript: $ is end of text, . excludes newline; \\d beyond ASCII refused", () => {
    // regex.md: \d is \p{Nd} in Kusto, ASCII in RE2 — refused off ASCII (regex-dialect.ts), same on ASCII.
    expect(() => compileRegex("^\\d$").test("٣")).toThrow(/unsupported/);
    expect(compileRegex("^\\d$").test("7")).toBe(true);
    expect(compileRegex("a$").test("a\nb")).toBe(false);
    expect(compileRegex("(?m)a$").test("a\nb")).toBe(true);
    expect(compileRegex("a.b").test("a\nb")).toBe(false);
    expect(compileRegex("(?s)a.b").test("a\nb")).toBe(true);
  });
});

describe("JS fast path agrees with re2js (differential)", () => {
  // Patterns of the kinds Sentinel queries use, plus edge cases of the translator's subset.
  const patterns = [
    "(\\d+)", "([\\da-f]{2})", "(\\w)(\\w+)(\\w)", "(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)",
    "(([\\d]{1,3}\\.){3}[\\d]{1,3})", "Se(.*?)Privilege", "(?i)powershell.*-enc", "(?i)user=(\\w+)",
    "^\\s*$", "a.c", "(?s)a.c", "[^\\w]+", "\\s+", "--", "a*", "", "(a|ab)(c|bcd)(d*)", "(?:(a)|b)+",
    "(a*)*", "x(\\d+)?y", "\\bcmd\\b", "(?i)\\bcmd\\b", "[[:alpha:]]+[[:digit:]]", "\\x41\\x{263a}", "[\\-\\]x]+",
    "\\.exe$", "^C:\\\\Windows\\\\", "[A-Z]{2,}", "(?i)[a-z]+", "é+", ".{2}", "\\$\\(", "a{0}b", "(ab){2,3}?",
    "[^\\n]*\\n", "\\Aab|cd\\z", "(?P<ip>\\d+\\.\\d+\\.\\d+\\.\\d+)(:(?P<port>\\d+))?",
  ];
  const alphabet = ["a", "b", "c", "d", "A", "B", "1", "2", "9", ".", "-", "=", " ", "\n", "\r", "é", "ſ", "\u212a",
    "😀", "\\", "$", "(", "x", "y", "_", "k", "s", "S", "cmd", "Se", "Privilege", "user=", "powershell", "-enc", "C:\\Windows\\", ".exe", "10.0.0.1:80"];
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const text = () => Array.from({ length: rnd(10) }, () => alphabet[rnd(alphabet.length)]).join("");
  it("test / exec / matchAll / replace give identical results", () => {
    let jsTests = 0;
    for (const p of patterns) {
      const fast = compileRegexForTest(p, "auto");
      const slow = compileRegexForTest(p, "re2js");
      if (fast.engines.test === "js") jsTests++;
      for (let k = 0; k < 300; k++) {
        const s = text();
        const where = `${JSON.stringify(p)} on ${JSON.stringify(s)}`;
        expect(fast.test(s), where).toBe(slow.test(s));
        expect(fast.matchAll(s), where).toEqual(slow.matchAll(s));
        const second = s.length ? (s.codePointAt(0)! > 0xffff ? 2 : 1) : 0; // a code-point boundary
        expect(fast.exec(s, second), where).toEqual(slow.exec(s, second));
        if (fast.groupCount >= 1) expect(fast.replace(s, "<\\1>"), where).toBe(slow.replace(s, "<\\1>"));
      }
    }
    expect(jsTests).toBeGreaterThanOrEqual(patterns.length - 3);
  });
  it("falls back to re2js for constructs outside the subset", () => {
    for (const p of ["(?m)^a$", "(?i:a)b", "a(?i)b", "\\pL+", "\\Qa.b\\E", "(?U)a+"]) {
      const r = compileRegexForTest(p, "auto");
      expect(r.engines.test, p).toBe("re2js");
    }
    expect(compileRegexForTest("(?:(a)|b)+", "auto").engines).toEqual({ test: "js", exec: "re2js" });
  });
});

describe("JS fast path: seeded differential fuzz against re2js", () => {
  // Random patterns over the translator's subset (nested groups, alternation, greedy/lazy quantifiers with zero
  // minimums, assertions, (?i)/(?s)) on random texts with case-folding traps (ſ, K, É) and astral characters.
  let a = 20261128;
  const rand = () => { a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const rnd = (n: number) => Math.floor(rand() * n);
  const atoms = ["a", "b", "A", ".", "\\d", "\\w", "\\s", "\\W", "[ab]", "[^a]", "[a-c]", "[A-Z]", "\\.", "é", "É", "[[:alpha:]]", "k", "s", "ſ", "^", "$", "\\b", "[\\w-]", "\\x{212a}", "\\A", "\\z"];
  const quants = ["", "", "", "*", "+", "?", "{2}", "{1,2}", "*?", "+?", "??", "{0,1}", "{0}", "{2,}"];
  const gen = (depth: number): string => {
    let out = "";
    for (let i = 0, n = 1 + rnd(3); i < n; i++) {
      const r = rnd(10);
      const atom = depth < 2 && r < 2 ? `(${gen(depth + 1)})` : depth < 2 && r < 3 ? `(?:${gen(depth + 1)})`
        : depth < 2 && r < 4 ? `(${gen(depth + 1)}|${gen(depth + 1)})` : atoms[rnd(atoms.length)]!;
      out += atom + (["^", "$", "\\b", "\\A", "\\z"].includes(atom) ? "" : quants[rnd(quants.length)]!);
    }
    return out;
  };
  const alphabet = ["a", "b", "A", "B", "c", "1", ".", " ", "\n", "\r", "é", "É", "ſ", "\u212a", "k", "K", "S", "s", "😀", "_", "-"];
  const text = () => Array.from({ length: rnd(9) }, () => alphabet[rnd(alphabet.length)]).join("");
  it("600 patterns x 20 texts", () => {
    let viaJs = 0;
    for (let k = 0; k < 600; k++) {
      const p = (rnd(3) === 0 ? "(?i)" : rnd(6) === 0 ? "(?s)" : "") + gen(0);
      const fast = compileRegexForTest(p, "auto"), slow = compileRegexForTest(p, "re2js");
      if (fast.engines.test === "js") viaJs++;
      for (let j = 0; j < 20; j++) {
        const s = text();
        const from = s.length === 0 ? 0 : s.codePointAt(0)! > 0xffff ? 2 : 1;
        expect([fast.test(s), fast.matchAll(s), fast.exec(s, from)], `${JSON.stringify(p)} on ${JSON.stringify(s)}`)
          .toEqual([slow.test(s), slow.matchAll(s), slow.exec(s, from)]);
      }
    }
    expect(viaJs).toBeGreaterThan(480);
  });
});
