// `where` directly over a database table whose condition reads one dictionary-encoded string column
// (runtime/columns.ts) and nothing else that varies by row: the condition is evaluated once per distinct value
// of that column, on the first row holding it, and the scan walks the column's codes instead of a million row
// arrays. Which columns a condition reads is what the compiler itself resolved while compiling it, through an
// environment that records every column lookup; anything that could make the condition vary otherwise (a
// volatile or user-defined function, a window function, a view of the whole row such as pack_all() or `*`)
// keeps the general row-by-row path.
import type { ResultColumnInfo } from "../api.js";
import { getScalar } from "../builtins/registry.js";
import { kindOf, symbolSets, type Env, type Expr } from "../compiler.js";
import type { KAny } from "../kusto.js";
import { dictionaryOf } from "./columns.js";
import { nullOf, type Value } from "../values.js";
import { streamPlan, type Need, type Plan, type Row, type Sink } from "./table.js";

/** Where a plan's rows come straight from a stored table: its rows, and how the plan lays them out. */
export interface ScanSource {
  rows: readonly Row[];
  /** Output column → table column (undefined: absent from the table). */
  map: readonly (number | undefined)[];
  /** The plan's i-th output row (the table's i-th row, laid out as the plan's columns). */
  row(i: number): Row;
}

export function scanSourceOf(p: Plan): ScanSource | undefined {
  return (p as Plan & { scan?: ScanSource }).scan;
}

export function withScanSource<P extends Plan>(p: P, scan: ScanSource): P {
  (p as P & { scan?: ScanSource }).scan = scan;
  return p;
}

/** An environment like `base` that records the columns the compiler looks up through it. */
export interface TrackedEnv {
  env: Env;
  used: Set<string>;
  /** Set when the whole row was asked for (pack_all, `*`, iteration over the columns). */
  wholeRow(): boolean;
}

export function trackingEnv(base: Env): TrackedEnv {
  const used = new Set<string>();
  let whole = false;
  class TrackingMap extends Map<string, number> {
    override get(k: string): number | undefined { used.add(k); return super.get(k); }
    override has(k: string): boolean { used.add(k); return super.has(k); }
    override forEach(cb: (v: number, k: string, m: Map<string, number>) => void): void { whole = true; super.forEach(cb); }
    override entries(): MapIterator<[string, number]> { whole = true; return super.entries(); }
    override keys(): MapIterator<string> { whole = true; return super.keys(); }
    override values(): MapIterator<number> { whole = true; return super.values(); }
    override [Symbol.iterator](): MapIterator<[string, number]> { whole = true; return super[Symbol.iterator](); }
  }
  const cols = new TrackingMap(base.cols);
  const columns = base.columns, packColumns = base.packColumns;
  const env: Env = {
    ...base,
    cols,
    get columns(): ResultColumnInfo[] { whole = true; return columns; },
    get packColumns(): ResultColumnInfo[] | undefined { whole = true; return packColumns; },
  };
  return { env, used, wholeRow: () => whole };
}

/**
 * True when nothing in `node` makes its value vary but the columns it reads: only built-in, non-volatile
 * scalar functions of the registry (compiler-handled ones such as toscalar() or row_number() are refused too).
 */
function rowPure(node: KAny, symbolKindOf: (sym: KAny) => string): boolean {
  const { fns } = symbolSets();
  let ok = true;
  const visit = (n: KAny): void => {
    if (!n || !ok) return;
    const k = kindOf(n);
    if (k === "FunctionCallExpression") {
      const sym = n.ReferencedSymbol;
      const fn = sym && fns.has(sym) ? getScalar(String(sym.Name)) : undefined;
      if (!fn || fn.volatile) { ok = false; return; }
      visit(n.ArgumentList); // not its name, which refers to the function
      return;
    } else if (k === "ToScalarExpression" || k === "StarExpression") {
      ok = false; return;
    } else if (k === "NameReference" && n.ReferencedSymbol && symbolKindOf(n.ReferencedSymbol) === "Function") {
      ok = false; return;
    }
    for (let i = 0; i < n.ChildCount; i++) visit(n.GetChild(i));
  };
  visit(node);
  return ok;
}

