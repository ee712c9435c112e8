// Aggregate functions. Contract with the summarize compiler:
//   - add(args) receives the evaluated arguments of one row, in call order (predicates and constant arguments
//     such as maxSize or percentile values included); result() is called once per group.
//   - Multi-column aggregates declare `outputs`; their accumulator's results() returns one value per column
//     (result() returns the first):
//     arg_max/arg_min(by, e1..en) → [by, e1..en] (the caller expands `*` into the column list first);
//     take_any(e1..en) with n > 1 → [e1..en]; percentiles/percentilesw(x, [w,] p1..pn) → [v1..vn].
//   - Nulls are ignored (Kusto: "null values are ignored and don't factor into the calculation"); an empty
//     group yields the documented defaults: 0 for count/countif/dcount/dcountif/count_distinct/sum/sumif/
//     variance/varianceif/stdev/stdevif, [] for make_* and null for the rest.
//   https://learn.microsoft.com/kusto/query/summarize-operator#default-values-of-aggregations
import type { Dyn, KqlType, Value } from "../values.js";
import { dynNum, nullOf } from "../values.js";
import { KqlError } from "../api.js";
import { defineAggregate, type Accumulator, type AggregateFunction, type GroupedAccumulator } from "./registry.js";
import { DynKeySet, compareScalars, dynKey, exactLong, isArray, isBag, runtimeError, toDyn } from "./c2-util.js";
import { ExactIntSum } from "../int64.js";
import { stringIndex, type KeyIndex } from "../runtime/hash.js";

const isNull = (v: Value): boolean => v === null || v === undefined;

/** make_* default and maximum size (documented: 1048576); the deprecated makelist/makeset/make_dictionary default to 128. */
const MAX_SIZE = 1_048_576;
const DEPRECATED_DEFAULT_SIZE = 128;

/** The maxSize argument: 1…1048576 as documented; what Kusto does with 0, a negative, fractional or larger size is not. */
function sizeArg(v: Value | undefined, def: number): number {
  if (v === undefined || v === null) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIZE) throw new KqlError("unsupported", `unsupported: maxSize ${String(v)} (documented range 1…${MAX_SIZE})`);
  return n;
}

/**
 * Declares `name` and its `<name>if` variant (predicate inserted at `predIndex` of the argument list); rows whose
 * predicate is not true are skipped. The base accumulator never sees the predicate.
 */
export function defineWithIf(fn: AggregateFunction, ifName: string | undefined, predIndex: number, ifAliases: string[] = []): void {
  defineAggregate(fn);
  if (!ifName) return;
  const strip = (types: KqlType[]) => types.filter((_, i) => i !== predIndex);
  defineAggregate({
    name: ifName,
    aliases: ifAliases,
    returns: typeof fn.returns === "function" ? (t) => (fn.returns as (t: KqlType[]) => KqlType)(strip(t)) : fn.returns,
    outputs: fn.outputs ? (t) => fn.outputs!(strip(t)) : undefined,
    create(argTypes, ctx) {
      return guarded(fn.create(strip(argTypes), ctx));
    },
    groups: fn.groups
      ? (argTypes, ctx) => {
        const make = fn.groups!(strip(argTypes), ctx);
        return () => guarded(make());
      }
      : undefined,
  });
  function guarded(inner: Accumulator): Accumulator {
    return {
      add(args) {
        if (args[predIndex] !== true) return;
        inner.add(args.filter((_, i) => i !== predIndex));
      },
      result: () => inner.result(),
      results: inner.results ? () => inner.results!() : undefined,
    };
  }
}

// ---------- counting ----------

defineWithIf({
  name: "count",
  returns: "long",
  create(argTypes) {
    let n = 0;
    // count(predicate) counts rows where the predicate is true.
    if (argTypes.length > 0) return { add(a) { if (a[0] === true) n++; }, result: () => n };
    return { add() { n++; }, result: () => n };
  },
}, "countif", 0);

