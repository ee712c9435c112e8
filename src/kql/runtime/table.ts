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
