// Wrong-answer hunt A (scalar functions): inputs whose Kusto result the docs do not settle are refused with an
// `unsupported` error naming the construct, and the documented neighbours of each refused class still answer.
// Expected values are derived by hand from the cited pages.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { formatJson } from "../../../src/kql/format.js";
import { errorOf } from "../operators-util.js";

const rows = (q: string) => (JSON.parse(formatJson(runQuery(q))) as { rows: unknown[][] }).rows;

describe("format_datetime / format_timespan F elements (format-datetime-function.md, format-timespan-function.md)", () => {
  test("an F run that prints nothing right after '.' is refused (.NET drops the '.', the pages do not say)", () => {
    const e = errorOf(`print format_datetime(datetime(2024-01-01 00:00:05), "ss.FFF")`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/format_datetime: '\.FFF' with a zero fraction/);
    expect(errorOf(`print format_timespan(1h, "hh:mm.FF")`).kind).toBe("unsupported");
  });
  test("non-zero fractions, and zero fractions after other delimiters, still format", () => {
    // ".5000000" with FFF → "5" (trailing zeros trimmed); a zero fraction after ' ' prints nothing.
    expect(rows(`print a = format_datetime(datetime(2024-01-01 00:00:05.5), "ss.FFF"), b = format_datetime(datetime(2024-01-01 00:00:05), "ss FFF"),
                       c = format_timespan(time(00:00:05.25), "ss.FFF")`)).toEqual([["05.5", "05 ", "05.25"]]);
  });
});

describe("format_timespan of a negative interval", () => {
  test("is refused: the page shows positive intervals only", () => {
    const e = errorOf(`print format_timespan(-1h, "hh:mm")`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/negative timespan/);
  });
  test("zero and positive intervals format", () => {
    expect(rows(`print a = format_timespan(0s, "d.hh:mm:ss"), b = format_timespan(26h, "d.hh")`)).toEqual([["0.00:00:00", "1.02"]]);
  });
});

describe("IPv4 text with a zero-padded octet", () => {
  test("is refused by the IPv4 functions instead of being taken as no address", () => {
    for (const q of [`print parse_ipv4("010.1.2.3")`, `print ipv4_is_private("192.168.001.1")`, `print ipv4_is_in_range("10.0.0.01", "10.0.0.0/8")`,
      `print parse_ipv4("1.2.3.004/24")`, `print has_ipv4("src=10.00.1.2 dst", "10.0.1.2")`]) {
      const e = errorOf(q);
      expect(e.kind, q).toBe("unsupported");
      expect(e.message, q).toMatch(/zero-padded octet/);
    }
  });
  test("canonical addresses, a lone 0 octet, and addresses beyond 255 are unaffected", () => {
    // 100.200.10.0 = 100·2^24 + 200·2^16 + 10·2^8 = 1690831360; 256.1.1.1 is no address (parse-ipv4-function.md: null).
    expect(rows(`print a = parse_ipv4("100.200.10.0"), b = parse_ipv4("0.0.0.0"), c = parse_ipv4("256.1.1.1"), d = ipv4_is_private("10.0.0.0")`))
      .toEqual([[1690831360, 0, null, true]]);
  });
});

describe("strrep and indexof outside their documented argument ranges", () => {
  test("strrep multipliers outside 1..1024 are refused (strrep-function.md: '1 to 67108864' vs 'repeated 1024 times')", () => {
    for (const m of [0, -1, 1025]) expect(errorOf(`print strrep("ab", ${m})`).kind).toBe("unsupported");
    // 1024 × "ab" joined by "," = 1024·2 + 1023 = 3071 characters.
    expect(rows(`print n = strlen(strrep("ab", 1024, ","))`)).toEqual([[3071]]);
  });
  test("indexof: occurrence 0 and a start before the first character are refused; documented nulls stay", () => {
    expect(errorOf(`print indexof("abc", "b", 0, -1, 0)`).kind).toBe("unsupported");
    expect(errorOf(`print indexof("abc", "b", -4)`).kind).toBe("unsupported");
    // indexof-function.md: null when length < -1 or occurrence < 0; start -3 of "abc" is its first character.
    expect(rows(`print a = indexof("abc", "b", 0, -2), b = indexof("abc", "b", 0, -1, -1), c = indexof("abc", "a", -3)`)).toEqual([[null, null, 0]]);
  });
});

describe("empty search strings and empty regex matches", () => {
  test("countof with an empty search, or a regex matching empty text, and replace_string with an empty lookup are refused", () => {
    for (const q of [`print countof("abc", "")`, `print countof("abc", "x*", "regex")`, `print countof("aaa", "a*", "regex")`,
      `print replace_string("abc", "", "x")`]) {
      expect(errorOf(q).kind, q).toBe("unsupported");
    }
  });
  test("the documented countof table still answers", () => {
    // countof-function.md: plain matches overlap, regex matches don't.
    expect(rows(`print a = countof("aaa", "a"), b = countof("aaaa", "aa"), c = countof("ababa", "ab", "normal"), d = countof("ababa", "aba"),
                       e = countof("ababa", "aba", "regex"), f = countof("abcabc", "a.c", "regex")`)).toEqual([[3, 3, 2, 2, 1, 2]]);
  });
});

