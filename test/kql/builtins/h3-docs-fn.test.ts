// Helper H3 (docs-fn-c/d conformance cases): engine answers the cited pages do not settle are refused with an
// `unsupported` error naming the construct; the documented neighbours still answer. Expected values by hand.
import { describe, expect, test } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { formatJson } from "../../../src/kql/format.js";
import { errorOf } from "../operators-util.js";

const result = (q: string) => JSON.parse(formatJson(runQuery(q))) as { columns: { name: string }[]; rows: unknown[][] };

describe("column_ifexists() unnamed with the column missing (column-ifexists-function.md)", () => {
  const T = `datatable(State:string)["FLORIDA"]`;
  test("is refused in project, extend, summarize by and print: Kusto.Language names it Column1, the page State", () => {
    for (const q of [`${T} | project column_ifexists("Capital", State)`, `${T} | extend column_ifexists("Capital", "")`,
      `${T} | summarize count() by column_ifexists("Capital", State)`, `print column_ifexists("x", 1)`,
      `${T} | project (column_ifexists("Capital", State))`]) {
      const e = errorOf(q);
      expect(e.kind, q).toBe("unsupported");
      expect(e.message).toMatch(/unnamed column_ifexists\(\) of a missing column/);
    }
  });
  test("named, as a call argument, in where, or with the column present, it answers", () => {
    expect(result(`${T} | project c = column_ifexists("Capital", State)`)).toEqual({ columns: [{ name: "c", type: "string" }], rows: [["FLORIDA"]] });
    // Present: both readings name the column after itself.
    expect(result(`${T} | project column_ifexists("State", "x")`).columns.map((c) => c.name)).toEqual(["State"]);
    expect(result(`${T} | extend L = strlen(column_ifexists("Capital", "abc"))`).rows).toEqual([["FLORIDA", 3]]);
    expect(result(`${T} | where column_ifexists("Capital", State) == "FLORIDA"`).rows).toEqual([["FLORIDA"]]);
  });
});

describe("JSON objects repeating a key (parse-json-function.md, scalar-data-types/dynamic.md say nothing of it)", () => {
  test("are refused by parse_json/todynamic/extract_json and in dynamic literals: which value Kusto keeps is undocumented", () => {
    for (const q of [`print parse_json('{"a":1, "a":2}')`, `print todynamic('{"k":[1,{"x":1,"x":1}]}')`,
      `print parse_json('{"a":1, "\\\\u0061":2}')`, `print extract_json("$.b", '{"a":1,"b":2,"a":3}')`,
      `print dynamic({"a":1, "a":2})`, `datatable(d:dynamic)[dynamic({"k":{"x":1,"x":2}})]`]) {
      const e = errorOf(q);
      expect(e.kind, q).toBe("unsupported");
      expect(e.message).toMatch(/repeating (a|the) key/);
    }
  });
  test("the same key in different objects, colons and quotes inside strings, and __proto__ keys answer", () => {
    expect(result(`print a = parse_json('{"a":1, "b":{"a":2}, "c":[{"a":3},{"a":4}]}'), b = parse_json('{"t":"10:00:01", "u":"x\\\\":y", "v":":"}')`).rows)
      .toEqual([[{ a: 1, b: { a: 2 }, c: [{ a: 3 }, { a: 4 }] }, { t: "10:00:01", u: 'x":y', v: ":" }]]);
    // Compared as JSON text: an object literal's __proto__ would set the expectation's prototype instead.
    expect(JSON.stringify(result(`print p = parse_json('{"__proto__":1,"b":2}'), q = dynamic({"__proto__":1, "b":2})`).rows))
      .toBe('[[{"__proto__":1,"b":2},{"__proto__":1,"b":2}]]');
  });
});
