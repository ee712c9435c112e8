// top-nested (top-nested-operator.md). The documented self-contained example runs in the conformance suite
// (top-nested-latest-per-identity); these expectations are computed by hand from the operator's definition.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf } from "./operators-util.js";

const D = `datatable(State:string, Event:string, Damage:long)[
  "CA", "Fire", 100, "CA", "Wind", 30, "CA", "Fire", 50, "OK", "Ice", 80, "OK", "Flood", 20, "TX", "Hail", 10]`;

describe("top-nested", () => {
  test("top 2 states by total damage, then the top event of each", () => {
    // State sums: CA 180, OK 100, TX 10. CA: Fire 150, Wind 30; OK: Ice 80, Flood 20.
    const r = runQuery(`${D} | top-nested 2 of State by sum(Damage), top-nested 1 of Event by sum(Damage)`);
    expect(r.columns.map((c) => c.name)).toEqual(["State", "aggregated_State", "Event", "aggregated_Event"]);
    expect(r.rows).toEqual([["CA", 180, "Fire", 150], ["OK", 100, "Ice", 80]]);
  });

  test("asc, named and algebraic aggregations, no N", () => {
    expect(runQuery(`${D} | top-nested 1 of State by sum(Damage) asc`).rows).toEqual([["TX", 10]]);
    const r = runQuery(`${D} | top-nested 1 of S = State by Twice = sum(Damage) * 2`);
    expect(r.columns.map((c) => c.name)).toEqual(["S", "Twice"]);
    expect(r.rows).toEqual([["CA", 360]]);
    expect(runQuery(`${D} | top-nested of State by count()`).rows).toEqual([["CA", 3], ["OK", 2], ["TX", 1]]);
  });

  test("empty input gives no rows", () => {
    expect(runQuery(`${D} | where Damage < 0 | top-nested 2 of State by sum(Damage)`).rows).toEqual([]);
  });

  test("a cut between tied aggregates is refused; a tie inside the kept groups is fine", () => {
    const e = errorOf('datatable(a:string)["x", "y", "z", "z"] | top-nested 2 of a by count()');
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/tie at 1:\d+$/);
    expect(runQuery('datatable(a:string)["x", "y", "z"] | top-nested 3 of a by count()').rows.length).toBe(3);
  });

  test("null values of the clause's expression are refused", () => {
    expect(errorOf("datatable(k:long)[1, long(null)] | top-nested of k by count()").message).toMatch(/over null values/);
  });

  test("with others is refused", () => {
    expect(errorOf(`${D} | top-nested 1 of State with others = "rest" by sum(Damage)`).kind).toBe("unsupported");
  });
});
