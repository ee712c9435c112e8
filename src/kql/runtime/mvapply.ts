// mv-apply: for each input row, the expanded values (arrays/bags, expanded in parallel as mv-expand does) form
// a small table that the sub-query runs over; its result rows are joined back to the input row. The sub-query
// is compiled once over a plan whose rows are swapped per input row.
import type { KAny } from "../kusto.js";
import type { Compiler, Expr } from "../compiler.js";
import { columnsOf, elems, kindOf, typeOfNode } from "../compiler.js";
import type { ResultColumnInfo } from "../api.js";
import type { Dyn, KqlType, Value } from "../values.js";
import { castDynamic, expandItems, resultNameOf } from "./mvexpand.js";
import type { Plan, Row } from "./table.js";
import { indexColumns } from "./table.js";

export function compileMvApply(c: Compiler, op: KAny, input: Plan): Plan {
  const outCols = columnsOf(op);
  let indexName: string | undefined;
  for (const p of elems(op.Parameters)) {
    const name = String(p.Name.SimpleName).toLowerCase();
    if (name === "with_itemindex") indexName = String(p.Expression.SimpleName ?? p.Expression.ToString(0)).trim();
    else c.unsupported(p, `mv-apply parameter ${name}`);
  }
  if (op.RowLimitClause || op.ContextIdClause) c.unsupported(op, "mv-apply limit/id clause");
  const env = c.rowEnv(input.columns);
  // Sub-query input: the input row's columns with the expanded ones replaced (or appended when renamed).
  const subCols: ResultColumnInfo[] = input.columns.map((col) => ({ ...col }));
  const expanders: { f: Expr; target: number; cast: (v: Dyn) => Value }[] = [];
  for (const e of elems(op.Expressions)) {
    if (kindOf(e) !== "MvApplyExpression") c.unsupported(e, "mv-apply expression");
    const { name, expr } = c.namedParts(e.Expression);
    const target = name ?? (resultNameOf(expr) || undefined);
    if (!target) c.unsupported(e, "mv-apply of an unnamed expression");
    let type: KqlType = "dynamic";
    if (e.ToTypeOf) type = typeOfNode(e.ToTypeOf.TypeOf.Types ? elems(e.ToTypeOf.TypeOf.Types)[0] : e.ToTypeOf.TypeOf);
    if (kindOf(e.Expression) === "SimpleNamedExpression") type = typeOfNode(e.Expression.Name);
    let ti = subCols.findIndex((col) => col.name === target);
    if (ti < 0) { subCols.push({ name: target!, type }); ti = subCols.length - 1; } else subCols[ti] = { name: target!, type };
    expanders.push({ f: c.scalar(expr, env).f, target: ti, cast: castDynamic(type) });
  }
  let indexTarget: number | undefined;
  if (indexName) { subCols.push({ name: indexName, type: "long" }); indexTarget = subCols.length - 1; }
  let current: Row[] = [];
  const subInput: Plan = { columns: subCols, run: () => current };
  const sub = c.tabular(op.Subquery.Expression, subInput);
  const subIdx = indexColumns(sub.columns);
  const inIdx = indexColumns(input.columns);
  const pick = outCols.map((col) => {
    const s = subIdx.get(col.name);
    if (s !== undefined) return { from: "sub" as const, i: s };
    const i = inIdx.get(col.name);
    if (i === undefined) c.unsupported(op, `mv-apply output column '${col.name}'`);
    return { from: "in" as const, i: i! };
  });
  const width = subCols.length;
  return {
    columns: outCols,
    run: () => {
      const out: Row[] = [];
      for (const r of input.run()) {
        const lists = expanders.map((x) => expandItems(x.f(r), "bag"));
        let n = 0;
        for (const l of lists) if (l.length > n) n = l.length;
        const rows: Row[] = [];
        for (let i = 0; i < n; i++) {
          const o = r.slice();
          o.length = width;
          for (let k = r.length; k < width; k++) o[k] = null;
          expanders.forEach((x, j) => { const l = lists[j]!; o[x.target] = x.cast(i < l.length ? l[i]! : null); });
          if (indexTarget !== undefined) o[indexTarget] = i;
          rows.push(o);
        }
        current = rows;
        for (const s of sub.run()) out.push(pick.map((p) => (p.from === "sub" ? s[p.i]! : r[p.i]!)));
      }
      return out;
    },
  };
}
