// sample / sample-distinct (sample-operator.md, sample-distinct-operator.md): random picks from the run's random
// source, repeatable under the `seed` option. Kusto's picks are random, so only counts, membership and
// distinctness are asserted, plus repeatability under one seed.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf } from "./operators-util.js";

describe("sample", () => {
  test("N rows of the input, in input order, the same rows for the same seed", () => {
    const q = "range x from 1 to 100 step 1 | sample 5";
    const a = runQuery(q, { seed: 7 }).rows;
    expect(a).toHaveLength(5);
    for (const [x] of a) expect(x).toBeGreaterThanOrEqual(1);
    expect(a.map(([x]) => x as number)).toEqual(a.map(([x]) => x as number).sort((p, q2) => p - q2));
    expect(new Set(a.map(([x]) => x)).size).toBe(5);
    expect(runQuery(q, { seed: 7 }).rows).toEqual(a);
  });

  test("fewer rows than N: all of them", () => {
    expect(runQuery("range x from 1 to 3 step 1 | sample 10", { seed: 1 }).rows).toEqual([[1], [2], [3]]);
  });

  test("a negative count is refused", () => {
    expect(errorOf("range x from 1 to 3 step 1 | sample -1").kind).toBe("unsupported");
  });
});

describe("sample-distinct", () => {
  test("up to N distinct values of the expression", () => {
    const r = runQuery("range x from 1 to 100 step 1 | extend y = x % 7 | sample-distinct 4 of y", { seed: 3 });
    expect(r.columns).toEqual([{ name: "y", type: "long" }]);
    const ys = r.rows.map(([y]) => y as number);
    expect(ys).toHaveLength(4);
    expect(new Set(ys).size).toBe(4);
    for (const y of ys) expect(y >= 0 && y < 7).toBe(true);
    const all = runQuery("datatable(s:string)['a', 'b', 'a'] | sample-distinct 5 of s", { seed: 3 }).rows;
    expect(all).toEqual([["a"], ["b"]]);
  });
});
