// String / parsing inputs whose Kusto result is not documented: the engine must refuse them (unsupported)
// rather than answer from a guess. Each block names the guess the engine used to make.
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { errorOf } from "../operators-util.js";

const unsupported = (q: string) => {
  const e = errorOf(q);
  expect(e.kind).toBe("unsupported");
  return e.message;
};
const one = (q: string) => (runQuery(q) as { rows: unknown[][] }).rows[0];

describe("has family with an empty term (was: true)", () => {
  it("refuses has / hasprefix / hassuffix / has_cs of \"\"", () => {
    for (const op of ["has", "!has", "has_cs", "hasprefix", "hassuffix_cs"]) {
      expect(unsupported(`datatable(s:string)["abc"] | where s ${op} ""`)).toMatch(/empty string as the term/);
    }
  });
  it("has_any / has_all decide without the empty term where another term settles the answer", () => {
    expect(one(`print a = "abc def" has_any ("", "def"), b = "abc" has_all ("", "x")`)).toEqual([true, false]);
    expect(unsupported(`print a = "abc" has_any ("", "x")`)).toMatch(/has_any/);
    expect(unsupported(`print a = "abc" has_all ("", "abc")`)).toMatch(/has_all/);
  });
  it("contains / startswith an empty string stay true (.NET IndexOf / StartsWith)", () => {
    expect(one(`print a = "abc" contains "", b = "abc" startswith "", c = "" endswith ""`)).toEqual([true, true, true]);
  });
});

describe("url_decode / parse_urlquery / parse_url", () => {
  it("refuses %uXXXX (was: left as written; HttpUtility.UrlDecode decodes it)", () => {
    expect(unsupported(`print url_decode("%u0041")`)).toMatch(/%uXXXX/);
    expect(one(`print url_decode("100%25 %zz")`)).toEqual(["100% %zz"]);
  });
  it("refuses repeated keys (was: last wins), escapes (was: decoded) and a leading '?' (was: key \"?a\")", () => {
    expect(unsupported(`print parse_urlquery("a=1&a=2")`)).toMatch(/repeating the parameter 'a'/);
    expect(unsupported(`print parse_url("https://h/p?q=a%20b")`)).toMatch(/URL-decodes/);
    expect(unsupported(`print parse_urlquery("q=a+b")`)).toMatch(/URL-decodes/);
    expect(unsupported(`print parse_urlquery("?a=1")`)).toMatch(/'\?'/);
  });
});

describe("parse_json of text that is not strict JSON", () => {
  it("refuses text a lenient reader would parse (was: returned as a string)", () => {
    for (const t of [`{'a':1}`, `{a:1}`, `[1,2,]`, `NaN`, `'x'`, `{"a":1 /* c */}`, `{"a":"line\nbreak"}`]) {
      expect(unsupported(`print parse_json(${JSON.stringify(t)})`)).toMatch(/lenient/);
    }
  });
  it("refuses numbers beyond a real (was: Infinity)", () => {
    expect(unsupported(`print parse_json("[1e400]")`)).toMatch(/beyond the range of a real/);
  });
  it("still returns other malformed text as a string", () => {
    expect(one(`print parse_json("[INFO] started"), parse_json("not json {"), parse_json("[1,")`)).toEqual(["[INFO] started", "not json {", "[1,"]);
  });
});

describe("positions in text beyond U+FFFF", () => {
  it("refuses substring/indexof/reverse of such text (was: UTF-16 positions, a lone surrogate from substring)", () => {
    for (const q of [`substring("abc😀", 3, 1)`, `indexof("😀abc", "a")`, `reverse("😀x")`, `indexof_regex("😀a", "a")`]) {
      expect(unsupported(`print ${q}`)).toMatch(/beyond U\+FFFF/);
    }
    expect(one(`print strlen("😀abc"), substring("héllo", 1, 2), reverse("äb")`)).toEqual([4, "él", "bä"]);
  });
});

