// String functions, called through the registry. Expected values are the examples of the KQL reference pages
// named in each block (MicrosoftDocs/dataexplorer-docs, data-explorer/kusto/query/<page>.md).
import { describe, expect, it } from "vitest";
import { TICKS_PER_HOUR, parseDatetime } from "../../../src/kql/values.js";
import { T, call } from "./c1-helpers.js";

describe("strcat / strcat_delim / strcat_array", () => {
  it("concatenates, rendering scalars with tostring() and nulls as empty", () => {
    expect(call("strcat", ["hello", " ", "world"])).toBe("hello world");
    expect(call("strcat", ["a", 1, T(null, "long"), true])).toBe("a1true");
    expect(call("strcat_delim", ["-", "hello", "world"])).toBe("hello-world");
    // strcat-delim-function.md
    expect(call("strcat_delim", ["-", 1, "2", "A", T(10_000_000n, "timespan")])).toBe("1-2-A-00:00:01");
    expect(call("strcat_array", [["A", "B", 1], ","])).toBe("A,B,1");
  });
});

describe("strlen / string_size (strlen-function.md, string-size-function.md)", () => {
  it("counts code points", () => {
    expect(call("strlen", ["hello"])).toBe(5);
    expect(call("strlen", ["⒦⒰⒮⒯⒪"])).toBe(5);
    expect(call("strlen", ["C\u0327edilla"])).toBe(8);
    expect(call("strlen", ["😀"])).toBe(1);
    expect(call("strlen", [""])).toBe(0);
  });
  it("string_size counts UTF-8 bytes", () => {
    expect(call("string_size", ["hello"])).toBe(5);
    expect(call("string_size", ["⒦⒰⒮⒯⒪"])).toBe(15);
  });
});

describe("substring (substring-function.md)", () => {
  it("documented examples", () => {
    expect(call("substring", ["123456", 1])).toBe("23456");
    expect(call("substring", ["123456", 2, 2])).toBe("34");
    expect(call("substring", ["ABCD", 0, 2])).toBe("AB");
    expect(call("substring", ["123456", -2, 2])).toBe("56");
  });
  it("clips a start or length past the end; refuses a start before the beginning (undocumented)", () => {
    expect(call("substring", ["abc", 5])).toBe("");
    expect(call("substring", ["abc", 1, 100])).toBe("bc");
    expect(() => call("substring", ["abc", -10, 2])).toThrow(/before the beginning/);
    expect(call("substring", [T(null, "string"), 1])).toBe("");
  });
});

describe("split (split-function.md)", () => {
  it("documented examples", () => {
    expect(call("split", ["aa_bb", "_"])).toEqual(["aa", "bb"]);
    expect(call("split", ["aaa_bbb_ccc", "_", 1])).toEqual(["bbb"]);
    expect(call("split", ["", "_"])).toEqual([""]);
    expect(call("split", ["a__b", "_"])).toEqual(["a", "", "b"]);
    expect(call("split", ["aabbcc", "bb"])).toEqual(["aa", "cc"]);
  });
  it("an index past the end gives an empty array", () => {
    expect(call("split", ["a_b", "_", 5])).toEqual([]);
  });
});

describe("indexof (indexof-function.md)", () => {
  it("documented examples", () => {
    expect(call("indexof", ["abcdefg", "cde"])).toBe(2);
    expect(call("indexof", ["abcdefg", "cde", 1, 4])).toBe(2);
    expect(call("indexof", ["abcdefg", "cde", 1, 2])).toBe(-1);
    expect(call("indexof", ["abcdefg", "cde", 3, 4])).toBe(-1);
    expect(call("indexof", ["abcdefg", "cde", -5])).toBe(2);
    expect(call("indexof", [1234567, 5, 1, 4])).toBe(4);
    expect(call("indexof", ["abcdefg", "cde", 2, -1])).toBe(2);
    expect(call("indexof", ["abcdefgabcdefg", "cde", 1, 10, 2])).toBe(9);
    expect(call("indexof", ["abcdefgabcdefg", "cde", 1, -1, 3])).toBe(-1);
  });
  it("is null for length < -1 or a negative occurrence", () => {
    expect(call("indexof", ["abc", "b", 0, -2])).toBeNull();
    expect(call("indexof", ["abc", "b", 0, -1, -1])).toBeNull();
  });
});

describe("indexof_regex (indexof-regex-function.md)", () => {
  it("documented examples", () => {
    expect(call("indexof_regex", ["abcabc", "a.c"])).toBe(0);
    expect(call("indexof_regex", ["abcabcdefg", "a.c", 0, 9, 2])).toBe(3);
    expect(call("indexof_regex", ["abcabc", "a.c", 1, -1, 2])).toBe(-1);
    expect(call("indexof_regex", ["ababaa", "a.a", 0, -1, 2])).toBe(-1);
    expect(call("indexof_regex", ["abcabc", "a|ab", -1])).toBeNull();
  });
});

describe("has_any_index (has-any-index-function.md)", () => {
  it("documented examples", () => {
    expect(call("has_any_index", ["this is an example", ["this", "example"]])).toBe(0);
    expect(call("has_any_index", ["this is an example", ["not", "example"]])).toBe(1);
    expect(call("has_any_index", ["this is an example", ["not", "found"]])).toBe(-1);
    expect(call("has_any_index", ["Example number 2", [1, 2, 3]])).toBe(1);
    expect(call("has_any_index", ["this is an example", []])).toBe(-1);
  });
});

