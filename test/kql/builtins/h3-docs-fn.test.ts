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
