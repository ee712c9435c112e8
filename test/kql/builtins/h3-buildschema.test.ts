// buildschema(). Expected value: the example of buildschema-aggregation-function.md; the rest by hand from its
// schema model (containers, "`indexer`" for array elements, union lists).
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";

const schema = (values: string) => runQuery(`datatable(value: dynamic) [${values}] | summarize buildschema(value)`);

describe("buildschema", () => {
  it("documented example", () => {
    const r = schema(`dynamic({"x":1, "y":3.5}), dynamic({"x":"somevalue", "z":[1, 2, 3]}),
      dynamic({"y":{"w":"zzz"}, "t":["aa", "bb"], "z":["foo"]})`);
    expect(r.columns).toEqual([{ name: "schema_value", type: "dynamic" }]);
    expect(JSON.stringify(r.rows[0]![0])).toBe('{"x":["long","string"],"y":["double",{"w":"string"}],"z":{"`indexer`":["long","string"]},"t":{"`indexer`":"string"}}');
  });
  it("nested arrays, primitives at the root, nulls skipped", () => {
    expect(schema(`dynamic([[1], [2, 3]]), dynamic(null)`).rows).toEqual([[{ "`indexer`": { "`indexer`": "long" } }]]);
    expect(schema(`dynamic(1), dynamic("a")`).rows).toEqual([[["long", "string"]]]);
  });
  it("refuses what the documentation leaves open", () => {
    expect(() => schema(`dynamic("a"), dynamic(1)`)).toThrow(/union order/);
    expect(() => schema(`dynamic({"a": true})`)).toThrow(/bool/);
    expect(() => schema(`dynamic({"a": []})`)).toThrow(/empty arrays/);
    expect(() => schema(`dynamic({"a": [1]}), dynamic({"a": {"b": 1}})`)).toThrow(/array in one value and a bag/);
    // No values: null, as summarize-operator.md's empty-input example shows (schema_x).
    expect(schema(`dynamic(null)`).rows).toEqual([[null]]);
  });
});
