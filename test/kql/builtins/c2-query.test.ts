// The C2 builtin families through runQuery: documented examples end to end (Kusto.Language binds, the compiler
// resolves overloads by the bound argument types, the registry applies null rules). Expected values are the
// documented outputs (page named per test on learn.microsoft.com/kusto/query).
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { dt, ts } from "./c2-helpers.js";

const NOW = "2024-03-15T12:30:45.1234567Z";
const q = (kql: string) => runQuery(kql, { now: NOW, seed: 7 });
const row = (kql: string) => q(kql).rows[0]!;

describe("aggregates in summarize", () => {
  it("count/dcount/sum/avg/min/max with nulls ignored", () => {
    const r = q(`datatable(a:int, s:string)[1,"x", 2,"y", int(null),"y", 2,""]
      | summarize count(), dcount(a), sum(a), avg(a), min(a), max(a), dcount(s), countif(a == 2)`);
    expect(r.columns.map((c) => c.name)).toEqual(["count_", "dcount_a", "sum_a", "avg_a", "min_a", "max_a", "dcount_s", "countif_"]);
    expect(r.rows).toEqual([[4, 2, 5, 5 / 3, 1, 2, 3, 2]]);
  });
  it("empty input yields the documented defaults (summarize-operator.md)", () => {
    const r = q(`datatable(a:long)[] | summarize count(), dcount(a), sum(a), make_set(a), max(a), avg(a), stdev(a)`);
    expect(r.rows).toEqual([[0, 0, 0, [], null, Number.NaN, 0]]); // avg_x NaN: 0/0, as the page's example shows
  });
  it("make_set flattens arrays (make-set-aggregation-function.md)", () => {
    const r = q(`datatable (Val: int, Arr1: dynamic)
      [1, dynamic(['A1', 'A2', 'A3']), 5, dynamic(['A2', 'C1']), 7, dynamic(['C2', 'A3']), 5, dynamic(['C2', 'A1'])]
      | summarize Val_set=make_set(Val), Arr1_set=make_set(Arr1)`);
    expect(r.rows).toEqual([[[1, 5, 7], ["A1", "A2", "A3", "C1", "C2"]]]);
  });
  it("make_list by group keeps input order (make-list-aggregation-function.md)", () => {
    const r = q(`datatable (name: string, sideCount: int)
      ["triangle", 3, "square", 4, "rectangle", 4, "pentagon", 5, "hexagon", 6, "heptagon", 7, "octagon", 8, "nonagon", 9, "decagon", 10]
      | summarize mylist = make_list(name) by isEvenSideCount = sideCount % 2 == 0 | order by isEvenSideCount asc`);
    expect(r.rows).toEqual([
      [false, ["triangle", "pentagon", "heptagon", "nonagon"]],
      [true, ["square", "rectangle", "hexagon", "octagon", "decagon"]],
    ]);
  });
  it("make_bag of bag_pack rows (make-bag-aggregation-function.md)", () => {
    const r = q(`datatable(prop:string, value:string)["prop01", "val_a", "prop02", "val_b", "prop03", "val_c"]
      | extend p = bag_pack(prop, value) | summarize dict=make_bag(p)`);
    expect(r.rows).toEqual([[{ prop01: "val_a", prop02: "val_b", prop03: "val_c" }]]);
  });
  it("percentile is the nearest rank (percentilesw example data, expanded)", () => {
    const r = q(`datatable (ReqCount:long, LatencyBucket:long) [8, 10, 6, 20, 3, 30, 1, 40]
      | summarize p50 = percentilew(LatencyBucket, ReqCount, 50), p999 = percentilew(LatencyBucket, ReqCount, 99.9)`);
    expect(r.rows).toEqual([[20, 40]]);
  });
  it("percentiles are nearest-rank, not interpolated (invoke-operator.md clipped_average example: 52)", () => {
    const r = q(`let clipped_average = (T:(x: long), lowPercentile:double, upPercentile:double) {
         let high = toscalar(T | summarize percentiles(x, upPercentile));
         let low = toscalar(T | summarize percentiles(x, lowPercentile));
         T | where x > low and x < high | summarize avg(x)
      };
      range x from 1 to 100 step 1 | invoke clipped_average(5, 99)`);
    expect(r.rows).toEqual([[52]]);
  });
  it("stdev / variance / stdevp / variancep of 1..5 (stdev-, variance-, stdevp-, variancep-aggregation-function.md)", () => {
    const r = q(`range x from 1 to 5 step 1 | summarize make_list(x), stdev(x), variance(x), stdevp(x), variancep(x)`);
    expect(r.rows).toEqual([[[1, 2, 3, 4, 5], Math.sqrt(2.5), 2.5, Math.SQRT2, 2]]);
  });
  it("summarize by bin(datetime, 1h) keeps 100 ns precision in the aggregates", () => {
    const r = q(`datatable(t:datetime)[datetime(2024-01-01 10:15:00.0000001), datetime(2024-01-01 10:45:00), datetime(2024-01-01 11:00:00)]
      | summarize earliest = min(t), n = count() by h = bin(t, 1h) | order by h asc`);
    expect(r.rows).toEqual([[dt("2024-01-01 10:00"), dt("2024-01-01 10:15:00.0000001"), 2], [dt("2024-01-01 11:00"), dt("2024-01-01 11:00"), 1]]);
  });
});

