// join and lookup. Kusto's default join kind is innerunique: the left side is de-duplicated on the join key
// (first row per key wins) before an inner join. Output columns come from the binder (left columns, then right
// columns renamed on collision, e.g. a → a1); lookup drops the right side's key columns.
import type { KAny } from "../kusto.js";
import type { Compiler, Expr } from "../compiler.js";
import { elems, kindOf, columnsOf } from "../compiler.js";
import { compositeKey, keyOf } from "./ops.js";
import { nullOf, type Value } from "../values.js";
import { KqlError } from "../api.js";
import { stringIndex, type KeyIndex } from "./hash.js";
import type { Plan, Row } from "./table.js";
import { forEachBorrowedRow, forEachRow, indexColumns, streamPlan, type Sink, type StreamPlan } from "./table.js";

const KINDS = new Set([
  "innerunique", "inner", "leftouter", "rightouter", "fullouter", "leftanti", "anti", "leftantisemi",
  "rightanti", "rightantisemi", "leftsemi", "rightsemi",
]);

interface Keys {
  left: Expr[];
  right: Expr[];
  rightKeyNames: (string | undefined)[];
  /** One key, a string column on both sides: the hash table can be a string-keyed dictionary (hash.ts). */
  stringKey: boolean;
}

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
  const keys: Keys = { left: [], right: [], rightKeyNames: [], stringKey: false };
  const types: string[] = [];
  const col = (idx: Map<string, number>, name: string, node: KAny): Expr => {
    const i = idx.get(name);
    if (i === undefined) c.unsupported(node, `join key '${name}'`);
    types.push((idx === lIdx ? left : right).columns[i!]!.type);
    return (r) => r[i!]!;
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
  keys.stringKey = types.length === 2 && types.every((t) => t === "string");
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

/**
 * Whether two null join keys match is not documented (summarize groups nulls together; `==` of two nulls is null).
 * Both readings agree unless a left key with a null equals a right key with a null, null for null: that input is
 * refused. `note` collects the right side's null-holding keys (null counted as a value) as it is hashed; `check`
 * is run only for left rows whose key holds a null.
 */
function nullKeyGuard(left: Expr[], right: Expr[], what: string): { note: (r: Row) => void; check: (l: Row) => void } {
  const seen = new Set<string>();
  const full = (fs: Expr[], r: Row): string => compositeKey(fs.map((f) => f(r)));
  return {
    note: (r) => { seen.add(full(right, r)); },
    check: (l) => {
      if (seen.size && seen.has(full(left, l))) {
        throw new KqlError("unsupported", `unsupported: ${what} of a null key value with a null key value (whether nulls match is undocumented)`);
      }
    },
  };
}

/**
 * The right side hashed on its join key, as chains of row indexes: `head` maps a key to its first right row,
 * `next[i]` is the following row with the same key (-1 ends the chain), so matches come in right-row order and
 * the table holds no per-key arrays.
 */
interface HashedSide { rows: Row[]; head: KeyIndex<number>; next: Int32Array }

function hashSide(rows: Row[], key: (r: Row) => unknown, stringKey: boolean, nullKey: (r: Row) => void): HashedSide {
  const head: KeyIndex<number> = stringKey ? stringIndex() : new Map();
  const next = new Int32Array(rows.length).fill(-1);
  // Built from the last row backwards, so each chain starts at the key's first row.
  for (let i = rows.length - 1; i >= 0; i--) {
    const k = key(rows[i]!);
    if (k === undefined) { nullKey(rows[i]!); continue; }
    const h = head.get(k);
    if (h !== undefined) next[i] = h;
    head.set(k, i);
  }
  return { rows, head, next };
}

/**
 * A join's output as pairs (left row, right row) before they are concatenated: a consumer that only needs some
 * columns (summarize grouping by right-side columns) reads them from the pair. `ri` is the right row's index in
 * the right side's rows, or -1 for the all-null right row of an unmatched left row. Rows are borrowed.
 */
export interface JoinPairs {
  leftWidth: number;
  /** `start` is told the number of right rows before the first pair. */
  each(visit: (l: Row, r: Row, ri: number) => void, start: (rightRows: number) => void): void;
}

/** A join plan whose kind yields concatenated pairs (inner, innerunique, the outer kinds) exposes `pairs`. */
export interface JoinPlan extends StreamPlan { pairs?: JoinPairs }

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
  // The kind decided once rather than by string comparisons per row.
  const mode = kind === "leftsemi" ? Mode.LeftSemi : leftOnly ? Mode.LeftAnti : rightOnly ? Mode.RightOnly
    : kind === "leftouter" || kind === "fullouter" ? Mode.KeepLeft : Mode.Pairs;
  const innerunique = kind === "innerunique";

  /**
   * The one probe loop of every kind. `pass` receives left rows that semi/anti joins emit as they are,
   * `pair` the pairs of the other kinds, `rightRow` the right rows emitted after the probe (right kinds).
   * Left rows are borrowed unless the caller says otherwise (leftsemi/leftanti into a keeping consumer).
   */
  const probe = (pass: Sink, pair: (l: Row, r: Row, ri: number) => void, rightRow: Sink, borrowed: boolean, start?: (n: number) => void): void => {
    const nulls = nullKeyGuard(keys.left, keys.right, "join");
    const side = hashSide(right.run(), rk, keys.stringKey, nulls.note);
    start?.(side.rows.length);
    const { rows: rrows, head, next } = side;
    const rightMatched = mode === Mode.RightOnly || kind === "rightouter" || kind === "fullouter" ? new Uint8Array(rrows.length) : undefined;
    // innerunique: only the first left row of each key takes part; keys without a match never emit, so the
    // flag lives with the right side's chain head instead of a set of every left key.
    const taken = innerunique ? new Uint8Array(rrows.length) : undefined;
    (borrowed ? forEachBorrowedRow : forEachRow)(left, (l) => {
      const k = lk(l);
      if (k === undefined) nulls.check(l);
      const h = k === undefined ? undefined : head.get(k);
      switch (mode) {
        case Mode.LeftSemi: if (h !== undefined) pass(l); return;
        case Mode.LeftAnti: if (h === undefined) pass(l); return;
        case Mode.RightOnly:
          for (let m = h ?? -1; m >= 0; m = next[m]!) rightMatched![m] = 1;
          return;
        default:
          if (h !== undefined) {
            if (taken) { if (taken[h]) return; taken[h] = 1; }
            for (let m = h; m >= 0; m = next[m]!) { if (rightMatched) rightMatched[m] = 1; pair(l, rrows[m]!, m); }
          } else if (mode === Mode.KeepLeft) pair(l, nullRight, -1);
      }
    });
    if (kind === "rightsemi") rrows.forEach((r, i) => { if (rightMatched![i]) rightRow(r); });
    else if (kind === "rightanti" || kind === "rightantisemi") rrows.forEach((r, i) => { if (!rightMatched![i]) rightRow(r); });
    else if (kind === "rightouter" || kind === "fullouter") rrows.forEach((r, i) => { if (!rightMatched![i]) pair(nullLeft, r, i); });
  };
  const none = (): void => {};
  const run = (sink: Sink, borrowed: boolean): void => {
    // A borrowing consumer gets one reused output row instead of a new concatenation per pair.
    const buf: Row = new Array<Value>(lw + rw);
    const joined = borrowed
      ? (l: Row, r: Row): void => {
        for (let i = 0; i < lw; i++) buf[i] = l[i]!;
        for (let i = 0; i < rw; i++) buf[lw + i] = r[i]!;
        sink(buf);
      }
      : (l: Row, r: Row): void => sink(l.concat(r));
    // Left rows are copied into the output except by leftsemi/leftanti, which pass them on as they are.
    probe(sink, joined, sink, borrowed || !leftOnly);
  };
  const plan: JoinPlan = streamPlan(outCols, (sink) => run(sink, false), (sink) => run(sink, true));
  if (mode === Mode.Pairs || mode === Mode.KeepLeft) plan.pairs = { leftWidth: lw, each: (visit, start) => probe(none, visit, none, true, start) };
  return plan;
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
    const nulls = nullKeyGuard(keys.left, keys.right, "lookup");
    for (const r of right.run()) {
      const k = rk(r);
      if (k === undefined) { nulls.note(r); continue; }
      const list = index.get(k);
      if (list) list.push(r); else index.set(k, [r]);
    }
    forEachRow(left, (l) => {
      const k = lk(l);
      if (k === undefined) nulls.check(l);
      const matches = k === undefined ? undefined : index.get(k);
      if (matches) for (const m of matches) sink(l.concat(keep.map((i) => m[i]!)));
      else if (kind === "leftouter") sink(l.concat(nullRight));
    });
  });
}
