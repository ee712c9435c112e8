// hll / tdigest sketches end to end. Expected values: rank-tdigest-function.md ("In a sorted list (1-1000), the
// rank of 685 is its index"), and by hand for small sets (distinct counts, nearest-rank percentiles as percentile()
// defines them). Sketch values themselves must never be printed or inspected.
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { KqlError } from "../../../src/kql/api.js";

const rows = (q: string) => runQuery(q).rows;
const kindOf = (q: string): string => {
  try {
    runQuery(q);
  } catch (e) {
    if (e instanceof KqlError) return `${e.kind}: ${e.message}`;
    throw e;
  }
  return "ok";
};

describe("hll", () => {
  it("dcount_hll(hll(x)) is the distinct count, merged across groups", () => {
    // x % 7 over 1..100 takes the 7 values 0..6; each parity group sees all 7.
    expect(rows(`range x from 1 to 100 step 1 | extend k = x % 7 | summarize h = hll(k) by p = x % 2
      | summarize m = hll_merge(h) | project d = dcount_hll(m)`)).toEqual([[7]]);
  });
  it("hll_if counts only rows whose predicate is true; scalar hll_merge unites sketches", () => {
    expect(rows(`range x from 1 to 10 step 1 | summarize h = hll(x), g = hll_if(x, x > 5), e = hll(x % 3)
      | project a = dcount_hll(h), b = dcount_hll(g), c = dcount_hll(hll_merge(g, e)), d = dcount_hll(hll_merge(h, g, e))`))
      .toEqual([[10, 5, 8, 11]]);
  });
  it("the accuracy level changes nothing in the exact contents; undocumented levels are refused", () => {
    expect(rows("range x from 1 to 50 step 1 | summarize h = hll(x, 0), g = hll_if(x, x > 10, 4) | project dcount_hll(h), dcount_hll(g)")).toEqual([[50, 40]]);
    expect(kindOf("range x from 1 to 5 step 1 | summarize h = hll(x, 7) | project dcount_hll(h)")).toMatch(/^unsupported: .*accuracy 7/);
  });
  it("nulls are not counted and strings count by value", () => {
    expect(rows(`datatable(s: string, n: long)["a", 1, "b", long(null), "a", 2, "", long(null)]
      | summarize hs = hll(s), hn = hll(n) | project dcount_hll(hs), dcount_hll(hn)`)).toEqual([[3, 2]]);
  });
  it("a sketch in the output or used as a dynamic value is refused", () => {
    expect(kindOf("range x from 1 to 3 step 1 | summarize h = hll(x)")).toMatch(/^unsupported: .*hll sketch value in output/);
    expect(kindOf("range x from 1 to 3 step 1 | summarize h = hll(x) | project tostring(h)")).toMatch(/^unsupported: .*hll sketch value used as a dynamic value/);
    expect(kindOf("range x from 1 to 3 step 1 | summarize h = hll(x) by x | summarize make_list(h)")).toMatch(/^unsupported/);
    expect(kindOf("range x from 1 to 3 step 1 | summarize h = hll(x) | project array_length(h)")).toMatch(/^unsupported/);
  });
  it("values that are not sketches, and merges of sketches over different types, are refused", () => {
    expect(kindOf("print dcount_hll(dynamic([1, 2]))")).toMatch(/^unsupported: .*not a hll sketch/);
    expect(kindOf(`range x from 1 to 3 step 1 | summarize a = hll(x), b = hll(tostring(x)) | project dcount_hll(hll_merge(a, b))`))
      .toMatch(/^unsupported: .*different types/);
  });
  it("a negative tdigest() weight is refused, like percentilew()'s", () => {
    expect(kindOf("datatable(v:long, w:long)[1, -1, 2, 1] | summarize t = tdigest(v, w) | project percentile_tdigest(t, 50, typeof(long))"))
      .toMatch(/^unsupported: .*negative weight/);
  });
  it("sketches made with different accuracy values are not merged (hll-merge-aggregation-function.md; were merged)", () => {
    expect(kindOf("range x from 1 to 5 step 1 | summarize a = hll(x, 0), b = hll(x, 2) | project dcount_hll(hll_merge(a, b))"))
      .toMatch(/^unsupported: .*different accuracy values \(0, 2\)/);
    expect(kindOf("range x from 1 to 6 step 1 | summarize h = hll(x, x % 2 * 2) by p = x % 2 | summarize hll_merge(h)"))
      .toMatch(/^unsupported: .*different accuracy/);
    // The default accuracy is 1: an explicit 1 merges with it.
    expect(rows("range x from 1 to 5 step 1 | summarize a = hll(x), b = hll_if(x + 10, true, 1) | project dcount_hll(hll_merge(a, b))")).toEqual([[10]]);
  });
});

