// Datetime/timespan builtins. Expected values are the documented examples of each function's page on
// learn.microsoft.com/kusto/query (page named in each describe), unless the comment says otherwise.
import { describe, expect, it } from "vitest";
import { NOW, call, dt, returnType, ts } from "./c2-helpers.js";

const D = "datetime" as const, T = "timespan" as const, S = "string" as const, L = "long" as const;

describe("now / ago (pinned by the evaluation context)", () => {
  it("now() and ago() read ctx.now, keeping 100 ns ticks", () => {
    expect(call("now", [], [])).toBe(NOW);
    expect(call("now", [T], [ts("-1h")])).toBe(NOW - ts("1h"));
    expect(call("ago", [T], [ts("1d")])).toBe(NOW - ts("1d"));
    expect(call("ago", [T], [null])).toBe(null);
  });
});

describe("datetime_diff (datetime-diff-function.md)", () => {
  const cases: [string, string, string, number][] = [
    ["year", "2017-01-01", "2000-12-31", 17],
    ["quarter", "2017-07-01", "2017-03-30", 2],
    ["month", "2017-01-01", "2015-12-30", 13],
    ["week", "2017-10-29 00:00", "2017-09-30 23:59", 5],
    ["day", "2017-10-29 00:00", "2017-09-30 23:59", 29],
    ["hour", "2017-10-31 01:00", "2017-10-30 23:59", 2],
    ["minute", "2017-10-30 23:05:01", "2017-10-30 23:00:59", 5],
    ["second", "2017-10-30 23:00:10.100", "2017-10-30 23:00:00.900", 10],
    ["millisecond", "2017-10-30 23:00:00.200100", "2017-10-30 23:00:00.100900", 100],
    ["microsecond", "2017-10-30 23:00:00.1009001", "2017-10-30 23:00:00.1008009", 100],
    ["nanosecond", "2017-10-30 23:00:00.0000000", "2017-10-30 23:00:00.0000007", -700],
  ];
  for (const [p, a, b, want] of cases) {
    it(`${p}`, () => expect(call("datetime_diff", [S, D, D], [p, dt(a), dt(b)])).toBe(want));
  }
  it("period names are case-insensitive; unknown ones fail loudly", () => {
    expect(call("datetime_diff", [S, D, D], ["Day", dt("2017-01-02"), dt("2017-01-01")])).toBe(1);
    expect(() => call("datetime_diff", [S, D, D], ["fortnight", dt("2017-01-02"), dt("2017-01-01")])).toThrow(/fortnight/);
  });
});

describe("datetime_part (datetime-part-function.md)", () => {
  const t = dt("2017-10-30 01:02:03.7654321");
  const want: Record<string, number> = {
    year: 2017, quarter: 4, month: 10, week_of_year: 44, day: 30, dayOfYear: 303, hour: 1, minute: 2, second: 3,
    millisecond: 765, microsecond: 765432, nanosecond: 765432100,
  };
  for (const [p, v] of Object.entries(want)) it(p, () => expect(call("datetime_part", [S, D], [p, t])).toBe(v));
  it("returns int", () => expect(returnType("datetime_part", [S, D])).toBe("int"));
});

describe("datetime_add (datetime-add-function.md)", () => {
  const base = dt("2017-01-01");
  const cases: [string, number, string][] = [
    ["year", 1, "2018-01-01"], ["quarter", 1, "2017-04-01"], ["month", 1, "2017-02-01"], ["week", 1, "2017-01-08"],
    ["day", 1, "2017-01-02"], ["hour", 1, "2017-01-01 01:00"], ["minute", 1, "2017-01-01 00:01"],
    ["second", 1, "2017-01-01 00:00:01"], ["year", -5, "2012-01-01"], ["quarter", 12, "2020-01-01"],
    ["month", -15, "2015-10-01"], ["week", 100, "2018-12-02"],
  ];
  for (const [p, n, want] of cases) it(`${p} ${n}`, () => expect(call("datetime_add", [S, L, D], [p, n, base])).toBe(dt(want)));
  it("month arithmetic clamps to the month's last day (.NET AddMonths) and keeps ticks", () => {
    expect(call("datetime_add", [S, L, D], ["month", 1, dt("2024-01-31 10:00:00.0000001")])).toBe(dt("2024-02-29 10:00:00.0000001"));
    expect(call("datetime_add", [S, L, D], ["microsecond", 3, dt("2024-01-01")])).toBe(dt("2024-01-01") + 30n);
  });
});

