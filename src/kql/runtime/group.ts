// summarize's run time: maps every input row to a dense group index (groups numbered in order of first
// appearance, which is the output order), feeds the aggregate slots of that group, and builds one output row
// per group. Specialised paths (bin of a datetime by a constant, grouping a join by right-side columns) compute
// the same group index the general path would, only without per-row key values.
import type { Accumulator, GroupedAccumulator } from "../builtins/registry.js";
import { TICKS_PER_DAY, TICKS_PER_SECOND, type Value } from "../values.js";
import { RuntimeError, compositeKey, keyOf } from "./ops.js";
import type { JoinPairs, JoinPlan } from "./join.js";
import { forEachNeededRow, forEachWeightedRow, type Need, type Plan, type Row, type StreamPlan } from "./table.js";

type Expr = (r: Row) => Value;

/** A by-expression as compiled for the input rows. */
export interface KeySpec {
  f: Expr;
  /** Input column index when the expression is a plain column reference. */
  column?: number;
  /** Set when the expression is bin(value, size) of a datetime by a constant timespan: f computes that bin. */
  binDatetime?: { value: Expr; size: bigint };
}

/** An aggregate call of the summarize: its per-row arguments and per-group accumulators. */
export interface SlotSpec {
  args: Expr[];
  /** Output columns (arg_max and other multi-column aggregates: several). */
  width: number;
  /** Called once per run: that run's per-group accumulator constructor. */
  groups: () => () => Accumulator;
  /** count(): a plain counter per group, no accumulator object. */
  count?: boolean;
  /** Called once per run when the aggregate keeps every group's state itself, fed by group index. */
  grouped?: () => GroupedAccumulator;
}

export interface GroupIndex {
  /** The row's group; a row of a new group makes that group (index = number of groups so far). */
  of(r: Row): number;
  /**
   * feed(of(r), r) for each row of a materialised input. Each index has its own loop so that, in a process
   * running many queries, the call to `of` stays monomorphic and inlined rather than going through the shared
   * row loop of table.ts.
   */
  scan(rows: readonly Row[], feed: (g: number, r: Row) => void): void;
  /** Key values of every group so far, by group index. */
  readonly keys: Value[][];
}

export function groupIndex(specs: readonly KeySpec[]): GroupIndex {
  if (specs.length === 0) return { keys: [[]], of: () => 0, scan: (rows, feed) => { for (let i = 0; i < rows.length; i++) feed(0, rows[i]!); } };
  if (specs.length > 1) return compositeIndex(specs.map((s) => s.f));
  const s = specs[0]!;
  if (s.binDatetime && s.binDatetime.size >= MIN_FLOAT_BIN && TICKS_PER_DAY % s.binDatetime.size === 0n) {
    return datetimeBinIndex(s.f, s.binDatetime.value, s.binDatetime.size);
  }
  return singleIndex(s.f);
}

function singleIndex(f: Expr): GroupIndex {
  // String keys (strings, and dynamic values' JSON keys) go to a null-prototype dictionary (see runtime/hash.ts:
  // repeated key strings compare by pointer), the others to a Map.
  const strIds = Object.create(null) as Record<string, number>;
  const ids = new Map<unknown, number>();
  const keys: Value[][] = [];
  const of = (r: Row): number => {
    const v = f(r);
    const k = keyOf(v);
    if (typeof k === "string") {
      let g = strIds[k];
      if (g === undefined) { g = keys.length; keys.push([v]); strIds[k] = g; }
      return g;
    }
    let g = ids.get(k);
    if (g === undefined) { g = keys.length; keys.push([v]); ids.set(k, g); }
    return g;
  };
  return { keys, of, scan: (rows, feed) => { for (let i = 0; i < rows.length; i++) feed(of(rows[i]!), rows[i]!); } };
}

function compositeIndex(fs: Expr[]): GroupIndex {
  const ids = new Map<string, number>();
  const keys: Value[][] = [];
  const n = fs.length;
  const of = (r: Row): number => {
    const vals = new Array<Value>(n);
    for (let j = 0; j < n; j++) vals[j] = fs[j]!(r);
    const k = compositeKey(vals);
    let g = ids.get(k);
    if (g === undefined) { g = keys.length; keys.push(vals); ids.set(k, g); }
    return g;
  };
  return { keys, of, scan: (rows, feed) => { for (let i = 0; i < rows.length; i++) feed(of(rows[i]!), rows[i]!); } };
}

/** The float path needs bins of at least a second: bin numbers stay exact doubles and the margin is negligible. */
const MIN_FLOAT_BIN = TICKS_PER_SECOND;
/**
 * Datetimes lie within ±2^62 ticks (0001…9999 is about -6.2e17…2.5e18 from the Unix epoch). For such v and a
 * bin width w ≥ 1e7 ticks, x = Number(v) is within 256 of v, fl(q·w) within 512 of q·w, and the subtraction
 * x − fl(q·w) (a value below 2w) is within 1 of exact: the computed remainder is within 1024 of v − q·w. A
 * computed remainder in [MARGIN, w − MARGIN) therefore proves 0 < v − q·w < w, i.e. q = floor(v / w) exactly.
 */
