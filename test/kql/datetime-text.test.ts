// Text → datetime / timespan (src/kql/datetime-text.ts). Expected values: the "Supported formats" tables of
// scalar-data-types/datetime.md (every documented example reads 2014-05-25 08:20:03.123456, 2014-11-08 15:55:55…),
// scalar-data-types/timespan.md and totimespan-function.md; ticks are computed here with Date.UTC, independently
// of the parser. Undocumented date-shaped text must be refused (unsupported), garbage must be null.
import { describe, expect, it } from "vitest";
import { classifyDatetimeText, classifyTimespanText } from "../../src/kql/datetime-text.js";
import { coerceRows } from "../../src/kql/data.js";
import { KqlError } from "../../src/kql/api.js";
import { runQuery } from "../../src/kql/engine.js";
import { formatJson } from "../../src/kql/format.js";
import { errorOf } from "./operators-util.js";

/** Ticks (100 ns since 1970) of a UTC calendar time; `sub` adds 100 ns units below the second. */
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, sub = 0) =>
  BigInt(Date.UTC(y, mo - 1, d, h, mi, s)) * 10_000n + BigInt(sub);
const value = (s: string) => classifyDatetimeText(s);
const rows = (q: string) => (JSON.parse(formatJson(runQuery(q))) as { rows: unknown[][] }).rows;

describe("documented datetime formats (scalar-data-types/datetime.md) read as documented", () => {
  const table: [string, bigint][] = [
    // ISO 8601
    ["2014-05-25T08:20:03.123456Z", utc(2014, 5, 25, 8, 20, 3, 1_234_560)],
    ["2014-05-25T08:20:03.123456", utc(2014, 5, 25, 8, 20, 3, 1_234_560)],
    ["2014-05-25T08:20", utc(2014, 5, 25, 8, 20)],
    ["2014-11-08 15:55:55.123456Z", utc(2014, 11, 8, 15, 55, 55, 1_234_560)],
    ["2014-11-08 15:55:55", utc(2014, 11, 8, 15, 55, 55)],
    ["2014-11-08 15:55", utc(2014, 11, 8, 15, 55)],
    ["2014-11-08", utc(2014, 11, 8)],
    // RFC 822
    ["Sat, 8 Nov 14 15:05:02 GMT", utc(2014, 11, 8, 15, 5, 2)],
    ["Sat, 8 Nov 14 15:05:02", utc(2014, 11, 8, 15, 5, 2)],
    ["Sat, 8 Nov 14 15:05", utc(2014, 11, 8, 15, 5)],
    ["Sat, 8 Nov 14 15:05 GMT", utc(2014, 11, 8, 15, 5)],
    ["8 Nov 14 15:05:02 GMT", utc(2014, 11, 8, 15, 5, 2)],
    ["8 Nov 14 15:05:02", utc(2014, 11, 8, 15, 5, 2)],
    ["8 Nov 14 15:05", utc(2014, 11, 8, 15, 5)],
    ["8 Nov 14 15:05 GMT", utc(2014, 11, 8, 15, 5)],
    // RFC 850
    ["Saturday, 08-Nov-14 15:05:02 GMT", utc(2014, 11, 8, 15, 5, 2)],
    ["Saturday, 08-Nov-14 15:05:02", utc(2014, 11, 8, 15, 5, 2)],
    ["Saturday, 08-Nov-14 15:05 GMT", utc(2014, 11, 8, 15, 5)],
    ["Saturday, 08-Nov-14 15:05", utc(2014, 11, 8, 15, 5)],
    ["08-Nov-14 15:05:02 GMT", utc(2014, 11, 8, 15, 5, 2)],
    ["08-Nov-14 15:05:02", utc(2014, 11, 8, 15, 5, 2)],
    ["08-Nov-14 15:05 GMT", utc(2014, 11, 8, 15, 5)],
    ["08-Nov-14 15:05", utc(2014, 11, 8, 15, 5)],
    // Sortable
    ["2014-11-08 15:05:25", utc(2014, 11, 8, 15, 5, 25)],
    ["2014-11-08 15:05:25 GMT", utc(2014, 11, 8, 15, 5, 25)],
    ["2014-11-08 15:05", utc(2014, 11, 8, 15, 5)],
    ["2014-11-08 15:05 GMT", utc(2014, 11, 8, 15, 5)],
    ["2014-11-08T15:05:25", utc(2014, 11, 8, 15, 5, 25)],
    ["2014-11-08T15:05:25 GMT", utc(2014, 11, 8, 15, 5, 25)],
    ["2014-11-08T15:05", utc(2014, 11, 8, 15, 5)],
    ["2014-11-08T15:05 GMT", utc(2014, 11, 8, 15, 5)],
    // datetime literal examples and todatetime-function.md's example
    ["2015-12-31 23:59:59.9", utc(2015, 12, 31, 23, 59, 59, 9_000_000)],
    ["2015-12-31", utc(2015, 12, 31)],
  ];
  it.each(table)("%s", (text, ticks) => {
    expect(value(text)).toEqual({ value: ticks });
  });
});