/**
 * Identity of a value for distinctness: scalars of one declared type are their own key (strings, numbers,
 * bigint ticks, bools compare by value, SameValueZero); only dynamic values need a type-tagged JSON key.
 */
function keyFn(type: KqlType | undefined): (v: Value) => unknown {
  return type === "dynamic" ? dynKey : (v) => v;
}

/**
 * Distinct values of one group as dense ids from an interner shared by the groups of a run: a Set of ids while
 * sparse, a bitset once the ids seen are dense enough that the bitset is no larger (about 4 words per member),
 * so counting the usual few thousand distinct values per group allocates nothing per row.
 */
class DistinctIds {
  size = 0;
  private set: Set<number> | undefined = new Set();
  private bits: Uint32Array | undefined;
  private maxId = 0;

  add(id: number): void {
    const bits = this.bits;
    if (bits) {
      const w = id >>> 5;
      if (w < bits.length) {
        const b = 1 << (id & 31);
        if ((bits[w]! & b) === 0) { bits[w] = bits[w]! | b; this.size++; }
        return;
      }
      if (w + 1 > 4 * this.size + 64) { this.toSet(); this.addToSet(id); return; }
      const grown = new Uint32Array(Math.min(Math.max(w + 1, bits.length * 2), 4 * this.size + 64));
      grown.set(bits);
      this.bits = grown;
      this.add(id);
      return;
    }
    this.addToSet(id);
  }

  private addToSet(id: number): void {
    const set = this.set!;
    set.add(id);
    this.size = set.size;
    if (id > this.maxId) this.maxId = id;
    if (this.size >= 64 && (this.maxId >>> 5) + 1 <= 4 * this.size) {
      const bits = new Uint32Array(Math.min(Math.max((this.maxId >>> 5) + 1, 8) * 2, 4 * this.size + 64));
      for (const x of set) bits[x >>> 5] = bits[x >>> 5]! | (1 << (x & 31));
      this.bits = bits;
      this.set = undefined;
    }
  }

  private toSet(): void {
    const set = new Set<number>();
    const bits = this.bits!;
    let max = 0;
    for (let w = 0; w < bits.length; w++) {
      for (let word = bits[w]!; word !== 0; word &= word - 1) {
        const x = w * 32 + (31 - Math.clz32(word & -word));
        set.add(x);
        if (x > max) max = x;
      }
    }
    this.set = set;
    this.bits = undefined;
    this.maxId = max;
  }
}

/** dcount's accuracy levels 0..4 are documented (dcount-aggregation-function.md, as for hll); others are refused. */
function checkAccuracy(acc: Value | undefined): void {
  if (acc === null || acc === undefined || (Number.isInteger(acc) && (acc as number) >= 0 && (acc as number) <= 4)) return;
  throw new KqlError("unsupported", `unsupported: dcount()/dcountif() accuracy ${String(acc)} (documented: 0 to 4)`);
}

function distinctCounter(): Pick<AggregateFunction, "create" | "groups" | "grouped"> {
  const grouped = (argTypes: KqlType[]): GroupedAccumulator => {
    // Strings intern through a dictionary (runtime/hash.ts: repeated strings compare pointers).
    const ids: KeyIndex<number> = argTypes[0] === "string" ? stringIndex() : new Map();
    let nids = 0;
    const key = keyFn(argTypes[0]);
    const seen: DistinctIds[] = [];
    return {
      addGroup() { seen.push(new DistinctIds()); },
      add(g, a) {
        const v = a[0];
        if (a.length > 1) checkAccuracy(a[1]);
        if (isNull(v)) return;
        const k = key(v!);
        let id = ids.get(k);
        if (id === undefined) { id = nids++; ids.set(k, id); }
        seen[g]!.add(id);
      },
      result: (g) => seen[g]!.size,
    };
  };
  // Per-group accumulators over the same state (dcountif's predicate wrapper and other callers of groups()).
  const groups = (argTypes: KqlType[]): (() => Accumulator) => {
    const all = grouped(argTypes);
    let n = 0;
    return () => {
      const g = n++;
      all.addGroup();
      return { add: (a) => all.add(g, a), result: () => all.result(g) };
    };
  };
  return { grouped, groups, create: (argTypes) => groups(argTypes)() };
}