describe("calendar parts", () => {
  it("dayofweek returns a timespan since Sunday (dayofweek-function.md)", () => {
    expect(call("dayofweek", [D], [dt("1947-11-30 10:00:05")])).toBe(ts("0d"));
    expect(call("dayofweek", [D], [dt("1970-05-11")])).toBe(ts("1d"));
    expect(returnType("dayofweek", [D])).toBe("timespan");
  });
  it("week_of_year is ISO 8601 (week-of-year-function.md)", () => {
    expect(call("week_of_year", [D], [dt("2020-12-31")])).toBe(53);
    expect(call("week_of_year", [D], [dt("2020-06-15")])).toBe(25);
    expect(call("week_of_year", [D], [dt("1970-01-01")])).toBe(1);
    expect(call("week_of_year", [D], [dt("2000-01-01")])).toBe(52);
  });
  it("getyear/getmonth/dayofmonth/dayofyear/hourofday", () => {
    const t = dt("2015-12-14 23:59:59.9999999");
    expect(call("getyear", [D], [t])).toBe(2015);
    expect(call("getmonth", [D], [t])).toBe(12);
    expect(call("monthofyear", [D], [t])).toBe(12);
    expect(call("dayofmonth", [D], [t])).toBe(14);
    expect(call("dayofyear", [D], [t])).toBe(348);
    expect(call("hourofday", [D], [t])).toBe(23);
    expect(call("getyear", [D], [null])).toBe(null);
  });
});

describe("startof / endof (startofweek-function.md etc.: offsets -1, 0, 1 from 2017-01-01 10:10:17)", () => {
  const t = dt("2017-01-01 10:10:17");
  const table: Record<string, string[]> = {
    startofday: ["2016-12-31", "2017-01-01", "2017-01-02"],
    endofday: ["2016-12-31 23:59:59.9999999", "2017-01-01 23:59:59.9999999", "2017-01-02 23:59:59.9999999"],
    startofweek: ["2016-12-25", "2017-01-01", "2017-01-08"],
    endofweek: ["2016-12-31 23:59:59.9999999", "2017-01-07 23:59:59.9999999", "2017-01-14 23:59:59.9999999"],
    startofmonth: ["2016-12-01", "2017-01-01", "2017-02-01"],
    endofmonth: ["2016-12-31 23:59:59.9999999", "2017-01-31 23:59:59.9999999", "2017-02-28 23:59:59.9999999"],
    startofyear: ["2016-01-01", "2017-01-01", "2018-01-01"],
    endofyear: ["2016-12-31 23:59:59.9999999", "2017-12-31 23:59:59.9999999", "2018-12-31 23:59:59.9999999"],
  };
  for (const [fn, want] of Object.entries(table)) {
    it(fn, () => {
      expect([-1, 0, 1].map((o) => call(fn, [D, L], [t, o]))).toEqual(want.map(dt));
      expect(call(fn, [D], [t])).toBe(dt(want[1]!));
    });
  }
});

describe("make_datetime / make_timespan / unixtime_*", () => {
  it("make_datetime (make-datetime-function.md)", () => {
    expect(call("make_datetime", [L, L, L], [2017, 10, 1])).toBe(dt("2017-10-01"));
    expect(call("make_datetime", [L, L, L, L, L], [2017, 10, 1, 12, 10])).toBe(dt("2017-10-01 12:10"));
    expect(call("make_datetime", [L, L, L, L, L, "real"], [2017, 10, 1, 12, 11, 0.1234567])).toBe(dt("2017-10-01 12:11:00.1234567"));
    expect(call("make_datetime", [L, L, L], [2017, 2, 30])).toBe(null);
  });
  it("make_timespan (make-timespan-function.md)", () => {
    expect(call("make_timespan", [L, L], [1, 12])).toBe(ts("01:12:00"));
    expect(call("make_timespan", [L, L, L], [1, 12, 30])).toBe(ts("01:12:30"));
    expect(call("make_timespan", [L, L, L, "real"], [1, 12, 30, 55.123])).toBe(ts("1.12:30:55.123"));
  });
  it("unixtime_*_todatetime (unixtime-*-todatetime-function.md)", () => {
    expect(call("unixtime_seconds_todatetime", [L], [1546300800])).toBe(dt("2019-01-01"));
    expect(call("unixtime_milliseconds_todatetime", [L], [1546300800123])).toBe(dt("2019-01-01 00:00:00.123"));
    expect(call("unixtime_microseconds_todatetime", [L], [1546300800123456])).toBe(dt("2019-01-01 00:00:00.123456"));
    expect(call("unixtime_nanoseconds_todatetime", [L], [1546300800000000000])).toBe(dt("2019-01-01"));
    expect(call("unixtime_seconds_todatetime", ["real"], [1.5])).toBe(dt("1970-01-01 00:00:01.5"));
  });
});