describe("variations the format tokens cover", () => {
  it("fractions of 1 to 7 digits (%s), and zero digits beyond the 7th", () => {
    expect(value("2014-05-25T08:20:03.1Z")).toEqual({ value: utc(2014, 5, 25, 8, 20, 3, 1_000_000) });
    expect(value("2014-05-25T08:20:03.1234567Z")).toEqual({ value: utc(2014, 5, 25, 8, 20, 3, 1_234_567) });
    expect(value("2014-05-25T08:20:03.123456700Z")).toEqual({ value: utc(2014, 5, 25, 8, 20, 3, 1_234_567) });
  });
  it("%z: Z, ±hh:mm and ±hhmm offsets convert to UTC", () => {
    expect(value("2014-11-08T15:55:55Z")).toEqual({ value: utc(2014, 11, 8, 15, 55, 55) });
    expect(value("2014-11-08T15:55:55.123+02:00")).toEqual({ value: utc(2014, 11, 8, 13, 55, 55, 1_230_000) });
    expect(value("2014-11-08T15:55:55.123+0200")).toEqual({ value: utc(2014, 11, 8, 13, 55, 55, 1_230_000) });
    expect(value("2014-11-08 23:30:00-05:30")).toEqual({ value: utc(2014, 11, 9, 5, 0, 0) });
  });
  it("%e / %n: one-digit day (RFC) and one-digit month/day (sortable forms with a time)", () => {
    expect(value("8-Nov-14 15:05")).toEqual({ value: utc(2014, 11, 8, 15, 5) });
    expect(value("Sat, 08 Nov 14 15:05")).toEqual({ value: utc(2014, 11, 8, 15, 5) });
    expect(value("2014-1-8 15:05:25 GMT")).toEqual({ value: utc(2014, 1, 8, 15, 5, 25) });
    expect(value("2014-1-8T15:05")).toEqual({ value: utc(2014, 1, 8, 15, 5) });
    // day-of-week-function.md: dayofweek(datetime(1970-5-12)) is 2.00:00:00 (a Tuesday)
    expect(value("1970-5-12")).toEqual({ value: utc(1970, 5, 12) });
  });
  it("MM/dd/yyyy HH:mm:ss with a day above 12 reads month first (parse-operator.md: 02/17/2016 08:40:01)", () => {
    expect(value("02/17/2016 08:40:01")).toEqual({ value: utc(2016, 2, 17, 8, 40, 1) });
    expect(value("12/31/1999 23:59:59")).toEqual({ value: utc(1999, 12, 31, 23, 59, 59) });
    expect(value("02/30/2016 08:40:01")).toEqual({ value: null });
  });
  it("%w: the weekday may be abbreviated or full in both RFC forms when it is the date's", () => {
    expect(value("Saturday, 8 Nov 14 15:05")).toEqual({ value: utc(2014, 11, 8, 15, 5) });
    expect(value("Sat, 08-Nov-14 15:05")).toEqual({ value: utc(2014, 11, 8, 15, 5) });
    expect(value("Thu, 1 Jan 04 00:00")).toEqual({ value: utc(2004, 1, 1) });
  });
  it("two-digit years 00-29 are 2000-2029", () => {
    expect(value("1 Jan 00 00:00")).toEqual({ value: utc(2000, 1, 1) });
    expect(value("31-Dec-29 23:59:59")).toEqual({ value: utc(2029, 12, 31, 23, 59, 59) });
  });
});

