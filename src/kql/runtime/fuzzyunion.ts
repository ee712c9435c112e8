// union isfuzzy=true (union-operator.md): legs whose source does not resolve are dropped (an error only when none
// resolves). Kusto.Language still types the dropped legs (as `x_unknown`-style columns), so the union's real
// schema — the surviving legs' columns — differs from the binder's; it is only produced where nothing downstream
// was bound to the binder's schema: the query result after row filters, or a following `count`.
import { KqlError, type ResultColumnInfo } from "../api.js";
import { toArray, type KAny } from "../kusto.js";
import type { Compiler } from "../compiler.js";
import { kindOf } from "../compiler.js";
import { nullOf } from "../values.js";
import type { Plan, Row } from "./table.js";

/**
 * True for Kusto.Language's KS142 ("does not refer to any known table") on a wildcard leg of `union isfuzzy=true`:
 * the binder rejects `SomeView*` matching nothing, the service skips it (union-operator.md's isfuzzy example).
 */
export function isFuzzyWildcardMiss(code: KAny, diag: { code: string; start: number }): boolean {
  if (diag.code !== "KS142") return false;
  const name = code.Syntax.GetTokenAt(diag.start)?.Parent;
  if (!name || kindOf(name) !== "WildcardedName") return false;
  let n = name.Parent;
  while (n && kindOf(n) !== "UnionOperator") {
    if (!["NameReference", "SeparatedElement", "List"].includes(kindOf(n))) return false;
    n = n.Parent;
  }
  if (!n) return false;
  for (const p of toArray(n.Parameters)) {
    if (String(p.Name.SimpleName).toLowerCase() === "isfuzzy") return String(p.Expression.ToString(0)).trim().toLowerCase() === "true";
  }
  return false;
}

/** True when the leg's source (the leftmost name of its pipeline) is a name the binder could not resolve. */
export function isUnresolvedLeg(leg: KAny): boolean {
  let n = leg;
  for (;;) {
    const k = kindOf(n);
    if (k === "ParenthesizedExpression" || k === "PipeExpression") n = n.Expression;
    else return k === "NameReference" && !n.ReferencedSymbol;
  }
}

export function fuzzyUnion(c: Compiler, op: KAny, parts: { label: string; plan: Plan }[], sourceName: string | undefined): Plan {
  if (parts.length === 0) {
    const p = c.pos(op);
    throw new KqlError("semantic", `union isfuzzy=true: none of the union's sources resolved at ${p.line}:${p.column}`, p.line, p.column);
  }
  if (sourceName) c.unsupported(op, "union isfuzzy=true withsource with unresolved sources");
  const pipe = op.Parent && kindOf(op.Parent) === "PipeExpression" && op.Parent.Operator === op ? op.Parent : op;
  const next = pipe.Parent && kindOf(pipe.Parent) === "PipeExpression" && pipe.Parent.Expression === pipe ? kindOf(pipe.Parent.Operator) : undefined;
  if (next !== "CountOperator" && !c.isQueryResultAfterRowFilters(pipe)) {
    c.unsupported(op, "union isfuzzy=true with unresolved sources followed by operators bound to Kusto.Language's schema");
  }
  const columns: ResultColumnInfo[] = [];
  const types = new Map<string, string>();
  for (const { plan } of parts) {
    for (const col of plan.columns) {
      const t = types.get(col.name);
      if (t === undefined) { types.set(col.name, col.type); columns.push(col); } else if (t !== col.type) c.unsupported(op, `union isfuzzy=true over column '${col.name}' with different types`);
    }
  }
  const maps = parts.map(({ plan }) => columns.map((col) => plan.columns.findIndex((x) => x.name === col.name)));
  return {
    columns,
    run: () => {
      const out: Row[] = [];
      parts.forEach(({ plan }, pi) => {
        const m = maps[pi]!;
        for (const r of plan.run()) out.push(m.map((i, ci) => (i < 0 ? nullOf(columns[ci]!.type) : r[i]!)));
      });
      return out;
    },
  };
}
