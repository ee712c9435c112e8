// Literal forms of scalar-data-types/timespan.md and datetime.md, and the range() overloads of range-function.md.
// Expected values are computed by hand from the documented meaning of each form.
import { describe, expect, test } from "vitest";
import { KqlError } from "../../src/kql/api.js";
import { runQuery } from "../../src/kql/engine.js";
import { formatJson } from "../../src/kql/format.js";

const NOW = "2024-05-06T07:08:09Z";
const json = (q: string) => JSON.parse(formatJson(runQuery(q, { now: NOW }))).rows as unknown[][];

function errorOf(q: string): KqlError {
  try {
    runQuery(q, { now: NOW });
  } catch (e) {
    expect(e).toBeInstanceOf(KqlError);
    return e as KqlError;
  }
  throw new Error(`query succeeded: ${q}`);
}

describe("timespan literals (scalar-data-types/timespan.md)", () => {
  test("every documented form", () => {
    expect(json(`print 2d, 1.5h, 30m, 10s, 0.1s, 100ms, 10microsecond, 1tick, time(15 seconds), time(2), time(0.12:34:56.7), time(null)`))
      .toEqual([["2.00:00:00", "01:30:00", "00:30:00", "00:00:10", "00:00:00.1000000", "00:00:00.1000000", "00:00:00.0000100",
        "00:00:00.0000001", "00:00:15", "2.00:00:00", "12:34:56.7000000", null]]);
  });
  test("time(n) counts whole days, negative too; timespan() is the same literal", () => {
    expect(json(`print time(-3), timespan(10), time(2) / 1h`)).toEqual([["-3.00:00:00", "10.00:00:00", 48]]);
  });
  test("a fractional bare number is refused: .NET would read time(1.5) as 1 day 5 hours", () => {
    const e = errorOf(`print time(1.5)`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/time\(1\.5\) at 1:7/);
  });
});

describe("datetime literals (scalar-data-types/datetime.md, startofweek-function.md)", () => {
  test("datetime(year, month, day)", () => {
    expect(json(`print datetime(2025, 6, 14), datetime(2024,2,29)`)).toEqual([["2025-06-14T00:00:00Z", "2024-02-29T00:00:00Z"]]);
  });
  test("an impossible date in that form is refused, not rolled over", () => {
    expect(errorOf(`print datetime(2025, 2, 29)`).kind).toBe("unsupported");
    expect(errorOf(`print datetime(2025, 13, 1)`).kind).toBe("unsupported");
  });
  test("datetime() is the current time (pinned now)", () => {
    expect(json(`print datetime(), datetime() == now()`)).toEqual([["2024-05-06T07:08:09Z", true]]);
  });
  test("the documented ISO, RFC 822/850 and sortable formats", () => {
    expect(json(`print datetime(2015-12-31 23:59:59.9), datetime(2015-12-31), datetime(2014-05-25T08:20), datetime(Sat, 8 Nov 14 15:05:02 GMT),
      datetime(Saturday, 08-Nov-14 15:05:02 GMT), datetime(2014-11-8T15:05 GMT)`))
      .toEqual([["2015-12-31T23:59:59.9Z", "2015-12-31T00:00:00Z", "2014-05-25T08:20:00Z", "2014-11-08T15:05:02Z",
        "2014-11-08T15:05:02Z", "2014-11-08T15:05:00Z"]]);
  });
});

describe("range() scalar overloads (range-function.md)", () => {
  test("numeric with and without step; timespan and datetime default to a 1h step", () => {
    expect(json(`print range(1, 8, 3), range(1, 3), range(1h, 5h), range(datetime(2015-01-01), datetime(2015-01-01 02:00)),
      array_length(range(datetime(2015-01-01), datetime(2015-12-31), 1d)), range(5h, 1h, -2h)`))
      .toEqual([[[1, 4, 7], [1, 2, 3], ["01:00:00", "02:00:00", "03:00:00", "04:00:00", "05:00:00"],
        ["2015-01-01T00:00:00.0000000Z", "2015-01-01T01:00:00.0000000Z", "2015-01-01T02:00:00.0000000Z"], 365,
        ["05:00:00", "03:00:00", "01:00:00"]]]);
  });
  test("the elements of a datetime range are datetimes", () => {
    expect(json(`print r = range(datetime(2020-01-01), datetime(2020-01-02), 1d) | project gettype(r[1])`)).toEqual([["datetime"]]);
  });
});