/**
 * The columns of `columns` that the expressions compiled through `tracked` read, or undefined when they may read
 * any (the whole row was asked for).
 */
export function demandOf(tracked: TrackedEnv, columns: readonly ResultColumnInfo[]): boolean[] | undefined {
  if (tracked.wholeRow()) return undefined;
  return columns.map((c) => tracked.used.has(c.name));
}

/** A filter decided once per distinct value of a dictionary-encoded column. */
export interface CodeFilter {
  codes: Int32Array;
  distinct: number;
  /** The condition on row i (called for the first row holding each value, in row order). */
  test(i: number): boolean;
}

/**
 * Lends `sink` the stored table's rows (those `filter` keeps, in order) with at least the columns `need` flags
 * (undefined: all). When every needed column is dictionary-encoded (or absent from the table), the lent row is one
 * buffer filled from the codes: the row arrays themselves are never read, which is what makes a selective scan
 * cheap (reading a tenth of a million scattered row arrays costs more than reading all of them in order).
 */
export function scanRows(src: ScanSource, columns: readonly ResultColumnInfo[], need: Need | undefined, filter: CodeFilter | undefined, sink: Sink): void {
  const { rows, map, row: rowOf } = src;
  const n = rows.length;
  const coded: { c: number; codes: Int32Array; values: Value[] }[] = [];
  let fromRows = !need;
  for (let c = 0; c < columns.length && !fromRows; c++) {
    const t = map[c];
    if (!need![c] || t === undefined) continue;
    const d = dictionaryOf(rows, t);
    if (d) coded.push({ c, codes: d.codes, values: d.values });
    else fromRows = true;
  }
  const buf: Row = columns.map((col, c) => (map[c] === undefined ? nullOf(col.type) : null));
  const nc = coded.length;
  // Per run: 0 = not decided yet, 1 = keep, 2 = drop; decided on the first row holding the value, in row order, so
  // an error the condition raises is raised for the same row as on the general path.
  const fcodes = filter?.codes;
  const verdict = new Uint8Array(filter?.distinct ?? 0);
  for (let i = 0; i < n; i++) {
    if (fcodes) {
      const k = fcodes[i]!;
      let v = verdict[k]!;
      if (v === 0) v = verdict[k] = filter!.test(i) ? 1 : 2;
      if (v !== 1) continue;
    }
    if (fromRows) { sink(rowOf(i)); continue; }
    for (let j = 0; j < nc; j++) {
      const d = coded[j]!;
      buf[d.c] = d.values[d.codes[i]!]!;
    }
    sink(buf);
  }
}

/**
 * The per-distinct-value plan for `where condition` over `input`, or undefined when the general path must run
 * (see the header). `pred` is the condition compiled through `tracked`.
 */
export function dictionaryWhere(input: Plan, condition: KAny, pred: Expr, tracked: TrackedEnv, symbolKindOf: (sym: KAny) => string): Plan | undefined {
  const src = scanSourceOf(input);
  if (!src || tracked.wholeRow() || tracked.used.size !== 1) return undefined;
  const name = [...tracked.used][0]!;
  const out = input.columns.findIndex((c) => c.name === name);
  const col = out < 0 ? undefined : src.map[out];
  if (col === undefined) return undefined;
  const dict = dictionaryOf(src.rows, col);
  if (!dict || !rowPure(condition, symbolKindOf)) return undefined;
  // The codes describe the rows for good: encodeTable froze them.
  const filter: CodeFilter = { codes: dict.codes, distinct: dict.values.length, test: (i) => pred(src.row(i)) === true };
  const each = (sink: Sink): void => scanRows(src, input.columns, undefined, filter, sink);
  return streamPlan(input.columns, each, each, (need, sink) => scanRows(src, input.columns, need, filter, sink));
}
