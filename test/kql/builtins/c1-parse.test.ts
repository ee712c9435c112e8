// parse_* functions. Expected values: parse-path-function.md, parse-command-line.md, parse-csv-function.md,
// parse-urlquery (parseurlqueryfunction.md), parse-url-function.md (all parts except Path — see the note there).
import { describe, expect, it } from "vitest";
import { resolveScalar } from "../../../src/kql/builtins/index.js";
import { parseWindowsCommandLine } from "../../../src/kql/builtins/parse.js";
import { call } from "./c1-helpers.js";

describe("parse_path (documented table)", () => {
  const cases: [string, Record<string, string>][] = [
    ["C:\\temp\\file.txt", { Scheme: "", RootPath: "C:", DirectoryPath: "C:\\temp", DirectoryName: "temp", Filename: "file.txt", Extension: "txt", AlternateDataStreamName: "" }],
    ["temp\\file.txt", { Scheme: "", RootPath: "", DirectoryPath: "temp", DirectoryName: "temp", Filename: "file.txt", Extension: "txt", AlternateDataStreamName: "" }],
    ["file://C:/temp/file.txt:some.exe", { Scheme: "file", RootPath: "C:", DirectoryPath: "C:/temp", DirectoryName: "temp", Filename: "file.txt", Extension: "txt", AlternateDataStreamName: "some.exe" }],
    ["\\\\shared\\users\\temp\\file.txt.gz", { Scheme: "", RootPath: "", DirectoryPath: "\\\\shared\\users\\temp", DirectoryName: "temp", Filename: "file.txt.gz", Extension: "gz", AlternateDataStreamName: "" }],
    ["/usr/lib/temp/file.txt", { Scheme: "", RootPath: "", DirectoryPath: "/usr/lib/temp", DirectoryName: "temp", Filename: "file.txt", Extension: "txt", AlternateDataStreamName: "" }],
  ];
  for (const [p, expected] of cases) it(p, () => expect(call("parse_path", [p])).toEqual(expected));
});

describe("parse_command_line", () => {
  it("documented example", () => {
    expect(call("parse_command_line", ['echo "hello world!"', "windows"])).toEqual(["echo", "hello world!"]);
  });
  it("follows CommandLineToArgvW's backslash and quote rules", () => {
    // The examples of Microsoft's "Parsing C++ command-line arguments" table (argv[1..]).
    expect(parseWindowsCommandLine('prog "a b c" d e').slice(1)).toEqual(["a b c", "d", "e"]);
    expect(parseWindowsCommandLine('prog "ab\\"c" "\\\\" d').slice(1)).toEqual(['ab"c', "\\", "d"]);
    expect(parseWindowsCommandLine('prog a\\\\\\b d"e f"g h').slice(1)).toEqual(["a\\\\\\b", "de fg", "h"]);
    expect(parseWindowsCommandLine('prog a\\\\\\"b c d').slice(1)).toEqual(['a\\"b', "c", "d"]);
    expect(parseWindowsCommandLine('prog a\\\\\\\\"b c" d e').slice(1)).toEqual(["a\\\\b c", "d", "e"]);
    // argv[0] is taken verbatim up to the closing quote.
    expect(parseWindowsCommandLine('"C:\\Program Files\\x.exe" -a')).toEqual(["C:\\Program Files\\x.exe", "-a"]);
    expect(parseWindowsCommandLine('cmd.exe /c ""')).toEqual(["cmd.exe", "/c", ""]);
  });
  it("rejects other parser types", () => {
    expect(() => call("parse_command_line", ["a b", "linux"])).toThrow(/windows/);
  });
});

describe("parse_csv (parse-csv-function.md)", () => {
  it("documented examples", () => {
    expect(call("parse_csv", ['aa,"b,b,b",cc,"Escaping quotes: ""Title""","line1\nline2"'])).toEqual(
      ["aa", "b,b,b", "cc", 'Escaping quotes: "Title"', "line1\nline2"]);
    expect(call("parse_csv", ["record1,a,b,c\nrecord2,x,y,z"])).toEqual(["record1", "a", "b", "c"]);
    expect(call("parse_csv", ["Guy Reginiano, Guy Yehudy, Pankaj Suri, Saeed Copty"])).toHaveLength(4);
  });
});

