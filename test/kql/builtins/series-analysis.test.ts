// Time-series analysis functions and tuple-valued results. Expected values are the documented outputs
// (series-*-function.md, array-sort-asc-function.md) or exact fractions worked out by hand in the comments.
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { formatJson } from "../../../src/kql/format.js";
import { errorOf } from "../operators-util.js";

/** Columns and rows as `scac query --format json` shows them (a whole-valued real inside dynamic is tagged in the engine). */
const q = (kql: string) => {
  const r = runQuery(kql, { now: "2024-03-15T12:30:45Z", seed: 7 });
  return { columns: r.columns, rows: (JSON.parse(formatJson(r)) as { rows: unknown[][] }).rows };
};
const names = (kql: string) => q(kql).columns.map((c) => c.name);
function unsupported(kql: string): string {
  const e = errorOf(kql, q);
  expect(e.kind).toBe("unsupported");
  return e.message;
}

// series-fit-line-function.md: y = [2,5,6,8,11,15,17,18,25,26,30,30] over x = 1..12. By hand: Σy = 193, Σxy = 1645,
// Σy² = 4189, Sxx = 143, Sxy = 1645 - 6.5·193 = 390.5 → slope 71/26, interception 193/12 - 71/26·6.5 = -5/3,
// SST = 4189 - 193²/12 = 13019/12, SSR = SST - slope·Sxy.
const Y = "dynamic([2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30])";
const SST = 13019 / 12, SSR = SST - (71 / 26) * 390.5;

