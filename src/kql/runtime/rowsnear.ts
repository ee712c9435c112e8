// evaluate rows_near(Condition, NumRows [, RowsAfter]) — rows-near-plugin.md: every row of the serialized input that
// lies within NumRows rows before (RowsAfter after, NumRows when omitted) a row whose Condition is true, in input
// order. The input must be serialized: it is accepted when, walking back through operators that preserve
// serialization (window-functions.md), a sort, serialize, top or range is reached (serialize-operator.md's list).
import type { KAny } from "../kusto.js";
import type { Compiler } from "../compiler.js";
import { columnsOf, elems, kindOf } from "../compiler.js";
import type { Plan, Row } from "./table.js";

const SERIALIZING = new Set(["SortOperator", "SerializeOperator", "TopOperator", "RangeOperator"]);
const PRESERVING = new Set(["ExtendOperator", "MvExpandOperator", "ParseOperator", "ProjectOperator", "ProjectAwayOperator",
  "ProjectRenameOperator", "TakeOperator", "FilterOperator"]);

/** Whether the input of the operator `op` (in `… | op`) is a serialized row set by the documented rules. */
function serializedInput(op: KAny): boolean {
  let pipe = op.Parent;
  for (;;) {
    if (!pipe || kindOf(pipe) !== "PipeExpression") return false;
    const prev = pipe.Expression;
    const prevOp = kindOf(prev) === "PipeExpression" ? prev.Operator : prev;
    if (SERIALIZING.has(kindOf(prevOp))) return true;
    if (!PRESERVING.has(kindOf(prevOp)) || kindOf(prev) !== "PipeExpression") return false;
    pipe = prev;
  }
}

export function compileRowsNear(c: Compiler, op: KAny, call: KAny, input: Plan): Plan {
  const args = elems(call.ArgumentList.Expressions);
  if (args.length < 2 || args.length > 3) c.unsupported(op, "rows_near arguments");
  if (!serializedInput(op)) c.unsupported(op, "rows_near over an input not serialized by sort, serialize, top or range");
  const outCols = columnsOf(op);
  if (outCols.length !== input.columns.length || outCols.some((x, i) => x.name !== input.columns[i]!.name)) c.unsupported(op, "rows_near output schema");

  const cond = c.scalar(args[0], c.rowEnv(input.columns)).f;
  const count = (e: KAny): number => {
    const v = c.scalar(e, c.rowEnv([])).konst?.v;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) return c.unsupported(e, "rows_near row count that is not a constant non-negative integer");
    return v;
  };
  const before = count(args[1]);
  const after = args[2] ? count(args[2]) : before;
  return {
    columns: outCols,
    run: () => {
      const rows = input.run();
      const keep = new Uint8Array(rows.length);
      rows.forEach((r, i) => {
        if (cond(r) !== true) return;
        for (let j = Math.max(0, i - before); j <= Math.min(rows.length - 1, i + after); j++) keep[j] = 1;
      });
      const out: Row[] = [];
      rows.forEach((r, i) => { if (keep[i]) out.push(r); });
      return out;
    },
  };
}
