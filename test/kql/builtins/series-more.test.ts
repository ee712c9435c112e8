// series_fir and series_outliers (series-more.ts), and the series_* functions deliberately left refused.
// Expected values are worked out by hand in the comments, or are Kusto's own published output (series_outliers).
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { formatJson } from "../../../src/kql/format.js";
import { errorOf } from "../operators-util.js";

const q = (kql: string) => runQuery(kql, { now: "2024-03-15T12:30:45Z" });
/** The value of `print r=<expr>` as `scac query --format json` shows it (reals and longs read back as numbers). */
const one = (expr: string): unknown => (JSON.parse(formatJson(q(`print r=${expr}`))) as { rows: unknown[][] }).rows[0]![0];
/** The message of the unsupported error `print r=<expr>` fails with. */
function unsupported(expr: string): string {
  const e = errorOf(`print r=${expr}`, q);
  expect(e.kind).toBe("unsupported");
  return e.message;
}

describe("series_fir", () => {
  it("causal, not normalized: y[i] = Σ b[j]·x[i−j]", () => {
    // x = [0,1,2,3,4], b = [1,2]: y0 = 0, y1 = 1, y2 = 2 + 2·1 = 4, y3 = 3 + 2·2 = 7, y4 = 4 + 2·3 = 10.
    expect(one("series_fir(dynamic([0,1,2,3,4]), dynamic([1,2]), false)")).toEqual([0, 1, 4, 7, 10]);
  });

  it("normalizes by the coefficient sum by default (a 4-point moving average)", () => {
    // b = [1,1,1,1]/4 over [0,0,0,4,8,12,16]: 0, 0, 0, 4/4 = 1, 12/4 = 3, 24/4 = 6, 40/4 = 10.
    expect(one("series_fir(dynamic([0,0,0,4,8,12,16]), dynamic([1,1,1,1]))")).toEqual([0, 0, 0, 1, 3, 6, 10]);
  });

  it("documented moving average: the peak moves by (5−1)/2 = 2 bins unless centered", () => {
    const val = "dynamic([0,0,0,0,0,0,0,0,0,10,20,40,100,40,20,10,0,0,0,0,0,0,0,0])";
    // Window sums /5 around the spike 10,20,40,100,40,20,10 (indices 9..15): 10, 30, 70, 170, 210, 220, 210, 170, 70, 30, 10.
    const smoothed = [2, 6, 14, 34, 42, 44, 42, 34, 14, 6, 2];
    const causal = [...Array(9).fill(0), ...smoothed, ...Array(4).fill(0)];
    const centered = [...Array(7).fill(0), ...smoothed, ...Array(6).fill(0)];
    expect(one(`series_fir(${val}, dynamic([1,1,1,1,1]))`)).toEqual(causal);
    expect(one(`series_fir(${val}, dynamic([1,1,1,1,1]), true, true)`)).toEqual(centered);
    expect((causal as number[]).indexOf(44)).toBe(14);
    expect((centered as number[]).indexOf(44)).toBe(12);
  });

  it("documented difference filter [1,−1]; a negative coefficient makes normalize default to false", () => {
    const v = "dynamic([0,0,0,0,2,2,2,2,3,3,3,3])";
    const diff = [0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0];
    expect(one(`series_fir(${v}, dynamic([1,-1]), false, false)`)).toEqual(diff);
    expect(one(`series_fir(${v}, dynamic([1,-1]))`)).toEqual(diff);
    // "If filter contains negative values, then normalize must be specified as false, otherwise result will be null."
    expect(one(`series_fir(${v}, dynamic([1,-1]), true)`)).toBeNull();
  });

  it("centered, odd length: y[i] = Σ b[j]·x[i + (L−1)/2 − j]", () => {
    // [0,0,1,2,0,0] with [1,1,1]: y[i] = x[i−1] + x[i] + x[i+1] → 0, 1, 3, 3, 2, 0.
    expect(one("series_fir(dynamic([0,0,1,2,0,0]), dynamic([1,1,1]), false, true)")).toEqual([0, 1, 3, 3, 2, 0]);
  });

  it("refuses what the docs leave open", () => {
    // Windows reaching before the start / past the end over non-zero values: zero padding and renormalizing
    // would differ (a 2-point moving average of [2, 4] gives [1, 3] or [2, 3]).
    expect(unsupported("series_fir(dynamic([2,4]), dynamic([1,1]))")).toMatch(/before the start/);
    expect(unsupported("series_fir(dynamic([1,2,3]), dynamic([1,-1]), false)")).toMatch(/before the start/);
    expect(unsupported("series_fir(dynamic([0,0,3,4,5]), dynamic([1,1,1]), true, true)")).toMatch(/past the end/);
    expect(unsupported("series_fir(dynamic([0,1,0,0]), dynamic([1,1]), true, true)")).toMatch(/even-length/);
    expect(unsupported("series_fir(dynamic([1,null,3]), dynamic([1,1]))")).toMatch(/null, non-numeric/);
    expect(unsupported("series_fir(dynamic([]), dynamic([1,1]))")).toMatch(/empty series/);
    expect(unsupported("series_fir(dynamic([1,2]), dynamic([]))")).toMatch(/empty filter/);
    expect(unsupported("series_fir(dynamic([1,2]), dynamic([0,0]))")).toMatch(/sum to 0/);
    // A constant that is not an array is already a binder error (KS234).
    expect(() => one("series_fir(dynamic({'a':1}), dynamic([1]))")).toThrow(/must be a dynamic array/);
    expect(unsupported("series_fir(parse_json('{\"a\":1}'), dynamic([1]))")).toMatch(/not an array/);
  });
});

