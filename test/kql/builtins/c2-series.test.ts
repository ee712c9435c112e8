// Element-wise series_* functions; expected values are the documented examples (series-*-function.md).
import { describe, expect, it } from "vitest";
import { call } from "./c2-helpers.js";
import { DynScalar } from "../../../src/kql/values.js";

const Y = "dynamic" as const, R = "real" as const, L = "long" as const;
/** A whole-valued real inside a dynamic value (values.ts DynScalar). */
const r = (n: number) => new DynScalar("real", n);

describe("series_* element-wise", () => {
  it("series_add / series_divide documented rows", () => {
    expect(call("series_add", [Y, Y], [[1, 2, 4], [4, 2, 1]])).toEqual([5, 4, 5]);
    expect(call("series_divide", [Y, Y], [[3, 6, 12], [12, 6, 3]])).toEqual([0.25, r(1), r(4)]); // [0.25,1.0,4.0]
    expect(call("series_divide", [Y, Y], [[2], [0]])).toEqual([Infinity]);
  });
  it("non-numeric or missing elements give null elements; scalars broadcast", () => {
    expect(call("series_subtract", [Y, Y], [[5, "x", 3], [1, 1]])).toEqual([4, null, null]);
    // A real scalar makes real elements (whole ones tagged, values.ts).
    expect(call("series_multiply", [Y, R], [[1, 2, 3], 2])).toEqual([r(2), r(4), r(6)]);
    expect(call("series_multiply", [R, Y], [2, [1, null]])).toEqual([r(2), null]);
    expect(call("series_add", [Y, Y], ["not an array", [1]])).toEqual([null]);
  });
  it("comparisons give booleans (series-greater-function.md)", () => {
    expect(call("series_greater", [Y, Y], [[1, 2, 4], [4, 2, 1]])).toEqual([false, false, true]);
    expect(call("series_equals", [Y, Y], [[1, 2], [1, 3]])).toEqual([true, false]);
  });
  it("unary functions (series-log-function.md)", () => {
    expect(call("series_log", [Y], [[1, 2, 3]])).toEqual([r(0), 0.69314718055994529, 1.0986122886681098]);
    expect(call("series_abs", [Y], [[-1, "a", 2]])).toEqual([1, null, 2]);
    expect(call("series_sign", [Y], [[-3, 0, 7]])).toEqual([-1, 0, 1]);
    // series-ceiling/floor-function.md: `[-1.5,1,2.5]` → `[-1.0,1.0,3.0]` / `[-2.0,1.0,2.0]` — the long 1 becomes
    // a real (was kept a long, printed `1`).
    expect(call("series_ceiling", [Y], [[-1.5, 1, 2.5]])).toEqual([r(-1), r(1), r(3)]);
    expect(call("series_floor", [Y], [[-1.5, 1, 2.5]])).toEqual([r(-2), r(1), r(2)]);
  });
  it("a NaN or infinite element result is refused (the pages document null only for non-numeric elements)", () => {
    // Was written as a NaN element (printed as null): series_acos of 2, series_log of 0.
    expect(() => call("series_acos", [Y], [[2, 0.5]])).toThrow(/series_acos\(\) of element 2/);
    expect(() => call("series_log", [Y], [[0, 1]])).toThrow(/-Infinity/);
    expect(call("series_acos", [Y], [[-1, 0, 1]])).toEqual([3.141592653589793, 1.5707963267948966, r(0)]); // series-acos-function.md
    expect(call("series_asin", [Y], [["a", null, 1]])).toEqual([null, null, 1.5707963267948966]);
  });
  it("series_sum (series-sum-function.md), product, magnitude", () => {
    expect(call("series_sum", [Y], [[1, 2, 3, 4]])).toBe(10);
    expect(call("series_product", [Y], [[1, 2, 3, 4]])).toBe(24);
    expect(call("series_magnitude", [Y], [[3, 4]])).toBe(5);
  });
  it("series_sum / product / magnitude refuse empty arrays and null or non-numeric elements (were skipped: 0, 1, 0)", () => {
    expect(() => call("series_sum", [Y], [[1, "a"]])).toThrow(/series_sum\(\) of an array with a null or non-numeric element/);
    expect(() => call("series_product", [Y], [[2, null]])).toThrow(/non-numeric/);
    expect(() => call("series_magnitude", [Y], [[]])).toThrow(/empty array/);
  });
  it("series_fill_* refuse non-numeric elements (a string was used as a fill value)", () => {
    expect(() => call("series_fill_backward", [Y], [[null, "a", 3]])).toThrow(/series_fill_backward\(\) of an array with a non-numeric element/);
    expect(() => call("series_fill_const", [Y, L], [[null, true], 1])).toThrow(/non-numeric/);
    // series-fill-backward-function.md's example.
    expect(call("series_fill_backward", [Y], [[111, null, 36, 41, null, null, 16, 61, 33, null, null]]))
      .toEqual([111, 36, 36, 41, 16, 16, 16, 61, 33, null, null]);
  });
  it("series_stats_dynamic reproduces the documented example bit for bit", () => {
    const x = [23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29];
    expect(call("series_stats_dynamic", [Y], [x])).toEqual({
      min: r(2), min_idx: 8, max: r(87), max_idx: 3, avg: 32.8, stdev: 28.503633853548269, variance: 812.45714285714291, sum: r(492), len: 15,
    });
    expect(call("series_stats_dynamic", [Y], [[1, null]])).toBe(null);
  });
  it("series_fill_forward / backward / const", () => {
    const s = [null, null, 36, 41, null, null, 16, 61, 33, null, null];
    expect(call("series_fill_forward", [Y], [s])).toEqual([null, null, 36, 41, 41, 41, 16, 61, 33, 33, 33]);
    expect(call("series_fill_backward", [Y], [s])).toEqual([36, 36, 36, 41, 16, 16, 16, 61, 33, null, null]);
    expect(call("series_fill_const", [Y, R], [s, 0])).toEqual([r(0), r(0), 36, 41, r(0), r(0), 16, 61, 33, r(0), r(0)]); // a real constant
    expect(call("series_fill_forward", [Y, R], [[1, -1, 3], -1])).toEqual([1, 1, 3]);
  });
});
