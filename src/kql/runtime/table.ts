// Tables as the runtime moves them between operators: column metadata (names and KQL types exactly as
// Kusto.Language's binder computed them) plus row-major value arrays.
import type { ResultColumnInfo } from "../api.js";
import type { Value } from "../values.js";

export type Row = Value[];

/** A compiled tabular expression: its output columns (known at compile time) and a thunk producing the rows. */
export interface Plan {
  columns: ResultColumnInfo[];
  run: () => Row[];
}

/** Position of each column name (names are unique within a Kusto table). */
export function indexColumns(columns: readonly ResultColumnInfo[]): Map<string, number> {
  const m = new Map<string, number>();
  columns.forEach((c, i) => m.set(c.name, i));
  return m;
}

/** Runs a plan at most once (let-bound tables, materialize(), toscalar() sub-queries). */
export function memoPlan(p: Plan): Plan {
  let rows: Row[] | undefined;
  return { columns: p.columns, run: () => (rows ??= p.run()) };
}

export type Sink = (r: Row) => void;

/**
 * Row-at-a-time operators (where, extend, project, join's probe, mv-expand, parse…) also expose `each`, so a
 * chain of them feeds summarize/count without materialising intermediate tables: rows stay short-lived and
 * die young, which keeps the garbage collector out of the hot loop.
 */
export interface StreamPlan extends Plan {
  each(sink: Sink): void;
  /**
   * Like each(), but a row is only lent to the sink for the duration of the call (the producer may reuse its
   * array for the next row), so the sink must not keep it. Saves one row allocation per output row where the
   * producer would otherwise build a new array (join's probe side feeding summarize).
   */
  eachBorrowed?(sink: Sink): void;
  /**
   * Like eachBorrowed(), but only the columns `need` flags must hold their values in the lent row (the others
   * may hold anything): a producer copies only what its consumers read, and a stored table's scan can fill
   * dictionary-encoded columns from their codes without touching its row arrays (runtime/dictwhere.ts).
   */
  eachNeeded?(need: Need, sink: Sink): void;
  /**
   * Like eachNeeded(), but a lent row may stand for `weight` rows equal in every needed column, for consumers that
   * only count (summarize with count() aggregates, count): a scan whose needed columns come down to one
   * dictionary-encoded column sends each distinct value once, with its number of rows. Operators between pass the
   * weight on and offer this only when their expressions are pure (a row's output depends on its values alone).
   * Returns false, having sent nothing, when the plan cannot.
   */
  eachWeighted?(need: Need, sink: WeightedSink): boolean;
}

export type WeightedSink = (r: Row, weight: number) => void;

/** Per column position, whether a consumer reads it. */
export type Need = readonly boolean[];

/** `a` ∪ `b`; undefined (every column) when either is. */
export function unionNeed(a: Need | undefined, b: Need | undefined): Need | undefined {
  if (!a || !b) return undefined;
  return a.length >= b.length ? a.map((x, i) => x || !!b[i]) : b.map((x, i) => x || !!a[i]);
}

let demandEnabled = true;

/** Runs `fn` with every consumer asking for whole rows: the reference the column-demand path is tested against. */
export function withWholeRows<T>(fn: () => T): T {
  const was = demandEnabled;
  demandEnabled = false;
  try {
    return fn();
  } finally {
    demandEnabled = was;
  }
}

/** eachWeighted() of `p` when it has one and demand is on; false (nothing sent) otherwise. */
export function forEachWeightedRow(p: Plan, need: Need | undefined, sink: WeightedSink): boolean {
  const weighted = (p as Partial<StreamPlan>).eachWeighted;
  return !!weighted && !!need && demandEnabled && weighted(need, sink);
}

/**
 * One row handler fed by eachWeighted() when `weighted` (returns whether the input could; the handler gets each
 * row's weight) or by eachNeeded()/eachBorrowed() (returns true; no weight).
 */
export function feedRows(p: Plan, need: Need | undefined, weighted: boolean, row: (r: Row, w?: number) => void): boolean {
  if (weighted) return forEachWeightedRow(p, need, row);
  forEachNeededRow(p, need, row);
  return true;
}

/** The positions `need` flags among the first `width`, or all of them when need is undefined. */
export function neededPositions(need: Need | undefined, width: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < width; i++) if (!need || need[i]) out.push(i);
  return out;
}

/** Feeds a borrowing sink that reads only the columns `need` flags (undefined: all of them). */
export function forEachNeededRow(p: Plan, need: Need | undefined, sink: Sink): void {
  const needed = (p as Partial<StreamPlan>).eachNeeded;
  if (needed && need && demandEnabled) needed(need, sink);
  else forEachBorrowedRow(p, sink);
}

export function forEachRow(p: Plan, sink: Sink): void {
  const each = (p as Partial<StreamPlan>).each;
  if (each) { each(sink); return; }
  const rows = p.run();
  for (let i = 0; i < rows.length; i++) sink(rows[i]!);
}

/** Feeds a sink that keeps no reference to the rows it is given (summarize, count, filters feeding those). */
export function forEachBorrowedRow(p: Plan, sink: Sink): void {
  const borrowed = (p as Partial<StreamPlan>).eachBorrowed;
  if (borrowed) borrowed(sink);
  else forEachRow(p, sink);
}

/** A plan produced row by row; run() collects the rows. */
export function streamPlan(columns: ResultColumnInfo[], each: (sink: Sink) => void, eachBorrowed?: (sink: Sink) => void,
  eachNeeded?: (need: Need, sink: Sink) => void, eachWeighted?: (need: Need, sink: WeightedSink) => boolean): StreamPlan {
  return {
    columns,
    each,
    eachBorrowed,
    eachNeeded,
    eachWeighted,
    run: () => {
      const out: Row[] = [];
      each((r) => { out.push(r); });
      return out;
    },
  };
}
