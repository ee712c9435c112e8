// Load-time dictionaries of a table's low-cardinality string columns: every row's value as a code into the
// column's distinct values, and equal strings made one string object (interned) in the rows themselves. An
// operator whose result for a row depends on one such column only can then work per distinct value (a `where`
// on a base table: runtime/dictwhere.ts), and memos keyed by text (parse_json) find repeated texts by pointer.
// A table with dictionaries must not change afterwards, since scans answer from the codes without reading rows:
// its rows array is frozen (appending or replacing rows fails loudly) and its cells are immutable by contract.
import type { KqlType, Value } from "../values.js";
import type { Row } from "./table.js";

export interface Dictionary {
  /** Per row, the index of its value in `values`. */
  codes: Int32Array;
  /** Distinct values in order of first appearance. */
  values: Value[];
  /** Per value, the first row holding it (increasing, since values are numbered in order of first appearance). */
  first: Int32Array;
  /** Per value, the number of rows holding it. */
  counts: Int32Array;
}

const tables = new WeakMap<readonly Row[], ReadonlyMap<number, Dictionary>>();

/** A column is not worth a dictionary once it has this many distinct values and more than 1 per 4 rows. */
const MAX_DISTINCT = 1 << 16;

/** The dictionary of column `column` of `rows` when encodeTable made one. */
export function dictionaryOf(rows: readonly Row[], column: number): Dictionary | undefined {
  return tables.get(rows)?.get(column);
}

/**
 * Interns and dictionary-encodes the string columns of `rows` (in place; values do not change, equal strings
 * become one object), then freezes the rows array when it made a dictionary. Idempotent. Returns the number of
 * dictionaries.
 */
export function encodeTable(rows: Row[], columns: readonly { type: KqlType }[]): number {
  const known = tables.get(rows);
  if (known) return known.size;
  const dicts = new Map<number, Dictionary>();
  columns.forEach((col, ci) => {
    if (col.type !== "string") return;
    const d = encodeColumn(rows, ci);
    if (d) dicts.set(ci, d);
  });
  // Rows cannot be appended, removed or replaced once codes describe them. The row arrays themselves stay
  // writable: V8 reads frozen arrays through slower, polymorphic paths at every operator that also sees the
  // engine's own rows (measured: the benchmark's seed query ~1.7× slower), so cells are immutable by contract.
  if (dicts.size > 0) Object.freeze(rows);
  tables.set(rows, dicts);
  return dicts.size;
}

function encodeColumn(rows: Row[], ci: number): Dictionary | undefined {
  const n = rows.length;
  const ids = new Map<Value, number>();
  const values: Value[] = [];
  const first: number[] = [];
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const v = r[ci];
    if (typeof v !== "string") return undefined; // strings are never null: another value means rows off schema
    let k = ids.get(v);
    if (k === undefined) {
      k = values.length;
      if (k >= MAX_DISTINCT && k * 4 > i) return undefined;
      ids.set(v, k);
      values.push(v);
      first.push(i);
    } else if (!Object.isFrozen(r)) {
      r[ci] = values[k]!; // the same text: only the string object changes
    }
    codes[i] = k;
  }
  const counts = new Int32Array(values.length);
  for (let i = 0; i < n; i++) counts[codes[i]!]!++;
  return { codes, values, first: Int32Array.from(first), counts };
}
