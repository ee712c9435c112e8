// H2 builtins end to end through runQuery: time zones, window ranks, bag_pack_columns, column_names_of, assert,
// dynamic_to_json, regex_quote, array_strcat. Expected values are the documented outputs (page named per test on
// learn.microsoft.com/kusto/query) or derived by hand (comment).
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { dt } from "./c2-helpers.js";

const q = (kql: string) => runQuery(kql, { now: "2024-03-15T12:30:45Z", seed: 7 });
const rows = (kql: string) => q(kql).rows;

describe("datetime_local_to_utc (datetime-local-to-utc-function.md)", () => {
  it("documented example", () => {
    expect(rows(`print a=datetime_local_to_utc(datetime(2020-02-02 20:02:20), 'US/Pacific'),
      b=datetime_local_to_utc(datetime(2020-02-02 20:02:20), 'America/Chicago'),
      c=datetime_local_to_utc(datetime(2020-02-02 20:02:20), 'Europe/Paris')`))
      .toEqual([[dt("2020-02-03T04:02:20Z"), dt("2020-02-03T02:02:20Z"), dt("2020-02-02T19:02:20Z")]]);
  });
  it("a local time in the spring-forward gap uses the offset after the gap (documented Brussels example)", () => {
    const r = rows(`range Local from datetime(2022-03-27 01:00:00) to datetime(2022-03-27 04:00:00) step 1h
      | extend UTC=datetime_local_to_utc(Local, 'Europe/Brussels')`);
    expect(r.map((x) => x[1])).toEqual([dt("2022-03-27T00:00:00Z"), dt("2022-03-27T00:00:00Z"), dt("2022-03-27T01:00:00Z"), dt("2022-03-27T02:00:00Z")]);
  });
  it("summer time and sub-second ticks (hand: Paris is UTC+2 in July)", () => {
    expect(rows(`print datetime_local_to_utc(datetime(2021-07-01 12:00:00.1234567), 'Europe/Paris')`))
      .toEqual([[dt("2021-07-01T10:00:00.1234567Z")]]);
    // Before 1970 (negative ticks): France kept UTC+1 all year in 1960.
    expect(rows(`print datetime_local_to_utc(datetime(1960-07-01 12:00:00.00001), 'Europe/Paris')`))
      .toEqual([[dt("1960-07-01T11:00:00.00001Z")]]);
  });
  it("a local time that occurs twice (fall-back overlap) is refused; unknown zones fail", () => {
    expect(() => q(`print datetime_local_to_utc(datetime(2022-10-30 02:30), 'Europe/Brussels')`)).toThrow(/unsupported.*twice/);
    expect(() => q(`print datetime_local_to_utc(datetime(2022-10-30 02:30), 'Mars/Olympus')`)).toThrow(/unknown time zone/);
    expect(rows(`print datetime_local_to_utc(datetime(null), 'Europe/Paris')`)).toEqual([[null]]);
  });
  it("datetime_list_timezones is refused: ICU knows only canonical names, Kusto's list has aliases too", () => {
    expect(() => q(`print datetime_list_timezones()`)).toThrow(/unsupported.*datetime_list_timezones/);
  });
});

describe("row_rank_dense / row_rank_min", () => {
  const data = `datatable (Airport:string, Airline:string, Departures:long)
    ["SEA", "LH", 3, "SEA", "LY", 100, "SEA", "UA", 3, "SEA", "BA", 2, "SEA", "EL", 3]`;
  it("row_rank_dense (row-rank-dense-function.md)", () => {
    expect(rows(`${data} | sort by Departures asc | extend Rank=row_rank_dense(Departures) | project Departures, Rank`))
      .toEqual([[2, 1], [3, 2], [3, 2], [3, 2], [100, 3]]);
  });
  it("row_rank_dense with restart per partition (documented second example)", () => {
    const r = rows(`datatable (Airport:string, Airline:string, Departures:long)
      ["SEA", "LH", 3, "SEA", "LY", 100, "SEA", "UA", 3, "SEA", "BA", 2, "SEA", "EL", 3, "AMS", "EL", 1, "AMS", "BA", 1]
      | sort by Airport desc, Departures asc
      | extend Rank=row_rank_dense(Departures, prev(Airport) != Airport) | project Airport, Departures, Rank`);
    expect(r).toEqual([["SEA", 2, 1], ["SEA", 3, 2], ["SEA", 3, 2], ["SEA", 3, 2], ["SEA", 100, 3], ["AMS", 1, 1], ["AMS", 1, 1]]);
  });
  it("row_rank_min (row-rank-min-function.md)", () => {
    expect(rows(`${data} | sort by Departures asc | extend Rank=row_rank_min(Departures) | project Departures, Rank`))
      .toEqual([[2, 1], [3, 2], [3, 2], [3, 2], [100, 5]]);
  });
  it("strings, restart, and the refused cases", () => {
    // hand: a a b | restart | b c → dense 1 1 2 | 1 2 ; min 1 1 3 | 1 2
    const base = `datatable(g:long, s:string)[1,"a", 1,"a", 1,"b", 2,"b", 2,"c"] | serialize`;
    expect(rows(`${base} | extend d=row_rank_dense(s, g != prev(g)), m=row_rank_min(s, g != prev(g)) | project d, m`))
      .toEqual([[1, 1], [1, 1], [2, 3], [1, 1], [2, 2]]);
    expect(() => q(`datatable(x:long)[1, 2, 1] | serialize | extend r=row_rank_min(x)`)).toThrow(/unsupported.*reappears/);
    expect(() => q(`datatable(x:long)[1, long(null)] | serialize | extend r=row_rank_dense(x)`)).toThrow(/unsupported.*null/);
    expect(() => q(`datatable(x:long)[1] | summarize by x | extend r=row_rank_dense(x)`)).toThrow(/serialized/);
  });
});