describe("garbage and impossible dates are null (todatetime-function.md: 'Else, the result is null')", () => {
  it.each(["", "hello", "not a date", "abc123", "2014-11-08 foo", "2014-13-45", "2015-02-30", "2014-02-29 10:00",
    "2014-11-08 25:00", "2014-11-08 15:60", "2014-11-08T15:55:61", "0000-01-01", "31 Feb 14 10:00"])("%j", (text) => {
    expect(value(text)).toEqual({ value: null });
  });
});

describe("undocumented date-shaped text is refused, not guessed", () => {
  it.each([
    "1/1/2020 10:00:00 PM", "11/08/2014", "08/11/2014", "12-02-2022", "11/08/2014 08:40:01", "17/02/2016 08:40:01",
    "2/17/2016 08:40:01", "02/17/2016 8:40:01", "02/17/2016 08:40", "02/17/2016, 08:40:01", "02/17/2016 08:40:01 PM", "31/12/2014 10:00", "20141108 15:00", "20141108",
    "1600000000", "2014.11.08", "Nov 8, 2014", "8 November 2014", "Sat, 8 Nov 2014 15:05:02 GMT",
    "8 nov 14 15:05", "8 NOV 14 15:05", "Sun, 8 Nov 14 15:05", "8 Nov 14 15:05 UTC", "8 Nov 14 15:05 EST",
    "8 Nov 14 15:05 +0000", "8 Nov 99 15:05", "8 Nov 14 5:05", "Sat 8 Nov 14 15:05", "8 Nov 14 15:05:02.5",
    "2014-11-08 5:05", " 2014-11-08", "2014-11-08 ", "2014-11-08  15:55", "2014-11-08t15:55", "2014-11-08T15:55z",
    "2014-11-08T15:55Z", "2014-11-08Z", "2014-11-08T24:00:00", "2014-11-08T23:59:60",
    "2014-11-08T15:55:55+15:00", "2014-11-08T15:55:55+02", "2014-11-08T15:55:55 +02:00", "2014-11-08 15:55 UTC",
    "0001-01-01T00:00:00+01:00", "2014-11-08T15:55:55.123456789Z", "2014-05-25T08:20.5", "10:00", "10:00 PM",
  ])("%j", (text) => {
    expect(value(text)).toHaveProperty("refused");
  });
});

describe("todatetime(), datetime literals and comparisons in queries", () => {
  it("documented examples answer", () => {
    expect(rows(`print todatetime("2015-12-31 23:59:59.9")`)).toEqual([["2015-12-31T23:59:59.9Z"]]);
    expect(rows(`print a = todatetime("Saturday, 08-Nov-14 15:05:02 GMT"), b = datetime(2014-11-08 15:55:55.123456Z)`))
      .toEqual([["2014-11-08T15:05:02Z", "2014-11-08T15:55:55.123456Z"]]);
    expect(rows(`print a = todatetime("hello"), b = isnull(todatetime("2014-13-45")), c = isnull(todatetime(""))`))
      .toEqual([[null, true, true]]);
  });
  it("undocumented text fails with unsupported naming todatetime() and line:col (was null / a month-first guess)", () => {
    const e = errorOf(`print x = 1\n| extend t = todatetime("1/1/2020 10:00:00 PM")`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/todatetime\(\) of '1\/1\/2020 10:00:00 PM'.* at 2:\d+$/);
    expect(errorOf(`print todatetime("11/08/2014")`).message).toMatch(/todatetime\(\) of '11\/08\/2014'/);
  });
  it("a column value is refused at its row's evaluation", () => {
    const e = errorOf(`datatable(s:string)["2014-11-08", "11/08/2014"] | extend t = todatetime(s)`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/todatetime\(\) of '11\/08\/2014'.* at 1:\d+$/);
  });
  it("a datetime literal in an undocumented form is refused naming the literal", () => {
    const e = errorOf(`print datetime(11/08/2014)`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/datetime literal of '11\/08\/2014'.* at 1:7$/);
  });
  it("mv-expand to typeof(datetime) and dynamic text compared with a datetime read the same way", () => {
    expect(rows(`print d = dynamic(["2014-11-08", "hello"]) | mv-expand d to typeof(datetime)`))
      .toEqual([["2014-11-08T00:00:00Z"], [null]]);
    expect(rows(`print d = dynamic({"a": "8 Nov 14 15:05"}) | project x = d.a == datetime(2014-11-08 15:05)`)).toEqual([[true]]);
    expect(errorOf(`print d = dynamic(["1/2/2014"]) | mv-expand d to typeof(datetime)`).message)
      .toMatch(/mv-expand to typeof\(datetime\) of '1\/2\/2014'/);
    expect(errorOf(`print d = dynamic({"a": "11/08/2014"}) | project x = d.a == datetime(2014-11-08)`).kind).toBe("unsupported");
  });
  it("datetime(y, m, d) literals still read (startofweek-function.md)", () => {
    expect(rows(`print datetime(2025, 6, 14)`)).toEqual([["2025-06-14T00:00:00Z"]]);
  });
});