describe("series_outliers", () => {
  const F = 2.772605605507915; // the ctukey factor for the 10th/90th percentiles (see series-more.ts)

  it("reproduces Kusto's published scores (Stack Overflow 75264555, answered by the function's author)", () => {
    // Sorted: -3, 2.4, 3, 3.9, 4, 4, 4.5, 5, 5, 5, 5, 5.2, 6, 7, 15, 16 (n = 16). Rank 0.1·15 = 1.5 → p10 = 2.7,
    // rank 13.5 → p90 = 11: the answer's figures. The expected array is Kusto's output as quoted in the question.
    expect(one("series_outliers(dynamic([-3, 2.4, 15, 3.9, 5, 6, 4.5, 5.2, 3, 4, 5, 16, 7, 5, 5, 4]))")).toEqual([
      -1.9040785483608571, -0.10021466044004519, 1.3361954725339347, 0, 0, 0, 0, 0, 0, 0, 0, 1.6702443406674186,
      0, 0, 0, 0,
    ]);
  });

  it("scores the distance beyond the 10th/90th percentile fences in units of their range", () => {
    // n = 11 makes both ranks whole: sorted 0,1,…,8,10,30 → p10 = sorted[1] = 1, p90 = sorted[9] = 10, range 9.
    // 0 is 1 below p10 → −F/9; 30 is 20 above p90 → 20F/9; 10 sits on the fence → 0; the rest are inside.
    const r = one(`series_outliers(dynamic([10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 30]), "ctukey", -1, 10, 90)`) as number[];
    expect(r[1]).toBeCloseTo(-F / 9, 14);
    expect(r[10]).toBeCloseTo((20 * F) / 9, 14);
    expect(r.filter((_, i) => i !== 1 && i !== 10)).toEqual(Array(9).fill(0));
  });

  it("refuses the kinds, percentiles and inputs whose scores are not pinned", () => {
    expect(unsupported(`series_outliers(dynamic([1,2,3]), "tukey")`)).toMatch(/kind "tukey"/);
    expect(unsupported(`series_outliers(dynamic([1,2,3]), "ctukey", 0, 5, 95)`)).toMatch(/percentiles other than 10 and 90/);
    expect(unsupported("series_outliers(dynamic([1,null,3]))")).toMatch(/null, non-numeric/);
    expect(unsupported(`series_outliers(dynamic([1,0,3]), "ctukey", 0)`)).toMatch(/ignore value/);
    expect(unsupported("series_outliers(dynamic([5,5,5]))")).toMatch(/zero range/);
    expect(unsupported("series_outliers(dynamic([]))")).toMatch(/empty series/);
  });
});

describe("series functions left unsupported", () => {
  it("series_fft, series_ifft, series_fit_2lines(_dynamic) raise unsupported naming the function", () => {
    expect(unsupported("series_fft(dynamic([1,0,0,0]))")).toMatch(/series_fft/);
    expect(unsupported("series_ifft(dynamic([1,1,1,1]))")).toMatch(/series_ifft/);
    expect(unsupported("series_fit_2lines_dynamic(dynamic([1,2,3,10,20,30]))")).toMatch(/series_fit_2lines_dynamic/);
    expect(() => q("print y=dynamic([1,2,3,10,20,30]) | extend (rs, si) = series_fit_2lines(y)")).toThrow(/unsupported: function series_fit_2lines/);
  });
});
