// Conversion functions. Expected values: tolong-function.md, toint-function.md, tobool-function.md,
// todatetime-function.md, totimespan-function.md, toguid-function.md, tostring-function.md,
// parse-json-function.md, scalar-data-types/datetime.md (supported formats), reverse-function.md (tostring of a
// datetime has 7 fraction digits).
import { describe, expect, it } from "vitest";
import { DynScalar, TICKS_PER_MINUTE, dynNum, parseDatetime, type Dyn } from "../../../src/kql/values.js";
import { realToString } from "../../../src/kql/builtins/conversion.js";
import { T, call } from "./c1-helpers.js";

const dt = (s: string) => parseDatetime(s)!;

describe("numeric conversions", () => {
  it("documented examples", () => {
    expect(call("tolong", ["123"])).toBe(123);
    expect(call("toint", ["123"])).toBe(123);
    expect(call("toint", [2.3])).toBe(2);
  });
  it("invalid text is null; whitespace is allowed; decimals truncate", () => {
    expect(call("tolong", ["abc"])).toBeNull();
    expect(call("tolong", [""])).toBeNull();
    expect(call("tolong", [" 12 "])).toBe(12);
    expect(call("tolong", ["1.5"])).toBe(1);
    expect(call("tolong", ["-1.5"])).toBe(-1);
    expect(call("toreal", ["1.5e3"])).toBe(1500);
    expect(call("todouble", ["x"])).toBeNull();
    expect(call("toreal", [T(null, "long")])).toBeNull();
    expect(call("tolong", [true])).toBe(1);
    expect(call("tolong", [T(5_000n, "timespan")])).toBe(5000);
  });
  it("dynamic values convert by their runtime kind", () => {
    expect(call("tolong", [T("42", "dynamic")])).toBe(42);
    expect(call("tolong", [T(42.9, "dynamic")])).toBe(42);
    expect(call("tolong", [T([1], "dynamic")])).toBeNull();
    expect(call("toreal", [T(null, "dynamic")])).toBeNull();
  });
});

describe("tobool / toboolean (tobool-function.md)", () => {
  it("documented examples", () => {
    expect(call("tobool", ["true"])).toBe(true);
    expect(call("tobool", ["false"])).toBe(false);
    expect(call("tobool", [1])).toBe(true);
    expect(call("tobool", [123])).toBe(true);
    expect(call("toboolean", ["true"])).toBe(true);
  });
  it("other text is null", () => {
    expect(call("tobool", ["yes"])).toBeNull();
    expect(call("tobool", ["TRUE"])).toBe(true);
  });
});

describe("todatetime / totimespan", () => {
  it("documented examples", () => {
    expect(call("todatetime", ["2015-12-31 23:59:59.9"])).toBe(dt("2015-12-31T23:59:59.9Z"));
    // todatetime('12-02-2022') == datetime('12-02-2022') is documented as true, but not which of Dec 2 / Feb 12
    // it is: refused (datetime-text.ts).
    expect(() => call("todatetime", ["12-02-2022"])).toThrow(/unsupported: todatetime\(\) of '12-02-2022'/);
    expect(call("totimespan", ["0.00:01:00"])).toBe(TICKS_PER_MINUTE);
  });
  it("accepts the documented datetime formats", () => {
    const t = dt("2014-11-08T15:05:02Z");
    for (const s of ["2014-11-08T15:05:02Z", "2014-11-08 15:05:02", "Sat, 8 Nov 14 15:05:02 GMT",
      "Sat, 8 Nov 14 15:05:02", "8 Nov 14 15:05:02 GMT", "Saturday, 08-Nov-14 15:05:02 GMT", "08-Nov-14 15:05:02",
      "2014-11-08 15:05:02 GMT", "2014-11-08T15:05:02 GMT"]) {
      expect(call("todatetime", [s]), s).toBe(t);
    }
    expect(call("todatetime", ["8 Nov 14 15:05"])).toBe(dt("2014-11-08T15:05:00Z"));
    expect(call("todatetime", ["2014-05-25T08:20:03.123456Z"])).toBe(dt("2014-05-25T08:20:03.123456Z"));
  });
  it("is null for text that is not a datetime", () => {
    expect(call("todatetime", ["not a date"])).toBeNull();
    expect(call("todatetime", ["2015-02-30"])).toBeNull();
    expect(call("todatetime", [""])).toBeNull();
  });
});

