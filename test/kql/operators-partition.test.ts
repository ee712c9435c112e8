// partition (partition-operator.md): the subquery runs once per distinct key value over that key's rows and the
// results are unioned. Expected rows are computed by hand; row order across partitions is not defined by Kusto,
// so results are compared sorted.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf } from "./operators-util.js";

const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
const D = `datatable(State:string, Event:string, Injuries:long)[
  "WA", "Hail", 1, "WA", "Wind", 5, "WA", "Wind", 3, "WY", "Snow", 2, "WY", "Hail", 7, "WI", "Hail", 0]`;

describe("partition", () => {
  test("native: summarize and top per partition", () => {
    // WA: Wind 8, Hail 1 → Wind. WY: Hail 7, Snow 2 → Hail. WI: Hail 0.
    const r = runQuery(`${D} | partition hint.strategy=native by State (summarize Total = sum(Injuries) by Event | top 1 by Total)`);
    expect(r.columns.map((c) => c.name)).toEqual(["Event", "Total"]);
    expect(sorted(r.rows)).toEqual(sorted([["Wind", 8], ["Hail", 7], ["Hail", 0]]));
  });

  test("legacy (default) strategy with an implicit source; window functions restart per partition", () => {
    const r = runQuery(`${D} | partition by State (sort by Injuries asc | extend n = row_number() | project State, Event, n)`);
    expect(sorted(r.rows)).toEqual(sorted([
      ["WA", "Hail", 1], ["WA", "Wind", 2], ["WA", "Wind", 3], ["WY", "Snow", 1], ["WY", "Hail", 2], ["WI", "Hail", 1],
    ]));
  });

  test("scan per partition (the login/logout pattern of scan-operator.md)", () => {
    const r = runQuery(`datatable(u:int, e:string, t:long)[1, "in", 1, 2, "in", 2, 1, "out", 5, 2, "out", 9]
| partition hint.strategy=native by u (sort by t asc | scan declare (start:long, dur:long) with (
    step s1 output=none: e == "in" => start = t, dur = 0;
    step s2: e == "out" => start = s1.start, dur = t - s1.start;))
| project u, start, dur`);
    expect(sorted(r.rows)).toEqual(sorted([[1, 1, 4], [2, 2, 7]]));
  });

  test("the legacy strategy's 64-partition limit is an error", () => {
    const e = errorOf("range x from 1 to 65 step 1 | partition by x (count)");
    expect(e.kind).toBe("runtime");
    expect(runQuery("range x from 1 to 65 step 1 | partition hint.strategy=native by x (count)").rows.length).toBe(65);
  });

  test("refused: subqueries with their own source, operators outside the native list, null keys", () => {
    expect(errorOf(`${D} | partition by State { print x = 1 }`).kind).toBe("unsupported");
    expect(errorOf(`${D} | partition hint.strategy=native by State (as P | count)`).kind).toBe("unsupported");
    expect(errorOf("datatable(k:long, v:long)[1, 1, long(null), 2] | partition hint.strategy=native by k (count)").kind).toBe("unsupported");
  });
});
