// join and lookup. Kusto's default join kind is innerunique: the left side is de-duplicated on the join key
// (first row per key wins) before an inner join. Output columns come from the binder (left columns, then right
// columns renamed on collision, e.g. a → a1); lookup drops the right side's key columns.
import type { KAny } from "../kusto.js";
import type { Compiler, Expr } from "../compiler.js";
import { elems, kindOf, columnsOf } from "../compiler.js";
import { compositeKey, keyOf } from "./ops.js";
import { nullOf, type Value } from "../values.js";
import type { Plan, Row } from "./table.js";
import { forEachBorrowedRow, forEachRow, indexColumns, streamPlan, type Sink } from "./table.js";

const KINDS = new Set([
  "innerunique", "inner", "leftouter", "rightouter", "fullouter", "leftanti", "anti", "leftantisemi",
  "rightanti", "rightantisemi", "leftsemi", "rightsemi",
]);

interface Keys { left: Expr[]; right: Expr[]; rightKeyNames: (string | undefined)[] }

function parameters(c: Compiler, op: KAny): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of elems(op.Parameters)) {
    const name = String(p.Name.SimpleName).toLowerCase();
    const v = String(p.Expression.ToString(0)).trim().toLowerCase();
    if (name === "kind") m.set(name, v);
    else if (name === "hint.strategy" || name === "hint.shufflekey" || name === "hint.remote" || name === "hint.num_partitions" || name.startsWith("hint.")) continue;
    else c.unsupported(p, `join parameter ${name}`);
  }
  return m;
}

/** Key extractors from `on a, $left.b == $right.c` (only equality conjunctions are supported, as in Kusto). */
function joinKeys(c: Compiler, op: KAny, left: Plan, right: Plan): Keys {
  const clause = op.ConditionClause ?? op.LookupClause;
  if (!clause || kindOf(clause) !== "JoinOnClause") c.unsupported(op, "join without an 'on' clause (join where)");
  const lIdx = indexColumns(left.columns), rIdx = indexColumns(right.columns);
  const keys: Keys = { left: [], right: [], rightKeyNames: [] };
  const col = (idx: Map<string, number>, name: string, node: KAny): Expr => {
    const i = idx.get(name);
    if (i === undefined) c.unsupported(node, `join key '${name}'`);
    return (r) => r[i]!;
  };
  const side = (e: KAny): { side: "left" | "right"; name: string } | undefined => {
    if (kindOf(e) !== "PathExpression") return undefined;
    const base = String(e.Expression.SimpleName ?? e.Expression.ToString(0)).trim();
    const name = e.Selector.ReferencedSymbol?.Name ?? String(e.Selector.SimpleName);
    if (base === "$left") return { side: "left", name };
    if (base === "$right") return { side: "right", name };
    return undefined;
  };
  // `on $left.a == $right.b and $left.c == $right.d` is the same as a comma-separated list.
  const conditions: KAny[] = [];
  const flatten = (e: KAny): void => { if (kindOf(e) === "AndExpression") { flatten(e.Left); flatten(e.Right); } else conditions.push(e); };
  for (const e of elems(clause.Expressions)) flatten(e);
  for (const e of conditions) {
    const k = kindOf(e);
    if (k === "NameReference") {
      const name = e.ReferencedSymbol?.Name ?? e.SimpleName;
      keys.left.push(col(lIdx, name, e));
      keys.right.push(col(rIdx, name, e));
      keys.rightKeyNames.push(name);
    } else if (k === "EqualExpression") {
      const a = side(e.Left), b = side(e.Right);
      if (!a || !b || a.side === b.side) c.unsupported(e, "join condition other than $left.x == $right.y");
      const l = a!.side === "left" ? a! : b!, r = a!.side === "left" ? b! : a!;
      keys.left.push(col(lIdx, l.name, e));
      keys.right.push(col(rIdx, r.name, e));
      keys.rightKeyNames.push(r.name);
    } else c.unsupported(e, `join condition ${k}`);
  }
  return keys;
}

/** Hash key of a row's join key values; undefined when any is null (rows with a null key never match). */
function keyFn(fs: Expr[]): (r: Row) => unknown {
  if (fs.length === 1) {
    const f = fs[0]!;
    return (r) => { const v = f(r); return v === null ? undefined : keyOf(v); };
  }
  return (r) => {
    const vals = fs.map((f) => f(r));
    return vals.includes(null) ? undefined : compositeKey(vals);
  };
}


/** What the probe does with a left row: pass it (semi/anti), mark right matches, or emit pairs (keeping unmatched left rows). */
const enum Mode { LeftSemi, LeftAnti, RightOnly, Pairs, KeepLeft }

