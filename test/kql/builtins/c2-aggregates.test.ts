// Aggregates through the registry. Expected values come from the Kusto documentation examples
// (learn.microsoft.com/kusto/query/<name>-aggregation-function) or from the documented rules cited per test.
import { describe, expect, it } from "vitest";
import { getAggregate } from "../../../src/kql/builtins/index.js";
import { aggregate, ctx, dt, ts } from "./c2-helpers.js";
import { DynScalar, dynToPlain, type Dyn } from "../../../src/kql/values.js";

function multi(name: string, types: Parameters<typeof aggregate>[1], rows: Parameters<typeof aggregate>[2]) {
  const acc = getAggregate(name)!.create(types, ctx);
  for (const r of rows) acc.add(r);
  return acc.results!();
}

describe("counting", () => {
  it("count counts rows, countif only true predicates (null is not true)", () => {
    expect(aggregate("count", [], [[], [], []])).toBe(3);
    expect(aggregate("countif", ["bool"], [[true], [false], [null], [true]])).toBe(2);
    expect(aggregate("count", [], [])).toBe(0);
  });
  it("dcount / count_distinct ignore nulls and distinguish types", () => {
    expect(aggregate("dcount", ["long"], [[1], [2], [1], [null]])).toBe(2);
    expect(aggregate("dcount", ["string"], [["a"], ["A"], ["a"]])).toBe(2);
    expect(aggregate("dcountif", ["long", "bool"], [[1, true], [2, false], [3, true]])).toBe(2);
    expect(aggregate("count_distinct", ["datetime"], [[dt("2024-01-01")], [dt("2024-01-01")]])).toBe(1);
    expect(aggregate("dcount", ["long"], [])).toBe(0);
  });
  it("dcount's accuracy: 0..4 documented; other levels refused like hll()'s (was ignored)", () => {
    expect(aggregate("dcount", ["long", "int"], [[1, 4], [2, 4], [1, 4]])).toBe(2);
    expect(() => aggregate("dcount", ["long", "int"], [[1, 7]])).toThrow(/accuracy 7/);
    expect(() => aggregate("dcountif", ["long", "bool", "int"], [[1, true, -1]])).toThrow(/accuracy -1/);
  });
  it("distinct counts stay exact for many values and groups sharing one run's interner (sparse ↔ dense ids)", () => {
    const make = getAggregate("dcount")!.groups!(["long"], ctx);
    const a = make(), b = make(), c = make();
    // a: 0..9999 each twice (dense); b: every 97th value interned so far, then new ones (sparse, then dense);
    // c: values a never met, first after 10,000 others were interned (ids far from 0).
    for (let i = 0; i < 20_000; i++) a.add([i % 10_000]);
    for (let i = 0; i < 10_000; i += 97) b.add([i]);
    for (let i = 0; i < 5_000; i++) b.add([100_000 + i]);
    for (let i = 0; i < 3; i++) c.add([-1 - i]);
    for (let i = 0; i < 300; i++) c.add([i * 10_000]);
    expect(a.result()).toBe(10_000);
    expect(b.result()).toBe(Math.ceil(10_000 / 97) + 5_000);
    expect(c.result()).toBe(3 + 300);
    // A string "1" and a long 1 are different dynamic values.
    const d = getAggregate("dcount")!.groups!(["dynamic"], ctx)();
    for (const v of [1, "1", 1, "1", [1], { a: 1 }, [1]]) d.add([v]);
    expect(d.result()).toBe(4);
  });
});

describe("sum / avg / min / max", () => {
  it("sum ignores nulls; empty group is 0 (summarize default-values table)", () => {
    expect(aggregate("sum", ["long"], [[1], [null], [41]])).toBe(42);
    expect(aggregate("sum", ["real"], [])).toBe(0);
    expect(aggregate("sum", ["timespan"], [[ts("1h")], [ts("30m")], [ts("1tick")]])).toBe(ts("01:30:00.0000001"));
    expect(aggregate("sumif", ["long", "bool"], [[1, true], [10, false], [100, true]])).toBe(101);
    expect(getAggregate("sum")!.returns).toBeTypeOf("function");
  });
  it("sum refuses long results the engine cannot hold exactly", () => {
    expect(() => aggregate("sum", ["long"], [[2 ** 53], [2 ** 53]])).toThrow(/exact/);
  });
  it("avg is real for numbers, keeps datetime/timespan at 100 ns precision; empty → NaN (summarize-operator.md)", () => {
    expect(aggregate("avg", ["long"], [[1], [2], [null]])).toBe(1.5);
    expect(aggregate("avg", ["long"], [])).toBe(Number.NaN);
    expect(aggregate("avg", ["timespan"], [[ts("1tick")], [ts("3tick")]])).toBe(2n);
    expect(aggregate("avgif", ["real", "bool"], [[1, true], [100, false], [3, true]])).toBe(2);
  });
  it("min / max ignore nulls and keep the type", () => {
    expect(aggregate("max", ["long"], [[3], [null], [7], [5]])).toBe(7);
    expect(aggregate("min", ["datetime"], [[dt("2024-01-02")], [dt("2024-01-01T00:00:00.0000001")]])).toBe(dt("2024-01-01T00:00:00.0000001"));
    expect(aggregate("min", ["string"], [["b"], ["B"], ["a"]])).toBe("B");
    expect(aggregate("max", ["real"], [[null]])).toBe(null);
    expect(aggregate("maxif", ["long", "bool"], [[9, false], [2, true]])).toBe(2);
  });
});