describe("in~ with a dynamic left side", () => {
  it("refuses non-string values (was: matched by text, while =~ answered false for the same pair)", () => {
    expect(unsupported(`datatable(d:dynamic)[dynamic(true)] | where d in~ ("TRUE")`)).toMatch(/in~ of a dynamic non-string/);
    expect(unsupported(`datatable(d:dynamic)[dynamic(null)] | where d !in~ ("", "x")`)).toMatch(/dynamic null/);
  });
  it("still matches dynamic strings, and null against a set without \"\"", () => {
    const r = runQuery(`datatable(d:dynamic)[dynamic("Str"), dynamic(null)] | extend a = d in~ ("STR"), b = d !in~ ("x")`) as { rows: unknown[][] };
    expect(r.rows.map((x) => x.slice(1))).toEqual([[true, true], [false, true]]);
  });
});

describe("parse-kv", () => {
  it("refuses keys differing from a requested one only in case (was: exact match only)", () => {
    expect(unsupported(`print s="Key: v1, key: v2" | parse-kv s as (key:string) with (pair_delimiter=",", kv_delimiter=":")`)).toMatch(/only in case/);
    expect(unsupported(`print s="ID=5" | parse-kv s as (id:long)`)).toMatch(/only in case/);
  });
  it("without delimiters, refuses unquoted values with non-alphanumeric characters (was: value up to whitespace/,/;)", () => {
    expect(unsupported(`print s="user=bob, ip=1.2.3.4" | parse-kv s as (user:string, ip:string)`)).toMatch(/1\.2\.3\.4/);
    expect(one(`print s="user=bob, n=42" | parse-kv s as (user:string, n:long) | project user, n`)).toEqual(["bob", 42]);
  });
});

describe("parse (simple / relaxed) typed captures", () => {
  it("refuses readings the page does not settle (were: 1500, 1, true, 1 and 1)", () => {
    expect(unsupported(`print s="v=1.5e3" | parse s with "v=" n:real`)).toMatch(/'1\.5e3' as real/);
    expect(unsupported(`print s="v=1. x" | parse s with "v=" n:real " x"`)).toMatch(/'1\.' as real/);
    expect(unsupported(`print s="v=1" | parse s with "v=" b:bool`)).toMatch(/bool/);
    expect(unsupported(`print s="v=1.5" | parse s with "v=" n:long`)).toMatch(/followed by unmatched text/);
    expect(unsupported(`print s="v=1.5 x" | parse kind=relaxed s with "v=" n:long " x"`)).toMatch(/relaxed/);
  });
  it("keeps the readings the page shows", () => {
    expect(one(`print s="v=-12 x=2.5 b=true" | parse s with "v=" n:long " x=" r:real " b=" b:bool | project n, r, b`)).toEqual([-12, 2.5, true]);
    expect(one(`print s="v=abc x" | parse kind=relaxed s with "v=" n:long " x" | project n`)).toEqual([null]);
  });
});

describe("replace_regex rewrite escapes", () => {
  it("refuses a backslash not followed by a digit or backslash (was: kept literally; RE2 rejects it)", () => {
    expect(unsupported(`print replace_regex("abc", "b", @"\\n")`)).toMatch(/invalid in RE2/);
    expect(unsupported(`print replace_regex("abc", "b", @"x\\")`)).toMatch(/invalid in RE2/);
    expect(one(`print replace_regex("a.b", @"\\.", @"\\\\"), replace_regex("abc", "(b)", @"[\\1]")`)).toEqual(["a\\b", "a[b]c"]);
  });
});

describe("translate with a repeated search character", () => {
  it("refuses different replacements for it (was: the first won)", () => {
    expect(unsupported(`print translate("aa", "xy", "a")`)).toMatch(/listed twice/);
    expect(one(`print translate("aa", "xx", "ab"), translate("krasp", "otsku", "spark")`)).toEqual(["xb", "kusto"]);
  });
});
