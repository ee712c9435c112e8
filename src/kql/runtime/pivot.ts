// evaluate pivot(pivotColumn [, aggregation] [, column…]) : (OutputSchema) — pivot-plugin.md. Rows are grouped
// by the other columns (all but the pivot column and the aggregation's columns, unless listed); each value of
// the pivot column named in the output schema becomes a column holding the aggregation over that group's rows
// with that value. Only the form with an output schema runs: without one, the order (and for non-string values
// the names) of the generated columns is undocumented. Cells without rows are 0 for count/dcount/sum (the
// reference's examples show 0s); for other aggregations such a cell is refused.
import { KqlError, type ResultColumnInfo } from "../api.js";
import type { KAny } from "../kusto.js";
import type { AggSlot, Compiler, Env, Expr } from "../compiler.js";
import { columnsOf, elems, kindOf, typeOfNode } from "../compiler.js";
import type { Accumulator } from "../builtins/registry.js";
import type { Value } from "../values.js";
import { compositeKey } from "./ops.js";
import type { Plan, Row } from "./table.js";

const ZERO_WHEN_EMPTY = new Set(["count", "dcount", "sum"]);

export function compilePivot(c: Compiler, op: KAny, call: KAny, input: Plan): Plan {
  if (!op.Schema) c.unsupported(op, "evaluate pivot without an output schema (the order of its generated columns is undocumented)");
  const outCols = columnsOf(op);
  const args = elems(call.ArgumentList.Expressions);
  const nameOf = (e: KAny): string => {
    if (kindOf(e) !== "NameReference") c.unsupported(e, "evaluate pivot argument that is not a column name");
    return String(e.ReferencedSymbol?.Name ?? e.SimpleName);
  };
  const pivotName = nameOf(args[0]);
  const pivotIdx = input.columns.findIndex((x) => x.name === pivotName);
  if (pivotIdx < 0 || input.columns[pivotIdx]!.type !== "string") c.unsupported(args[0], "evaluate pivot over a column that is not a string column");

  // The aggregation (count() by default), compiled like a summarize aggregate.
  const env = c.rowEnv(input.columns);
  let aggNode: KAny | undefined;
  let rest = args.slice(1);
  if (rest[0] && kindOf(rest[0]) === "FunctionCallExpression") { aggNode = rest[0]; rest = rest.slice(1); }
  const aggName = aggNode ? String(aggNode.ReferencedSymbol?.Name ?? "") : "count";
  const agg = { slots: [] as AggSlot[], rowEnv: env };
  let finish: Expr = (res) => res[0]!;
  let aggType = "long";
  const aggCols = new Set<string>();
  if (aggNode) {
    const aggEnv: Env = { cols: new Map(), columns: [], agg };
    finish = c.scalar(aggNode, aggEnv).f;
    aggType = typeOfNode(aggNode);
    collectColumns(c, aggNode, aggCols);
    if (agg.slots.length !== 1 || agg.slots[0]!.width !== 1) c.unsupported(aggNode, "evaluate pivot aggregation");
  } else {
    agg.slots.push({ args: [], width: 1, groups: () => () => { let n = 0; return { add: () => { n++; }, result: () => n }; } });
  }

  const groupNames = rest.length > 0
    ? rest.map(nameOf)
    : input.columns.map((x) => x.name).filter((n) => n !== pivotName && !aggCols.has(n));
  const groupIdx = groupNames.map((n) => {
    const i = input.columns.findIndex((x) => x.name === n);
    if (i < 0) c.unsupported(op, `evaluate pivot column '${n}'`);
    return i;
  });
  // The schema: the group columns first (as Kusto lays them out), then pivot values with the aggregate's type.
  const valueCols: ResultColumnInfo[] = outCols.slice(groupNames.length);
  const groupsMatch = groupNames.every((n, j) => outCols[j]?.name === n && outCols[j]!.type === input.columns[groupIdx[j]!]!.type);
  if (!groupsMatch || valueCols.some((x) => x.type !== aggType) || new Set(valueCols.map((x) => x.name)).size !== valueCols.length) {
    c.unsupported(op.Schema, "evaluate pivot output schema that is not the group columns followed by columns of the aggregation's type");
  }
  const valueAt = new Map(valueCols.map((x, j) => [x.name, j]));
  const slot = agg.slots[0]!;
  const { line, column } = c.pos(op);

  return {
    columns: outCols,
    run: () => {
      const maker = slot.groups();
      const groups = new Map<unknown, { keys: Value[]; cells: (Accumulator | undefined)[] }>();
      for (const r of input.run()) {
        const keys = groupIdx.map((i) => r[i]!);
        const k = compositeKey(keys);
        let g = groups.get(k);
        if (!g) { g = { keys, cells: new Array(valueCols.length).fill(undefined) }; groups.set(k, g); }
        const j = valueAt.get(r[pivotIdx] as string);
        if (j === undefined) continue; // values outside the output schema are not output
        const acc = (g.cells[j] ??= maker());
        acc.add(slot.args.map((a) => a(r)));
      }
      const out: Row[] = [];
      for (const g of groups.values()) {
        const row: Row = g.keys.slice();
        for (const acc of g.cells) {
          if (acc) row.push(finish([acc.result()]));
          else if (ZERO_WHEN_EMPTY.has(aggName)) row.push(0);
          else throw new KqlError("unsupported", `unsupported: evaluate pivot cell without rows for ${aggName}() at ${line}:${column}`, line, column);
        }
        out.push(row);
      }
      return out;
    },
  };
}

function collectColumns(c: Compiler, node: KAny, out: Set<string>): void {
  if (!node) return;
  const sym = kindOf(node) === "NameReference" ? node.ReferencedSymbol : undefined;
  if (sym && c.symbolKindOf(sym) === "Column") out.add(String(sym.Name));
  for (let i = 0; i < node.ChildCount; i++) collectColumns(c, node.GetChild(i), out);
}
