// Sample events for one case: the file's tables with the case's replacements and additions, validated against
// the table schema (unknown column or uncoercible value → a Diagnostic naming file, case, row and column), with
// relative times (`now-2h`) resolved and Sentinel's TimeGenerated filled in from Defender's Timestamp.
import { readFileSync } from "node:fs";
import { extname, relative } from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import type { Position } from "../content/model.js";
import { coerceRows } from "../kql/data.js";
import { formatDatetime, parseDatetime, parseTimespan } from "../kql/values.js";
import type { ColumnSchema, SchemaSet } from "../schemas/model.js";
import type { TableSpec, TestCase, TestFile } from "./model.js";

/** One table ready for the engine, with each row's event time (for windowing) when the table has one. */
export interface CaseTable {
  name: string;
  columns: ColumnSchema[];
  rows: Record<string, unknown>[];
  /** Event time per row (TimeGenerated, else Timestamp); undefined when the table has neither column. */
  times?: (bigint | null)[];
}

const RELATIVE = /^now\s*(?:([+-])\s*(\d+(?:\.\d+)?(?:d|h|m|s|ms)))?$/i;

/** `now`, `now-2h`, `now+30m` → ISO text relative to the pinned now; anything else unchanged. */
export function resolveRelativeTime(v: unknown, nowTicks: bigint): unknown {
  if (typeof v !== "string") return v;
  const m = RELATIVE.exec(v.trim());
  if (!m) return v;
  const off = m[2] ? parseTimespan(m[2])! : 0n;
  return formatDatetime(m[1] === "-" ? nowTicks - off : nowTicks + off);
}

export function parseNow(text: string): bigint {
  const t = parseDatetime(text);
  if (t === null) throw new Error(`'${text}' is not an ISO 8601 datetime`);
  return t;
}

/** The columns a table is typed by: the schema set's declaration, else the test file's inline `columns:`. */
export function tableColumns(name: string, spec: TableSpec | undefined, schemas: SchemaSet): ColumnSchema[] | undefined {
  return schemas.tables.get(name)?.columns ?? spec?.columns;
}

interface Ctx {
  testFile: TestFile;
  testCase: TestCase;
  schemas: SchemaSet;
  nowTicks: bigint;
  diagnostics: Diagnostic[];
}

/** Tables for a case, or diagnostics when any row is invalid. */
export function caseTables(testFile: TestFile, testCase: TestCase, schemas: SchemaSet, nowTicks: bigint): { tables: CaseTable[]; diagnostics: Diagnostic[] } {
  const ctx: Ctx = { testFile, testCase, schemas, nowTicks, diagnostics: [] };
  const names = new Set([...testFile.tables.keys(), ...testCase.tables.keys(), ...testCase.addRows.keys()]);
  const tables: CaseTable[] = [];
  for (const name of names) {
    const base = testCase.tables.get(name) ?? testFile.tables.get(name);
    const extra = testCase.addRows.get(name);
    const parts = [base, extra].filter((s): s is TableSpec => s !== undefined);
    const columns = tableColumns(name, parts.find((p) => p.columns), schemas);
    if (!columns) {
      const p = parts[0]!.pos;
      ctx.diagnostics.push(diag(testFile.file, p, `table '${name}' is not declared by any schema (built-in tables, content/schemas, --schemas); check the spelling or give its column types under columns:`));
      continue;
    }
    const tc = timeColumns(columns);
    const rows: Record<string, unknown>[] = [];
    const times: (bigint | null)[] = [];
    for (const spec of parts) prepareRows(ctx, name, spec, columns, tc, rows, times);
    tables.push({ name, columns, rows, times: tc ? times : undefined });
  }
  return { tables, diagnostics: ctx.diagnostics };
}

export function diag(file: string, p: Position, message: string): Diagnostic {
  return { file, line: p.line, column: p.column, rule: "test-data", severity: "error", message };
}

/** Where row `i` of a spec was written: the fixture file (with its line when known) or the test file. */
export function rowLocation(ctx: { testFile: TestFile }, spec: TableSpec, i: number): { file: string; pos: Position; label: string } {
  if (i < spec.fileRows) {
    let k = i;
    for (const f of spec.files) {
      if (k < f.rows) return { file: displayPath(f.path), pos: { line: fixtureLine(f.path, k), column: 1 }, label: `row ${k + 1} of ${displayPath(f.path)}` };
      k -= f.rows;
    }
  }
  const j = i - spec.fileRows;
  return { file: ctx.testFile.file, pos: spec.rowPos[j] ?? spec.pos, label: `row ${j + 1}` };
}

function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith("..") ? r : p;
}

/** 1-based line of the i-th record of a fixture file (JSON Lines: i-th non-blank line; CSV: i+2; JSON: 0). */
function fixtureLine(file: string, i: number): number {
  const ext = extname(file).toLowerCase();
  if (ext === ".csv") return i + 2;
  let lines: string[];
  try {
    lines = readFileSync(file, "utf8").split(/\r?\n/);
  } catch {
    return 0;
  }
  if (ext !== ".jsonl" && ext !== ".ndjson" && lines.join("").trimStart().startsWith("[")) return 0;
  let n = -1;
  for (let l = 0; l < lines.length; l++) if (lines[l]!.trim() !== "" && ++n === i) return l + 1;
  return 0;
}

interface Prepared {
  rows: Record<string, unknown>[];
  times: (bigint | null)[];
  diagnostics: Diagnostic[];
}

