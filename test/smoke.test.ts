import { describe, expect, it } from "vitest";
import { parseContent } from "../src/content/loader.js";
import { formatDatetime, formatTimespan, parseDatetime, parseTimespan } from "../src/kql/values.js";

describe("content loader", () => {
  it("maps a KQL position inside a block scalar back to the YAML file", () => {
    const r = parseContent("id: x\nname: n\nquery: |\n    T\n    | where y\n", "f.yaml");
    expect(r.diagnostics).toEqual([]);
    expect(r.item!.queryPosition(2, 9)).toEqual({ line: 5, column: 13 });
  });
  it("reports duplicate keys with their position", () => {
    const r = parseContent("a: 1\na: 2\n", "g.yaml");
    expect(r.diagnostics.map((d) => [d.rule, d.line])).toEqual([["yaml-duplicate-key", 2]]);
  });
});

describe("datetime and timespan text", () => {
  it("round-trips 100 ns precision", () => {
    const t = parseDatetime("2024-01-02T03:04:05.1234567Z")!;
    expect(formatDatetime(t)).toBe("2024-01-02T03:04:05.1234567Z");
    expect(formatDatetime(parseDatetime("2024-01-02")!)).toBe("2024-01-02T00:00:00Z");
  });
  it("formats timespans the Kusto way", () => {
    expect(formatTimespan(parseTimespan("1.02:03:04.5")!)).toBe("1.02:03:04.5000000");
    expect(formatTimespan(parseTimespan("90m")!)).toBe("01:30:00");
    expect(formatTimespan(-parseTimespan("1d")!)).toBe("-1.00:00:00");
  });
});