describe("bin / floor / bin_at (bin-function.md, bin-at-function.md)", () => {
  it("numbers, timespans, datetimes", () => {
    expect(call("bin", ["real", "int"], [4.5, 1])).toBe(4);
    expect(returnType("bin", ["real", "int"])).toBe("real");
    expect(returnType("bin", [L, "int"])).toBe("long");
    expect(call("bin", [T, T], [ts("16d"), ts("7d")])).toBe(ts("14d"));
    expect(call("bin", [D, T], [dt("1970-05-11 13:45:07"), ts("1d")])).toBe(dt("1970-05-11"));
    expect(call("floor", [D, T], [dt("2024-03-15 10:59:59.9999999"), ts("1h")])).toBe(dt("2024-03-15 10:00"));
  });
  it("null or negative bin sizes give null (bin-function.md); a zero size, which the page does not cover, is refused", () => {
    expect(() => call("bin", [L, L], [5, 0])).toThrow(/bin size of 0/);
    expect(call("bin", [L, L], [5, -1])).toBe(null);
    expect(call("bin", [D, T], [null, ts("1h")])).toBe(null);
  });
  it("weekly datetime bins align to Mondays (Kusto bins from 0001-01-01, a Monday)", () => {
    expect(call("bin", [D, T], [dt("2024-03-15 10:00"), ts("7d")])).toBe(dt("2024-03-11"));
    // tutorial "use aggregation functions": StormEvents by bin(StartTime, 7d) shows 2007-01-01, 2007-01-08, 2007-01-29…
    expect(call("bin", [D, T], [dt("2007-01-03 17:00"), ts("7d")])).toBe(dt("2007-01-01"));
    expect(call("bin", [D, T], [dt("2007-02-04 23:59"), ts("7d")])).toBe(dt("2007-01-29"));
  });
  it("bin_at documented examples", () => {
    expect(call("bin_at", ["real", "real", L], [6.5, 2.5, 7])).toBe(4.5);
    expect(call("bin_at", [T, T, T], [ts("1h"), ts("1d"), ts("12h")])).toBe(ts("-12:00:00"));
    expect(call("bin_at", [D, T, D], [dt("2017-05-15 10:20:00"), ts("1d"), dt("1970-01-01 12:00")])).toBe(dt("2017-05-14 12:00"));
    expect(call("bin_at", [D, T, D], [dt("2017-05-17 10:20:00"), ts("7d"), dt("2017-06-04")])).toBe(dt("2017-05-14"));
    expect(call("bin_at", [D, T, D], [dt("2018-02-23T16:14"), ts("1d"), dt("2018-02-24 15:14")])).toBe(dt("2018-02-23T15:14"));
  });
});

describe("format_datetime (format-datetime-function.md)", () => {
  const t = dt("2017-01-29 09:00:05");
  it("documented examples", () => {
    expect(call("format_datetime", [D, S], [t, "yy-MM-dd [HH:mm:ss]"])).toBe("17-01-29 [09:00:05]");
    expect(call("format_datetime", [D, S], [t, "yyyy-M-dd [H:mm:ss]"])).toBe("2017-1-29 [9:00:05]");
    expect(call("format_datetime", [D, S], [t, "yy-MM-dd [hh:mm:ss tt]"])).toBe("17-01-29 [09:00:05 AM]");
  });
  it("format-element table", () => {
    const f = (s: string, fmt: string) => call("format_datetime", [D, S], [dt(s), fmt]);
    expect(f("2009-06-15T13:45:30.6175425", "fffffff")).toBe("6175425");
    expect(f("2009-06-15T13:45:30.0001150", "FFFFFFF")).toBe("000115");
    expect(f("2009-06-15T13:45:30.0500000", "F")).toBe("");
    expect(f("2009-06-15T13:45:30.6170000", "FF")).toBe("61");
    expect(f("2009-06-15T13:45:30.0050000", "ff")).toBe("00");
    expect(f("2009-06-15T13:45:30", "h")).toBe("1");
    expect(f("0900-01-01T00:00:00", "y")).toBe("0");
    expect(f("0001-01-01T00:00:00", "yy")).toBe("01");
    expect(f("0900-01-01T00:00:00", "yyyy")).toBe("0900");
    expect(f("2009-06-15T13:45:09", "tt")).toBe("PM");
  });
  it("unsupported elements fail loudly instead of printing something else", () => {
    expect(() => call("format_datetime", [D, S], [t, "MMMM"])).toThrow(/not supported/);
  });
});

describe("format_timespan (format-timespan-function.md)", () => {
  const t = ts("29.09:00:05.12345");
  it("documented examples", () => {
    expect(call("format_timespan", [T, S], [t, "dd.hh:mm:ss:FF"])).toBe("29.09:00:05:12");
    expect(call("format_timespan", [T, S], [t, "ddd.h:mm:ss [fffffff]"])).toBe("029.9:00:05 [1234500]");
  });
});

describe("datetime_utc_to_local", () => {
  it("applies the zone's offset at that instant (DST-aware), keeping sub-ms ticks", () => {
    expect(call("datetime_utc_to_local", [D, S], [dt("2024-01-15 12:00:00.0000001"), "America/New_York"])).toBe(dt("2024-01-15 07:00:00.0000001"));
    expect(call("datetime_utc_to_local", [D, S], [dt("2024-07-15 12:00"), "America/New_York"])).toBe(dt("2024-07-15 08:00"));
    expect(call("datetime_utc_to_local", [D, S], [dt("2024-07-15 12:00"), "Asia/Kolkata"])).toBe(dt("2024-07-15 17:30"));
  });
});
