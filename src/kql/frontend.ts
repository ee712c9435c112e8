// KQL front end: Microsoft's Kusto.Language parser and binder over scac's schemas. Lint, the local engine and
// deploy pre-flight all analyse queries through here, so a query means the same thing everywhere.
import type { SchemaSet } from "../schemas/model.js";
import type { KqlType } from "./values.js";
import { normalizeTypeName } from "./values.js";
import { rewriteCrossResource } from "./crossresource.js";
import { kusto, toArray, type KAny } from "./kusto.js";

export interface KqlDiagnostic {
  /** 1-based line and column inside the query text. */
  line: number;
  column: number;
  start: number;
  length: number;
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
}

export interface ResultColumn {
  name: string;
  type: KqlType;
}

export interface Analysis {
  /** The bound Kusto.Language KustoCode (syntax tree with symbols and types). */
  code: KAny;
  diagnostics: KqlDiagnostic[];
  /** Output columns when the query is tabular; undefined for scalar or erroneous results. */
  resultColumns: ResultColumn[] | undefined;
}

const globalsCache = new WeakMap<SchemaSet, KAny>();

/** Kusto.Language GlobalState for a schema set (cached per set: building it costs a few ms per table). */
export function globalsFor(schemas: SchemaSet): KAny {
  const cached = globalsCache.get(schemas);
  if (cached) return cached;
  const globals = buildGlobals(schemas, []);
  globalsCache.set(schemas, globals);
  return globals;
}

/**
 * Globals whose cluster also holds a database per name in `others` with the same tables and functions — what a
 * cross-workspace query (`workspace("x").T`, see crossresource.ts) is analysed against.
 */
function buildGlobals(schemas: SchemaSet, others: readonly string[]): KAny {
  const K = kusto();
  const { ColumnSymbol, TableSymbol, DatabaseSymbol, ClusterSymbol, ScalarTypes, FunctionSymbol } = K.Symbols;
  const symbols: KAny[] = [];
  for (const t of schemas.tables.values()) {
    const cols = t.columns.map((c) => new ColumnSymbol(c.name, ScalarTypes.GetSymbol(c.type), null, null, null, null));
    symbols.push(new TableSymbol.$ctor4(t.name, cols));
  }
  for (const f of schemas.functions.values()) {
    symbols.push(new FunctionSymbol.$ctor16(f.name, f.parameters, f.body, f.description ?? ""));
  }
  const db = new DatabaseSymbol.ctor("workspace", symbols);
  const dbs = [db, ...others.filter((n) => n !== "workspace").map((n) => new DatabaseSymbol.ctor(n, symbols))];
  return K.GlobalState.Default.WithCluster(new ClusterSymbol.ctor("sentinel", dbs)).WithDatabase(db);
}

/**
 * Pays Kusto.Language's one-time start-up now (loading, the parser's grammar, built-in symbols: ~2 s CPU) plus the
 * GlobalState of `schemas`, e.g. while another thread does I/O. Nothing is cached beyond what later calls build anyway.
 */
export function warmUp(schemas: SchemaSet): void {
  kusto().KustoCode.ParseAndAnalyze("print x = 1 | where x > 0 | summarize count() by bin(x, 1)", globalsFor(schemas));
}

function severityOf(s: string): KqlDiagnostic["severity"] {
  const v = String(s).toLowerCase();
  return v === "error" ? "error" : v === "warning" ? "warning" : "info";
}

/** Analyses kept per schema set (parse + bind costs ~10–100 ms; content tests run one query many times). */
const ANALYSIS_CACHE_MAX = 256;
const analysisCache = new WeakMap<SchemaSet, Map<string, Analysis>>();

/**
 * Parses and binds `query` against `schemas`. Results are memoised per schema set (by identity) and query text;
 * the bound KustoCode is immutable, and each caller gets its own copy of the diagnostics list.
 */
export function analyze(query: string, schemas: SchemaSet): Analysis {
  let perSet = analysisCache.get(schemas);
  if (!perSet) { perSet = new Map(); analysisCache.set(schemas, perSet); }
  let a = perSet.get(query);
  if (a) {
    perSet.delete(query); // LRU: re-insert as most recent
  } else {
    a = analyzeUncached(query, schemas);
    if (perSet.size >= ANALYSIS_CACHE_MAX) perSet.delete(perSet.keys().next().value!);
  }
  perSet.set(query, a);
  return { ...a, diagnostics: a.diagnostics.map((d) => ({ ...d })) };
}

function analyzeUncached(query: string, schemas: SchemaSet): Analysis {
  const K = kusto();
  let code = K.KustoCode.ParseAndAnalyze(query, globalsFor(schemas));
  const unknownFunctions = toArray(code.GetDiagnostics()).filter((d: KAny) => d.Code === "KS211").map((d: KAny) => d.Start as number);
  const cross = unknownFunctions.length ? rewriteCrossResource(query, unknownFunctions) : undefined;
  if (cross) code = K.KustoCode.ParseAndAnalyze(cross.text, buildGlobals(schemas, cross.databases));
  const diagnostics: KqlDiagnostic[] = [];
  for (const d of toArray(code.GetDiagnostics())) {
    const line = { v: 0 }, col = { v: 0 };
    code.TryGetLineAndOffset(d.Start, line, col);
    diagnostics.push({
      line: line.v, column: col.v, start: d.Start, length: d.Length,
      code: d.Code, severity: severityOf(d.Severity), message: d.Message,
    });
  }
  return { code, diagnostics, resultColumns: resultColumnsOf(code.ResultType) };
}

/** Columns of a Kusto.Language TableSymbol (undefined when the symbol is not tabular). */
export function resultColumnsOf(rt: KAny): ResultColumn[] | undefined {
  if (!rt || !rt.Columns) return undefined;
  return toArray(rt.Columns).map((c: KAny) => ({
    name: c.Name as string,
    type: normalizeTypeName(c.Type?.Name ?? "dynamic") ?? "dynamic",
  }));
}