describe("parse_urlquery / parse_url", () => {
  it("parse_urlquery documented example", () => {
    expect(call("parse_urlquery", ["k1=v1&k2=v2&k3=v3"])).toEqual({ "Query Parameters": { k1: "v1", k2: "v2", k3: "v3" } });
    const params = (call("parse_urlquery", ["view=vs-2019&preserve-view=true"]) as Record<string, Record<string, string>>)["Query Parameters"]!;
    expect(params.view).toBe("vs-2019");
    expect(params["preserve-view"]).toBe("true");
  });
  it("parse_url documented example (Path keeps its leading slash — see docs/kql-builtins-strings.md)", () => {
    expect(call("parse_url", ["scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment"])).toEqual({
      Scheme: "scheme", Host: "host", Port: "1234", Path: "/this/is/a/path", Username: "username",
      Password: "password", "Query Parameters": { k1: "v1", k2: "v2" }, Fragment: "fragment",
    });
  });
  it("absent parts are empty", () => {
    expect(call("parse_url", ["https://bing.com"])).toEqual({
      Scheme: "https", Host: "bing.com", Port: "", Path: "", Username: "", Password: "", "Query Parameters": {}, Fragment: "",
    });
  });
});

describe("declared elsewhere", () => {
  it("parse_version (h3-version.test.ts) and parse_user_agent (h4-useragent.test.ts)", () => {
    expect(resolveScalar("parse_version", ["string"])).toBeDefined();
    expect(resolveScalar("parse_user_agent", ["string", "string"])).toBeDefined();
    expect(resolveScalar("parse_user_agent", ["string", "dynamic"])).toBeDefined();
  });
});

describe("extract_json (extract-json-function.md, jsonpath.md)", () => {
  const json = '{"name": "John", "age": 30, "city": "New York", "tags": ["a", {"k": "v"}], "odd key": 1}';
  it("documented example", () => {
    expect(call("extract_json", ["$.name", json, "string"])).toBe("John");
  });
  it("supports child, bracket and index steps; absent paths are empty or null", () => {
    expect(call("extractjson", ["$.age", json])).toBe("30");
    expect(call("extract_json", ["$.age", json, "long"])).toBe(30);
    expect(call("extract_json", ["$.tags[1].k", json])).toBe("v");
    expect(call("extract_json", ["$['odd key']", json])).toBe("1");
    expect(call("extract_json", ["$.tags[1]", json])).toBe('{"k":"v"}');
    expect(call("extract_json", ["$.missing", json])).toBe("");
    expect(call("extract_json", ["$.missing", json, "long"])).toBeNull();
    expect(call("extract_json", ["$.name", "not json"])).toBe("");
  });
  it("rejects JSONPath features Kusto does not support", () => {
    expect(() => call("extract_json", ["$..name", json])).toThrow(/unsupported/);
    expect(() => call("extract_json", ["$.tags[*]", json])).toThrow(/unsupported/);
  });
});

describe("parse_xml (parse-xml-function.md conversion table)", () => {
  it("documented mappings", () => {
    expect(call("parse_xml", ["<e/>"])).toEqual({ e: null });
    expect(call("parse_xml", ["<e>text</e>"])).toEqual({ e: "text" });
    expect(call("parse_xml", ['<e name="value" />'])).toEqual({ e: { "@name": "value" } });
    expect(call("parse_xml", ['<e name="value">text</e>'])).toEqual({ e: { "@name": "value", "#text": "text" } });
    expect(call("parse_xml", ["<e> <a>text</a> <b>text</b> </e>"])).toEqual({ e: { a: "text", b: "text" } });
    expect(call("parse_xml", ["<e> <a>text</a> <a>text</a> </e>"])).toEqual({ e: { a: ["text", "text"] } });
  });
  it("the page's example: declaration skipped; values stay strings (Json.NET; the page prints them as numbers — see docs)", () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<duration>\n    <value>118.0</value>\n    <count>5.0</count>\n    <min>100.0</min>\n</duration>';
    expect(call("parse_xml", [xml])).toEqual({ duration: { value: "118.0", count: "5.0", min: "100.0" } });
  });
  it("Windows event XML shape (EventData/Data with Name attributes)", () => {
    const xml = '<DataItem><EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><Data Name="SubjectUserName">alice</Data><Data Name="Empty"></Data><Data Name="LogonType">3</Data></EventData></DataItem>';
    expect(call("parse_xml", [xml])).toEqual({ DataItem: { EventData: {
      "@xmlns": "http://schemas.microsoft.com/win/2004/08/events/event",
      Data: [{ "@Name": "SubjectUserName", "#text": "alice" }, { "@Name": "Empty" }, { "@Name": "LogonType", "#text": "3" }],
    } } });
  });
  it("entities, comments and CDATA", () => {
    expect(call("parse_xml", ["<e>a &amp; b &lt;&#65;&#x42;&gt;<!-- c --></e>"])).toEqual({ e: "a & b <AB>" });
    expect(call("parse_xml", ["<e></e>"])).toEqual({ e: "" });
  });
  it("malformed XML is null", () => {
    for (const bad of ["", "<e>", "<e></f>", "<a/><b/>", "text", '<e a="1" a="2"/>', "<e>&bogus;</e>"]) {
      expect(call("parse_xml", [bad]), bad).toBeNull();
    }
  });
});