describe("tuple results in extend / project / print", () => {
  it("project (a, b, …) = f() names the first columns, the binder names the rest; extend refuses it", () => {
    // series-fit-2lines-function.md: project keeps the other columns under generated names, extend "will return
    // only" the named ones (series-stats-function.md likewise), while Kusto.Language adds them: refused in extend.
    expect(() => q(`print y=${Y} | extend (RSquare, Slope) = series_fit_line(y)`))
      .toThrow(/unsupported: extend naming 2 of the 6 columns of a tuple result/);
    const r = q(`print y=${Y} | project (RSquare, Slope) = series_fit_line(y)`);
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "RSquare:real", "Slope:real", "series_fit_line_y_variance:real", "series_fit_line_y_rvariance:real",
      "series_fit_line_y_interception:real", "series_fit_line_y_line_fit:dynamic",
    ]);
    const [rsq, slope, variance, rvariance, interception, fit] = r.rows[0]!;
    expect(rsq).toBeCloseTo(1 - SSR / SST, 12);
    expect(slope).toBeCloseTo(71 / 26, 12);
    expect(variance).toBeCloseTo(SST / 11, 12);
    expect(rvariance).toBeCloseTo(SSR / 11, 12);
    expect(interception).toBeCloseTo(-5 / 3, 12);
    (fit as number[]).forEach((v, i) => expect(v).toBeCloseTo((71 / 26) * (i + 1) - 5 / 3, 12));
  });
  it("documented figures of series_fit_line (shown to three decimals)", () => {
    const [rsq, slope, variance, rvariance, interception] = q(`print y=${Y} | project series_fit_line(y)`).rows[0]!;
    expect([rsq, slope, variance, rvariance, interception].map((v) => Math.trunc((v as number) * 1000) / 1000))
      .toEqual([0.982, 2.73, 98.628, 1.686, -1.666]);
  });
  it("unnamed tuples in extend take the binder's names, made unique with a suffix", () => {
    expect(names("print y=dynamic([3,1,2]), z=dynamic([1,2,3]) | extend array_sort_asc(y, z) | extend array_sort_asc(y, z)"))
      .toEqual(["y", "z", "y_sorted", "z_sorted", "y_sorted1", "z_sorted1"]);
  });
  it("tuple names may replace input columns; a single name for a wider tuple is refused in extend", () => {
    const r = q("print y=dynamic([3,1,2]), z=dynamic(['c','a','b']) | extend (z, w) = array_sort_desc(y, z), array_sort_asc(y, y)");
    expect(r.columns.map((c) => c.name)).toEqual(["y", "z", "w", "y_sorted", "y_sorted1"]);
    expect(r.rows).toEqual([[[3, 1, 2], [3, 2, 1], ["c", "b", "a"], [1, 2, 3], [1, 2, 3]]]);
    expect(() => q("print y=dynamic([3,1,2]) | extend s = array_sort_asc(y, y)"))
      .toThrow(/unsupported: extend naming 1 of the 2 columns of a tuple result/);
    // Reading the redefined z later in the same extend: input or new value is undocumented, so it is refused.
    expect(() => q("print y=dynamic([3,1,2]), z=dynamic(['c','a','b']) | extend (z, w) = array_sort_desc(y, z), s = array_sort_asc(z, y)"))
      .toThrow(/unsupported: extend reading a column that the same extend redefined/);
  });
  it("project and print lay tuple columns out in place", () => {
    const r = q("print a=dynamic([2,1]) | project x = 1, array_sort_asc(a, a), y = 2");
    expect(r.columns.map((c) => c.name)).toEqual(["x", "a_sorted", "a_sorted1", "y"]);
    expect(r.rows).toEqual([[1, [1, 2], [1, 2], 2]]);
    expect(q("print (p, q) = array_sort_desc(dynamic([1,2]), dynamic(['a','b']))").rows).toEqual([[[2, 1], ["b", "a"]]]);
  });
  it("array-sort-asc-function.md examples: several arrays, tuple element [1]", () => {
    const r = q(`let array1 = dynamic([1,3,4,5,2]); let array2 = dynamic(["a","b","c","d","e"]); print array_sort_asc(array1,array2)`);
    expect(r.columns.map((c) => c.name)).toEqual(["array1_sorted", "array2_sorted"]);
    expect(r.rows).toEqual([[[1, 2, 3, 4, 5], ["a", "e", "b", "c", "d"]]]);
    expect(q(`print array_sort_desc(dynamic([1,3,4,5,2]), dynamic(["a","b","c","d","e"]))`).rows)
      .toEqual([[[5, 4, 3, 2, 1], ["d", "c", "b", "e", "a"]]]);
    expect(q(`print r = array_sort_asc(dynamic([3,1,2]), dynamic(["c","a","b"]))[1]`).rows).toEqual([[["a", "b", "c"]]]);
  });
  it("arrays of another length than the first give null; nulls_last applies to the first array", () => {
    expect(q("print array_sort_asc(dynamic([2,null,1]), dynamic([1,2]), dynamic(['b','n','a']), false)").rows)
      .toEqual([[[null, 1, 2], null, ["n", "a", "b"]]]);
    // Three arrays: the third is an array, not nulls_last (a bool parameter would also accept a dynamic).
    expect(q("print array_sort_asc(dynamic([2,1]), dynamic([1,2]), dynamic(['b','a']))").rows).toEqual([[[1, 2], [2, 1], ["a", "b"]]]);
  });
  it("a tuple used as a single value is refused, not truncated", () => {
    expect(unsupported("print a = tostring(array_sort_asc(dynamic([1]), dynamic([2])))")).toMatch(/several columns/);
    expect(unsupported("print a=dynamic([1]) | summarize by array_sort_asc(a, a)")).toMatch(/several columns/);
  });
});

describe("series_stats", () => {
  it("series-stats-function.md example (variance/stdev agree with series_stats_dynamic's bit-exact values)", () => {
    const r = q("print x=dynamic([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29]) | project series_stats(x)");
    expect(r.columns.map((c) => c.name)).toEqual([
      "series_stats_x_min", "series_stats_x_min_idx", "series_stats_x_max", "series_stats_x_max_idx",
      "series_stats_x_avg", "series_stats_x_stdev", "series_stats_x_variance",
    ]);
    expect(r.rows).toEqual([[2, 8, 87, 3, 32.8, 28.503633853548269, 812.45714285714291]]);
  });
  it("non-finite values give nulls unless ignored (then indexes stay those of the input)", () => {
    expect(q("print series_stats(dynamic([1, real(nan), 3]))").rows).toEqual([[null, null, null, null, null, null, null]]);
    expect(q("print series_stats(dynamic([5, 'x', 1, 3]), true)").rows).toEqual([[1, 2, 5, 0, 3, 2, 4]]);
  });
  it("fewer than two values (sample variance undefined) are refused", () => {
    expect(unsupported("print series_stats(dynamic([5]))")).toMatch(/fewer than two/);
    expect(unsupported("print series_stats_dynamic(dynamic([]))")).toMatch(/fewer than two/);
    expect(unsupported("print series_stats(dynamic([5, 'x']), true)")).toMatch(/fewer than two/);
  });
});

