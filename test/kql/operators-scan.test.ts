// scan (scan-operator.md): the documented examples run in the conformance suite (cases/scan.yaml); these tests
// cover the matching logic's corners, derived by hand from the reference's "Scan logic" section, and the inputs
// whose Kusto behaviour the reference leaves open, which the engine refuses.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf } from "./operators-util.js";

const XS = "datatable(x:long)[1, 2, 1, 2, 2]";

describe("scan matching logic", () => {
  test("Check 1 promotes a sequence; Check 2 extends it; a new first-step match starts the next match id", () => {
    // r1 starts match 0 at s1; r2 advances it to s2; r3 starts match 1; r4 advances match 1 to s2 (discarding
    // match 0's state there); r5 extends match 1 at s2.
    const r = runQuery(`${XS} | scan with_match_id=m with (step s1: x == 1; step s2: x == 2;)`);
    expect(r.columns).toEqual([{ name: "x", type: "long" }, { name: "m", type: "long" }]);
    expect(r.rows).toEqual([[1, 0], [2, 0], [1, 1], [2, 1], [2, 1]]);
  });

  test("a record matching several steps is output once per step, last step first", () => {
    // Both steps accept every record: r1 starts match 0 at s1. r2: s2 takes match 0 (Check 1), then s1 (now
    // empty) starts match 1. r3: s2 takes match 1 (Check 1, discarding match 0), s1 starts match 2.
    const r = runQuery("range x from 1 to 3 step 1 | scan with_match_id=m with (step a: true; step b: true;)");
    expect(r.rows).toEqual([[1, 0], [2, 0], [2, 1], [3, 1], [3, 2]]);
  });

  test("state reads of an empty step give the declared default, and null for input columns", () => {
    const r = runQuery(`datatable(x:long)[5, 7]
| scan declare (prev:long = -1, seen:long) with (step s: true => prev = s.x, seen = iff(isnull(s.seen), 0, s.seen + 1);)`);
    expect(r.rows).toEqual([[5, null, 0], [7, 5, 1]]);
  });

  test("output=none steps advance the state without output rows", () => {
    const r = runQuery(`datatable(e:string)["login", "x", "logout", "logout"]
| scan declare (start:string) with (
    step s1 output=none: e == "login" => start = e;
    step s2: e == "logout" => start = s1.start;
)`);
    // The second logout extends s2's active sequence (Check 2), whose s1 row still holds "login".
    expect(r.rows).toEqual([["logout", "login"], ["logout", "login"]]);
  });

  test("a later step's state is cleared when a new sequence is promoted into it", () => {
    const r = runQuery(`datatable(x:long)[1, 3, 1, 3]
| scan with_match_id=id declare (f0:long) with (
    step s1 output=none: x == 1 => f0 = x;
    step s2: x == 3 and s1.f0 == 1 => f0 = s1.f0;
)`);
    expect(r.rows).toEqual([[3, 1, 0], [3, 1, 1]]);
  });

  test("empty input gives an empty result with the declared columns", () => {
    const r = runQuery("datatable(x:long)[] | scan with_match_id=m declare (y:long = 0) with (step s: true => y = x;)");
    expect(r.columns.map((c) => c.name)).toEqual(["x", "y", "m"]);
    expect(r.rows).toEqual([]);
  });
});

describe("scan: inputs the reference leaves open are refused", () => {
  test("output=last", () => {
    const e = errorOf("range x from 1 to 3 step 1 | scan with (step s output=last: true;)");
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/output=last at 1:\d+$/);
  });

  test("an outputting step that leaves a declared column unassigned", () => {
    const e = errorOf("range x from 1 to 3 step 1 | scan declare (a:long, b:long) with (step s: true => a = x;)");
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/without assigning every declared column/);
  });

  test("a state read of a declared column the step does not assign", () => {
    const e = errorOf(`range x from 1 to 3 step 1 | scan declare (a:long, b:long) with (
    step s1 output=none: true => a = x;
    step s2: true => a = s1.a, b = s1.b;)`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/s1\.b that step 's1' does not assign/);
  });

  test("a condition that is not a bool", () => {
    expect(errorOf("range x from 1 to 3 step 1 | scan with (step s: x;)").message).toMatch(/condition of type long/);
  });

  test("an unqualified read of a declared column", () => {
    const e = errorOf("range x from 1 to 3 step 1 | scan declare (a:long = 0) with (step s: true => a = a + x;)");
    expect(e.kind).toBe("unsupported");
  });

  test("without with_match_id, an operator bound to Kusto.Language's extra match_id column", () => {
    const e = errorOf("range x from 1 to 3 step 1 | scan with (step s: true;) | extend y = 1");
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/match_id/);
    expect(runQuery("range x from 1 to 3 step 1 | scan with (step s: x > 1;) | count").rows).toEqual([[2]]);
    expect(runQuery("range x from 1 to 3 step 1 | scan with (step s: x > 1;) | summarize max(x)").rows).toEqual([[3]]);
    // Row filters after the scan keep the documented schema.
    const r = runQuery("range x from 1 to 3 step 1 | scan with (step s: x > 1;) | where x < 3");
    expect(r.columns.map((c) => c.name)).toEqual(["x"]);
    expect(r.rows).toEqual([[2]]);
  });
});