describe("reverse (reverse-function.md)", () => {
  it("documented examples, including tostring() of non-strings", () => {
    expect(call("reverse", ["ABCDEFGHIJKLMNOPQRSTUVWXYZ"])).toBe("ZYXWVUTSRQPONMLKJIHGFEDCBA");
    expect(call("reverse", [12345])).toBe("54321");
    expect(call("reverse", [123.45])).toBe("54.321");
    expect(call("reverse", [parseDatetime("2017-10-15 12:00")!])).toBe("Z0000000.00:00:21T51-01-7102");
    expect(call("reverse", [T(3n * TICKS_PER_HOUR, "timespan")])).toBe("00:00:30");
  });
});

describe("strrep (strrep-function.md)", () => {
  it("documented examples", () => {
    expect(call("strrep", ["ABC", 2])).toBe("ABCABC");
    expect(call("strrep", [123, 3, "."])).toBe("123.123.123");
    expect(call("strrep", [T(30_000_000n, "timespan"), 2, " "])).toBe("00:00:03 00:00:03");
  });
  it("1024 repetitions run; beyond, where the page contradicts itself (1024 cap vs 67108864), and below 1 it is refused", () => {
    expect(call("strrep", ["a", 1024])).toBe("a".repeat(1024));
    expect(() => call("strrep", ["a", 5000])).toThrow(/strrep\(\) multiplier 5000/);
    expect(() => call("strrep", ["a", 0])).toThrow(/unsupported/);
  });
});

describe("translate (translate-function.md)", () => {
  it("documented examples", () => {
    expect(call("translate", ["abc", "x", "abc"])).toBe("xxx");
    expect(call("translate", ["abc", "", "ab"])).toBe("");
    expect(call("translate", ["krasp", "otsku", "spark"])).toBe("kusto");
  });
});

describe("replace_string / replace_strings", () => {
  it("replace_string replaces every occurrence (replace-string-function.md)", () => {
    expect(call("replace_string", ["A magic trick can turn a cat into a dog", "cat", "hamster"]))
      .toBe("A magic trick can turn a hamster into a dog");
    expect(call("replace_string", ["aaa", "aa", "b"])).toBe("ba");
  });
  it("replace_strings: documented examples (replace-strings-function.md)", () => {
    const msg = "A magic trick can turn a cat into a dog";
    expect(call("replace_strings", [msg, ["cat", "dog"], ["dog", "pigeon"]])).toBe("A magic trick can turn a dog into a pigeon");
    expect(call("replace_strings", [msg, ["turn", " into a dog"], ["disappear", ""]])).toBe("A magic trick can disappear a cat");
    const m2 = "This is an example of using replace_strings()";
    expect(call("replace_strings", [m2, ["This", "is"], ["This", "was"]])).toBe("This was an example of using replace_strings()");
    expect(call("replace_strings", [m2, ["is", "This"], ["was", "This"]])).toBe("Thwas was an example of using replace_strings()");
    expect(call("replace_strings", [m2, ["This", "is"], [12345, "was"]])).toBe("This was an example of using replace_strings()");
  });
});

describe("case and comparison", () => {
  it("toupper / tolower / strcmp", () => {
    expect(call("toupper", ["hello"])).toBe("HELLO");
    expect(call("tolower", ["HELLO"])).toBe("hello");
    expect(call("toupper", ["straße"])).toBe("STRAßE");
    expect(call("strcmp", ["ABC", "ABC"])).toBe(0);
    expect(call("strcmp", ["abc", "def"])).toBe(-1);
    expect(call("strcmp", ["def", "abc"])).toBe(1);
    expect(call("strcmp", ["ABC", "abc"])).toBe(-1);
    // strcmp-function.md
    expect(call("strcmp", ["abc", "ABC"])).toBe(1);
    expect(call("strcmp", ["abcde", "abc"])).toBe(1);
  });
});

describe("unicode code points, isascii, isutf8", () => {
  it("round-trips code points (unicode-codepoints-from-string-function.md)", () => {
    expect(call("unicode_codepoints_from_string", ["⒦⒰⒮⒯⒪"])).toEqual([9382, 9392, 9390, 9391, 9386]);
    expect(call("unicode_codepoints_from_string", ["😀"])).toEqual([128512]);
    expect(call("unicode_codepoints_from_string", ["קוסטו - Kusto"])).toEqual([1511, 1493, 1505, 1496, 1493, 32, 45, 32, 75, 117, 115, 116, 111]);
    expect(call("unicode_codepoints_to_string", [[75, 117, 115, 116, 111]])).toBe("Kusto");
    expect(call("unicode_codepoints_to_string", [75, 117, [115, 116], 111])).toBe("Kusto");
    // unicode-codepoints-to-string-function.md
    expect(call("unicode_codepoints_to_string", [75, 10, 117, 10, 115, 10, 116, 10, 111])).toBe("K\nu\ns\nt\no");
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    expect(call("unicode_codepoints_to_string", [range(48, 57), range(65, 90), range(97, 122)]))
      .toBe("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    expect(call("unicode_codepoints_to_string", [75, 0x110000])).toBe("");
    expect(call("unicode_codepoints_to_string", [0xd800])).toBe("");
  });
  it("isascii / isutf8", () => {
    expect(call("isascii", ["Kusto"])).toBe(true);
    expect(call("isascii", ["Kustó"])).toBe(false);
    expect(call("isutf8", ["Kustó"])).toBe(true);
    expect(call("isutf8", ["a\ud800b"])).toBe(false);
  });
});