describe("series_fit_line_dynamic / series_fit_poly", () => {
  it("series_fit_line_dynamic returns the same figures in a bag", () => {
    const b = q(`print f = series_fit_line_dynamic(${Y})`).rows[0]![0] as Record<string, number>;
    expect(Object.keys(b)).toEqual(["rsquare", "slope", "variance", "rvariance", "interception", "line_fit"]);
    expect(b.slope).toBeCloseTo(71 / 26, 12);
    expect(b.interception).toBeCloseTo(-5 / 3, 12);
  });
  it("series_fit_poly degree 1 matches series_fit_line (series-fit-poly-function.md, example 2)", () => {
    const [rsq, coeff, variance, rvariance, fit] = q(`print y=${Y} | project series_fit_poly(y)`).rows[0]!;
    expect(rsq).toBeCloseTo(1 - SSR / SST, 12);
    expect((coeff as number[])[0]).toBeCloseTo(71 / 26, 12);
    expect((coeff as number[])[1]).toBeCloseTo(-5 / 3, 12);
    expect(variance).toBeCloseTo(SST / 11, 12);
    expect(rvariance).toBeCloseTo(SSR / 11, 12);
    expect((fit as number[])[11]).toBeCloseTo((71 / 26) * 12 - 5 / 3, 12);
  });
  it("an exact quadratic over given x: coefficients highest power first", () => {
    // y = 2x² - 3x + 1 at x = 0, 1, 2, 3, 4.
    const [rsq, coeff, , rvariance] = q("print series_fit_poly(dynamic([1, 0, 3, 10, 21]), dynamic([0, 1, 2, 3, 4]), int(2))").rows[0]!;
    expect(rsq).toBeCloseTo(1, 12);
    (coeff as number[]).forEach((c, i) => expect(c).toBeCloseTo([2, -3, 1][i]!, 10));
    expect(rvariance).toBeCloseTo(0, 12);
  });
  it("undefined cases are refused", () => {
    expect(unsupported("print series_fit_line(dynamic([4, 4, 4]))")).toMatch(/constant series/);
    expect(unsupported("print series_fit_line(dynamic([1, null, 3]))")).toMatch(/null, non-numeric/);
    expect(unsupported("print series_fit_poly(dynamic([1, 2, 3]), dynamic([1, 2, 3]), int(3))")).toMatch(/degree 3/);
  });
});

describe("correlation measures", () => {
  it("series_pearson_correlation (series-pearson-correlation-function.md)", () => {
    expect(q(`range s1 from 1 to 5 step 1 | extend s2 = 2 * s1 | summarize s1 = make_list(s1), s2 = make_list(s2)
      | extend c = series_pearson_correlation(s1, s2) | project c`).rows).toEqual([[1]]);
    // Different lengths or a non-numeric element: null (documented).
    expect(q("print series_pearson_correlation(dynamic([1,2,3]), dynamic([1,2])), series_pearson_correlation(dynamic([1,'a']), dynamic([1,2]))").rows)
      .toEqual([[null, null]]);
    // By hand: x = [1,2,3], y = [1,3,2]: Sxy = 1, Sxx = Syy = 2 → 0.5.
    expect(q("print series_pearson_correlation(dynamic([1,2,3]), dynamic([1,3,2]))").rows[0]![0]).toBeCloseTo(0.5, 14);
  });
  it("series_cosine_similarity (series-cosine-similarity-function.md)", () => {
    const r = q(`datatable(s1:dynamic, s2:dynamic)[dynamic([0.1,0.2,0.1,0.2]), dynamic([0.11,0.2,0.11,0.21]),
      dynamic([0.1,0.2,0.1,0.2]), dynamic([1,2,3,4])] | project series_cosine_similarity(s1, s2)`);
    expect(r.rows[0]![0]).toBeCloseTo(0.99935343825504, 14);
    expect(r.rows[1]![0]).toBeCloseTo(0.923760430703401, 14);
    // The longer series is truncated; an empty one gives null (documented).
    expect(q("print series_cosine_similarity(dynamic([3, 4, 9]), dynamic([3, 4])), series_cosine_similarity(dynamic([]), dynamic([1]))").rows)
      .toEqual([[1, null]]);
  });
  it("series_dot_product (series-dot-product-function.md), scalar broadcast, non-numeric ignored", () => {
    const r = q(`range x from 1 to 3 step 1 | extend y = x * 2 | extend z = y * 2
      | project a = series_dot_product(pack_array(x,y,z), pack_array(z, y, x)), b = series_dot_product(pack_array(x,y,z), x)`);
    expect(r.rows).toEqual([[12, 7], [48, 28], [108, 63]]);
    expect(q("print series_dot_product(dynamic([1, 'a', 3, 9]), dynamic([2, 5, 4])), series_dot_product(dynamic([]), 2)").rows)
      .toEqual([[14, null]]);
  });
});

