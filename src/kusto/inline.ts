// A case's tables as KQL: `let T = datatable(col:type, …)[v, …];` ahead of the query, so a real Kusto engine
// (ADX, the Kusto emulator, a Log Analytics workspace) runs the query over exactly the rows the local engine
// would, with nothing ingested. Values are rendered from the engine's typed value model (after the same
// schema coercion runQuery applies), so both engines see the same data.
import type { RunOptions } from "../kql/api.js";
import { coerceRows, inferColumns } from "../kql/data.js";
import { formatDatetime, formatTimespan, numberToString, type KqlType, type Value } from "../kql/values.js";
import { analyze } from "../kql/frontend.js";
import { emptySchemaSet } from "../schemas/model.js";
import type { ColumnSchema, SchemaSet } from "../schemas/model.js";

/** `Name` or `['odd name']` (Kusto identifier quoting). */
export function kqlName(n: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) ? n : `['${n.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
}

/** Kusto literal of a typed engine value (nulls typed, so they fit a datatable column). */
export function kqlValue(type: KqlType, v: Value): string {
  if (v === null || v === undefined) return type === "string" ? '""' : `${type}(null)`;
  switch (type) {
    case "bool": return v ? "true" : "false";
    case "int": case "long": return `${type}(${typeof v === "bigint" ? v.toString() : numberToString(Number(v))})`;
    case "real": case "decimal": {
      const n = Number(v);
      if (Number.isNaN(n)) return `${type}(nan)`;
      if (!Number.isFinite(n)) return `${type}(${n > 0 ? "+inf" : "-inf"})`;
      return `${type}(${numberToString(n)})`;
    }
    case "string": return JSON.stringify(String(v)); // JSON escapes are valid Kusto "…" escapes
    case "datetime": return `datetime(${formatDatetime(v as bigint)})`;
    case "timespan": return `timespan(${formatTimespan(v as bigint)})`;
    case "guid": return `guid(${String(v)})`;
    case "dynamic": return `dynamic(${JSON.stringify(v)})`;
  }
}

export function datatable(columns: readonly ColumnSchema[], rows: readonly Value[][]): string {
  const head = columns.map((c) => `${kqlName(c.name)}:${c.type}`).join(", ");
  const body = rows.map((r) => r.map((v, i) => kqlValue(columns[i]!.type, v)).join(", ")).join(",\n  ");
  return `datatable(${head})[${rows.length ? `\n  ${body}\n` : ""}]`;
}

export interface Inlined {
  /** The query to send: table (and function) declarations, then the query. */
  text: string;
  /** Lines added ahead of the query (subtract from positions the service reports). */
  preludeLines: number;
}

/**
 * The query with every given table declared as a datatable, plus empty datatables for tables the query reads
 * that the schemas know but no rows were given for (the local engine treats those as empty too), and `let`
 * definitions of schema functions it calls (e.g. `_GetWatchlist`).
 */
export function inlineTables(kql: string, opts: Pick<RunOptions, "tables" | "schemas"> = {}): Inlined {
  const lets: string[] = [];
  const declared = new Set<string>();
  const schemas: SchemaSet | undefined = opts.schemas;
  for (const [name, rows] of Object.entries(opts.tables ?? {})) {
    const columns = schemas?.tables.get(name)?.columns ?? inferColumns(rows);
    lets.push(`let ${kqlName(name)} = ${datatable(columns, coerceRows(rows, columns, `table ${name}`))};`);
    declared.add(name);
  }
  for (const name of namesUsedBy(kql)) {
    if (declared.has(name)) continue;
    const t = schemas?.tables.get(name);
    const f = schemas?.functions.get(name);
    if (t) lets.push(`let ${kqlName(name)} = ${datatable(t.columns, [])};`);
    else if (f) lets.push(`let ${kqlName(name)} = ${f.parameters} ${f.body};`);
    else continue;
    declared.add(name);
  }
  const prelude = lets.length ? `${lets.join("\n")}\n` : "";
  return { text: prelude + kql, preludeLines: prelude.split("\n").length - 1 };
}

const EMPTY = emptySchemaSet();

/** Tables and functions the query refers to but does not define: unknown names when analysed without a schema. */
export function namesUsedBy(kql: string): string[] {
  const out = new Set<string>();
  for (const d of analyze(kql, EMPTY).diagnostics) {
    const m = /^The (?:name|function) '([^']+)' does not refer to any known/.exec(d.message);
    if (m) out.add(m[1]!);
  }
  return [...out];
}