describe("tdigest", () => {
  const digest = "range x from 1 to 1000 step 1 | summarize t = tdigest(x)";
  it("rank_tdigest: documented example (rank of 685 in 1..1000 is 685)", () => {
    expect(rows(`${digest} | project rank_of_685 = rank_tdigest(t, 685)`)).toEqual([[685]]);
  });
  it("percentrank_tdigest is the rank as a percentage of the set size", () => {
    expect(rows(`${digest} | project percentrank_tdigest(t, 685), percentrank_tdigest(t, 0), percentrank_tdigest(t, 5000)`))
      .toEqual([[68.5, 0, 100]]);
  });
  it("percentile_tdigest(…, typeof(T)) and percentiles_array_tdigest equal percentile() (nearest rank)", () => {
    const r = runQuery(`${digest} | project p = percentile_tdigest(t, 50, typeof(long)),
      a = percentiles_array_tdigest(t, 10, 99.9), b = percentiles_array_tdigest(t, dynamic([0, 100]))`);
    expect(r.columns.map((c) => c.type)).toEqual(["long", "dynamic", "dynamic"]);
    expect(r.rows).toEqual([[500, [100, 999], [1, 1000]]]);
  });
  it("weights and merges: tdigest(x, w), tdigest_merge / merge_tdigest", () => {
    // Values 1 (weight 3) and 10 (weight 1): the median by weight is 1, the 80th percentile 10.
    expect(rows(`datatable(x: long, w: long)[1, 3, 10, 1] | summarize t = tdigest(x, w)
      | project percentile_tdigest(t, 50, typeof(long)), percentile_tdigest(t, 80, typeof(long)), rank_tdigest(t, 1)`))
      .toEqual([[1, 10, 3]]);
    expect(rows(`range x from 1 to 10 step 1 | summarize t = tdigest(x) by odd = x % 2 | summarize m = tdigest_merge(t), n = merge_tdigest(t)
      | project percentile_tdigest(m, 30, typeof(long)), rank_tdigest(tdigest_merge(m, n), 4), rank_tdigest(merge_tdigest(m, n, n), 10)`)).toEqual([[3, 8, 30]]);
  });
  it("datetime digests keep their type", () => {
    const r = runQuery(`datatable(d: datetime)[datetime(2024-01-01), datetime(2024-01-03), datetime(2024-01-02)]
      | summarize t = tdigest(d) | project percentile_tdigest(t, 50, typeof(datetime)), percentiles_array_tdigest(t, 100)`);
    expect(r.columns[0]!.type).toBe("datetime");
    expect(r.rows[0]![0]).toBe(1704153600n * 10_000_000n);
    expect(JSON.stringify(r.rows[0]![1])).toBe('["2024-01-03T00:00:00.0000000Z"]');
  });
  it("refuses what Kusto estimates or shapes differently", () => {
    // Without a type literal the result shape depends on the whole column (percentile-tdigest-function.md).
    expect(kindOf(`${digest} | project percentile_tdigest(t, 50)`)).toMatch(/^unsupported: .*without a type literal/);
    // Between two values Kusto interpolates inside its centroids.
    expect(kindOf(`${digest} | project rank_tdigest(t, 10.5)`)).toMatch(/^unsupported: .*between the digest's values/);
    expect(kindOf(`${digest} | project percentile_tdigest(t, 50, typeof(real))`)).toMatch(/^unsupported/);
    expect(kindOf(`${digest}`)).toMatch(/^unsupported: .*tdigest sketch value in output/);
    // tdigest() of no values is null (summarize-operator.md's empty-input example), so rank_tdigest() gives null.
    expect(runQuery("print x = 1 | where x > 1 | summarize t = tdigest(x) | project r = rank_tdigest(t, 1)").rows).toEqual([[null]]);
  });
});