describe("text of a decimal", () => {
  test("tostring/strcat of a decimal are refused: .NET keeps the written scale (1.10), the engine holds a double", () => {
    for (const q of [`print tostring(decimal(1.10))`, `print strcat("v", todecimal("3.0"))`]) {
      const e = errorOf(q);
      expect(e.kind, q).toBe("unsupported");
      expect(e.message, q).toMatch(/text of a decimal/);
    }
  });
  test("decimal values themselves, comparisons and gettype still answer", () => {
    expect(rows(`print a = todecimal("2.5") > 2, b = gettype(decimal(1)), c = todecimal("abc")`)).toEqual([[true, "decimal", null]]);
  });
});

describe("array_index_of outside its documented argument combinations", () => {
  test("occurrence 0, a start before the first element, and occurrence > 1 within a bounded length are refused", () => {
    for (const q of [`print array_index_of(dynamic([1,2]), 1, 0, -1, 0)`, `print array_index_of(dynamic([1,2]), 1, -3)`,
      `print array_index_of(dynamic([1,2,1]), 1, 0, 3, 2)`]) {
      expect(errorOf(q).kind, q).toBe("unsupported");
    }
  });
  test("the page's examples and documented nulls still answer", () => {
    // array-index-of-function.md: idx1..idx9 = 2, 3, -1, -1, 3, 4, -1, 4, -1; null for occurrence < 0 or length < -1.
    expect(rows(`let arr=dynamic(["this", "is", "an", "example", "an", "example"]);
      print array_index_of(arr,"an"), array_index_of(arr,"example",1,3), array_index_of(arr,"example",1,2), array_index_of(arr,"is",2,4),
            array_index_of(arr,"example",2,-1), array_index_of(arr, "an", 1, -1, 2), array_index_of(arr, "an", 1, -1, 3),
            array_index_of(arr, "an", -3), array_index_of(arr, "is", -4), array_index_of(arr, "is", 0, -1, -1), array_index_of(arr, "is", 0, -2)`))
      .toEqual([[2, 3, -1, -1, 3, 4, -1, 4, -1, null, null]]);
  });
});

describe("parse_csv of a malformed record", () => {
  test("an unterminated quote, text after a closing quote, or a stray quote is refused", () => {
    for (const q of [`print parse_csv('"a')`, `print parse_csv('"a"b,c')`, `print parse_csv('a"b')`]) {
      expect(errorOf(q).kind, q).toBe("unsupported");
    }
  });
  test("well-formed records parse as documented (parse-csv-function.md)", () => {
    expect(rows(`print parse_csv('aa,"b,b,b",cc,"Escaping quotes: ""Title""","line1\\nline2"'), parse_csv('record1,a,b,c\\nrecord2,x,y,z'), parse_csv('"",x')`))
      .toEqual([[["aa", "b,b,b", "cc", 'Escaping quotes: "Title"', "line1\nline2"], ["record1", "a", "b", "c"], ["", "x"]]]);
  });
});

describe("datetime text with more than 7 fraction digits", () => {
  test("is refused where truncating and rounding to 100 ns differ (todatetime and literals, with line:col)", () => {
    expect(errorOf(`print todatetime("2024-01-02T03:04:05.12345678Z")`).kind).toBe("unsupported");
    const e = errorOf(`print d = datetime(2024-01-02T03:04:05.12345678Z)`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/more than 7 fraction digits.* at 1:11$/);
  });
  test("extra zero digits and up to 7 digits parse exactly", () => {
    expect(rows(`print a = todatetime("2024-01-02T03:04:05.12345670Z"), b = datetime(2024-01-02 03:04:05.1234567)`))
      .toEqual([["2024-01-02T03:04:05.1234567Z", "2024-01-02T03:04:05.1234567Z"]]);
  });
});

describe("timespan × / number between two ticks", () => {
  test("a result between two 100 ns ticks and division by zero are refused, with line:col", () => {
    for (const q of [`print 1h / 7`, `print 1tick * 0.5`, `print 1h / 0`]) {
      const e = errorOf(q);
      expect(e.kind, q).toBe("unsupported");
      expect(e.message, q).toMatch(/timespan (divided|multiplied) by .* at 1:7$/);
    }
  });
  test("whole-tick results are exact (1h / 3 = 20 min, 1d × 1.5 = 36 h, 10 s / 4 = 2.5 s)", () => {
    expect(rows(`print a = 1h / 3, b = 1d * 1.5, c = 10s / 4, d = 1h / -4`)).toEqual([["00:20:00", "1.12:00:00", "00:00:02.5000000", "-00:15:00"]]);
  });
});

describe("bin() with a zero bin size", () => {
  test("is refused for numbers, timespans and datetimes (the page gives null for null or negative sizes only)", () => {
    for (const q of [`print bin(5, 0)`, `print bin(1h, 0s)`, `print bin(datetime(2024-01-01), 0s)`, `print bin_at(5, 0, 1)`,
      `range x from 1 to 2 step 1 | extend b = bin(datetime(2024-01-01 10:30), 1h * (x - 1))`]) {
      const e = errorOf(q);
      expect(e.kind, q).toBe("unsupported");
      expect(e.message, q).toMatch(/bin size of 0/);
    }
  });
});

