// Conditional and math builtins; expected values from each function's documentation page
// (learn.microsoft.com/kusto/query/<name>-function) unless the comment says otherwise.
import { describe, expect, it } from "vitest";
import { call, returnType, ts } from "./c2-helpers.js";

const B = "bool" as const, L = "long" as const, I = "int" as const, R = "real" as const, S = "string" as const;

describe("iff / case / coalesce", () => {
  it("iff picks a branch; a null condition selects else; result type widens", () => {
    expect(call("iff", [B, S, S], [true, "big", "small"])).toBe("big");
    expect(call("iif", [B, S, S], [false, "big", "small"])).toBe("small");
    expect(call("iff", [B, L, L], [null, 1, 2])).toBe(2);
    expect(returnType("iff", [B, I, R])).toBe("real");
    expect(call("iff", [B, S, "dynamic"], [false, "x", { a: 1 }])).toBe('{"a":1}');
  });
  it("case (case-function.md): first true predicate, else the last argument", () => {
    const size = (n: number) => call("case", [B, S, B, S, S], [n <= 3, "Small", n <= 10, "Medium", "Large"]);
    expect([size(1), size(5), size(20)]).toEqual(["Small", "Medium", "Large"]);
    expect(call("case", [B, L, L], [null, 1, 2])).toBe(2);
  });
  it("coalesce (coalesce-function.md): first non-null, first non-empty for strings", () => {
    expect(call("coalesce", [L, L, L], [null, 42, 33])).toBe(42);
    expect(call("coalesce", [S, S, S], ["", "", "x"])).toBe("x");
    expect(call("coalesce", [L, L], [null, null])).toBe(null);
    expect(call("coalesce", [S, S], ["", ""])).toBe("");
    expect(call("coalesce", ["dynamic", "dynamic"], ["", [1]])).toBe(""); // a dynamic "" is a value, not null
  });
});

