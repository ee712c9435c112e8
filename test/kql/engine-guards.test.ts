// The engine's guards against silently wrong answers: constructs whose Kusto semantics the engine cannot
// reproduce are refused (unsupported / semantic, with line:col), and an internal failure inside an operator is a
// runtime KqlError naming the operator. Expected values come from the KQL reference pages named per test.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf } from "./operators-util.js";


const AB = `let A = datatable(x:long, y:string)[1, "a"];
let B = datatable(x:long, z:string)[2, "b"];
`;

describe("union (union-operator.md)", () => {
  test("kind=inner keeps only the common columns, also after where/sort/take", () => {
    const r = runQuery(`${AB}union kind=inner A, B | where x > 0 | order by x asc | take 5`);
    expect(r.columns.map((c) => c.name)).toEqual(["x"]);
    expect(r.rows).toEqual([[1], [2]]);
  });
  test("kind=inner with differing inputs followed by an operator bound to the binder's wider schema is refused", () => {
    const e = errorOf(`${AB}union kind=inner A, B | extend w = 1`);
    expect(e.kind).toBe("unsupported");
    expect(e.message).toMatch(/union kind=inner .* at 3:1$/);
  });
  test("kind=inner over identical schemas runs", () => {
    expect(runQuery(`${AB}union kind=inner A, A | extend w = 1`).rows).toEqual([[1, "a", 1], [1, "a", 1]]);
  });
  test("a column named like a renamed one is only renamed when the types really differ", () => {
    // x and x_long are both long here: no type mismatch, so no renaming (union-operator.md).
    const same = runQuery(`let V1 = view () { print x=1 };
let V3 = view () { print x_long=3 };
union V1, V3`);
    expect(same.columns.map((c) => c.name)).toEqual(["x", "x_long"]);
    expect(same.rows).toEqual([[1, null], [null, 3]]);
    // With a string x as well, x becomes x_long1 / x_string beside V3's own x_long (the page's example shape).
    const mixed = runQuery(`let V1 = view () { print x=1 };
let V2 = view () { print x="a" };
let V3 = view () { print x_long=3 };
union V1, V2, V3`);
    expect(mixed.columns.map((c) => `${c.name}:${c.type}`)).toEqual(["x_long1:long", "x_string:string", "x_long:long"]);
    expect(mixed.rows).toEqual([[1, "", null], [null, "a", null], [null, "", 3]]);
  });
});

describe("window functions need a serialized row set (window-functions.md)", () => {
  test("row_number() right after summarize is a semantic error at the call", () => {
    const e = errorOf("range x from 1 to 3 step 1\n| summarize c = count() by x\n| extend rn = row_number()");
    expect(e.kind).toBe("semantic");
    expect([e.line, e.column]).toEqual([3, 15]);
  });
  test("sort restores serialization; where/extend preserve it", () => {
    const r = runQuery("range x from 1 to 3 step 1 | summarize c = count() by x | order by x asc | where x > 1 | extend rn = row_number()");
    expect(r.rows).toEqual([[2, 1, 1], [3, 1, 2]]);
  });
});

describe("innerunique join with a filter on left columns (join-innerunique.md)", () => {
  const q = `let t1 = datatable(key: long, value: string)[1, "val1.1", 1, "val1.2"];
let t2 = datatable(key: long, value: string)[1, "val1.3", 1, "val1.4"];
t1 | join kind=innerunique t2 on key | where `;
  test("the filter applies before the left side is de-duplicated", () => {
    expect(runQuery(q + `value == "val1.2"`).rows).toEqual([[1, "val1.2", 1, "val1.3"], [1, "val1.2", 1, "val1.4"]]);
  });
  test("a filter on right columns is not pushed (first left row per key)", () => {
    expect(runQuery(q + `value1 == "val1.4"`).rows).toEqual([[1, "val1.1", 1, "val1.4"]]);
  });
});

describe("dynamic values holding datetimes (scalar-data-types/dynamic.md)", () => {
  test("gettype() of a datetime inside a dynamic literal is 'datetime' (the member stays typed)", () => {
    const r = runQuery(`print d=dynamic({"a": datetime(1970-05-11)}) | project ty = gettype(d.a)`);
    expect(r.rows).toEqual([["datetime"]]);
  });
  test("todatetime() of it still works, and gettype() of ordinary strings answers", () => {
    const r = runQuery(`print d=dynamic({"a": datetime(1970-05-11), "s": "x"}) | project t = todatetime(d.a), ty = gettype(d.s)`);
    expect(r.rows).toEqual([[112320000000000n, "string"]]);
  });
});

describe("mv-expand limit and internal errors", () => {
  test("mv-expand … limit n keeps the first n elements", () => {
    expect(runQuery("print d=dynamic([1,2,3]) | mv-expand d limit 2").rows).toEqual([[1], [2]]);
  });
  test("a runtime failure names the operator that raised it and its position", () => {
    // (Integer division by zero, used here before, is now refused as unsupported: see integers.test.ts.)
    const e = errorOf("range x from 1 to 100 step 1 | where x > 0 | partition by x (take 1)");
    expect(e.kind).toBe("runtime");
    expect(e.message).toBe("partition: the legacy strategy allows at most 64 distinct key values (found 100); use hint.strategy=native (in partition at 1:46)");
  });
  test("a refusal raised while rows stream into summarize/count is placed at the operator that raised it", () => {
    // rand(0) is refused at run time (rand-function.md: the set {0.0, …, N-1} is empty), here in the extend at 1:30.
    for (const tail of ["summarize count()", "count", "summarize count() by y", "project y", "where y > 1 | count"]) {
      const e = errorOf(`range x from 1 to 2 step 1 | extend y = rand(x-1) | ${tail}`);
      expect(e.kind).toBe("unsupported");
      expect(e.message).toMatch(/\(in extend\) at 1:30$/);
    }
    expect(errorOf("print rand(0)").message).toMatch(/ at 1:1$/);
  });
});