/** Validated rows of a spec, memoised per spec, now and case name (file-level tables are shared by every case). */
const preparedCache = new WeakMap<TableSpec, Map<string, Prepared>>();

function prepareRows(ctx: Ctx, table: string, spec: TableSpec, columns: ColumnSchema[], tc: TimeColumns | undefined, out: Record<string, unknown>[], times: (bigint | null)[]): void {
  let perSpec = preparedCache.get(spec);
  if (!perSpec) { perSpec = new Map(); preparedCache.set(spec, perSpec); }
  // Diagnostics name the case, so a file-level table that has problems is re-validated per case (rare path).
  const key = `${ctx.nowTicks}\0${table}`;
  let p = perSpec.get(key);
  if (!p || p.diagnostics.length) {
    p = validateRows(ctx, table, spec, columns, tc);
    perSpec.set(key, p);
  }
  ctx.diagnostics.push(...p.diagnostics);
  out.push(...p.rows);
  times.push(...p.times);
}

function validateRows(ctx: Ctx, table: string, spec: TableSpec, columns: ColumnSchema[], tc: TimeColumns | undefined): Prepared {
  const known = new Map(columns.map((c) => [c.name, c]));
  const diagnostics: Diagnostic[] = [];
  const rows: (Record<string, unknown> | undefined)[] = spec.rows.map((raw, i) => {
    const row: Record<string, unknown> = {};
    let ok = true;
    for (const [k, v] of Object.entries(raw)) {
      const col = known.get(k);
      if (!col) {
        const loc = rowLocation(ctx, spec, i);
        const near = columns.find((c) => c.name.toLowerCase() === k.toLowerCase());
        diagnostics.push(diag(loc.file, loc.pos, `case '${ctx.testCase.name}': ${table} ${loc.label}: unknown column '${k}'${near ? ` (did you mean '${near.name}'?)` : ""}`));
        ok = false;
        continue;
      }
      row[k] = col.type === "datetime" ? resolveRelativeTime(v, ctx.nowTicks) : v;
    }
    return ok ? row : undefined;
  });
  // One coercion pass for the whole table; only when it fails, row by row to name every bad value.
  const good = rows.filter((r): r is Record<string, unknown> => r !== undefined);
  let coerced = true;
  try {
    coerceRows(good, columns, table);
  } catch {
    coerced = false;
  }
  const outRows: Record<string, unknown>[] = [];
  const outTimes: (bigint | null)[] = [];
  rows.forEach((row, i) => {
    if (!row) return;
    if (!coerced) {
      try {
        coerceRows([row], columns, table);
      } catch (e) {
        const loc = rowLocation(ctx, spec, i);
        const m = /column '([^']+)': (.*)$/.exec((e as Error).message);
        const what = m ? `column '${m[1]}': ${m[2]}` : (e as Error).message;
        diagnostics.push(diag(loc.file, loc.pos, `case '${ctx.testCase.name}': ${table} ${loc.label}, ${what}`));
        return;
      }
    }
    if (tc) {
      const t = eventTime(row, tc);
      if (t === null) {
        const loc = rowLocation(ctx, spec, i);
        diagnostics.push(diag(loc.file, loc.pos, `case '${ctx.testCase.name}': ${table} ${loc.label} has no ${tc.hasTG ? "TimeGenerated" : "Timestamp"}${tc.hasTG && tc.hasTS ? " (or Timestamp)" : ""}; every event needs its time for the query window`));
        return;
      }
      outTimes.push(t);
    }
    outRows.push(row);
  });
  return { rows: outRows, times: outTimes, diagnostics };
}

const TIME_COLUMN: ColumnSchema[] = [{ name: "t", type: "datetime" }];

interface TimeColumns {
  hasTG: boolean;
  hasTS: boolean;
}

function timeColumns(columns: ColumnSchema[]): TimeColumns | undefined {
  const hasTG = columns.some((c) => c.name === "TimeGenerated" && c.type === "datetime");
  const hasTS = columns.some((c) => c.name === "Timestamp" && c.type === "datetime");
  return hasTG || hasTS ? { hasTG, hasTS } : undefined;
}

/**
 * Event time of a row. Tables with a TimeGenerated column are windowed by it; a row that gives only Defender's
 * Timestamp gets TimeGenerated = Timestamp (in Sentinel, Defender XDR tables carry both and they are equal to
 * within ingestion delay). Tables with only Timestamp are windowed by it; with neither, not at all.
 */
function eventTime(row: Record<string, unknown>, tc: TimeColumns): bigint | null {
  const empty = (v: unknown) => v === undefined || v === null || v === "";
  if (tc.hasTG && empty(row.TimeGenerated) && tc.hasTS && !empty(row.Timestamp)) row.TimeGenerated = row.Timestamp;
  const v = tc.hasTG ? row.TimeGenerated : row.Timestamp;
  if (empty(v)) return null;
  if (typeof v === "string") {
    const t = parseDatetime(v);
    if (t !== null) return t;
  }
  // The same conversion the engine applies (ISO, portal export form, epoch ms); the row was validated already.
  return coerceRows([{ t: v }], TIME_COLUMN, "")[0]![0] as bigint | null;
}

/** Rows whose event time lies in the window (start exclusive unless `startInclusive`, end inclusive). */
export function windowRows(t: CaseTable, start: bigint, end: bigint, startInclusive: boolean): Record<string, unknown>[] {
  if (!t.times) return t.rows;
  return t.rows.filter((_, i) => {
    const x = t.times![i];
    return x !== null && x !== undefined && (startInclusive ? x >= start : x > start) && x <= end;
  });
}
