// sample N and sample-distinct N of Expr (sample-operator.md, sample-distinct-operator.md). Kusto picks rows at
// random; the engine draws from the run's random source, so a run with the `seed` option (runQuery's `seed`)
// always picks the same rows. Chosen rows keep their input order. Kusto's own picks cannot be reproduced: only
// the number of rows and their membership in the input are meaningful in a comparison.
import type { KAny } from "../kusto.js";
import type { Compiler } from "../compiler.js";
import { columnsOf } from "../compiler.js";
import type { EvalContext } from "../builtins/registry.js";
import type { Value } from "../values.js";
import { keyOf } from "./ops.js";
import type { Plan, Row } from "./table.js";

/** Indices of `k` of `n` items chosen uniformly without replacement (partial Fisher–Yates), ascending. */
function pick(n: number, k: number, random: () => number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = idx[i]!; idx[i] = idx[j]!; idx[j] = t;
  }
  return idx.slice(0, k).sort((a, b) => a - b);
}

/** The row count: a row-independent integer expression (a real with a fraction or a negative count is refused). */
function countOf(c: Compiler, node: KAny): () => number {
  const e = c.scalar(node, c.rowEnv([]));
  return () => {
    const v = e.f([]);
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) return c.unsupported(node, `sample count ${String(v)}`);
    return v;
  };
}

export function compileSample(c: Compiler, op: KAny, input: Plan, ctx: EvalContext): Plan {
  const count = countOf(c, op.Expression);
  return {
    columns: input.columns,
    run: () => {
      const rows = input.run();
      return pick(rows.length, count(), ctx.random).map((i) => rows[i]!);
    },
  };
}

export function compileSampleDistinct(c: Compiler, op: KAny, input: Plan, ctx: EvalContext): Plan {
  const outCols = columnsOf(op);
  if (outCols.length !== 1) c.unsupported(op, "sample-distinct output schema");
  const count = countOf(c, op.Expression);
  const f = c.scalar(c.namedParts(op.OfExpression).expr, c.rowEnv(input.columns)).f;
  return {
    columns: outCols,
    run: () => {
      const seen = new Set<unknown>();
      const values: Value[] = [];
      for (const r of input.run()) {
        const v = f(r);
        const k = keyOf(v);
        if (!seen.has(k)) { seen.add(k); values.push(v); }
      }
      return pick(values.length, count(), ctx.random).map((i): Row => [values[i]!]);
    },
  };
}
