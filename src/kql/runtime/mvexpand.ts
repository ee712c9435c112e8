// mv-expand: every element of a dynamic array (or property of a bag) becomes a row; several expanded columns
// expand in parallel, padding the shorter ones with null. Per the reference: a null value yields one row with
// null, an empty array or bag yields no row, bags expand to {key: value} (kind=bag, default) or [key, value]
// (kind=array); `to typeof(T)` only casts — elements of another type become null.
import { kusto, type KAny } from "../kusto.js";
import type { Compiler, Expr } from "../compiler.js";
import { columnsOf, elems, kindOf } from "../compiler.js";
import type { Dyn, KqlType, Value } from "../values.js";
import { DynScalar, dynNum, dynToJsonText, isWholeReal } from "../values.js";
import { parseDatetimeStrict, parseTimespanStrict } from "../datetime-text.js";
import { KqlError } from "../api.js";
import { fitsInt32 } from "../int64.js";
import type { Plan, Row } from "./table.js";
import { feedRows, indexColumns, neededPositions, streamPlan, unionNeed, type Need, type WeightedSink } from "./table.js";
import { demandOf, rowPure, trackingEnv } from "./dictwhere.js";

/** The column name Kusto.Language gives an unnamed expression ("" when it has none). */
export function resultNameOf(expr: KAny): string {
  try {
    return String(kusto().Binding.Binder.GetExpressionResultName(expr, "", null) ?? "");
  } catch {
    return "";
  }
}

export interface MvExpandColumn {
  f: Expr;
  target: number;
  cast: (v: Dyn) => Value;
}

export function castDynamic(t: KqlType): (v: Dyn) => Value {
  switch (t) {
    case "dynamic": return (v) => v;
    case "string": return (v) => (typeof v === "string" ? v : v === null ? "" : v instanceof DynScalar ? v.text() : typeof v === "object" ? dynToJsonText(v) : String(v));
    case "long": return (v) => (typeof v === "number" && Number.isInteger(v) ? v : refuseWholeReal(v, t));
    // An integer beyond int's 32 bits must not come out as an int: whether Kusto's cast wraps it or gives null is
    // not documented.
    case "int": return (v) => {
      if (typeof v !== "number" || !Number.isInteger(v)) return refuseWholeReal(v, t);
      if (!fitsInt32(v)) throw new KqlError("unsupported", `unsupported: to typeof(int) of ${v}, beyond int's range`);
      return v;
    };
    case "real": case "decimal": return (v) => dynNum(v); // 2.0 is held as a DynScalar
    case "bool": return (v) => (typeof v === "boolean" ? v : null);
    // Typed members (DynScalar) keep their value when the requested type is theirs.
    // Text reads as todatetime()/totimespan() do: documented formats only, other date-shaped text refused.
    case "datetime": return (v) => (typeof v === "string" ? parseDatetimeStrict(v, "mv-expand to typeof(datetime)") : v instanceof DynScalar && v.type === t ? v.value : null);
    case "timespan": return (v) => (typeof v === "string" ? parseTimespanStrict(v, "mv-expand to typeof(timespan)") : v instanceof DynScalar && v.type === t ? v.value : null);
    case "guid": return (v) => (typeof v === "string" && /^[0-9a-f-]{36}$/i.test(v) ? v.toLowerCase() : v instanceof DynScalar && v.type === t ? v.value : null);
  }
}

/** A whole-valued real cast to long/int: 2 or null (as for 1.5 here) is not documented, so refused; else null. */
function refuseWholeReal(v: Dyn, t: KqlType): null {
  if (isWholeReal(v)) throw new KqlError("unsupported", `unsupported: mv-expand to typeof(${t}) of a whole-valued real (${String(v.value)}.0)`);
  return null;
}

/** The values one dynamic value expands to (see the header for the rules). */
export function expandItems(v: Value, bagMode: "bag" | "array"): Dyn[] {
  if (v === null) return [null];
  if (Array.isArray(v)) return v;
  if (typeof v === "object" && !(v instanceof DynScalar)) {
    return Object.entries(v as Record<string, Dyn>).map(([k, x]) => (bagMode === "bag" ? { [k]: x } : [k, x]));
  }
  return [v as Dyn];
}