describe("toguid (toguid-function.md)", () => {
  it("documented examples", () => {
    expect(call("toguid", ["0123456789abcdef0123456789abcdef"])).toBe("01234567-89ab-cdef-0123-456789abcdef");
    expect(call("toguid", ["0123456789ab-cdef-0123-456789abcdef"])).toBe("01234567-89ab-cdef-0123-456789abcdef");
    expect(call("toguid", ["a string that is not a guid"])).toBeNull();
  });
  it("lower-cases and ignores the rest of the input", () => {
    expect(call("toguid", ["74BE27DE-1E4E-49D9-B579-FE0B331D3642 trailing"])).toBe("74be27de-1e4e-49d9-b579-fe0b331d3642");
  });
});

describe("tostring (tostring-function.md)", () => {
  it("documented example and null", () => {
    expect(call("tostring", [123])).toBe("123");
    expect(call("tostring", [T(null, "long")])).toBe("");
  });
  it("renders each type the Kusto way", () => {
    expect(call("tostring", [dt("2017-10-15T12:00:00Z")])).toBe("2017-10-15T12:00:00.0000000Z");
    expect(call("tostring", [dt("2017-10-15T12:00:00.1234567Z")])).toBe("2017-10-15T12:00:00.1234567Z");
    expect(call("tostring", [T(90_000_000_000n, "timespan")])).toBe("02:30:00");
    expect(call("tostring", [true])).toBe("true");
    expect(call("tostring", [T({ a: 1 }, "dynamic")])).toBe('{"a":1}');
    expect(call("tostring", [T("text", "dynamic")])).toBe("text");
    expect(call("tostring", [T("74be27de-1e4e-49d9-b579-fe0b331d3642", "guid")])).toBe("74be27de-1e4e-49d9-b579-fe0b331d3642");
  });
  it("reals use .NET's round-trip format", () => {
    expect(realToString(1.5)).toBe("1.5");
    expect(realToString(1)).toBe("1");
    expect(realToString(1e15)).toBe("1E+15");
    expect(realToString(123456789012345)).toBe("123456789012345");
    expect(realToString(0.0001)).toBe("0.0001");
    expect(realToString(0.00001)).toBe("1E-05");
    expect(realToString(NaN)).toBe("NaN");
  });
});

describe("parse_json / todynamic (parse-json-function.md)", () => {
  it("documented examples", () => {
    const d = call("parse_json", ['{"duration":{"value":118.0,"count":5.0,"min":100.0,"max":150.0,"stdDev":0.0,"sampledValue":118.0,"sum":118.0}}']) as Record<string, Record<string, Dyn>>;
    // 118.0 is a real: a whole-valued real is held as a DynScalar (values.ts).
    expect(dynNum(d.duration!.value!)).toBe(118);
    expect(d.duration!.min).toEqual(new DynScalar("real", 100));
    const outer = call("parse_json", ['{"a":123, "b":"{\\"c\\":456}"}']) as Record<string, string>;
    expect(call("parse_json", [outer.b!])).toEqual({ c: 456 });
  });
  it("dynamic input passes through unchanged, even a string", () => {
    expect(call("parse_json", [T('{"c":456}', "dynamic")])).toBe('{"c":456}');
  });
  it("text that is not JSON is kept as a dynamic string; empty text is null", () => {
    expect(call("todynamic", ["not json"])).toBe("not json");
    expect(call("todynamic", [""])).toBeNull();
    expect(call("todynamic", ["[1,2]"])).toEqual([1, 2]);
  });
  it("refuses 64-bit integers it cannot keep exactly, but not long digit strings", () => {
    expect(() => call("parse_json", ['{"id": 1234567890123456789}'])).toThrow(/unsupported/);
    expect(call("parse_json", ['{"id": "12345678901234567890", "n": 9007199254740991}'])).toEqual({ id: "12345678901234567890", n: 9007199254740991 });
  });
});

describe("tohex (tohex-function.md)", () => {
  it("documented examples", () => {
    expect(call("tohex", [256])).toBe("100");
    expect(call("tohex", [-256])).toBe("ffffffffffffff00");
    expect(call("tohex", [T(-256, "int"), 8])).toBe("ffffff00");
    expect(call("tohex", [256, 8])).toBe("00000100");
    expect(call("tohex", [256, 2])).toBe("100");
  });
});
