// partition (partition-operator.md): the input is split by the values of a key column and the subquery runs on
// each subtable; the result is the union of the subquery results. The subquery is compiled once over a plan whose
// rows are swapped per partition, so it may only contain operators that recompute from their input on every run:
// the reference's list for the native and shuffle strategies (no sources of their own, no `as`, no plugins).
// The legacy `{ subquery with source }` form and null partition keys (undocumented) are refused.
import { KqlError } from "../api.js";
import type { KAny } from "../kusto.js";
import type { Compiler } from "../compiler.js";
import { columnsOf, elems, kindOf } from "../compiler.js";
import { keyOf, RuntimeError } from "./ops.js";
import type { Plan, Row } from "./table.js";

/** Operators the reference allows in native/shuffle subqueries that this engine implements. */
const SUBQUERY_OPERATORS = new Set([
  "FilterOperator", "ExtendOperator", "ProjectOperator", "ProjectAwayOperator", "ProjectKeepOperator",
  "ProjectRenameOperator", "ProjectReorderOperator", "SummarizeOperator", "CountOperator", "DistinctOperator",
  "TakeOperator", "SortOperator", "TopOperator", "TopNestedOperator", "MvExpandOperator", "MvApplyOperator",
  "ParseOperator", "ParseWhereOperator", "SerializeOperator", "ScanOperator", "MakeSeriesOperator",
]);

/** The legacy strategy's documented limit on distinct key values. */
const LEGACY_MAX_PARTITIONS = 64;

export function compilePartition(c: Compiler, op: KAny, input: Plan): Plan {
  const outCols = columnsOf(op);
  let strategy = "legacy";
  for (const p of elems(op.Parameters)) {
    const name = String(p.Name.SimpleName ?? p.Name.ToString(0)).trim().toLowerCase();
    const value = String(p.Expression.ToString(0)).trim().toLowerCase();
    if (name === "hint.strategy" && ["native", "shuffle", "legacy"].includes(value)) strategy = value;
    else if (!["hint.shufflekey", "hint.materialized", "hint.concurrency", "hint.spread"].includes(name)) c.unsupported(p, `partition parameter ${name}`);
  }
  const by = op.ByExpression;
  if (kindOf(by) !== "NameReference") c.unsupported(by, "partition by an expression that is not a column");
  const keyIdx = input.columns.findIndex((x) => x.name === String(by.ReferencedSymbol?.Name ?? by.SimpleName));
  if (keyIdx < 0) c.unsupported(by, "partition key column");
  const operand = op.Operand;
  if (kindOf(operand) !== "PartitionSubquery") c.unsupported(operand, "partition { subquery with its own source } (legacy form)");
  checkSubquery(c, operand.Subquery);

  const at = c.pos(by);
  let current: Row[] = [];
  const part: Plan = { columns: input.columns, run: () => current };
  const sub = c.tabular(operand.Subquery, part);
  // A scan without with_match_id ends without the binder's extra match_id column (runtime/scan.ts checked that
  // what follows the partition does not depend on it).
  const sig = (cols: { name: string; type: string }[]) => cols.map((x) => `${x.name}:${x.type}`).join(",");
  const narrower = sig([...sub.columns, { name: "match_id", type: "long" }]) === sig(outCols);
  if (!narrower && sig(sub.columns) !== sig(outCols)) c.unsupported(op, "partition output schema");
  return {
    columns: sub.columns,
    run: () => {
      const parts = new Map<unknown, Row[]>();
      for (const r of input.run()) {
        const v = r[keyIdx]!;
        if (v === null) throw new KqlError("unsupported", `unsupported: partition over null key values at ${at.line}:${at.column}`, at.line, at.column);
        const k = keyOf(v);
        const rows = parts.get(k);
        if (rows) rows.push(r); else parts.set(k, [r]);
      }
      if (strategy === "legacy" && parts.size > LEGACY_MAX_PARTITIONS) {
        throw new RuntimeError(`partition: the legacy strategy allows at most ${LEGACY_MAX_PARTITIONS} distinct key values (found ${parts.size}); use hint.strategy=native`);
      }
      const out: Row[] = [];
      for (const rows of parts.values()) {
        current = rows;
        for (const r of sub.run()) out.push(r);
      }
      current = [];
      return out;
    },
  };
}

/** The subquery is a chain of operators over the implicit source, each one the engine can re-run per partition. */
function checkSubquery(c: Compiler, node: KAny): void {
  let n = node;
  while (kindOf(n) === "PipeExpression") {
    const k = kindOf(n.Operator);
    if (!SUBQUERY_OPERATORS.has(k)) c.unsupported(n.Operator, `operator ${k.replace(/Operator$/, "")} in a partition subquery`);
    n = n.Expression;
  }
  if (kindOf(n) === "ParenthesizedExpression") return checkSubquery(c, n.Expression);
  if (!SUBQUERY_OPERATORS.has(kindOf(n))) c.unsupported(n, "partition subquery that does not start with a supported operator");
}