// dcount is HyperLogLog-estimated in Kusto; the estimate is exact below ~1000 distinct values at the default
// accuracy, which covers test data. This engine counts exactly (documented difference above that size).
defineWithIf({ name: "dcount", returns: "long", ...distinctCounter() }, "dcountif", 1);
defineWithIf({ name: "count_distinct", returns: "long", ...distinctCounter() }, "count_distinctif", 1);

// ---------- sums and averages ----------

const promoted = (t: KqlType[]): KqlType => (t[0] === "int" ? "long" : t[0] ?? "long");

/** sum() of int/long: one object per group (summarize by a key of many values creates one per key). */
class IntSumAccumulator extends ExactIntSum implements Accumulator {
  add(a: Value[]): void {
    const v = a[0];
    if (typeof v === "number") this.plus(v);
  }

  result(): Value {
    return this.total();
  }
}

function sumCreate(argTypes: KqlType[]): Accumulator {
  const t = argTypes[0];
  if (t === "timespan" || t === "datetime") {
    let s = 0n;
    return { add(a) { if (!isNull(a[0])) s += a[0] as bigint; }, result: () => s };
  }
  if (t === "int" || t === "long") {
    // Exact or refused (int64.ts): a partial sum beyond 2^53 must not leave a rounded total behind.
    return new IntSumAccumulator("sum()");
  }
  let s = 0;
  return {
    add(a) { const v = a[0]; if (typeof v === "number") s += v; else if (typeof v === "bigint") s += Number(v); },
    result: () => s,
  };
}

defineWithIf({ name: "sum", returns: promoted, create: sumCreate }, "sumif", 1);

defineWithIf({
  name: "avg",
  returns: (t) => (t[0] === "datetime" || t[0] === "timespan" || t[0] === "decimal" ? t[0] : "real"),
  create(argTypes) {
    const t = argTypes[0];
    let n = 0;
    if (t === "datetime" || t === "timespan") {
      let s = 0n;
      return {
        add(a) { if (!isNull(a[0])) { s += a[0] as bigint; n++; } },
        result: () => (n === 0 ? null : s / BigInt(n)),
      };
    }
    // No values is 0/0 = NaN, as summarize-operator.md's empty-input example shows (avg_x NaN); nulls are ignored,
    // so an all-null group is in the same state.
    let s = 0;
    return {
      add(a) { const v = a[0]; if (typeof v === "number") { s += v; n++; } },
      result: () => (n === 0 ? Number.NaN : s / n),
    };
  },
}, "avgif", 1);

// ---------- min / max ----------

function extremum(sign: 1 | -1): AggregateFunction["create"] {
  return () => {
    let best: Value = null;
    return {
      add(a) {
        const v = a[0];
        if (isNull(v)) return;
        if (best === null || compareScalars(v!, best) * sign > 0) best = v!;
      },
      result: () => best,
    };
  };
}

const sameAsFirst = (t: KqlType[]): KqlType => t[0] ?? "dynamic";
defineWithIf({ name: "max", returns: sameAsFirst, create: extremum(1) }, "maxif", 1);
defineWithIf({ name: "min", returns: sameAsFirst, create: extremum(-1) }, "minif", 1);

// arg_max/arg_min: rows whose maximised expression is null never win, but when every row's is null the first
// row is returned (documented null-handling example of arg_max). Ties keep the first row seen.
function argExtremum(name: string, sign: 1 | -1, alias: string): AggregateFunction {
  return {
    name,
    aliases: [alias],
    returns: sameAsFirst,
    outputs: (t) => t.length,
    create(argTypes) {
      let best: Value[] | undefined;
      let bestIsNull = true;
      return {
        add(a) {
          const by = a[0];
          if (isNull(by)) {
            if (!best) best = a.slice();
            return;
          }
          if (!best || bestIsNull || compareScalars(by!, best[0]!) * sign > 0) {
            best = a.slice();
            bestIsNull = false;
          }
        },
        results: () => best ?? argTypes.map(nullOf),
        result: () => (best ? best[0]! : null),
      };
    },
  };
}
defineAggregate(argExtremum("arg_max", 1, "argmax"));
defineAggregate(argExtremum("arg_min", -1, "argmin"));