describe("isnull / isempty family", () => {
  it("strings are never null; empty string is empty (isnull/isempty docs)", () => {
    expect(call("isnull", [S], [""])).toBe(false);
    expect(call("isnotnull", [S], [""])).toBe(true);
    expect(call("isempty", [S], [""])).toBe(true);
    expect(call("isempty", [S], ["x"])).toBe(false);
    expect(call("isnotempty", [S], ["x"])).toBe(true);
  });
  it("other types: null is null and empty; dynamic [] and {} are not empty", () => {
    expect(call("isnull", [L], [null])).toBe(true);
    expect(call("isnull", [L], [0])).toBe(false);
    expect(call("isempty", ["dynamic"], [null])).toBe(true);
    expect(call("isempty", ["dynamic"], [[]])).toBe(false);
    expect(call("isempty", ["dynamic"], [{}])).toBe(false);
    expect(call("notnull", ["datetime"], [0n])).toBe(true);
  });
  it("not() propagates null", () => {
    expect(call("not", [B], [true])).toBe(false);
    expect(call("not", [B], [null])).toBe(null);
  });
  it("new_guid is a v4 guid from the seeded source", () => {
    expect(call("new_guid", [], [])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("rounding", () => {
  it("round (round-function.md)", () => {
    expect(call("round", [R, L], [2.98765, 3])).toBe(2.988);
    expect(call("round", [R, L], [2.15, 1])).toBe(2.2);
    expect(call("round", [R], [2.15])).toBe(2);
    expect(call("round", [R, L], [-50.55, -2])).toBe(-100);
    expect(call("round", [R, L], [21.5, -1])).toBe(20);
    expect(returnType("round", [L])).toBe("long");
  });
  it("ceiling keeps the type", () => {
    expect(call("ceiling", [R], [-1.1])).toBe(-1);
    expect(call("ceiling", [R], [1.1])).toBe(2);
    expect(returnType("ceiling", [I])).toBe("int");
  });
  it("abs: integral → long, timespan → timespan", () => {
    expect(call("abs", [I], [-5])).toBe(5);
    expect(returnType("abs", [I])).toBe("long");
    expect(call("abs", [R], [-1.5])).toBe(1.5);
    expect(call("abs", ["timespan"], [ts("-1.5h")])).toBe(ts("1.5h"));
  });
});

describe("exponentials, logs, trigonometry", () => {
  it("log(5) (log-function.md) and negative arguments → null", () => {
    expect(call("log", [L], [5])).toBe(1.6094379124341003);
    expect(call("log", [L], [-1])).toBe(null);
    expect(call("log10", [L], [100])).toBe(2);
    // Correct rounding: the documented series_log([1,2,3]) gives ln 3 = 1.0986122886681098 (V8's Math.log is one
    // ulp below); log2(3) and exp(-700) are the correctly rounded doubles (checked with Python's decimal module).
    expect(call("log", [L], [3])).toBe(1.0986122886681098);
    expect(call("log2", [L], [3])).toBe(1.584962500721156);
    expect(call("exp", [L], [-700])).toBe(9.85967654375977e-305);
    expect(call("pow", [R, R], [-2, 3])).toBe(-8);
    expect(call("pow", [R, R], [2, 0.5])).toBe(Math.SQRT2);
    expect(call("log2", [L], [8])).toBe(3);
    expect(call("sqrt", [L], [-1])).toBe(null);
    expect(call("sqrt", [L], [256])).toBe(16);
  });
  it("exp family, pow, pi, degrees/radians, sign", () => {
    expect(call("exp2", [L], [3])).toBe(8);
    expect(call("exp10", [L], [2])).toBe(100);
    expect(call("pow", [L, L], [2, 3])).toBe(8);
    expect(returnType("pow", [L, L])).toBe("real");
    expect(call("pi", [], [])).toBe(Math.PI);
    expect(call("degrees", [R], [Math.PI / 4])).toBe(45);
    expect(call("radians", [L], [90])).toBe(1.5707963267948966);
    expect([call("sign", [L], [-42]), call("sign", [L], [0]), call("sign", [R], [11.2])]).toEqual([-1, 0, 1]);
    expect(call("atan2", [R, R], [1, 1])).toBe(Math.PI / 4);
    expect(call("cot", [L], [1])).toBe(0.64209261593433065); // cot-function.md
    // Correctly rounded where V8's Math differs by one ulp (reference values: mpmath at 300 bits).
    expect(call("sin", [R], [17 / 7])).toBe(0.6541219745065957);
    expect(call("cos", [R], [27 / 7])).toBe(-0.754732403905234);
    expect(call("atan", [R], [15 / 7])).toBe(1.1341691669813552);
    expect(call("atan2", [R, R], [0, -1])).toBe(Math.PI); // atan2-function.md
    expect(call("atan2", [R, R], [-1, 0])).toBe(-Math.PI / 2);
  });
  it("acos / asin outside [-1, 1] are null (acos-function.md, asin-function.md); NaN is refused", () => {
    // Was NaN (the C library's answer) where both pages' Returns sections say null.
    expect(call("acos", [R], [1.5])).toBe(null);
    expect(call("asin", [R], [-2])).toBe(null);
    expect(call("acos", [R], [-1])).toBe(Math.PI);
    expect(call("asin", [R], [0.5])).toBe(0.5235987755982989); // pi/6, not the page's erratum 1.2532…
    expect(() => call("acos", [R], [NaN])).toThrow(/acos\(\) of NaN/);
  });
  it("isnan / isinf / isfinite", () => {
    expect(call("isnan", [R], [NaN])).toBe(true);
    expect(call("isinf", [R], [-Infinity])).toBe(true);
    expect(call("isfinite", [R], [1])).toBe(true);
    // "false otherwise" (the pages) or null (null propagation): a null argument is refused.
    expect(() => call("isfinite", [R], [null])).toThrow(/isfinite\(\) of null/);
  });
});

describe("min_of / max_of (min-of-function.md, max-of-function.md)", () => {
  it("documented examples", () => {
    expect(call("min_of", [L, L, L, L], [10, 1, -3, 17])).toBe(-3);
    expect(call("max_of", [L, L, L, L], [10, 1, -3, 17])).toBe(17);
    const rows: [number | null, number | null, number | null][] = [[5, 2, 2], [10, 1, 1], [null, 3, 3], [1, null, 1], [null, null, null]];
    for (const [a, b, want] of rows) expect(call("min_of", [I, I], [a, b])).toBe(want);
  });
  it("works on datetimes and strings", () => {
    expect(call("max_of", ["datetime", "datetime"], [1n, 2n])).toBe(2n);
    expect(call("min_of", [S, S], ["b", "a"])).toBe("a");
  });
});

describe("bitwise", () => {
  it("binary_* and bitset_count_ones (docs examples)", () => {
    expect(call("binary_and", [L, L], [1, 3])).toBe(1);
    expect(call("binary_or", [L, L], [1, 2])).toBe(3);
    expect(call("binary_xor", [L, L], [1, 3])).toBe(2);
    expect(call("binary_not", [L], [100])).toBe(-101);
    expect(call("binary_shift_left", [L, L], [1, 2])).toBe(4);
    expect(call("binary_shift_right", [L, L], [8, 2])).toBe(2);
    expect(call("bitset_count_ones", [L], [42])).toBe(3);
    expect(call("bitset_count_ones", [L], [-1])).toBe(64);
    expect(call("binary_and", [L, L], [2 ** 40 + 1, 2 ** 40])).toBe(2 ** 40);
  });
});

describe("rand", () => {
  it("rand() in [0,1); rand(N) an integer below N", () => {
    const r = call("rand", [], []) as number;
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(1);
    const n = call("rand", [L], [10]) as number;
    expect(Number.isInteger(n) && n >= 0 && n < 10).toBe(true);
    expect(call("rand", [L], [1])).toBe(0); // the set {0.0}
  });
  it("rand(N) for N < 1 is refused (the documented set is empty; was null)", () => {
    expect(() => call("rand", [L], [0])).toThrow(/rand\(0\)/);
    expect(() => call("rand", [L], [-3])).toThrow(/N < 1/);
  });
});
