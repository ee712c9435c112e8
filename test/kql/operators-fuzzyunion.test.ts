// union isfuzzy=true (union-operator.md): legs whose source does not resolve are dropped; the documented example
// runs in the conformance suite (union-isfuzzy-missing-view). Expected values computed by hand.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../src/kql/engine.js";
import { errorOf } from "./operators-util.js";

const V = "let V1 = view () { datatable(x:long)[1, 2] };\nlet V2 = view () { datatable(x:long, y:string)[3, \"a\"] };\n";

describe("union isfuzzy=true", () => {
  test("unresolved legs are dropped; the result has the surviving legs' columns", () => {
    const r = runQuery(`${V}union isfuzzy=true V1, (Missing | where x > 0), V2 | where x > 1`);
    expect(r.columns).toEqual([{ name: "x", type: "long" }, { name: "y", type: "string" }]);
    expect(r.rows).toEqual([[2, ""], [3, "a"]]);
    expect(runQuery(`${V}union isfuzzy=true V1, Missing | count`).rows).toEqual([[2]]);
  });

  test("all legs resolving: an ordinary union", () => {
    expect(runQuery(`${V}union isfuzzy=true V1, V1 | count`).rows).toEqual([[4]]);
  });

  test("refused or rejected: operators bound to the binder's schema, no resolvable leg", () => {
    expect(errorOf(`${V}union isfuzzy=true V1, Missing | extend z = 1`).kind).toBe("unsupported");
    expect(errorOf(`${V}union isfuzzy=true Missing1, Missing2`).kind).toBe("semantic");
  });
});