const MARGIN = 2048;
const MAX_FLOAT_TICKS = 2 ** 62;
const CACHE = 1024;

/**
 * Groups by bin(v, w) of a datetime, w a constant dividing a day (so bins align to the Unix epoch exactly as to
 * 0001-01-01): the group is found by the bin number q = floor(v / w) computed in floating point, proven exact by
 * the margin test above — no BigInt arithmetic and no bigint map keys per row. Rows within the margin of a bin
 * edge, nulls and anything else take the exact bigint bin (`bin`, the compiled expression).
 */
function datetimeBinIndex(bin: Expr, value: Expr, size: bigint): GroupIndex {
  const w = Number(size);
  const ids = new Map<number, number>();
  const keys: Value[][] = [];
  let nullGroup = -1;
  const cachedQ = new Float64Array(CACHE).fill(NaN);
  const cachedG = new Int32Array(CACHE);
  const exact = (r: Row): number => {
    const b = bin(r);
    if (b === null) {
      if (nullGroup < 0) { nullGroup = keys.length; keys.push([null]); }
      return nullGroup;
    }
    if (typeof b !== "bigint") throw new RuntimeError("bin() of a datetime gave a non-datetime value");
    const q = Number(b / size);
    let g = ids.get(q);
    if (g === undefined) { g = keys.length; keys.push([b]); ids.set(q, g); }
    return g;
  };
  const of = (r: Row): number => {
    const v = value(r);
    if (typeof v !== "bigint") return exact(r);
    const x = Number(v);
    if (!(x > -MAX_FLOAT_TICKS && x < MAX_FLOAT_TICKS)) return exact(r);
    const q = Math.floor(x / w);
    const rem = x - q * w;
    if (rem < MARGIN || rem >= w - MARGIN) return exact(r);
    // Recently met bins first: a direct-mapped cache of bin number → group spares most map lookups.
    const slot = q & (CACHE - 1);
    if (cachedQ[slot] === q) return cachedG[slot]!;
    let g = ids.get(q);
    if (g !== undefined) { cachedQ[slot] = q; cachedG[slot] = g; return g; }
    const b = bin(r);
    // Once per group: the float bin number must name the bin the exact path computes.
    if (b !== BigInt(q) * size) throw new RuntimeError(`internal: bin number ${q} does not match bin ${String(b)}`);
    ids.set(q, keys.length);
    keys.push([b]);
    return keys.length - 1;
  };
  return { keys, of, scan: (rows, feed) => { for (let i = 0; i < rows.length; i++) feed(of(rows[i]!), rows[i]!); } };
}

/**
 * Runs a summarize: groups `input` by `keys`, aggregates `slots` per group and returns one row per group (in
 * order of first appearance) built by `finish` from the group's key values and slot results (a multi-column
 * slot's result is its array of values). Without keys there is exactly one group, even for empty input.
 */
/** `reads`: the input columns the keys and aggregates read (undefined: any). */
export function summarizeRows(input: Plan, keys: readonly KeySpec[], slots: readonly SlotSpec[], finish: (keys: Value[], results: Value[]) => Row,
  reads?: Need): Row[] {
  const index = groupIndex(keys);
  const aggs = slots.map(slotState);
  const ns = aggs.length;
  let ngroups = 0;
  const addGroup = (): void => {
    for (let s = 0; s < ns; s++) aggs[s]!.addGroup();
    ngroups++;
  };
  const feed = (g: number, r: Row): void => {
    if (g === ngroups) addGroup();
    for (let s = 0; s < ns; s++) aggs[s]!.feed(g, r);
  };
  // The single group of a summarize without keys exists even when no row arrives.
  if (keys.length === 0) addGroup();
  const pairs = (input as JoinPlan).pairs;
  if (pairs && keys.length > 0 && keys.every((k) => k.column !== undefined && k.column >= pairs.leftWidth)) {
    // Only counters: pairs are counted per right row and added to the groups at the end.
    const countAll = aggs.every((a) => a.count) ? (g: number, n: number): void => {
      if (g === ngroups) addGroup();
      for (let s = 0; s < ns; s++) aggs[s]!.count!(g, n);
    } : undefined;
    summarizePairs(pairs.leftWidth, input.columns.length, index, slots.some((s) => s.args.length > 0), feed, countAll, pairs.each);
  } else {
    const stream = input as Partial<StreamPlan>;
    // Only counters: a row standing for w equal rows (eachWeighted) adds w to its group.
    const counted = aggs.every((a) => a.count) && forEachWeightedRow(input, reads, (r, w) => {
      const g = index.of(r);
      if (g === ngroups) addGroup();
      for (let s = 0; s < ns; s++) aggs[s]!.count!(g, w);
    });
    if (!counted) {
      if (stream.each || stream.eachBorrowed) forEachNeededRow(input, reads, (r) => feed(index.of(r), r));
      else index.scan(input.run(), feed);
    }
  }
  const out: Row[] = [];
  for (let g = 0; g < ngroups; g++) out.push(finish(index.keys[g]!, aggs.map((a) => a.result(g))));
  return out;
}