describe("bag_pack_columns / column_names_of", () => {
  it("bag_pack_columns (bag-pack-columns-function.md)", () => {
    expect(rows(`datatable(Id: string, Value: string, Other: long)["A", "val_a", 1, "B", "val_b", 2]
      | extend Packed = bag_pack_columns(Id, Value) | project Packed`))
      .toEqual([[{ Id: "A", Value: "val_a" }], [{ Id: "B", Value: "val_b" }]]);
  });
  it("column_names_of of a let table and of function calls (column-names-of-function.md)", () => {
    expect(rows(`let T = datatable(A:string, B:int) []; print Columns=column_names_of(T)`)).toEqual([[["A", "B"]]]);
    expect(rows(`let MyFunction1 = () { print A="", B=1 }; print Columns=column_names_of(MyFunction1())`)).toEqual([[["A", "B"]]]);
    expect(rows(`let MyFunction1 = (param1:int) { print A="", B=1 }; print Columns=column_names_of(MyFunction1(1))`)).toEqual([[["A", "B"]]]);
  });
});

describe("assert (assert-function.md)", () => {
  const fn = `let checkLength = (len:long, s:string) { assert(len > 0, "Length must be greater than zero") and strlen(s) > len };
    datatable(input:string) ['123', '4567']`;
  it("true passes the rows through; false fails the query with the message", () => {
    expect(rows(`${fn} | where checkLength(3, input)`)).toEqual([["4567"]]);
    expect(() => q(`${fn} | where checkLength(long(-1), input)`)).toThrow("assert() has failed with message: 'Length must be greater than zero'");
  });
  it("a condition bound to the row is refused", () => {
    expect(() => q(`range x from 1 to 3 step 1 | extend y = assert(x > 0, "m")`)).toThrow(/unsupported.*not a constant/);
  });
});

describe("dynamic_to_json / regex_quote / array_strcat", () => {
  it("dynamic_to_json sorts keys at every level (dynamic-to-json-function.md)", () => {
    const r = rows(`let bag1 = dynamic_to_json(dynamic({'Y10':dynamic({}), 'X8': dynamic({'c3':1, 'd8':5, 'a4':6}), 'D1':114, 'A1':12, 'B1':2, 'C1':3, 'A14':[15, 13, 18]}));
      let bag2 = dynamic_to_json(dynamic({'X8': dynamic({'a4':6, 'c3':1, 'd8':5}), 'A14':[15, 13, 18], 'C1':3, 'B1':2, 'Y10': dynamic({}), 'A1':12, 'D1':114}));
      print AreEqual=bag1 == bag2, Result=bag1`);
    expect(r).toEqual([[true, '{"A1":12,"A14":[15,13,18],"B1":2,"C1":3,"D1":114,"X8":{"a4":6,"c3":1,"d8":5},"Y10":{}}']]);
  });
  it("dynamic_to_json of non-dynamic scalars is tostring(); undecided shapes are refused", () => {
    expect(rows(`print dynamic_to_json(42), dynamic_to_json("x"), dynamic_to_json(dynamic([1.5, "a", null, true]))`))
      .toEqual([["42", "x", '[1.5,"a",null,true]']]);
    expect(() => q(`print dynamic_to_json(dynamic({"b":1, "B":2}))`)).toThrow(/unsupported/);
    expect(() => q(`print dynamic_to_json(dynamic("text"))`)).toThrow(/unsupported/);
  });
  it("regex_quote (regex-quote-function.md) escapes what RE2, .NET and Rust all escape, refuses the rest", () => {
    expect(rows(`print result = regex_quote('(so$me.Te^xt)')`)).toEqual([["\\(so\\$me\\.Te\\^xt\\)"]]);
    expect(rows(`print regex_quote('ab*c+d?e|f{g[h#i\\\\j_0é')`)).toEqual([["ab\\*c\\+d\\?e\\|f\\{g\\[h\\#i\\\\j_0é"]]);
    expect(() => q(`print regex_quote('a-b')`)).toThrow(/unsupported/);
    expect(() => q(`print regex_quote('a b')`)).toThrow(/unsupported/); // Rust's escape leaves spaces
  });
  it("array_strcat is strcat_array (strcat-array-function.md)", () => {
    expect(rows(`print str = array_strcat(dynamic([1, 2, 3]), "->")`)).toEqual([["1->2->3"]]);
  });
});
