// series_decompose and the period functions. Expected values follow the documented decomposition
// (series-decompose-function.md: seasonal = median of the points in the same phase; trend of the deseasonal series;
// baseline = seasonal + trend; residual = x - baseline), worked out by hand in the comments.
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { formatJson } from "../../../src/kql/format.js";
import { errorOf } from "../operators-util.js";

/** Columns and rows as `scac query --format json` shows them (whole reals inside dynamic values are tagged). */
function q(kql: string): { columns: { name: string; type: string }[]; rows: unknown[][] } {
  const r = runQuery(kql, { now: "2024-03-15T12:30:45Z", seed: 7 });
  return { columns: r.columns, rows: (JSON.parse(formatJson(r)) as { rows: unknown[][] }).rows };
}
/** The four decomposition arrays of `series_decompose(<args>)` over `y`. */
function parts(y: string, args: string): number[][] {
  return q(`print y=dynamic(${y}) | project series_decompose(y${args})`).rows[0] as number[][];
}
function close(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
}
/** The message of the `unsupported` error the query fails with. */
function unsupported(kql: string): string {
  const e = errorOf(kql, q);
  expect(e.kind).toBe("unsupported");
  return e.message;
}

describe("series_decompose", () => {
  it("names the binder's four columns, in extend and with explicit names", () => {
    const r = q("print y=dynamic([1, 2, 3]) | extend series_decompose(y, 0, 'none')");
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "y:dynamic", "series_decompose_y_baseline:dynamic", "series_decompose_y_seasonal:dynamic",
      "series_decompose_y_trend:dynamic", "series_decompose_y_residual:dynamic",
    ]);
    expect(q("print y=dynamic([1, 2, 3]) | extend (b, s, t, r) = series_decompose(y, 0, 'none')").columns.map((c) => c.name))
      .toEqual(["y", "b", "s", "t", "r"]);
  });

  it("a pure line with linefit and no seasonality: trend = baseline = series, seasonal = residual = 0", () => {
    // y = 2x + 1 over x = 1..6: the least-squares line is y itself.
    const [baseline, seasonal, trend, residual] = parts("[3, 5, 7, 9, 11, 13]", ", 0, 'linefit'");
    close(baseline!, [3, 5, 7, 9, 11, 13]);
    close(trend!, [3, 5, 7, 9, 11, 13]);
    expect(seasonal).toEqual([0, 0, 0, 0, 0, 0]);
    close(residual!, [0, 0, 0, 0, 0, 0]);
  });

  it("a pure periodic series with its period: seasonal = baseline = series, trend = residual = 0 (every trend)", () => {
    for (const trend of ["avg", "linefit", "none"]) {
      const [baseline, seasonal, t, residual] = parts("[1, 3, 5, 1, 3, 5, 1, 3, 5]", `, 3, '${trend}'`);
      expect(seasonal).toEqual([1, 3, 5, 1, 3, 5, 1, 3, 5]);
      close(baseline!, [1, 3, 5, 1, 3, 5, 1, 3, 5]);
      close(t!, new Array(9).fill(0));
      close(residual!, new Array(9).fill(0));
    }
  });

  it("seasonal medians of an even number of periods average the two middle values; avg trend of the rest", () => {
    // Phases {1,2,1,2}, {3,4,3,4}, {5,6,5,6}: medians 1.5, 3.5, 5.5 (series-seasonal-function.md's example).
    // Deseasonal = ±0.5 alternating per period, average 0.
    const [baseline, seasonal, trend, residual] = parts("[1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6]", ", 3, 'avg'");
    expect(seasonal).toEqual([1.5, 3.5, 5.5, 1.5, 3.5, 5.5, 1.5, 3.5, 5.5, 1.5, 3.5, 5.5]);
    expect(trend).toEqual(new Array(12).fill(0));
    expect(baseline).toEqual(seasonal);
    expect(residual).toEqual([-0.5, -0.5, -0.5, 0.5, 0.5, 0.5, -0.5, -0.5, -0.5, 0.5, 0.5, 0.5]);
  });

  it("seasonal plus line: the trend is fitted to the deseasonal series", () => {
    // y[i] = s[i % 3] + i, s = [10, 20, 30], i = 0..8. Phase medians: s[p] + p + 3 → seasonal [13, 24, 35].
    // Deseasonal = [-3,-3,-3, 0,0,0, 3,3,3]; over x = 1..9 (mean 5): Sxy = 27 + 27 = 54, Sxx = 60 → slope 0.9,
    // interception -4.5 → trend 0.9x - 4.5; residual = deseasonal - trend.
    const [baseline, seasonal, trend, residual] = parts("[10, 21, 32, 13, 24, 35, 16, 27, 38]", ", 3, 'linefit'");
    expect(seasonal).toEqual([13, 24, 35, 13, 24, 35, 13, 24, 35]);
    const line = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((x) => 0.9 * x - 4.5);
    close(trend!, line);
    close(baseline!, line.map((t, i) => t + [13, 24, 35][i % 3]!));
    close(residual!, [0.6, -0.3, -1.2, 0.9, 0, -0.9, 1.2, 0.3, -0.6]);
  });

  it("no seasonality: avg is the series' average; none leaves baseline 0 and residual = series", () => {
    const [baseline, seasonal, trend, residual] = parts("[1, 2, 3, 6]", ", 0, 'avg'");
    expect([baseline, seasonal, trend, residual]).toEqual([[3, 3, 3, 3], [0, 0, 0, 0], [3, 3, 3, 3], [-2, -1, 0, 3]]);
    expect(parts("[1, 2, 3, 6]", ", 0, 'none'")).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [1, 2, 3, 6]]);
  });

  it("test points are left out of the learning and predicted from it", () => {
    // Line through the first four points (y = x), extended to x = 5.
    const [baseline, , , residual] = parts("[1, 2, 3, 4, 100]", ", 0, 'linefit', 1");
    close(baseline!, [1, 2, 3, 4, 5]);
    close(residual!, [0, 0, 0, 0, 95]);
    // avg of the first two points only.
    expect(parts("[2, 4, 100]", ", 0, 'avg', 1")[0]).toEqual([3, 3, 3]);
    // Phase medians of [1, 3, 1, 3] continue over the test points.
    expect(parts("[1, 3, 1, 3, 50, 60]", ", 2, 'none', 2")).toEqual([
      [1, 3, 1, 3, 1, 3], [1, 3, 1, 3, 1, 3], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 49, 57],
    ]);
  });

  it("works per row over make-series output", () => {
    const r = q(`datatable(k:string, t:datetime, v:long) [
        'a', datetime(2024-01-01), 1, 'a', datetime(2024-01-02), 2, 'a', datetime(2024-01-03), 3,
        'b', datetime(2024-01-01), 5, 'b', datetime(2024-01-03), 5]
      | make-series v = sum(v) default = 0 on t from datetime(2024-01-01) to datetime(2024-01-04) step 1d by k
      | extend (baseline, seasonal, trend, residual) = series_decompose(v, 0, 'avg')
      | project k, baseline, residual | order by k asc`);
    expect(r.rows).toEqual([["a", [2, 2, 2], [-1, 0, 1]], ["b", [10 / 3, 10 / 3, 10 / 3], [5 - 10 / 3, -10 / 3, 5 - 10 / 3]]]);
  });

  it("refuses what the docs do not pin down", () => {
    expect(unsupported("print y=dynamic([1,2,3,4,5,6,7,8]) | extend series_decompose(y)")).toMatch(/series_decompose\(\) with automatic period detection/);
    expect(unsupported("print y=dynamic([1,2,3,4,5,6,7,8]) | extend series_decompose(y, -1, 'linefit')")).toMatch(/automatic period detection/);
    expect(unsupported("print y=dynamic([1,2,3,4]) | extend series_decompose(y, 0, 'LineFit')")).toMatch(/trend 'LineFit'/);
    expect(unsupported("print y=dynamic([1,2,3,4]) | extend series_decompose(y, -2, 'avg')")).toMatch(/seasonality -2/);
    expect(unsupported("print y=dynamic([1,2,3,4]) | extend series_decompose(y, 0, 'avg', 4)")).toMatch(/test_points 4/);
    expect(unsupported("print y=dynamic([1,2,3,4,5]) | extend series_decompose(y, 3, 'avg')")).toMatch(/two periods/);
    expect(unsupported("print y=dynamic([1,2,3,4,5,6]) | extend series_decompose(y, 3, 'avg', 1)")).toMatch(/two periods/);
    expect(unsupported("print y=dynamic([1,null,3,4]) | extend series_decompose(y, 0, 'avg')")).toMatch(/null, non-numeric/);
    expect(unsupported("print y=dynamic([1,2]) | extend series_decompose(y, 0, 'linefit', 1)")).toMatch(/fewer learning points/);
    // The refusal names the operator and its line:col.
    expect(unsupported("print y=dynamic([1,2,3])\n| extend series_decompose(y)")).toMatch(/\(in extend\) at 2:3$/);
  });
});

