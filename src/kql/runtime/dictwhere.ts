// Scans of a stored, dictionary-encoded table (runtime/columns.ts) and the `where` directly over one.
// - A `where` whose condition reads one dictionary-encoded string column and nothing else that varies by row is
//   decided once per distinct value of that column, then rows are selected from the codes. Which columns an
//   expression reads is what the compiler itself resolved while compiling it, through an environment that records
//   every column lookup (trackingEnv); anything that could make it vary otherwise (a volatile or user-defined
//   function, a window function, a view of the whole row such as pack_all() or `*`) keeps the row-by-row path.
// - Column demand (StreamPlan.eachNeeded): a scan whose needed columns are all dictionary-encoded fills them from
//   the codes and never reads the row arrays.
// - Weighted rows (StreamPlan.eachWeighted): a scan whose demand comes down to one dictionary-encoded column sends
//   each distinct value once with its number of rows, for consumers that only count.
import type { ResultColumnInfo } from "../api.js";
import { getScalar } from "../builtins/registry.js";
import { kindOf, symbolSets, type Env, type Expr } from "../compiler.js";
import type { KAny } from "../kusto.js";
import { dictionaryOf, type Dictionary } from "./columns.js";
import { nullOf, type Value } from "../values.js";
import { streamPlan, type Need, type Plan, type Row, type Sink, type WeightedSink } from "./table.js";

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
export function rowPure(node: KAny, symbolKindOf: (sym: KAny) => string): boolean {
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

/**
 * Lends `sink` the stored table's rows (all, or the indexes `selected` lists, in order) with at least the columns
 * `need` flags (undefined: all). When every needed column is dictionary-encoded (or absent from the table), the lent
 * row is one buffer filled from the codes: the row arrays themselves are never read, which is what makes a selective
 * scan cheap (reading a tenth of a million scattered row arrays costs more than reading all of them in order).
 */
export function scanRows(src: ScanSource, columns: readonly ResultColumnInfo[], need: Need | undefined, selected: Int32Array | undefined, sink: Sink): void {
  const { rows, map, row: rowOf } = src;
  const coded: { c: number; codes: Int32Array; values: Value[] }[] = [];
  let fromRows = !need;
  for (let c = 0; c < columns.length && !fromRows; c++) {
    const t = map[c];
    if (!need![c] || t === undefined) continue;
    const d = dictionaryOf(rows, t);
    if (d) coded.push({ c, codes: d.codes, values: d.values });
    else fromRows = true;
  }
  const buf = scanBuffer(src, columns);
  const nc = coded.length;
  const n = selected ? selected.length : rows.length;
  for (let j = 0; j < n; j++) {
    const i = selected ? selected[j]! : j;
    if (fromRows) { sink(rowOf(i)); continue; }
    for (let c = 0; c < nc; c++) {
      const d = coded[c]!;
      buf[d.c] = d.values[d.codes[i]!]!;
    }
    sink(buf);
  }
}

/** The row a scan lends: columns absent from the table hold their type's null, the others are filled per row. */
function scanBuffer(src: ScanSource, columns: readonly ResultColumnInfo[]): Row {
  return columns.map((col, c) => (src.map[c] === undefined ? nullOf(col.type) : null));
}

/**
 * eachWeighted() of a stored table's scan (the rows `selected` lists, or all), or undefined when the needed columns
 * present in the table are more than one or not dictionary-encoded. The returned function sends each distinct value
 * of that column among those rows once, in order of first appearance, with its number of rows (with no such column,
 * one row standing for all of them).
 */
export function weightedScan(src: ScanSource, columns: readonly ResultColumnInfo[], need: Need): ((selected: Int32Array | undefined, sink: WeightedSink) => void) | undefined {
  let col = -1;
  let dict: Dictionary | undefined;
  for (let c = 0; c < columns.length; c++) {
    const t = src.map[c];
    if (!need[c] || t === undefined) continue;
    if (col >= 0) return undefined;
    col = c;
    dict = dictionaryOf(src.rows, t);
    if (!dict) return undefined;
  }
  const buf = scanBuffer(src, columns);
  return (selected, sink) => {
    if (!dict) {
      const n = selected ? selected.length : src.rows.length;
      if (n > 0) sink(buf, n);
      return;
    }
    const { order, weight } = selected ? tally(dict.codes, dict.values.length, selected) : { order: undefined, weight: dict.counts };
    const m = order ? order.length : dict.values.length;
    for (let j = 0; j < m; j++) {
      const k = order ? order[j]! : j;
      if (weight[k] === 0) continue;
      buf[col] = dict.values[k]!;
      sink(buf, weight[k]!);
    }
  };
}

/** The distinct codes of the `selected` rows in order of first appearance, and each one's number of rows. */
function tally(codes: Int32Array, distinct: number, selected: Int32Array): { order: Int32Array; weight: Int32Array } {
  const weight = new Int32Array(distinct);
  const order = new Int32Array(distinct);
  let m = 0;
  for (let j = 0; j < selected.length; j++) {
    const k = codes[selected[j]!]!;
    if (weight[k]++ === 0) order[m++] = k;
  }
  return { order: order.subarray(0, m), weight };
}

/**
 * The rows (in order, before row `end`) whose code has verdict 1. Deliberately free of per-query closures: the
 * million-row loop keeps its optimised machine code from one query to the next, while a loop calling a query's own
 * closures is recompiled for every query (V8 discards such code once the closures it inlined are collected).
 */
function selectRows(codes: Int32Array, verdict: Uint8Array, counts: Int32Array, end: number): Int32Array {
  let m = 0;
  for (let k = 0; k < verdict.length; k++) if (verdict[k] === 1) m += counts[k]!;
  const out = new Int32Array(m);
  let j = 0;
  for (let i = 0; i < end && j < m; i++) if (verdict[codes[i]!] === 1) out[j++] = i;
  return j === m ? out : out.subarray(0, j);
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
  const { codes, values, first, counts } = dict;
  // The condition is decided once per distinct value, on the first row holding it. Codes number the values in order
  // of first appearance, so deciding them in code order visits those rows in row order; a value whose condition
  // raises an error stops there, and the error is raised when the scan reaches that row, after the rows before it
  // went downstream — as on the general path.
  const select = (): { selected: Int32Array; error?: { e: unknown } } => {
    const verdict = new Uint8Array(values.length);
    let error: { e: unknown } | undefined;
    let end = codes.length;
    for (let k = 0; k < values.length; k++) {
      try {
        verdict[k] = pred(src.row(first[k]!)) === true ? 1 : 2;
      } catch (e) {
        error = { e };
        end = first[k]!;
        break;
      }
    }
    return { selected: selectRows(codes, verdict, counts, end), error };
  };
  const run = (need: Need | undefined, sink: Sink): void => {
    const { selected, error } = select();
    scanRows(src, input.columns, need, selected, sink);
    if (error) throw error.e;
  };
  const each = (sink: Sink): void => run(undefined, sink);
  const weighted = (need: Need, sink: WeightedSink): boolean => {
    const send = weightedScan(src, input.columns, need);
    if (!send) return false;
    const { selected, error } = select();
    send(selected, sink);
    if (error) throw error.e;
    return true;
  };
  return streamPlan(input.columns, each, each, run, weighted);
}