export function compileJoin(c: Compiler, op: KAny, left: Plan): Plan {
  const params = parameters(c, op);
  const kind = params.get("kind") ?? "innerunique";
  if (!KINDS.has(kind)) c.unsupported(op, `join kind=${kind}`);
  const right = c.tabular(op.Expression);
  const outCols = columnsOf(op);
  const keys = joinKeys(c, op, left, right);
  const lk = keyFn(keys.left), rk = keyFn(keys.right);
  const lw = left.columns.length, rw = right.columns.length;
  const leftOnly = kind === "leftsemi" || kind === "leftanti" || kind === "anti" || kind === "leftantisemi";
  const rightOnly = kind === "rightsemi" || kind === "rightanti" || kind === "rightantisemi";
  const expected = leftOnly ? lw : rightOnly ? rw : lw + rw;
  if (outCols.length !== expected) c.unsupported(op, `join output schema (${kind})`);
  const nullLeft: Value[] = left.columns.map((col) => nullOf(col.type));
  const nullRight: Value[] = right.columns.map((col) => nullOf(col.type));
  const probe = (sink: Sink, borrowed: boolean): void => {
    const rrows = right.run();
    // Hash the right side; the left side streams through.
    const index = new Map<unknown, number[]>();
    rrows.forEach((r, i) => {
      const k = rk(r);
      if (k === undefined) return;
      const list = index.get(k);
      if (list) list.push(i); else index.set(k, [i]);
    });
    const rightMatched = new Uint8Array(rrows.length);
    const seen = kind === "innerunique" ? new Set<unknown>() : undefined;
    // A borrowing consumer gets one reused output row instead of a new concatenation per match.
    const buf: Row = new Array<Value>(lw + rw);
    const joined = borrowed
      ? (l: Row, r: Row): Row => {
        for (let i = 0; i < lw; i++) buf[i] = l[i]!;
        for (let i = 0; i < rw; i++) buf[lw + i] = r[i]!;
        return buf;
      }
      : (l: Row, r: Row): Row => l.concat(r);
    // The kind decided once rather than by string comparisons per row.
    const mode = kind === "leftsemi" ? Mode.LeftSemi : kind === "leftanti" || kind === "anti" || kind === "leftantisemi" ? Mode.LeftAnti
      : kind === "rightsemi" || kind === "rightanti" || kind === "rightantisemi" ? Mode.RightOnly
      : kind === "leftouter" || kind === "fullouter" ? Mode.KeepLeft : Mode.Pairs;
    // Left rows are copied into the output except by leftsemi/leftanti, which pass them on as they are.
    const passesLeft = kind === "leftsemi" || kind === "leftanti" || kind === "anti" || kind === "leftantisemi";
    (borrowed || !passesLeft ? forEachBorrowedRow : forEachRow)(left, (l) => {
      const k = lk(l);
      if (seen && k !== undefined) {
        // innerunique: only the first left row of each key takes part.
        if (seen.has(k)) return;
        seen.add(k);
      }
      const matches = k === undefined ? undefined : index.get(k);
      switch (mode) {
        case Mode.LeftSemi: if (matches) sink(l); break;
        case Mode.LeftAnti: if (!matches) sink(l); break;
        case Mode.RightOnly:
          if (matches) for (const m of matches) rightMatched[m] = 1;
          break;
        default:
          if (matches) {
            for (let j = 0; j < matches.length; j++) { const m = matches[j]!; rightMatched[m] = 1; sink(joined(l, rrows[m]!)); }
          } else if (mode === Mode.KeepLeft) sink(joined(l, nullRight));
      }
    });
    if (kind === "rightsemi") rrows.forEach((r, i) => { if (rightMatched[i]) sink(r); });
    else if (kind === "rightanti" || kind === "rightantisemi") rrows.forEach((r, i) => { if (!rightMatched[i]) sink(r); });
    else if (kind === "rightouter" || kind === "fullouter") rrows.forEach((r, i) => { if (!rightMatched[i]) sink(joined(nullLeft, r)); });
  };
  return streamPlan(outCols, (sink) => probe(sink, false), (sink) => probe(sink, true));
}

/** lookup [kind=leftouter|inner] (Dim) on keys: like join but the dimension's key columns are not repeated. */
export function compileLookup(c: Compiler, op: KAny, left: Plan): Plan {
  const params = parameters(c, op);
  const kind = params.get("kind") ?? "leftouter";
  if (kind !== "leftouter" && kind !== "inner") c.unsupported(op, `lookup kind=${kind}`);
  const right = c.tabular(op.Expression);
  const outCols = columnsOf(op);
  const keys = joinKeys(c, op, left, right);
  const lk = keyFn(keys.left), rk = keyFn(keys.right);
  const drop = new Set(keys.rightKeyNames);
  const keep = right.columns.map((col, i) => ({ col, i })).filter(({ col }) => !drop.has(col.name)).map(({ i }) => i);
  if (outCols.length !== left.columns.length + keep.length) c.unsupported(op, "lookup output schema");
  const nullRight = keep.map((i) => nullOf(right.columns[i]!.type));
  return streamPlan(outCols, (sink: Sink) => {
    const index = new Map<unknown, Row[]>();
    for (const r of right.run()) {
      const k = rk(r);
      if (k === undefined) continue;
      const list = index.get(k);
      if (list) list.push(r); else index.set(k, [r]);
    }
    forEachRow(left, (l) => {
      const k = lk(l);
      const matches = k === undefined ? undefined : index.get(k);
      if (matches) for (const m of matches) sink(l.concat(keep.map((i) => m[i]!)));
      else if (kind === "leftouter") sink(l.concat(nullRight));
    });
  });
}
