// evaluate pivot (pivot-plugin.md) with an output schema. Expected values computed by hand; empty cells are 0 for
// count/sum as the reference's examples show.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf } from "./operators-util.js";

const E = 'datatable(State:string, EventType:string, D:long)["AL", "Wind", 3, "AL", "Wind", 4, "AK", "Wind", 1, "AK", "Cold", 2, "TX", "Hail", 9]';

describe("evaluate pivot", () => {
  test("count by default; values outside the schema are dropped but their groups stay", () => {
    const r = runQuery(`${E} | evaluate pivot(State) : (EventType:string, D:long, AK:long, AL:long)`);
    // Group columns are EventType and D (all but the pivot column): every row is its own group here.
    expect(r.rows).toEqual([["Wind", 3, 0, 1], ["Wind", 4, 0, 1], ["Wind", 1, 1, 0], ["Cold", 2, 1, 0], ["Hail", 9, 0, 0]]);
  });

  test("sum(D): the aggregation's column is not a group column", () => {
    const r = runQuery(`${E} | evaluate pivot(State, sum(D)) : (EventType:string, AK:long, AL:long)`);
    expect(r.rows).toEqual([["Wind", 1, 7], ["Cold", 2, 0], ["Hail", 0, 0]]);
  });

  test("explicit group columns", () => {
    const r = runQuery(`${E} | evaluate pivot(State, count(), EventType) : (EventType:string, AK:long, AL:long, TX:long)`);
    expect(r.rows).toEqual([["Wind", 1, 2, 0], ["Cold", 1, 0, 0], ["Hail", 0, 0, 1]]);
  });

  test("refused: no output schema, a schema that does not match, empty cells of other aggregations", () => {
    expect(errorOf(`${E} | evaluate pivot(State)`).message).toMatch(/without an output schema/);
    expect(errorOf(`${E} | evaluate pivot(State, sum(D)) : (EventType:string, AK:int)`).kind).toBe("unsupported");
    expect(errorOf(`${E} | where State != "TX" | evaluate pivot(State, max(D), EventType) : (EventType:string, AK:long, AL:long)`).message).toMatch(/cell without rows for max/);
  });
});