// ---------- take_any ----------

defineAggregate({
  name: "take_any",
  aliases: ["any"],
  returns: sameAsFirst,
  outputs: (t) => (t.length > 1 ? t.length : 1),
  create(argTypes) {
    if (argTypes.length === 1) {
      // With a single expression Kusto returns a non-null, non-empty value when the group has one.
      let v: Value = nullOf(argTypes[0]!);
      let found = false;
      return {
        add(a) {
          if (found) return;
          const x = a[0];
          if (!isNull(x) && x !== "") { v = x!; found = true; }
        },
        result: () => v,
      };
    }
    let row: Value[] | undefined;
    return {
      add(a) { if (!row) row = a.slice(); },
      results: () => row ?? argTypes.map(nullOf),
      result: () => (row ? row[0]! : nullOf(argTypes[0]!)),
    };
  },
});

defineAggregate({
  name: "take_anyif",
  aliases: ["anyif"],
  returns: sameAsFirst,
  create(argTypes) {
    let v: Value = nullOf(argTypes[0]!);
    let found = false;
    return {
      add(a) {
        if (found || a[1] !== true) return;
        if (!isNull(a[0]) && a[0] !== "") { v = a[0]!; found = true; }
      },
      result: () => v,
    };
  },
});

// ---------- make_list / make_set / make_bag ----------

function makeList(def: number): AggregateFunction["create"] {
  return (argTypes) => {
    const t = argTypes[0]!;
    const out: Dyn[] = [];
    let max = -1;
    return {
      add(a) {
        if (max < 0) max = sizeArg(a[1], def);
        if (isNull(a[0]) || out.length >= max) return;
        out.push(toDyn(a[0]!, t));
      },
      result: () => out,
    };
  };
}
defineWithIf({ name: "make_list", returns: "dynamic", create: makeList(MAX_SIZE) }, "make_list_if", 1);
defineAggregate({ name: "makelist", returns: "dynamic", create: makeList(DEPRECATED_DEFAULT_SIZE) });

defineAggregate({
  name: "make_list_with_nulls",
  returns: "dynamic",
  create(argTypes) {
    const t = argTypes[0]!;
    const out: Dyn[] = [];
    return { add(a) { if (out.length < MAX_SIZE) out.push(toDyn(a[0] ?? null, t)); }, result: () => out };
  },
});

// make_set flattens dynamic arrays into their elements (documented "Set from array column" example).
function makeSet(def: number): AggregateFunction["create"] {
  return (argTypes) => {
    const t = argTypes[0]!;
    const seen = new Set<unknown>();
    const mixed = new DynKeySet();
    const out: Dyn[] = [];
    let max = -1;
    const put = (d: Dyn, k: unknown) => {
      if (d === null || out.length >= max || seen.has(k)) return;
      seen.add(k);
      out.push(d);
    };
    return {
      add(a) {
        if (max < 0) max = sizeArg(a[1], def);
        const v = a[0];
        if (isNull(v)) return;
        if (t === "dynamic") {
          // DynKeySet refuses a set meeting both 1 and 1.0 (not documented); dynKey then tells them apart.
          if (isArray(v)) for (const e of v) { if (e !== null) mixed.add(e); put(e, dynKey(e)); }
          else { mixed.add(v!); put(v as Dyn, dynKey(v!)); }
        } else if (!seen.has(v)) put(toDyn(v!, t), v);
      },
      result: () => out,
    };
  };
}
defineWithIf({ name: "make_set", returns: "dynamic", create: makeSet(MAX_SIZE) }, "make_set_if", 1);
defineAggregate({ name: "makeset", returns: "dynamic", create: makeSet(DEPRECATED_DEFAULT_SIZE) });