describe("make_timespan components outside their documented ranges", () => {
  test("hours beyond 0-23, minutes beyond 0-59 or seconds beyond 0-59.9999999 are refused (null or carry-over undocumented)", () => {
    for (const q of [`print make_timespan(25, 0)`, `print make_timespan(1, 60, 0)`, `print make_timespan(0, 0, 60)`, `print make_timespan(-1, 0)`,
      `print make_timespan(2, 24, 0, 0)`]) {
      expect(errorOf(q).kind, q).toBe("unsupported");
    }
  });
  test("in-range components build the timespan; days are unbounded", () => {
    expect(rows(`print a = make_timespan(23, 59), b = make_timespan(1, 2, 59), c = make_timespan(40, 23, 59, 0)`))
      .toEqual([["23:59:00", "01:02:59", "40.23:59:00"]]);
  });
});

describe("ipv4/ipv6_is_in_any_range with unconvertible ranges", () => {
  test("a list mixing valid and unconvertible ranges, or an empty list, is refused", () => {
    for (const q of [`print ipv4_is_in_any_range("10.1.2.3", "bad", "10.0.0.0/8")`, `print ipv4_is_in_any_range("10.1.2.3", dynamic(["10.0.0.0/8", 5]))`,
      `print ipv4_is_in_any_range("10.1.2.3", dynamic([]))`, `print ipv6_is_in_any_range("::1", "::/127", "nope")`]) {
      expect(errorOf(q).kind, q).toBe("unsupported");
    }
  });
  test("all valid: true/false; nothing converts: null (ipv4-is-in-any-range-function.md, Returns)", () => {
    expect(rows(`print a = ipv4_is_in_any_range("10.1.2.3", "192.168.0.0/16", "10.0.0.0/8"), b = ipv4_is_in_any_range("1.1.1.1", dynamic(["10.0.0.0/8"])),
                       c = ipv4_is_in_any_range("x", "10.0.0.0/8"), d = ipv4_is_in_any_range("10.1.2.3", "bad")`)).toEqual([[true, false, null, null]]);
  });
});

describe("substring outside the page's argument ranges", () => {
  test("a negative start before the first character and a negative length are refused", () => {
    for (const q of [`print substring("abc", -5)`, `print substring("abc", -4, 2)`, `print substring("abc", 0, -1)`]) {
      expect(errorOf(q).kind, q).toBe("unsupported");
    }
  });
  test("documented examples and a start counted back to the first character still answer", () => {
    // substring-function.md: ("123456", 1) → 23456, ("123456", 2, 2) → 34, ("ABCD", 0, 2) → AB, ("123456", -2, 2) → 56.
    expect(rows(`print a = substring("123456", 1), b = substring("123456", 2, 2), c = substring("ABCD", 0, 2), d = substring("123456", -2, 2), e = substring("abc", -3)`))
      .toEqual([["23456", "34", "AB", "56", "abc"]]);
  });
});

describe("split outside the page's argument ranges", () => {
  test("an empty delimiter and a negative index are refused", () => {
    for (const q of [`print split("abc", "")`, `print split("a,b", ",", -1)`]) expect(errorOf(q).kind, q).toBe("unsupported");
  });
  test("the page's examples, and an index past the end (no element: 'at the index if it exists'), still answer", () => {
    expect(rows(`print split("aa_bb", "_"), split("aaa_bbb_ccc", "_", 1), split("", "_"), split("a__b", "_"), split("aabbcc", "bb"), split("a_b", "_", 5)`))
      .toEqual([[["aa", "bb"], ["bbb"], [""], ["a", "", "b"], ["aa", "cc"], []]]);
  });
});

describe("isnan / isinf / isfinite of null", () => {
  test("is refused: the pages say 'false otherwise', null propagation would say null", () => {
    for (const f of ["isnan", "isinf", "isfinite"]) expect(errorOf(`print ${f}(real(null))`).kind, f).toBe("unsupported");
  });
  test("numbers and the special reals still answer", () => {
    expect(rows(`print a = isnan(real(nan)), b = isinf(1.0 / 0), c = isfinite(1.5), d = isnan(1), e = isfinite(real(-inf))`)).toEqual([[true, true, true, false, false]]);
  });
});

describe("tobool of the texts '1' and '0'", () => {
  test("is refused (tobool-function.md shows \"true\"/\"false\" texts and numbers only)", () => {
    for (const q of [`print tobool("1")`, `print toboolean(" 0 ")`, `print tobool(dynamic("1"))`]) expect(errorOf(q).kind, q).toBe("unsupported");
  });
  test("the page's examples still answer; other text is null", () => {
    expect(rows(`print a = tobool("true"), b = tobool("false"), c = tobool(1), d = tobool(123), e = tobool("TRUE"), f = tobool("yes")`))
      .toEqual([[true, false, true, true, true, null]]);
  });
});
