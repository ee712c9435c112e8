// bin_auto() with `set query_bin_auto_size / query_bin_auto_at` (bin-auto-function.md): bin_at(x, size, at), the
// fixed point 0 by default. Expected values are the page's table or bins worked out by hand in the comments.
import { describe, expect, it } from "vitest";
import { runQuery } from "../../../src/kql/engine.js";
import { formatJson } from "../../../src/kql/format.js";
import { errorOf } from "../operators-util.js";

const q = (kql: string) => {
  const r = runQuery(kql, {});
  return { types: r.columns.map((c) => c.type), rows: (JSON.parse(formatJson(r)) as { rows: unknown[][] }).rows };
};
function unsupported(kql: string): string {
  const e = errorOf(kql, q);
  expect(e.kind).toBe("unsupported");
  return e.message;
}

describe("bin_auto", () => {
  it("bins by the set size from the set fixed point (the page's example)", () => {
    // 00:05 … 02:00 by the minute: 00:05 … 01:04 (60 rows) and 01:05 … 02:00 (56 rows).
    const r = q(`set query_bin_auto_size=1h;
set query_bin_auto_at=datetime(2017-01-01 00:05);
range Timestamp from datetime(2017-01-01 00:05) to datetime(2017-01-01 02:00) step 1m
| summarize count() by bin_auto(Timestamp)
| order by Timestamp asc`);
    expect(r.rows).toEqual([["2017-01-01T00:05:00Z", 60], ["2017-01-01T01:05:00Z", 56]]);
  });

  it("rounds down to the fixed point's grid on both sides of it", () => {
    // Grid …, 2023-12-31 06:00, 2024-01-01 06:00, …, 2024-01-03 06:00: 05:00 on the 1st falls in the day before.
    const r = q(`set query_bin_auto_size=1d; set query_bin_auto_at=datetime(2024-01-01 06:00);
print a = bin_auto(datetime(2024-01-01 05:00)), b = bin_auto(datetime(2024-01-03 07:00))`);
    expect(r.rows).toEqual([["2023-12-31T06:00:00Z", "2024-01-03T06:00:00Z"]]);
  });

  it("defaults the fixed point to 0 for numbers and timespans", () => {
    // 12 → 10, -3 → -5 (rounds down), null stays null; 90m → 1h.
    expect(q("set query_bin_auto_size=5; print a = bin_auto(12), b = bin_auto(-3), c = bin_auto(int(null))").rows)
      .toEqual([[10, -5, null]]);
    expect(q("set query_bin_auto_size=1h; print a = bin_auto(90m)").rows).toEqual([["01:00:00"]]);
  });

  it("shifts numbers and timespans by a set fixed point", () => {
    // (7 - 1) binned by 2.5 is 5, + 1 = 6; 90m - 15m = 75m → 1h, + 15m = 01:15; 10m - 15m = -5m → -1h, + 15m = -45m.
    expect(q("set query_bin_auto_size=2.5; set query_bin_auto_at=1; print a = bin_auto(7.0)").rows).toEqual([[6]]);
    const r = q("set query_bin_auto_size=1h; set query_bin_auto_at=15m; print a = bin_auto(90m), b = bin_auto(10m)");
    expect(r.types).toEqual(["timespan", "timespan"]);
    expect(r.rows).toEqual([["01:15:00", "-00:45:00"]]);
  });

  it("refuses what the page leaves open", () => {
    expect(unsupported("print bin_auto(5)")).toMatch(/bin_auto\(\) without set query_bin_auto_size at 1:7/);
    // "Default is 0": what 0 means for a datetime fixed point is not said.
    expect(unsupported("set query_bin_auto_size=1h; print bin_auto(datetime(2024-01-01 10:30))"))
      .toMatch(/bin_auto\(\) of a datetime without set query_bin_auto_at/);
  });

  it("still refuses other set options", () => {
    expect(unsupported("set query_now=datetime(2024-01-01); print 1")).toMatch(/set query_now/);
  });
});
