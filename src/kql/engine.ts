// runQuery: Kusto.Language analyses the query against the schemas (plus tables typed from the given rows), the
// compiler turns the bound tree into closures, and the plan runs over the sample rows.
import { createRng } from "../random.js";
import "./builtins/index.js";
import { KqlError, type QueryResult, type ResultColumnInfo, type RunOptions } from "./api.js";
import type { ColumnSchema, SchemaSet } from "../schemas/model.js";
import { analyze } from "./frontend.js";
import { Compiler } from "./compiler.js";
import { rejectSketchOutput, sketchesCreated } from "./builtins/sketches.js";
import { coerceRows, inferColumns, type LoadedTable } from "./data.js";
import { RuntimeError } from "./runtime/ops.js";
import { isFuzzyWildcardMiss } from "./runtime/fuzzyunion.js";
import type { Row } from "./runtime/table.js";
import { TICKS_PER_MS, parseDatetime } from "./values.js";

export interface TypedRunOptions {
  /** Table name → rows already typed (e.g. by loadTableFile), with their columns. */
  tables?: Map<string, LoadedTable>;
  now?: RunOptions["now"];
  schemas?: SchemaSet;
  seed?: number;
  externalData?: RunOptions["externalData"];
}

/** Runs a query over plain row objects coerced by the schemas (see api.ts for the contract). */
export function runQuery(kql: string, opts: RunOptions = {}): QueryResult {
  const typed = new Map<string, LoadedTable>();
  for (const [name, rows] of Object.entries(opts.tables ?? {})) {
    const schema = opts.schemas?.tables.get(name);
    const columns: ColumnSchema[] = schema ? schema.columns : inferColumns(rows);
    typed.set(name, { columns, rows: coerceRows(rows, columns, `table ${name}`) });
  }
  return runQueryTyped(kql, { tables: typed, now: opts.now, schemas: opts.schemas, seed: opts.seed, externalData: opts.externalData });
}

/** Like runQuery, for tables that are already typed (the CLI loads files with loadTableFile). */
export function runQueryTyped(kql: string, opts: TypedRunOptions = {}): QueryResult {
  const schemas = withTables(opts.schemas, opts.tables);
  const analysis = analyze(kql, schemas);
  const errors = analysis.diagnostics.filter((d) => d.severity === "error" && !isFuzzyWildcardMiss(analysis.code, d));
  if (errors.length) {
    const syntax = countSyntaxErrors(analysis.code) > 0;
    const d = errors[0]!;
    const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : "";
    throw new KqlError(syntax ? "syntax" : "semantic", `${d.line}:${d.column}: ${d.code}: ${d.message}${more}`, d.line, d.column);
  }
  const tables = new Map<string, { columns: ResultColumnInfo[]; rows: Row[] }>();
  for (const [name, t] of opts.tables ?? []) tables.set(name, { columns: t.columns, rows: t.rows });
  const ctx = { now: nowTicks(opts.now), random: opts.seed === undefined ? Math.random : createRng(opts.seed) };
  try {
    const sketchMark = sketchesCreated();
    const compiler = new Compiler({ code: analysis.code, tables, ctx, externalData: opts.externalData });
    const plan = compiler.compileQuery(analysis.code.Syntax);
    const rows = plan.run();
    if (sketchesCreated() !== sketchMark) rejectSketchOutput(rows);
    return { columns: plan.columns.map((c) => ({ name: c.name, type: c.type })), rows };
  } catch (e) {
    if (e instanceof KqlError) throw e;
    if (e instanceof RuntimeError) throw new KqlError("runtime", e.message);
    if (e instanceof RangeError) throw new KqlError("runtime", `${e.message}`);
    throw new KqlError("runtime", `internal error: ${(e as Error)?.message ?? e}`);
  }
}

function countSyntaxErrors(code: { GetSyntaxDiagnostics?: () => { Count: number } }): number {
  try {
    return code.GetSyntaxDiagnostics?.().Count ?? 0;
  } catch {
    return 0;
  }
}

/** The schema set extended with tables that only the sample data describes (cached by identity). */
function withTables(base: SchemaSet | undefined, tables: Map<string, LoadedTable> | undefined): SchemaSet {
  const missing = [...(tables ?? new Map<string, LoadedTable>())].filter(([n]) => !base?.tables.has(n));
  if (base && missing.length === 0) return base;
  const key = base ?? EMPTY;
  const sig = missing.map(([n, t]) => `${n}(${t.columns.map((c) => `${c.name}:${c.type}`).join(",")})`).join(";");
  let perBase = derived.get(key);
  if (!perBase) { perBase = new Map(); derived.set(key, perBase); }
  const hit = perBase.get(sig);
  if (hit) return hit;
  const set: SchemaSet = {
    tables: new Map(base?.tables ?? []),
    functions: new Map(base?.functions ?? []),
    watchlists: new Map(base?.watchlists ?? []),
  };
  for (const [name, t] of missing) set.tables.set(name, { name, columns: t.columns });
  perBase.set(sig, set);
  return set;
}

const EMPTY: SchemaSet = { tables: new Map(), functions: new Map(), watchlists: new Map() };
const derived = new WeakMap<SchemaSet, Map<string, SchemaSet>>();

/** now() for the query: pinned by the option, else the clock read once. */
export function nowTicks(now: RunOptions["now"]): bigint {
  if (now === undefined) return BigInt(Date.now()) * TICKS_PER_MS;
  if (typeof now === "bigint") return now;
  if (now instanceof Date) return BigInt(now.getTime()) * TICKS_PER_MS;
  const t = parseDatetime(now);
  if (t === null) throw new KqlError("data", `invalid 'now' datetime: ${now}`);
  return t;
}

