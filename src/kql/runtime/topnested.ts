// top-nested (top-nested-operator.md): each clause groups the rows of its parent group by its `of` expression,
// aggregates each group, orders the groups by the aggregate (desc unless asc) and keeps the top N (all without
// N); the next clause refines every kept group. One output row per leaf: (value, aggregate) per clause.
// Refused where the reference leaves the answer open: `with others`, null group values, and a cut at N that
// falls between groups whose aggregates tie (or are null), since which of them Kusto keeps is not documented.
import { KqlError } from "../api.js";
import type { KAny } from "../kusto.js";
import type { AggSlot, Compiler, Env, Expr } from "../compiler.js";
import { columnsOf, elems, kindOf } from "../compiler.js";
import type { Accumulator } from "../builtins/registry.js";
import type { Value } from "../values.js";
import { keyOf, sortComparator } from "./ops.js";
import type { Plan, Row } from "./table.js";

interface Level {
  n: number | undefined;
  key: Expr;
  slots: AggSlot[];
  finish: Expr;
  cmp: (a: Value, b: Value) => number;
  node: KAny;
}

export function compileTopNested(c: Compiler, op: KAny, input: Plan): Plan {
  const outCols = columnsOf(op);
  const clauses = elems(op.Clauses);
  if (outCols.length !== 2 * clauses.length) c.unsupported(op, "top-nested output schema");
  const env = c.rowEnv(input.columns);
  const levels: Level[] = clauses.map((cl) => {
    if (cl.WithOthersClause) c.unsupported(cl.WithOthersClause, "top-nested with others");
    let n: number | undefined;
    if (cl.Expression) {
      const k = c.scalar(cl.Expression, c.rowEnv([]));
      const v = k.konst?.v;
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0) c.unsupported(cl.Expression, "top-nested count that is not a constant non-negative integer");
      n = v as number;
    }
    const key = c.scalar(c.namedParts(cl.OfExpression).expr, env).f;
    let by = cl.ByExpression;
    let desc = true;
    if (kindOf(by) === "OrderedExpression") {
      const ord = by.Ordering;
      if (ord?.NullsClause) c.unsupported(ord, "top-nested nulls first/last");
      if (ord && String(ord.AscOrDescKeyword?.Text ?? "").toLowerCase() === "asc") desc = false;
      by = by.Expression;
    }
    // The aggregation compiles like a summarize aggregate: slots fed per row, finished per group.
    const agg = { slots: [] as AggSlot[], rowEnv: env };
    const aggEnv: Env = { cols: new Map(), columns: [], agg };
    const finish = c.scalar(c.namedParts(by).expr, aggEnv).f;
    if (agg.slots.length === 0 || agg.slots.some((s) => s.width !== 1)) c.unsupported(by, "top-nested aggregation");
    return { n, key, slots: agg.slots, finish, cmp: sortComparator(desc, false), node: cl };
  });

  const p = (node: KAny) => c.pos(node);
  const refuse = (lv: Level, why: string): never => {
    const { line, column } = p(lv.node);
    throw new KqlError("unsupported", `unsupported: top-nested ${why} at ${line}:${column}`, line, column);
  };

  const expand = (depth: number, rows: Row[], prefix: Value[], out: Row[]): void => {
    const lv = levels[depth]!;
    const makers = lv.slots.map((s) => s.groups());
    const groups = new Map<unknown, { key: Value; rows: Row[]; accs: Accumulator[] }>();
    for (const r of rows) {
      const v = lv.key(r);
      if (v === null) refuse(lv, "over null values of its expression");
      const k = keyOf(v);
      let g = groups.get(k);
      if (!g) { g = { key: v, rows: [], accs: makers.map((m) => m()) }; groups.set(k, g); }
      g.rows.push(r);
      for (let s = 0; s < lv.slots.length; s++) g.accs[s]!.add(lv.slots[s]!.args.map((a) => a(r)));
    }
    const ranked = [...groups.values()].map((g) => ({ g, agg: lv.finish(g.accs.map((a) => a.result())) }));
    ranked.sort((x, y) => lv.cmp(x.agg, y.agg));
    let kept = ranked;
    if (lv.n !== undefined && ranked.length > lv.n) {
      if (ranked.some((x) => x.agg === null || (typeof x.agg === "number" && Number.isNaN(x.agg)))) refuse(lv, "cut over null or NaN aggregates");
      if (lv.n > 0 && lv.cmp(ranked[lv.n - 1]!.agg, ranked[lv.n]!.agg) === 0) refuse(lv, "cut between groups whose aggregates tie");
      kept = ranked.slice(0, lv.n);
    }
    for (const { g, agg } of kept) {
      const next = [...prefix, g.key, agg];
      if (depth + 1 < levels.length) expand(depth + 1, g.rows, next, out);
      else out.push(next);
    }
  };

  return {
    columns: outCols,
    run: () => {
      const out: Row[] = [];
      const rows = input.run();
      if (rows.length > 0) expand(0, rows, [], out);
      return out;
    },
  };
}