// make_bag merges property bags. A key seen again with the same value changes nothing; with another value Kusto
// keeps "an arbitrary value, out of the possible values for this key" (make-bag-aggregation-function.md): refused.
function makeBag(def: number): AggregateFunction["create"] {
  return () => {
    const out: { [k: string]: Dyn } = {};
    let n = 0;
    let max = -1;
    return {
      add(a) {
        if (max < 0) max = sizeArg(a[1], def);
        const v = a[0];
        if (!isBag(v)) return;
        for (const [k, x] of Object.entries(v)) {
          if (Object.prototype.hasOwnProperty.call(out, k)) {
            if (JSON.stringify(out[k]) !== JSON.stringify(x)) throw new KqlError("unsupported", `unsupported: make_bag() of key '${k}' with different values (Kusto keeps an arbitrary one)`);
            continue;
          }
          if (n >= max) continue;
          out[k] = x;
          n++;
        }
      },
      result: () => out,
    };
  };
}
defineWithIf({ name: "make_bag", returns: "dynamic", create: makeBag(MAX_SIZE) }, "make_bag_if", 1);
defineAggregate({ name: "make_dictionary", returns: "dynamic", create: makeBag(DEPRECATED_DEFAULT_SIZE) });

// ---------- variance family ----------

interface Moments { n: number; mean: number; m2: number }

function moments(): { m: Moments; add: (x: number) => void } {
  const m: Moments = { n: 0, mean: 0, m2: 0 };
  return {
    m,
    add(x) { // Welford's algorithm: numerically stable single pass.
      m.n++;
      const d = x - m.mean;
      m.mean += d / m.n;
      m.m2 += d * (x - m.mean);
    },
  };
}

function varianceAgg(name: string, ifName: string | undefined, sample: boolean, sqrt: boolean): void {
  defineWithIf({
    name,
    returns: "real",
    create() {
      const { m, add } = moments();
      return {
        add(a) { const v = a[0]; if (typeof v === "number") add(v); },
        result: () => {
          if (m.n === 0) return sample ? 0 : null;
          const variance = sample ? (m.n > 1 ? m.m2 / (m.n - 1) : 0) : m.m2 / m.n;
          return sqrt ? Math.sqrt(variance) : variance;
        },
      };
    },
  }, ifName, 1);
}
varianceAgg("variance", "varianceif", true, false);
varianceAgg("stdev", "stdevif", true, true);
varianceAgg("variancep", "variancepif", false, false);
varianceAgg("stdevp", undefined, false, true);

function covarianceAgg(name: string, ifName: string, sample: boolean): void {
  defineWithIf({
    name,
    returns: "real",
    create() {
      let n = 0, mx = 0, my = 0, c = 0;
      return {
        add(a) {
          const x = a[0], y = a[1];
          if (typeof x !== "number" || typeof y !== "number") return;
          n++;
          const dx = x - mx;
          mx += dx / n;
          my += (y - my) / n;
          c += dx * (y - my);
        },
        result: () => (n === 0 ? null : sample ? (n > 1 ? c / (n - 1) : 0) : c / n),
      };
    },
  }, ifName, 2);
}
covarianceAgg("covariance", "covarianceif", true);
covarianceAgg("covariancep", "covariancepif", false);

// ---------- percentiles (nearest rank) ----------

// Kusto estimates percentiles with T-Digest; for the small populations of test data the digest holds every
// value and the answer is the documented nearest-rank percentile: the smallest value such that P percent of the
// data is less or equal to it (P = 0 → minimum). Computed exactly here.
export function nearestRank(sorted: { v: Value; w: number }[], total: number, p: number): Value {
  if (sorted.length === 0) return null;
  if (!(p > 0)) return sorted[0]!.v;
  const rank = Math.max(1, Math.ceil((Math.min(p, 100) / 100) * total - 1e-9));
  let acc = 0;
  for (const e of sorted) {
    acc += e.w;
    if (acc >= rank) return e.v;
  }
  return sorted[sorted.length - 1]!.v;
}

