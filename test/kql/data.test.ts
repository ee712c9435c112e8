import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { coerceRows, loadTableFile } from "../../src/kql/data.js";
import { KqlError } from "../../src/kql/api.js";
import type { ColumnSchema } from "../../src/schemas/model.js";

const fx = (f: string) => fileURLToPath(new URL(`../fixtures/kql/${f}`, import.meta.url));
const cols: ColumnSchema[] = [
  { name: "Timestamp", type: "datetime" },
  { name: "FileName", type: "string" },
  { name: "Count", type: "long" },
  { name: "Extra", type: "dynamic" },
];
// 2024-01-01T00:00:00Z in 100 ns ticks since the Unix epoch.
const JAN1 = 1704067200n * 10_000_000n;

describe("sample data loading", () => {
  it("coerces a JSON array by schema (ISO → ticks, numeric strings → numbers, JSON text → dynamic, absent → null/'')", () => {
    const t = loadTableFile(fx("events.json"), cols);
    expect(t.rows).toEqual([
      [JAN1, "cmd.exe", 5, { a: [1, 2] }],
      [JAN1 + 90n * 60n * 10_000_000n + 1_234_567n, "powershell.exe", 7, null],
    ]);
  });
  it("reads JSON Lines, skipping blank lines; absent string is empty", () => {
    const t = loadTableFile(fx("events.jsonl"), cols);
    expect(t.rows.length).toBe(2);
    expect(t.rows[1]).toEqual([JAN1 + 864_000_000_000n, "", 6, null]);
  });
  it("reads CSV with quotes, doubled quotes and embedded newlines; empty field is absent", () => {
    const t = loadTableFile(fx("events.csv"), cols);
    expect(t.rows).toEqual([
      [JAN1, "cmd.exe", 5, { a: [1, 2] }],
      [JAN1 + 864_000_000_000n, "multi\nline", null, null],
    ]);
  });
  it("names file, row and column when a value cannot be coerced", () => {
    try {
      loadTableFile(fx("bad.json"), cols);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KqlError);
      expect((e as KqlError).kind).toBe("data");
      expect((e as KqlError).message).toMatch(/bad\.json: row 1, column 'Timestamp': cannot convert 'yesterday' to datetime/);
    }
  });
  it("rejects unknown columns and non-integral longs", () => {
    expect(() => coerceRows([{ Nope: 1 }], cols, "T")).toThrow(/T: row 1: unknown column 'Nope'/);
    expect(() => coerceRows([{ Count: 1.5 }], cols, "T")).toThrow(/row 1, column 'Count'/);
  });
  it("dynamic columns take any JSON text as its value and keep other text as a string", () => {
    const r = coerceRows([{ Extra: "5" }, { Extra: "true" }, { Extra: "not json" }, { Extra: "" }], cols, "T");
    expect(r.map((x) => x[3])).toEqual([5, true, "not json", null]);
  });
  it("infers column types when no schema is given", () => {
    const t = loadTableFile(fx("events.json"));
    expect(t.columns.map((c) => `${c.name}:${c.type}`)).toEqual(["Timestamp:datetime", "FileName:string", "Count:string", "Extra:string"]);
  });
  it("accepts the Azure portal export datetime form", () => {
    const r = coerceRows([{ Timestamp: "1/1/2024, 1:00:00.500 PM" }], cols, "T");
    expect(r[0]![0]).toBe(JAN1 + 13n * 36_000_000_000n + 5_000_000n);
  });
});
