// The yardstick itself must be able to fail: these pin the comparator's rules (column names/types, multiset rows,
// real tolerance, bag key order, datetime canonicalisation of expected values).
import { describe, expect, test } from "vitest";
import type { QueryResult } from "../../../src/kql/api.js";
import { parseDatetime } from "../../../src/kql/values.js";
import { compareResult } from "./compare.js";
import { valueModelViolations } from "./value-model.js";

const table = (rows: QueryResult["rows"], cols: QueryResult["columns"] = [{ name: "s", type: "string" }, { name: "n", type: "long" }]): QueryResult =>
  ({ columns: cols, rows });

describe("compareResult", () => {
  test("accepts an identical table and rejects a changed value", () => {
    const r = table([["a", 1], ["b", 2]]);
    expect(compareResult(r, { columns: ["s", "n"], rows: [["a", 1], ["b", 2]] }, true).ok).toBe(true);
    expect(compareResult(r, { columns: ["s", "n"], rows: [["a", 1], ["b", 3]] }, true).ok).toBe(false);
  });
  test("checks column names, and types when given", () => {
    const r = table([["a", 1]]);
    expect(compareResult(r, { columns: ["s", "m"], rows: [["a", 1]] }, true).ok).toBe(false);
    expect(compareResult(r, { columns: ["s:string", "n:long"], rows: [["a", 1]] }, true).ok).toBe(true);
    expect(compareResult(r, { columns: ["s:string", "n:int"], rows: [["a", 1]] }, true).ok).toBe(false);
  });
  test("ordered compares order; unordered compares multisets (duplicates count)", () => {
    const r = table([["a", 1], ["a", 1], ["b", 2]]);
    expect(compareResult(r, { rows: [["b", 2], ["a", 1], ["a", 1]] }, true).ok).toBe(false);
    expect(compareResult(r, { rows: [["b", 2], ["a", 1], ["a", 1]] }, false).ok).toBe(true);
    expect(compareResult(r, { rows: [["b", 2], ["b", 2], ["a", 1]] }, false).ok).toBe(false);
  });
  test("strings are not null: an empty string does not equal null", () => {
    expect(compareResult(table([["", null]]), { rows: [[null, null]] }, true).ok).toBe(false);
  });
  test("reals: 1e-13 relative by default, wider only when the case says so", () => {
    const r = table([[0.3333333333333333]], [{ name: "x", type: "real" }]);
    expect(compareResult(r, { rows: [[0.333333333333333]] }, true).ok).toBe(true);
    expect(compareResult(r, { rows: [[0.3333]] }, true).ok).toBe(false);
    expect(compareResult(r, { rows: [[0.3333]] }, true, 1e-3).ok).toBe(true);
  });
  test("datetimes are compared after canonicalising the expected text; timespans likewise", () => {
    const r = table([[parseDatetime("2016-02-17T08:40:00Z"), 36_000_000_000n]], [{ name: "t", type: "datetime" }, { name: "d", type: "timespan" }]);
    expect(compareResult(r, { rows: [["2016-02-17 08:40:00.0000000", "01:00:00"]] }, true).ok).toBe(true);
    expect(compareResult(r, { rows: [["2016-02-17 08:40:01.0000000", "01:00:00"]] }, true).ok).toBe(false);
    expect(compareResult(r, { rows: [["2016-02-17 08:40:00", "1h"]] }, true).ok).toBe(true);
  });
  test("bags compare without key order, arrays with order; NaN is the string NaN", () => {
    const r = table([[{ a: 1, b: [1, 2] }, Number.NaN]], [{ name: "d", type: "dynamic" }, { name: "x", type: "real" }]);
    expect(compareResult(r, { rows: [[{ b: [1, 2], a: 1 }, "NaN"]] }, true).ok).toBe(true);
    expect(compareResult(r, { rows: [[{ a: 1, b: [2, 1] }, "NaN"]] }, true).ok).toBe(false);
    expect(compareResult(r, { rows: [[{ a: 1, b: [1, 2] }, null]] }, true).ok).toBe(false);
  });
});

describe("valueModelViolations", () => {
  test("accepts well-formed cells and reports mis-represented ones", () => {
    const cols: QueryResult["columns"] = [
      { name: "s", type: "string" }, { name: "n", type: "long" }, { name: "t", type: "datetime" }, { name: "d", type: "dynamic" },
    ];
    expect(valueModelViolations({ columns: cols, rows: [["x", 1, 0n, { a: [1, null] }], ["", null, null, null]] })).toEqual([]);
    expect(valueModelViolations({ columns: cols, rows: [[null, 1, 0n, null]] })[0]).toMatch(/string column holds null/);
    expect(valueModelViolations({ columns: cols, rows: [["x", 1.5, 0n, null]] })[0]).toMatch(/long column holds 1.5/);
    expect(valueModelViolations({ columns: cols, rows: [["x", 1, "2024-01-01", null]] })[0]).toMatch(/datetime column holds string/);
    expect(valueModelViolations({ columns: cols, rows: [["x", 1, 0n, { a: undefined } as never]] })[0]).toMatch(/value\.a is undefined/);
  });
});

test("integers compare exactly even where reals get a tolerance", () => {
  const cols: QueryResult["columns"] = [{ name: "n", type: "long" }];
  expect(compareResult({ columns: cols, rows: [[1000000000000001]] }, { rows: [[1000000000000000]] }, true, 1e-3).ok).toBe(false);
});