// Kusto's series_outliers() of this series (Stack Overflow question 75264555, answered by the function's author):
// the ctukey score of each point. With no seasonality and no trend the residual is the series itself, so these are
// series_decompose_anomalies' ad_score ("applies series_outliers() … on the residuals series").
const SO_SERIES = "[-3, 2.4, 15, 3.9, 5, 6, 4.5, 5.2, 3, 4, 5, 16, 7, 5, 5, 4]";
const SO_SCORES = [-1.9040785483608571, -0.10021466044004519, 1.3361954725339347, 0, 0, 0, 0, 0, 0, 0, 0, 1.6702443406674186, 0, 0, 0, 0];

describe("series_decompose_anomalies", () => {
  const anomalies = (args: string) => q(`print y=dynamic(${SO_SERIES}) | project series_decompose_anomalies(y${args})`);
  it("scores the residual with series_outliers and flags beyond ±threshold", () => {
    const r = anomalies(", 1.5, 0, 'none'");
    expect(r.columns.map((c) => c.name)).toEqual([
      "series_decompose_anomalies_y_ad_flag", "series_decompose_anomalies_y_ad_score", "series_decompose_anomalies_y_baseline",
    ]);
    const [flag, score, baseline] = r.rows[0] as number[][];
    close(score!, SO_SCORES);
    expect(flag).toEqual([-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(baseline).toEqual(new Array(16).fill(0));
    // Threshold 1.0 also flags 1.336…; 2.5 flags nothing.
    expect(anomalies(", 1.0, 0, 'none'").rows[0]![0]).toEqual([-1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(anomalies(", 2.5, 0, 'none'").rows[0]![0]).toEqual(new Array(16).fill(0));
  });
  it("an avg trend shifts the residual by the mean (88 / 16 = 5.5), which leaves the scores unchanged", () => {
    const [flag, score, baseline] = anomalies(", 1.5, 0, 'avg', 0, 'ctukey'").rows[0] as number[][];
    close(score!, SO_SCORES);
    expect(flag).toEqual([-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(baseline).toEqual(new Array(16).fill(5.5));
  });
  it("refuses autodetection, test points, unknown methods and scores on the threshold", () => {
    expect(unsupported(`print y=dynamic(${SO_SERIES}) | extend series_decompose_anomalies(y)`)).toMatch(/automatic period detection/);
    expect(unsupported(`print y=dynamic(${SO_SERIES}) | extend series_decompose_anomalies(y, 1.5, 0, 'avg', 2)`)).toMatch(/test points/);
    expect(unsupported(`print y=dynamic(${SO_SERIES}) | extend series_decompose_anomalies(y, 1.5, 0, 'avg', 0, 'zscore')`)).toMatch(/AD_method 'zscore'/);
    expect(unsupported(`print y=dynamic(${SO_SERIES}) | extend series_decompose_anomalies(y, 0.0, 0, 'none')`)).toMatch(/threshold 0/);
    // A series the model fits exactly leaves a residual of rounding noise ([0, 0, -5.6e-17, …] here): its scores
    // would be decided by the order of floating-point operations.
    expect(unsupported("print y=dynamic([0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0,1.1,1.2]) | extend series_decompose_anomalies(y, 1.5, 0, 'linefit')"))
      .toMatch(/depend on floating-point rounding/);
    // A constant residual has a zero inter-percentile range: series_outliers refuses it, and so does this.
    expect(unsupported("print y=dynamic([1,3,5,1,3,5,1,3,5]) | extend series_decompose_anomalies(y, 1.5, 3, 'avg')")).toMatch(/anomaly score/);
  });
});

describe("series_decompose_forecast", () => {
  it("is refused by name (Kusto.Language types it as a four-column tuple, Kusto returns one array)", () => {
    expect(unsupported("print y=dynamic([1,2,3,4,5,6,7,8]) | extend f = series_decompose_forecast(y, 2, 0, 'avg')"))
      .toMatch(/series_decompose_forecast/);
  });
});

describe("series_periods_validate / series_periods_detect", () => {
  it("periods outside [4, length / 2] score 0 (series-periods-validate-function.md)", () => {
    // Length 10: the bounds are [4, 5].
    const r = q("print y=dynamic([1,2,3,4,5,6,7,8,9,10]) | project series_periods_validate(y, 3.0, 6, 100)");
    expect(r.columns.map((c) => c.name)).toEqual(["series_periods_validate_y_periods", "series_periods_validate_y_scores"]);
    expect(r.rows).toEqual([[[3, 6, 100], [0, 0, 0]]]);
  });
  it("a period within the bounds is refused (its score is undocumented)", () => {
    expect(unsupported("print y=dynamic([1,2,3,4,5,6,7,8,9,10]) | project series_periods_validate(y, 3.0, 5.0)")).toMatch(/undocumented scoring/);
    expect(unsupported("print y=dynamic([1,2,3,4,5,6,7,8,9,10]) | project series_periods_validate(y, 4)")).toMatch(/undocumented scoring/);
  });
  it("a range admitting no detectable period fills every slot with 0; any other range is refused", () => {
    const r = q("print y=dynamic([1,2,3,4,5,6,7,8,9,10]) | project series_periods_detect(y, 0.0, 3.5, 2)");
    expect(r.columns.map((c) => c.name)).toEqual(["series_periods_detect_y_periods", "series_periods_detect_y_scores"]);
    expect(r.rows).toEqual([[[0, 0], [0, 0]]]);
    expect(q("print y=dynamic([1,2,3,4,5,6,7,8,9,10]) | project series_periods_detect(y, 5.5, 8.0, 1)").rows).toEqual([[[0], [0]]]);
    expect(unsupported("print y=dynamic([1,2,3,4,5,6,7,8,9,10]) | project series_periods_detect(y, 0.0, 5.0, 2)")).toMatch(/admits a period/);
    expect(unsupported("print y=dynamic([1,2,3,4,5,6,7,8,9,10]) | project series_periods_detect(y, 3.0, 2.0, 2)")).toMatch(/period range/);
  });
});