describe("series_fill_linear", () => {
  it("documented rows: real values, all-missing series, constants", () => {
    const r = q(`datatable(arr: dynamic)[dynamic([null, 1.5, null, 3.5, null, null, 6.5, null])]
      | project a = series_fill_linear(arr), b = series_fill_linear(arr, double(null), false), c = series_fill_linear(arr, double(null), true, 3.14159)`);
    expect(r.rows).toEqual([[
      [1.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 6.5], [null, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, null], [1.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 6.5],
    ]]);
    expect(q(`print s = dynamic([null, null, null, null]) | project series_fill_linear(s), series_fill_linear(s, double(null), false),
      series_fill_linear(s, double(null), true, 3.14159)`).rows)
      .toEqual([[[0, 0, 0, 0], [0, 0, 0, 0], [3.14159, 3.14159, 3.14159, 3.14159]]]);
  });
  it("a placeholder value marks the missing elements", () => {
    expect(q("print series_fill_linear(dynamic([1.5, -1, -1, 4.5]), -1)").rows).toEqual([[[1.5, 2.5, 3.5, 4.5]]]);
  });
  it("whole numbers with fractional interpolations are refused (int and real arrays round differently)", () => {
    expect(unsupported("print series_fill_linear(dynamic([null, 111, null, 36]))")).toMatch(/whole numbers/);
    expect(q("print series_fill_linear(dynamic([1, null, 3]))").rows).toEqual([[[1, 2, 3]]]);
  });
});

describe("series_iir / series_seasonal", () => {
  it("series-iir-function.md: cumulative sum with numerators [1], denominators [1, -1]", () => {
    expect(q("print y = series_iir(dynamic([1.0, 2.0, 3.0, 4.0]), dynamic([1]), dynamic([1,-1]))").rows).toEqual([[[1, 3, 6, 10]]]);
    // By hand: Y[i] = (X[i] + X[i-1] - 0.5·Y[i-1]) / 2 over X = [2, 4, 6].
    expect(q("print series_iir(dynamic([2, 4, 6]), dynamic([1, 1]), dynamic([2, 0.5]))").rows).toEqual([[[1, 2.75, 4.3125]]]);
    expect(unsupported("print series_iir(dynamic([1]), dynamic([1]), dynamic([0, 1]))")).toMatch(/zero first denominator/);
  });
  it("series-seasonal-function.md: forced period (median per phase)", () => {
    const r = q(`print s=dynamic([1, 3, 5, 1, 3, 5, 2, 4, 6]) | union (print s=dynamic([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6]))
      | extend s_seasonal = series_seasonal(s, 3) | project s_seasonal`);
    expect(r.rows).toEqual([[[1, 3, 5, 1, 3, 5, 1, 3, 5]], [[1.5, 3.5, 5.5, 1.5, 3.5, 5.5, 1.5, 3.5, 5.5, 1.5, 3.5, 5.5]]]);
  });
  it("automatic period detection is refused", () => {
    expect(unsupported("print series_seasonal(dynamic([1, 3, 5, 1, 3, 5]))")).toMatch(/automatic period detection/);
  });
});