describe("scalars in queries", () => {
  it("datetime_diff documented example row", () => {
    expect(row(`print
      year = datetime_diff('year',datetime(2017-01-01),datetime(2000-12-31)),
      week = datetime_diff('week',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59)),
      nanosecond = datetime_diff('nanosecond',datetime(2017-10-30 23:00:00.0000000),datetime(2017-10-30 23:00:00.0000007))`))
      .toEqual([17, 5, -700]);
  });
  it("now()/ago() are pinned by the run option", () => {
    expect(row(`print now(), ago(1d), now(-1h)`)).toEqual([dt(NOW), dt(NOW) - ts("1d"), dt(NOW) - ts("1h")]);
  });
  it("format_datetime / format_timespan documented examples", () => {
    expect(row(`let dt = datetime(2017-01-29 09:00:05); print v1=format_datetime(dt,'yy-MM-dd [HH:mm:ss]'), v3=format_datetime(dt, 'yy-MM-dd [hh:mm:ss tt]')`))
      .toEqual(["17-01-29 [09:00:05]", "17-01-29 [09:00:05 AM]"]);
    expect(row(`let t = time(29.09:00:05.12345); print v1=format_timespan(t, 'dd.hh:mm:ss:FF'), v2=format_timespan(t, 'ddd.h:mm:ss [fffffff]')`))
      .toEqual(["29.09:00:05:12", "029.9:00:05 [1234500]"]);
  });
  it("startofweek over a range of offsets (startofweek-function.md)", () => {
    const r = q(`range offset from -1 to 1 step 1 | project weekStart = startofweek(datetime(2017-01-01 10:10:17), offset)`);
    expect(r.rows).toEqual([[dt("2016-12-25")], [dt("2017-01-01")], [dt("2017-01-08")]]);
  });
  it("ipv4_is_private over a datatable (ipv4-is-private-function.md)", () => {
    const r = q(`datatable(ip_string:string)['10.1.2.3', '192.168.1.1/24', '127.0.0.1'] | extend result = ipv4_is_private(ip_string)`);
    expect(r.rows.map((x) => x[1])).toEqual([true, true, false]);
  });
  it("min_of with nulls (min-of-function.md)", () => {
    const r = q(`datatable (A: int, B: int)[5, 2, 10, 1, int(null), 3, 1, int(null), int(null), int(null)] | project min_of(A, B)`);
    expect(r.rows.map((x) => x[0])).toEqual([2, 1, 3, 1, null]);
  });
  it("iff / case / coalesce", () => {
    expect(row(`print iff(1 > 2, "a", "b"), case(false, 1, true, 2, 3), coalesce(tolong("not a number"), tolong("42"), 33)`)).toEqual(["b", 2, 42]);
  });
  it("dynamic functions", () => {
    expect(row(`print array_slice(dynamic([1,2,3,4,5]), 2, -1), set_union(dynamic([1,2]), dynamic([2,3])), bag_keys(dynamic({"a":1,"b":2})), array_length(dynamic([]))`))
      .toEqual([[3, 4, 5], [1, 2, 3], ["a", "b"], 0]);
    expect(row(`print array_index_of(dynamic(["this", "is", "an", "example", "an", "example"]), "an", 1, -1, 2)`)).toEqual([4]);
  });
  it("round and bin (round-function.md, bin-function.md)", () => {
    expect(row(`print round(2.15, 1), round(-50.55, -2), bin(4.5, 1), bin(time(16d), 7d)`)).toEqual([2.2, -100, 4, ts("14d")]);
  });
});

describe("around (around-function.md)", () => {
  it("filters rows around a timestamp, inclusive", () => {
    const r = q(`range dt from datetime(2021-01-01 01:00) to datetime(2021-01-01 02:00) step 1min
      | where around(dt, datetime(2021-01-01 01:30), 1min)`);
    expect(r.rows).toEqual([[dt("2021-01-01 01:29")], [dt("2021-01-01 01:30")], [dt("2021-01-01 01:31")]]);
    expect(row(`print around(10, 12, 2), around(9.9, 12, 2), around(int(null), 1, 1)`)).toEqual([true, false, null]);
  });
});