describe("arg_max / arg_min", () => {
  // Documented null-handling example of arg_max (arg-max-aggregation-function.md):
  // Apple → 1, Red; Banana → null, Yellow (first row); Pear → 2, Green.
  const fruit: [string, string, number | null][] = [
    ["Apple", "Red", 1], ["Apple", "Green", null], ["Banana", "Yellow", null], ["Banana", "Green", null],
    ["Pear", "Brown", 1], ["Pear", "Green", 2],
  ];
  const per = (f: string) => fruit.filter((r) => r[0] === f).map((r) => [r[2], r[1]]);
  it("returns the winning row as [by, ...returned], first row when all keys are null", () => {
    expect(multi("arg_max", ["int", "string"], per("Apple"))).toEqual([1, "Red"]);
    expect(multi("arg_max", ["int", "string"], per("Banana"))).toEqual([null, "Yellow"]);
    expect(multi("arg_max", ["int", "string"], per("Pear"))).toEqual([2, "Green"]);
    expect(getAggregate("arg_max")!.outputs!(["int", "string", "long"])).toBe(3);
  });
  it("arg_min keeps the first of equal keys", () => {
    expect(multi("arg_min", ["long", "string"], [[2, "a"], [1, "b"], [1, "c"]])).toEqual([1, "b"]);
    expect(multi("arg_min", ["long", "string"], [])).toEqual([null, ""]);
  });
});

describe("take_any", () => {
  it("a single expression prefers a non-null, non-empty value (take-any docs, Remarks)", () => {
    expect(aggregate("take_any", ["string"], [[""], ["x"], ["y"]])).toBe("x");
    expect(aggregate("take_any", ["long"], [[null], [4]])).toBe(4);
    expect(aggregate("take_anyif", ["long", "bool"], [[1, false], [2, true]])).toBe(2);
  });
  it("several expressions come from one row", () => {
    expect(multi("take_any", ["long", "string"], [[null, "a"], [4, "b"]])).toEqual([null, "a"]);
  });
});

describe("make_list / make_set / make_bag", () => {
  it("maxSize outside the documented 1…1048576 is refused (was: 0 or a negative read as the default, larger clamped)", () => {
    for (const name of ["make_list", "make_set"]) {
      for (const bad of [0, -1, 1_048_577]) {
        expect(() => aggregate(name, ["long", "long"], [[1, bad], [2, bad]])).toThrow(/unsupported: maxSize/);
      }
      expect(aggregate(name, ["long", "long"], [[1, 1_048_576], [2, 1_048_576]])).toEqual([1, 2]);
    }
    expect(() => aggregate("make_bag", ["dynamic", "long"], [[{ a: 1 }, 0]])).toThrow(/unsupported: maxSize/);
  });
  it("make_list keeps order, drops nulls, honours maxSize (make-list docs example)", () => {
    const shapes = ["triangle", "square", "rectangle", "pentagon"];
    expect(aggregate("make_list", ["string"], shapes.map((s) => [s]))).toEqual(shapes);
    expect(aggregate("make_list", ["long", "long"], [[1, 2], [null, 2], [3, 2], [4, 2]])).toEqual([1, 3]);
    expect(aggregate("make_list_if", ["long", "bool"], [[1, true], [2, false]])).toEqual([1]);
    expect(aggregate("make_list", ["long"], [])).toEqual([]);
  });
  it("make_list keeps datetimes typed, rendered in dynamic's 7-digit form", () => {
    const list = aggregate("make_list", ["datetime"], [[dt("2007-01-01")]]) as Dyn[];
    expect(list[0]).toEqual(new DynScalar("datetime", dt("2007-01-01")));
    expect(dynToPlain(list)).toEqual(["2007-01-01T00:00:00.0000000Z"]);
    expect(dynToPlain(aggregate("make_list", ["timespan"], [[ts("1d")]]) as Dyn)).toEqual(["1.00:00:00"]);
  });
  it("the deprecated makelist/makeset default to 128 elements (make-list/make-set docs note)", () => {
    const rows = Array.from({ length: 200 }, (_, i) => [i]);
    expect((aggregate("makelist", ["long"], rows) as unknown[]).length).toBe(128);
    expect((aggregate("makeset", ["long"], rows) as unknown[]).length).toBe(128);
    expect((aggregate("make_set", ["long"], rows) as unknown[]).length).toBe(200);
    expect((aggregate("makeset", ["long", "long"], rows.map((r) => [r[0]!, 150])) as unknown[]).length).toBe(150);
  });
  it("make_list_with_nulls keeps nulls", () => {
    expect(aggregate("make_list_with_nulls", ["long"], [[1], [null]])).toEqual([1, null]);
  });
  it("make_set: distinct values, flattening dynamic arrays (make-set docs example)", () => {
    expect(aggregate("make_set", ["int"], [[1], [5], [7], [5]])).toEqual([1, 5, 7]);
    const arrs = [["A1", "A2", "A3"], ["A2", "C1"], ["C2", "A3"], ["C2", "A1"]];
    expect(aggregate("make_set", ["dynamic"], arrs.map((a) => [a]))).toEqual(["A1", "A2", "A3", "C1", "C2"]);
    expect(aggregate("make_set_if", ["long", "bool", "long"], [[1, true, 1], [2, true, 1]])).toEqual([1]);
  });
  it("make_bag merges bags, ignores non-bags", () => {
    expect(aggregate("make_bag", ["dynamic"], [[{ a: 1 }], [{ b: 2, a: 1 }], [[1]], [null]])).toEqual({ a: 1, b: 2 });
    // A key met again with another value: Kusto keeps an arbitrary one (make-bag-aggregation-function.md).
    expect(() => aggregate("make_bag", ["dynamic"], [[{ a: 1 }], [{ a: 3 }]])).toThrow(/arbitrary/);
    expect(aggregate("make_bag_if", ["dynamic", "bool"], [[{ a: 1 }, false], [{ b: 2 }, true]])).toEqual({ b: 2 });
  });
});