/** One aggregate slot during a run: its per-group state, fed by group index. */
interface SlotState {
  addGroup(): void;
  feed(g: number, r: Row): void;
  /** count() only: adds n rows to group g at once. */
  count?(g: number, n: number): void;
  /** The group's result; a multi-column slot's is its array of values. */
  result(g: number): Value;
}

function slotState(slot: SlotSpec): SlotState {
  if (slot.count) {
    const counts: number[] = [];
    return {
      addGroup: () => { counts.push(0); }, feed: (g) => { counts[g]!++; }, count: (g, n) => { counts[g]! += n; },
      result: (g) => counts[g]!,
    };
  }
  if (slot.grouped) return groupedState(slot.grouped(), slot.args);
  const make = slot.groups();
  const accs: Accumulator[] = [];
  const addGroup = (): void => { accs.push(make()); };
  const result = slot.width > 1 ? (g: number) => accs[g]!.results!() as unknown as Value : (g: number) => accs[g]!.result();
  // A fresh argument array per row: accumulators may keep the arguments they are given (arg_max, take_any),
  // and rows may be borrowed, so accumulators never see the row itself.
  const a = slot.args;
  if (a.length === 0) return { addGroup, result, feed: (g) => accs[g]!.add(NO_ARGS) };
  if (a.length === 1) { const a0 = a[0]!; return { addGroup, result, feed: (g, r) => accs[g]!.add([a0(r)]) }; }
  const n = a.length;
  return {
    addGroup, result,
    feed: (g, r) => {
      const args = new Array<Value>(n);
      for (let j = 0; j < n; j++) args[j] = a[j]!(r);
      accs[g]!.add(args);
    },
  };
}

/** An aggregate that keeps all groups' state: one argument array for the whole run (it may not keep it). */
function groupedState(st: GroupedAccumulator, a: Expr[]): SlotState {
  const n = a.length;
  const args = new Array<Value>(n).fill(null);
  const addGroup = (): void => st.addGroup();
  const result = (g: number): Value => st.result(g);
  if (n === 1) {
    const a0 = a[0]!;
    return { addGroup, result, feed: (g, r) => { args[0] = a0(r); st.add(g, args); } };
  }
  return {
    addGroup, result,
    feed: (g, r) => {
      for (let j = 0; j < n; j++) args[j] = a[j]!(r);
      st.add(g, args);
    },
  };
}

const NO_ARGS: Value[] = [];

/**
 * summarize over a join grouped only by right-side columns: a pair's group depends on its right row alone, so it
 * is looked up once per right row (index -1: the null row of unmatched left rows) and the joined row is only
 * assembled when a group is first met or an aggregate reads arguments. With only count() aggregates (`countAll`)
 * the pairs are merely counted per right row, then added to the groups. Groups are still made in order of
 * their first pair.
 */
function summarizePairs(
  lw: number, width: number, index: GroupIndex, needRow: boolean,
  feed: (g: number, r: Row) => void,
  countAll: ((g: number, n: number) => void) | undefined,
  each: JoinPairs["each"],
): void {
  const buf: Row = new Array<Value>(width);
  const rw = width - lw;
  const fill = (l: Row, r: Row): void => {
    for (let i = 0; i < lw; i++) buf[i] = l[i]!;
    for (let i = 0; i < rw; i++) buf[lw + i] = r[i]!;
  };
  // Per right row + 1: its group + 1 (0 = not met yet) and, when only counting, its number of pairs.
  let byRight = new Int32Array(0);
  let pairs = new Float64Array(0);
  const groupOf = (l: Row, r: Row, ri: number): number => {
    fill(l, r);
    const g = index.of(buf);
    byRight[ri + 1] = g + 1;
    return g;
  };
  const start = (n: number): void => { byRight = new Int32Array(n + 1); pairs = new Float64Array(n + 1); };
  if (countAll) {
    each((l, r, ri) => {
      if (byRight[ri + 1] === 0) countAll(groupOf(l, r, ri), 0);
      pairs[ri + 1]!++;
    }, start);
    for (let i = 0; i < pairs.length; i++) if (pairs[i]! > 0) countAll(byRight[i]! - 1, pairs[i]!);
    return;
  }
  each((l, r, ri) => {
    let g = byRight[ri + 1]! - 1;
    if (g < 0) g = groupOf(l, r, ri);
    else if (needRow) fill(l, r);
    feed(g, buf);
  }, start);
}
