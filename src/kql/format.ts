// Result rendering shared by `scac query`, batch mode and content tests: JSON (KQL type names, datetime as
// 2024-01-01T00:00:00Z with a fraction only when non-zero, timespan as [-][d.]hh:mm:ss[.fffffff], dynamic as
// JSON, NaN/±Infinity as strings, null as null), an aligned text table, and CSV.
import type { QueryResult } from "./api.js";
import type { Dyn, KqlType, Value } from "./values.js";
import { dynToJsonText, dynToPlain, formatDatetime, formatTimespan, numberToString } from "./values.js";
import { realToString } from "./builtins/conversion.js";

export type JsonCell = null | boolean | number | string | JsonCell[] | { [k: string]: JsonCell };

/** One engine value as the JSON the CLI prints. */
export function toJsonValue(v: Value, type: KqlType): JsonCell {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "datetime": return formatDatetime(v as bigint);
    case "timespan": return formatTimespan(v as bigint);
    case "real": case "decimal": case "int": case "long": {
      const n = v as number;
      return Number.isFinite(n) ? n : numberToString(n);
    }
    case "dynamic": return dynToJson(v);
    default: return typeof v === "bigint" ? Number(v) : (v as JsonCell);
  }
}

function dynToJson(v: Value): JsonCell {
  if (typeof v === "number") return Number.isFinite(v) ? v : numberToString(v);
  if (typeof v === "bigint") return Number(v);
  return dynToPlain(v as Dyn) as JsonCell; // typed members as their text (whole-valued reals as plain numbers)
}

export interface JsonResult {
  columns: { name: string; type: KqlType }[];
  rows: JsonCell[][];
}

export function resultToJson(r: QueryResult): JsonResult {
  return {
    columns: r.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: r.rows.map((row) => row.map((v, i) => toJsonValue(v, r.columns[i]!.type))),
  };
}

/**
 * The result as JSON text. Dynamic cells are written by dynToJsonText so a real inside them keeps Kusto's
 * spelling (`[1.0,2.5]`); resultToJson's plain data holds the same JSON values (2.0 and 2 are one JSON number).
 */
export function formatJson(r: QueryResult): string {
  const cols = r.columns.map((c) => ({ name: c.name, type: c.type }));
  const rows = r.rows.map((row) => `[${row.map((v, i) => cellJson(v, r.columns[i]!.type)).join(",")}]`);
  return `{"columns":${JSON.stringify(cols)},"rows":[${rows.join(",")}]}`;
}

function cellJson(v: Value, type: KqlType): string {
  if (type === "dynamic" && v !== null && typeof v === "object") return dynToJsonText(v as Dyn, true);
  return JSON.stringify(toJsonValue(v, type));
}

/** A cell as display text (dynamic as compact JSON, null as empty). */
export function cellText(v: Value, type: KqlType): string {
  if (v !== null && (type === "real" || type === "decimal")) return realToString(v as number); // .NET text: 1E+21
  if (type === "dynamic" && v !== null && typeof v === "object") return dynToJsonText(v as Dyn, true); // [1.0,2.5]
  const j = toJsonValue(v, type);
  if (j === null) return "";
  if (typeof j === "string") return j;
  if (typeof j === "object") return JSON.stringify(j);
  return String(j);
}

export function formatCsv(r: QueryResult): string {
  const esc = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [r.columns.map((c) => esc(c.name)).join(",")];
  for (const row of r.rows) lines.push(row.map((v, i) => esc(cellText(v, r.columns[i]!.type))).join(","));
  return lines.join("\n") + "\n";
}

/** An aligned text table (long cells are cut at `maxWidth` characters). */
export function formatTable(r: QueryResult, maxWidth = 80): string {
  const cut = (s: string) => (s.length > maxWidth ? s.slice(0, maxWidth - 1) + "…" : s).replace(/[\r\n\t]/g, " ");
  const header = r.columns.map((c) => c.name);
  const cells = r.rows.map((row) => row.map((v, i) => cut(cellText(v, r.columns[i]!.type))));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const c of cells) out.push(line(c));
  out.push(`(${r.rows.length} row${r.rows.length === 1 ? "" : "s"})`);
  return out.join("\n") + "\n";
}
