// make-series (basic form): `make-series Agg [default = D], … on Axis [from A] [to B] step S [by Keys]` and
// `… on Axis in range(A, B, S)`. Each group gets one array per aggregate with one slot per step (absent slots
// take the default, 0 unless given) and the axis array of bin starts. `from … to` excludes `to`, `range(…)`
// includes its stop value; without `from` the series starts at the smallest axis value's bin. `kind=nonempty`
// turns an empty input into one row of defaults (make-series-operator.md); `hint.*` parameters change nothing here.
import type { KAny } from "../kusto.js";
import type { Compiler, Expr } from "../compiler.js";
import { columnsOf, elems, kindOf, toDyn } from "../compiler.js";
import { getAggregate, type Accumulator } from "../builtins/registry.js";
import type { Dyn, KqlType, Value } from "../values.js";
import { compositeKey } from "./ops.js";
import type { Plan, Row } from "./table.js";

interface SeriesAgg { args: Expr[]; create: () => Accumulator; def: Value; type: KqlType }

export function compileMakeSeries(c: Compiler, op: KAny, input: Plan, ctx: Parameters<NonNullable<ReturnType<typeof getAggregate>>["create"]>[1]): Plan {
  const outCols = columnsOf(op);
  let nonempty = false;
  for (const p of elems(op.Parameters)) {
    const name = String(p.Name.SimpleName).toLowerCase();
    const v = String(p.Expression.ToString(0)).trim().toLowerCase();
    if (name === "kind" && v === "nonempty") nonempty = true;
    else if (!name.startsWith("hint.")) c.unsupported(p, `make-series parameter ${name}=${v}`);
  }
  const env = c.rowEnv(input.columns);
  const aggs: SeriesAgg[] = [];
  for (const e of elems(op.Aggregates)) {
    if (kindOf(e) !== "MakeSeriesExpression") c.unsupported(e, "make-series aggregate");
    const call = c.namedParts(e.Expression).expr;
    if (kindOf(call) !== "FunctionCallExpression") c.unsupported(call, "make-series aggregate expression other than a single aggregate call");
    const name = String(call.ReferencedSymbol?.Name ?? "");
    const fn = getAggregate(name);
    if (!fn) c.unsupported(call, `aggregate function ${name}()`);
    const args = elems(call.ArgumentList.Expressions).map((a: KAny) => c.scalar(a, env));
    const types = args.map((a) => a.t);
    const def = e.DefaultExpression ? c.constant(e.DefaultExpression.Expression) : 0;
    const t = (typeof fn!.returns === "function" ? fn!.returns(types) : fn!.returns) as KqlType;
    aggs.push({ args: args.map((a) => a.f), create: () => fn!.create(types, ctx), def, type: t });
  }
  const axis = c.scalar(op.OnClause.Expression, env);
  const rc = op.RangeClause;
  let fromE: Expr | undefined, toE: Expr | undefined, stepE: Expr, inclusive = false;
  if (rc && kindOf(rc) === "MakeSeriesFromToStepClause") {
    fromE = rc.MakeSeriesFromClause ? c.scalar(rc.MakeSeriesFromClause.Expression, env).f : undefined;
    toE = rc.MakeSeriesToClause ? c.scalar(rc.MakeSeriesToClause.Expression, env).f : undefined;
    stepE = c.scalar(rc.MakeSeriesStepClause.Expression, env).f;
  } else if (rc && kindOf(rc) === "MakeSeriesInRangeClause") {
    const [a, b, s] = elems(rc.Arguments?.Expressions ?? rc.ArgumentList?.Expressions ?? []);
    if (!a || !b || !s) c.unsupported(rc, "make-series in range() form");
    fromE = c.scalar(a, env).f; toE = c.scalar(b, env).f; stepE = c.scalar(s, env).f;
    inclusive = true;
  } else return c.unsupported(op, "make-series range clause");
  const keyFs = op.ByClause ? elems(op.ByClause.Expressions).map((e: KAny) => c.scalar(c.namedParts(e).expr, env).f) : [];
  if (outCols.length !== keyFs.length + aggs.length + 1) c.unsupported(op, "make-series output schema");
  const axisType = axis.t;
  const num = (v: Value): number => (typeof v === "bigint" ? Number(v) : (v as number));
  return {
    columns: outCols,
    run: () => {
      const rows = input.run();
      const step = num(stepE([]));
      if (!(step > 0)) throw new Error("make-series step must be positive");
      let from = fromE ? fromE([]) : null;
      let to = toE ? toE([]) : null;
      // kind=nonempty over an empty input: one row of defaults. Documented only without `by` and with both bounds;
      // otherwise the group keys or the axis are undefined, so refuse rather than guess.
      const fillEmpty = nonempty && rows.length === 0;
      if (fillEmpty && (keyFs.length > 0 || from === null || to === null)) {
        c.unsupported(op, "make-series kind=nonempty over an empty input with 'by' or without from/to");
      }
      if (from === null || to === null) {
        // Without `from` the series start at the first bin holding data, without `to` they end at "the upper bound
        // of the last bin, or step, that has data" (exclusive). The page says "in each series": where the groups'
        // first or last bins differ, a range per series and one shared range disagree, so that input is refused.
        let lo = Infinity, hi = -Infinity;
        const spans = keyFs.length ? new Map<string, [number, number]>() : undefined;
        for (const r of rows) {
          const v = axis.f(r);
          if (v === null) continue;
          const x = num(v);
          if (x < lo) lo = x;
          if (x > hi) hi = x;
          if (spans) {
            const k = compositeKey(keyFs.map((kf) => kf(r)));
            const sp = spans.get(k);
            if (!sp) spans.set(k, [x, x]);
            else { if (x < sp[0]) sp[0] = x; if (x > sp[1]) sp[1] = x; }
          }
        }
        if (lo === Infinity) return nonempty && rows.length > 0 ? c.unsupported(op, "make-series kind=nonempty without an axis value") : [];
        const fromGiven = from !== null, toGiven = to !== null;
        if (from === null) from = Math.floor(lo / step) * step;
        const f0 = num(from);
        const binOf = (x: number): number => Math.floor((x - f0) / step);
        if (to === null) to = f0 + (binOf(hi) + 1) * step;
        for (const [a, b] of spans?.values() ?? []) {
          if ((!fromGiven && binOf(a) !== binOf(lo)) || (!toGiven && binOf(b) !== binOf(hi))) {
            c.unsupported(op, "make-series without from/to whose series hold data in different first/last bins (a range per series or one shared range is ambiguous)");
          }
        }
      }
      const f = num(from), t = num(to);
      const nbins = Math.max(0, inclusive ? Math.floor((t - f) / step) + 1 : Math.ceil((t - f) / step));
      type Group = { keys: Value[]; accs: (Accumulator[] | undefined)[] };
      const groups = new Map<string, Group>();
      const order: Group[] = [];
      for (const r of rows) {
        const v = axis.f(r);
        if (v === null) continue;
        const idx = Math.floor((num(v) - f) / step);
        if (idx < 0 || idx >= nbins) continue;
        const keys = keyFs.map((k) => k(r));
        const key = compositeKey(keys);
        let g = groups.get(key);
        if (!g) { g = { keys, accs: new Array(nbins) }; groups.set(key, g); order.push(g); }
        const accs = (g.accs[idx] ??= aggs.map((a) => a.create()));
        aggs.forEach((a, i) => accs[i]!.add(a.args.map((x) => x(r))));
      }
      // avg() of a bin whose rows hold only nulls is NaN (0/0); how Kusto writes NaN/Infinity inside a dynamic
      // array is not documented, so such a series is refused.
      const seriesCell = (v: Value, t: KqlType): Dyn => {
        if (typeof v === "number" && !Number.isFinite(v)) c.unsupported(op, "make-series value NaN/Infinity in a series (its form in a dynamic array is undocumented)");
        return toDyn(v, t);
      };
      const axisValues: Dyn[] = [];
      for (let i = 0; i < nbins; i++) {
        const x = f + i * step;
        axisValues.push(axisType === "datetime" || axisType === "timespan" ? toDyn(BigInt(Math.round(x)), axisType) : x);
      }
      if (fillEmpty) order.push({ keys: [], accs: new Array(nbins) });
      else if (nonempty && order.length === 0) c.unsupported(op, "make-series kind=nonempty when no input row falls in the range");
      return order.map((g): Row => [
        ...g.keys,
        ...aggs.map((a, i) => Array.from({ length: nbins }, (_, b) => { const acc = g.accs[b]; return seriesCell(acc ? acc[i]!.result() : a.def, a.type); })),
        axisValues,
      ]);
    },
  };
}
