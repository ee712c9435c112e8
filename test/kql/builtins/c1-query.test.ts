// Query-level checks of the string/regex/conversion/encoding/parse builtins through runQuery (the real
// Kusto.Language binder + compiler). Expected values are the KQL reference examples cited in the unit tests
// (c1-string, c1-regex, c1-conversion, c1-encoding, c1-parse).
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";

const NOW = "2024-01-01T00:00:00Z";
const one = (kql: string) => {
  const r = runQuery(kql, { now: NOW });
  return { cols: r.columns.map((c) => `${c.name}:${c.type}`), row: r.rows[0] };
};

describe("string builtins in queries", () => {
  it("strcat, strlen, substring, split with index", () => {
    const r = one(`print a = strcat("hello", " ", 1), b = strlen("⒦⒰⒮⒯⒪"), c = substring("123456", -2, 2), d = split("aaa_bbb_ccc", "_", 1)`);
    expect(r.cols).toEqual(["a:string", "b:long", "c:string", "d:dynamic"]);
    expect(r.row).toEqual(["hello 1", 5, "56", ["bbb"]]);
  });
  it("tostring of a datetime has seven fraction digits (reverse-function.md)", () => {
    expect(one(`print r = reverse(datetime(2017-10-15 12:00))`).row).toEqual(["Z0000000.00:00:21T51-01-7102"]);
  });
  it("has matches terms and phrases; contains matches substrings", () => {
    const r = runQuery(`datatable(s:string)["cmd.exe /c whoami", "xcmd.exe", "North America"]
      | extend h = s has "cmd.exe", c = s contains "cmd.exe", p = s hasprefix "ame", a = s has_any ("north", "whoami")`, { now: NOW });
    expect(r.rows).toEqual([
      ["cmd.exe /c whoami", true, true, false, true],
      ["xcmd.exe", false, true, false, false],
      ["North America", false, false, true, true],
    ]);
  });
  it("regex functions use RE2", () => {
    const r = one(`print a = extract("(?i)user=(\\\\w+)", 1, "USER=Bob"), b = extract_all(@"(\\d+)", "a 1 b 22"),
      c = replace_regex("baaac", "a*", "-"), d = countof("abcabc", "a.c", "regex"), e = "Fabrikam" matches regex "b.*k"`);
    expect(r.row).toEqual(["Bob", ["1", "22"], "-b-c-", 2, true]);
  });
  it("conversions", () => {
    const r = one(`print a = tolong("123"), b = toint(2.3), c = tobool("true"), d = todatetime("Fri, 2 Dec 22 00:00") == datetime(2022-12-02),
      e = toguid("0123456789ab-cdef-0123-456789abcdef"), f = parse_json("not json"), g = isnull(parse_json(""))`);
    expect(r.row).toEqual([123, 2, true, true, "01234567-89ab-cdef-0123-456789abcdef", "not json", true]);
  });
  it("encoding and hashes", () => {
    const r = one(`print a = base64_encode_tostring("Kusto"), b = base64_decode_tostring("S3VzdG8="), c = hash("World", 100),
      d = hash_md5("World"), e = url_encode("https://www.bing.com/hello world")`);
    expect(r.row).toEqual(["S3VzdG8=", "Kusto", 51, "f5a7924e621e84c9280a9a27e1bcb7f6", "https%3a%2f%2fwww.bing.com%2fhello+world"]);
  });
  it("parse functions and dynamic access on their results", () => {
    const r = one(`print f = tostring(parse_path(@"C:\\temp\\file.txt").Filename), a = parse_command_line('echo "hello world!"', "windows"),
      q = tostring(parse_urlquery("k1=v1&k2=v2")["Query Parameters"].k2), c = parse_csv('aa,"b,b,b",cc')`);
    expect(r.row).toEqual(["file.txt", ["echo", "hello world!"], "v2", ["aa", "b,b,b", "cc"]]);
  });
  it("functions that would be inexact fail loudly as unsupported", () => {
    expect(() => runQuery(`print v = parse_version("1.2.3.4")`, { now: NOW })).toThrow(/unsupported/);
    expect(() => runQuery(`print h = hash("World")`, { now: NOW })).toThrow(/unsupported/);
    expect(() => runQuery(`print g = gzip_compress_to_base64_string("")`, { now: NOW })).toThrow(/unsupported/);
  });
});
