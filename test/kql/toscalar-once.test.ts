// named-expressions.md: "Non-deterministic scalar functions can be forced to calculate exactly once by using
// toscalar()" — `let y = () {toscalar(rand(1000))}; print x, x, y, y` prints one value for both y. Each call of y
// compiled the body again, so the engine printed two different values.
import { describe, expect, it } from "vitest";
import { runQuery } from "../../src/kql/engine.js";

const rows = (q: string) => (runQuery(q) as { rows: unknown[][] }).rows;

describe("toscalar() inside a parameterless function is one value for every call", () => {
  it("two calls print the same rand() value", () => {
    expect(rows(`let y = () {toscalar(rand(1000))}; print a = y, b = y | project same = a == b`)).toEqual([[true]]);
  });
  it("per row too, and two functions keep their own values apart from their calls", () => {
    expect(rows(`let y = () {toscalar(rand(1000000))}; range i from 1 to 5 step 1 | extend v = y | summarize dcount(v)`)).toEqual([[1]]);
  });
  it("a function with parameters still evaluates per call (different arguments, different values)", () => {
    expect(rows(`let f = (n:long) { toscalar(range x from 1 to n step 1 | count) }; print a = f(2), b = f(5)`)).toEqual([[2, 5]]);
    expect(rows(`let f = (n:long) { let g = () { toscalar(range x from 1 to n step 1 | count) }; g }; print a = f(2), b = f(5)`)).toEqual([[2, 5]]);
  });
});