describe("timespan text (scalar-data-types/timespan.md, totimespan-function.md)", () => {
  const ts = (s: string) => classifyTimespanText(s);
  it("documented forms", () => {
    expect(ts("0.00:01:00")).toEqual({ value: 600_000_000n });
    expect(ts("0.12:34:56.7")).toEqual({ value: ((12n * 60n + 34n) * 60n + 56n) * 10_000_000n + 7_000_000n });
    expect(ts("00:01:00")).toEqual({ value: 600_000_000n });
    expect(ts("2d")).toEqual({ value: 2n * 864_000_000_000n });
    expect(ts("1.5h")).toEqual({ value: 54_000_000_000n });
    expect(ts("30m")).toEqual({ value: 18_000_000_000n });
    expect(ts("10s")).toEqual({ value: 100_000_000n });
    expect(ts("0.1s")).toEqual({ value: 1_000_000n });
    expect(ts("100ms")).toEqual({ value: 1_000_000n });
    expect(ts("10microsecond")).toEqual({ value: 100n });
    expect(ts("1tick")).toEqual({ value: 1n });
    expect(ts("15 seconds")).toEqual({ value: 150_000_000n });
    expect(ts("10675199.02:48:05.4775807")).toEqual({ value: 2n ** 63n - 1n });
    expect(ts("-1.02:03:04")).toEqual({ value: -(864_000_000_000n + ((2n * 60n + 3n) * 60n + 4n) * 10_000_000n) });
  });
  it("garbage is null", () => {
    for (const s of ["", "abc", "hello world"]) expect(ts(s), s).toEqual({ value: null });
  });
  it("undocumented or out-of-range time-shaped text is refused", () => {
    for (const s of ["1:00", "1", "25:00:00", "00:60:00", "00:00:00.12345678", "1H", "2 weeks", "0.00000001s", " 01:00",
      "+01:00", "1.2:3:4", "P1D", "10675199.02:48:05.4775808", "99999999.00:00:00", "10675200d"]) {
      expect(ts(s), s).toHaveProperty("refused");
    }
  });
  it("totimespan() in a query: documented example, and a refusal naming totimespan()", () => {
    expect(rows(`print totimespan("0.00:01:00") == time(1min)`)).toEqual([[true]]);
    const e = errorOf(`print totimespan("1:00")`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/totimespan\(\) of '1:00'.* at 1:7$/);
  });
});

describe("sample data (src/kql/data.ts)", () => {
  const cols = [{ name: "T", type: "datetime" as const }, { name: "D", type: "timespan" as const }];
  it("reads documented forms and the portal export form", () => {
    const r = coerceRows([{ T: "Sat, 8 Nov 14 15:05:02 GMT", D: "1.5h" }, { T: "11/8/2014, 3:05:02.500 PM" }], cols, "events.json");
    expect(r).toEqual([[utc(2014, 11, 8, 15, 5, 2), 54_000_000_000n], [utc(2014, 11, 8, 15, 5, 2, 5_000_000), null]]);
  });
  it("an undocumented date-shaped value is a data error naming file, row, column and why", () => {
    let err: unknown;
    try {
      coerceRows([{ T: "2014-11-08" }, { T: "11/08/2014 15:05" }], cols, "events.json");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KqlError);
    expect((err as KqlError).kind).toBe("data");
    expect((err as KqlError).message).toMatch(/^events\.json: row 2, column 'T': cannot convert '11\/08\/2014 15:05' to datetime \(not one of the documented datetime formats/);
  });
  it("garbage stays a plain data error", () => {
    expect(() => coerceRows([{ T: "hello" }], cols, "e.json")).toThrow(/row 1, column 'T': cannot convert 'hello' to datetime$/);
    expect(() => coerceRows([{ D: "1:00" }], cols, "e.json")).toThrow(/column 'D': cannot convert '1:00' to timespan \(not one of the documented timespan forms/);
  });
});