describe("variance family", () => {
  it("variance / stdev are sample statistics; variancep population", () => {
    const rows = [[2], [4], [4], [4], [5], [5], [7], [9]];
    expect(aggregate("variance", ["long"], rows)).toBeCloseTo(32 / 7, 12);
    expect(aggregate("variancep", ["long"], rows)).toBe(4);
    expect(aggregate("stdev", ["long"], rows)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(aggregate("stdevif", ["long", "bool"], [[1, true], [3, true], [100, false]])).toBeCloseTo(Math.SQRT2, 12);
    expect(aggregate("variance", ["long"], [])).toBe(0);
  });
});

describe("percentiles (nearest rank)", () => {
  // percentilesw docs: buckets 10×8, 20×6, 30×3, 40×1 → P50 = 20, P75 = 20, P99.9 = 40.
  const lat: [number, number][] = [[10, 8], [20, 6], [30, 3], [40, 1]];
  it("percentilesw matches the documented example", () => {
    expect(multi("percentilesw", ["long", "long", "long", "long", "real"], lat.map(([v, w]) => [v, w, 50, 75, 99.9]))).toEqual([20, 20, 40]);
  });
  it("percentiles over the expanded data give the same answer", () => {
    const rows = lat.flatMap(([v, w]) => Array.from({ length: w }, () => [v, 50, 75, 99.9]));
    expect(multi("percentiles", ["long", "long", "long", "real"], rows)).toEqual([20, 20, 40]);
    expect(aggregate("percentile", ["long", "long"], rows.map((r) => [r[0]!, 0]))).toBe(10);
    expect(aggregate("percentile", ["long", "long"], rows.map((r) => [r[0]!, 100]))).toBe(40);
  });
  it("percentiles_array returns a dynamic array; empty group → null", () => {
    const rows = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((x) => [x, [50, 90]]);
    expect(aggregate("percentiles_array", ["long", "dynamic"], rows)).toEqual([5, 9]);
    expect(aggregate("percentile", ["real", "long"], [])).toBe(null);
  });
  it("a percentile outside 0..100 in a dynamic array is an error like the listed form (was clamped to 100)", () => {
    const rows = [1, 2, 3].map((x) => [x, [50, 150]]);
    expect(() => aggregate("percentiles_array", ["long", "dynamic"], rows)).toThrow(/between 0 and 100, got 150/);
    expect(() => aggregate("percentiles_array", ["long", "dynamic"], [[1, ["a"]]])).toThrow(/got "a"/);
  });
  it("weights: 0 drops a value (repeated zero times); a negative weight is refused (was dropped silently)", () => {
    expect(aggregate("percentilew", ["long", "long", "long"], [[10, 0, 0], [20, 1, 0]])).toBe(20);
    expect(() => aggregate("percentilew", ["long", "long", "long"], [[10, -2, 50], [20, 1, 50]])).toThrow(/negative weight/);
  });
  it("percentile keeps datetime ticks exact", () => {
    const d = [dt("2024-01-01T00:00:00.0000001"), dt("2024-01-01T00:00:00.0000003"), dt("2024-01-01T00:00:00.0000002")];
    expect(aggregate("percentile", ["datetime", "long"], d.map((x) => [x, 50]))).toBe(d[2]);
  });
});

describe("binary_all_*", () => {
  it("folds with 64-bit semantics", () => {
    expect(aggregate("binary_all_and", ["long"], [[0b1110], [0b0111]])).toBe(0b0110);
    expect(aggregate("binary_all_or", ["long"], [[1], [4], [null]])).toBe(5);
    expect(aggregate("binary_all_xor", ["long"], [[3], [5]])).toBe(6);
    expect(aggregate("binary_all_or", ["long"], [[2 ** 40], [1]])).toBe(2 ** 40 + 1);
  });
});
