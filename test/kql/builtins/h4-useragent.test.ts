// parse_user_agent(). Expected values: the two examples of parse-user-agent-function.md, and for the rule
// mechanics (uap-core docs/specification.md) small hand-written rule lists whose results are derived by hand.
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { parseWith, type Parser } from "../../../src/kql/builtins/useragent.js";

const value = (kql: string) => runQuery(kql).rows[0]![0];

const ADOBE = "Mozilla/5.0 (Windows; U; en-US) AppleWebKit/531.9 (KHTML, like Gecko) AdobeAIR/2.5.1";
const NOKIA = "Mozilla/5.0 (SymbianOS/9.2; U; Series60/3.1 NokiaN81-3/10.0.032 Profile/MIDP-2.0 Configuration/CLDC-1.1 ) AppleWebKit/413 (KHTML, like Gecko) Safari/4";

describe("parse_user_agent: documented examples", () => {
  it("look_for as a string", () => {
    const r = runQuery(`print useragent = "${ADOBE}"\n| extend x = parse_user_agent(useragent, "browser")`);
    expect(r.columns.map((c) => c.type)).toEqual(["string", "dynamic"]);
    expect(r.rows[0]![1]).toEqual({ Browser: { Family: "AdobeAIR", MajorVersion: "2", MinorVersion: "5", Patch: "1" } });
  });
  it("look_for as a dynamic array: members in the documented order, absent parts empty", () => {
    const x = value(`print parse_user_agent("${NOKIA}", dynamic(["browser","os","device"]))`);
    expect(x).toEqual({
      Browser: { Family: "Nokia OSS Browser", MajorVersion: "3", MinorVersion: "1", Patch: "" },
      OperatingSystem: { Family: "Symbian OS", MajorVersion: "9", MinorVersion: "2", Patch: "", PatchMinor: "" },
      Device: { Family: "Nokia N81", Brand: "Nokia", Model: "N81-3" },
    });
    expect(Object.keys(x as object)).toEqual(["Browser", "OperatingSystem", "Device"]);
    expect(value(`print tostring(parse_user_agent("${NOKIA}", dynamic(["os","device"])))`))
      .toBe(JSON.stringify({
        OperatingSystem: { Family: "Symbian OS", MajorVersion: "9", MinorVersion: "2", Patch: "", PatchMinor: "" },
        Device: { Family: "Nokia N81", Brand: "Nokia", Model: "N81-3" },
      }));
  });
  it("a one-element array is the string form; members are reachable by path", () => {
    expect(value(`print parse_user_agent("${ADOBE}", dynamic(["browser"]))`))
      .toEqual(value(`print parse_user_agent("${ADOBE}", "browser")`));
    expect(value(`print tostring(parse_user_agent("${NOKIA}", "device").Device.Model)`)).toBe("N81-3");
  });
});

describe("parse_user_agent: refusals", () => {
  it("look_for values, orders and repeats that are not documented", () => {
    expect(() => value(`print parse_user_agent("${ADOBE}", "Browser")`)).toThrow(/unsupported: parse_user_agent\(\) look_for value "Browser"/);
    expect(() => value(`print parse_user_agent("${ADOBE}", "cpu")`)).toThrow(/unsupported/);
    expect(() => value(`print parse_user_agent("${ADOBE}", dynamic(["device","browser"]))`)).toThrow(/undocumented result order/);
    expect(() => value(`print parse_user_agent("${ADOBE}", dynamic(["os","os"]))`)).toThrow(/undocumented result order/);
    expect(() => value(`print parse_user_agent("${ADOBE}", dynamic([]))`)).toThrow(/unsupported/);
    expect(() => value(`print parse_user_agent("${ADOBE}", dynamic(null))`)).toThrow(/unsupported/);
  });
  it("user agents with non-ASCII characters (.NET and JavaScript regexes differ there)", () => {
    expect(() => value(`print parse_user_agent("Mozilla/5.0 (Linux; Android 10; Téléphone) Chrome/80.0.1.2", "device")`))
      .toThrow(/unsupported: parse_user_agent\(\) of a user agent with non-ASCII/);
  });
  it("user agents with line breaks (.NET's `.` and `$` treat them differently)", () => {
    expect(() => value(`print parse_user_agent("curl/8.4.0\\n", "browser")`)).toThrow(/with line breaks/);
  });
});

describe("rule mechanics (uap-core specification, hand-written rules)", () => {
  const browser = (rules: [string, (string | undefined)[]][]): Parser => ({
    member: "Browser", names: ["Family", "MajorVersion", "MinorVersion", "Patch"], groups: [1, 2, 3, 4],
    rules: rules.map(([source, replacements]) => ({ source, flags: "", replacements })),
  });
  it("the first matching rule wins; groups fill the fields in order; unmatched groups are absent", () => {
    const p = browser([["(Foo)/(\\d+)(?:\\.(\\d+)|)", []], ["(Foo)", ["Late"]]]);
    expect(parseWith(p, "x Foo/12 y")).toEqual(["Foo", "12", null, null]);
  });
  it("replacements override groups and insert $1…$9 (absent group → empty)", () => {
    const p = browser([["(Min)efield/(\\d+)", ["Firefox ($1)", undefined, "0", "$4"]]]);
    expect(parseWith(p, "Minefield/4")).toEqual(["Firefox (Min)", "4", "0", null]);
  });
  it("no match gives family Other and no versions", () => {
    expect(parseWith(browser([["Bar", ["Bar"]]]), "Foo")).toEqual(["Other", null, null, null]);
  });
  it("a value with surrounding white space is refused (ports differ on trimming)", () => {
    expect(() => parseWith(browser([["(Foo )", []]]), "Foo bar")).toThrow(/surrounding white space/);
  });
  it("a matched rule giving an empty family is refused (ports keep it empty or say Other)", () => {
    expect(() => parseWith(browser([["Foo/(\\d*)", []]]), "Foo/")).toThrow(/empty family/);
  });
  it("devices: brand only from a replacement, model defaults to the first group, case-insensitive rules", () => {
    const p: Parser = {
      member: "Device", names: ["Family", "Brand", "Model"], groups: [1, 0, 1],
      rules: [{ source: "; (pedi)_(plus) build", flags: "i", replacements: ["Odys $1 $2", "Odys", undefined] }],
    };
    expect(parseWith(p, "Linux; PEDI_PLUS Build/JDQ39")).toEqual(["Odys PEDI PLUS", "Odys", "PEDI"]);
  });
});