/** Percentile result type: int widens to long (binder), other types keep theirs. */
const percentileType = (t: KqlType[]): KqlType => (t[0] === "int" ? "long" : t[0] ?? "real");

interface PercentileShape {
  weighted: boolean;
  /** "one": percentile(); "cols": percentiles() → one column each; "array": percentiles_array() → dynamic. */
  shape: "one" | "cols" | "array";
}

function percentileAgg(name: string, s: PercentileShape): void {
  const first = s.weighted ? 2 : 1;
  defineAggregate({
    name,
    returns: s.shape === "array" ? "dynamic" : percentileType,
    outputs: s.shape === "cols" ? (t) => t.length - first : undefined,
    create(argTypes) {
      const items: { v: Value; w: number }[] = [];
      let total = 0;
      let ps: number[] | undefined;
      const outType = percentileType(argTypes);
      const compute = (): Value[] => {
        items.sort((x, y) => compareScalars(x.v, y.v));
        return (ps ?? []).map((p) => nearestRank(items, total, p));
      };
      return {
        add(a) {
          if (!ps) ps = percentArgs(a.slice(first));
          const v = a[0];
          if (isNull(v)) return;
          const w = s.weighted ? Number(a[1]) : 1;
          // percentilesw-aggregation-function.md: each value counts as if "repeated a number of times equal to its
          // weight" — 0 (or a null weight) drops it; a negative repetition count has no documented meaning.
          if (w < 0) throw new KqlError("unsupported", `unsupported: ${name}() with a negative weight (${w}) (undocumented)`);
          if (!(w > 0)) return;
          items.push({ v: typeof v === "number" && outType === "long" ? Math.trunc(v) : v!, w });
          total += w;
        },
        // An empty group never saw the percentile arguments: every column is null.
        results: () => (ps ? compute() : argTypes.slice(first).map(() => null)),
        result() {
          if (items.length === 0) return null;
          const vals = compute();
          return s.shape === "array" ? vals.map((v) => toDyn(v, argTypes[0]!)) : vals[0] ?? null;
        },
      };
    },
  });
}

export function percentArgs(rest: Value[]): number[] {
  // A dynamic array of percentiles (percentiles_array(x, dynamic([…]))) is checked like the listed form.
  const array = rest.length === 1 && Array.isArray(rest[0]);
  return (array ? (rest[0] as Dyn[]) : rest).map((p) => {
    const n = array ? (dynNum(p as Dyn) ?? NaN) : Number(p);
    if (!Number.isFinite(n) || n < 0 || n > 100) {
      throw runtimeError(`percentile must be between 0 and 100, got ${array && Number.isNaN(n) ? JSON.stringify(p) : String(n)}`);
    }
    return n;
  });
}

percentileAgg("percentile", { weighted: false, shape: "one" });
percentileAgg("percentiles", { weighted: false, shape: "cols" });
percentileAgg("percentiles_array", { weighted: false, shape: "array" });
percentileAgg("percentilew", { weighted: true, shape: "one" });
percentileAgg("percentilesw", { weighted: true, shape: "cols" });
percentileAgg("percentilesw_array", { weighted: true, shape: "array" });

// ---------- bitwise ----------

function bitwiseAgg(name: string, op: (a: bigint, b: bigint) => bigint): void {
  defineAggregate({
    name,
    returns: sameAsFirst,
    create() {
      let acc: bigint | null = null;
      return {
        add(a) {
          const v = a[0];
          if (typeof v !== "number") return;
          const b = BigInt.asIntN(64, BigInt(Math.trunc(v)));
          acc = acc === null ? b : BigInt.asIntN(64, op(acc, b));
        },
        result: () => (acc === null ? null : exactLong(Number(acc), name)),
      };
    },
  });
}
bitwiseAgg("binary_all_and", (a, b) => a & b);
bitwiseAgg("binary_all_or", (a, b) => a | b);
bitwiseAgg("binary_all_xor", (a, b) => a ^ b);