export function compileMvExpand(c: Compiler, op: KAny, input: Plan): Plan {
  const outCols = columnsOf(op);
  const outIdx = indexColumns(outCols);
  let bagMode: "bag" | "array" = "bag";
  let indexName: string | undefined;
  for (const p of elems(op.Parameters)) {
    const name = String(p.Name.SimpleName).toLowerCase();
    const v = String(p.Expression.ToString(0)).trim();
    if (name === "bagexpansion" || name === "kind") bagMode = v.toLowerCase() === "array" ? "array" : "bag";
    else if (name === "with_itemindex") indexName = v;
    else c.unsupported(p, `mv-expand parameter ${name}`);
  }
  // Tracked: a consumer that reads few columns gets rows with only those (and what the expansion reads) copied.
  const tracked = trackingEnv(c.rowEnv(input.columns));
  const env = tracked.env;
  const cols: MvExpandColumn[] = [];
  for (const e of elems(op.Expressions)) {
    if (kindOf(e) !== "MvExpandExpression") c.unsupported(e, "mv-expand expression");
    const { name, expr } = c.namedParts(e.Expression);
    // Unnamed expressions get the binder's own result name (`parse_json(s)` → s, `d.k` → k).
    const target = name ?? (resultNameOf(expr) || undefined);
    const ti = target !== undefined ? outIdx.get(target) : undefined;
    if (ti === undefined) c.unsupported(e, "mv-expand of an unnamed expression");
    cols.push({ f: c.scalar(expr, env).f, target: ti!, cast: castDynamic(outCols[ti!]!.type) });
  }
  const limitNode = op.RowLimitClause;
  const limit = limitNode ? Number(c.constant(limitNode.RowLimit)) : Infinity;
  const idxTarget = indexName !== undefined ? outIdx.get(indexName) : undefined;
  if (indexName !== undefined && idxTarget === undefined) c.unsupported(op, "with_itemindex column");
  const width = outCols.length;
  // Input columns keep their positions; new columns (named expressions, the index) are appended by the binder.
  if (input.columns.some((col, i) => outCols[i]?.name !== col.name)) c.unsupported(op, "mv-expand output schema");
  const items = (v: Value) => expandItems(v, bagMode);
  const pad: Value[] = new Array(Math.max(0, width - input.columns.length)).fill(null);
  const inWidth = input.columns.length;
  const ncols = cols.length;
  // Output rows are copies of the input row plus the expanded values, so the input may be borrowed; a borrowing
  // consumer gets one reused output row.
  const reads = demandOf(tracked, input.columns);
  // With weights (an input row standing for several equal rows), each output row carries its input row's weight.
  const expand = (sink: WeightedSink, borrowed: boolean, need?: Need, weighted = false): boolean => {
    const buf: Row = new Array<Value>(width).fill(null);
    const lists: Dyn[][] = new Array<Dyn[]>(ncols); // per run, not per row (a plan may be run re-entrantly)
    const inNeed = need ? unionNeed(need.slice(0, inWidth), reads) : undefined;
    const copy = neededPositions(inNeed, inWidth);
    const ncopy = copy.length;
    return feedRows(input, inNeed, weighted, (r, w) => {
      let n = 0;
      for (let j = 0; j < ncols; j++) {
        const l = items(cols[j]!.f(r));
        lists[j] = l;
        if (l.length > n) n = l.length;
      }
      if (n > limit) n = limit;
      if (n === 0) return;
      if (borrowed) {
        // Borrowing consumers neither keep nor write the lent row, so the input columns are copied once per input
        // row; every output row rewrites all expanded columns (and the index).
        for (let j = 0; j < ncopy; j++) { const c = copy[j]!; buf[c] = r[c]!; }
        for (let c = inWidth; c < width; c++) buf[c] = null;
      }
      for (let i = 0; i < n; i++) {
        const o = borrowed ? buf : r.concat(pad);
        for (let j = 0; j < ncols; j++) {
          const col = cols[j]!;
          const l = lists[j]!;
          o[col.target] = col.cast(i < l.length ? l[i]! : null);
        }
        if (idxTarget !== undefined) o[idxTarget] = i;
        sink(o, w!);
      }
    });
  };
  const pure = elems(op.Expressions).every((e: KAny) => rowPure(e, c.symbolKindOf.bind(c)));
  return streamPlan(outCols, (sink) => { expand(sink, false); }, (sink) => { expand(sink, true); }, (need, sink) => { expand(sink, true, need); },
    pure ? (need, sink) => expand(sink, true, need, true) : undefined);
}
