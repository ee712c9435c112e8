// HyperLogLog and T-Digest sketches: the aggregates hll/hll_if/hll_merge/tdigest/tdigest_merge and the scalars
// that read them (dcount_hll, hll_merge, tdigest_merge, percentile_tdigest, percentiles_array_tdigest,
// rank_tdigest, percentrank_tdigest).
//
// Kusto's sketches are estimates stored as opaque binaries. This engine keeps the exact data instead — the set of
// distinct values for hll, every value with its weight for tdigest — so dcount_hll(hll(x)) == dcount(x) and
// percentile_tdigest(tdigest(x), p) == percentile(x, p) exactly as the engine computes them (for test-sized data
// Kusto's estimates are exact too). A sketch is a dynamic value that cannot be inspected: any other use (output,
// tostring, bag/array functions, comparisons, join keys) raises `unsupported` instead of exposing bytes that are
// not Kusto's.
import { KqlError } from "../api.js";
import type { Dyn, KqlType, Value } from "../values.js";
import { defineAggregate, defineScalar, type Accumulator, type AggregateFunction } from "./registry.js";
import { defineWithIf, nearestRank, percentArgs } from "./aggregates.js";
import { compareScalars, dynKey, toDyn } from "./c2-util.js";

interface HllData { kind: "hll"; type: KqlType; keys: Set<unknown>; accuracy: number }
interface TDigestData { kind: "tdigest"; type: KqlType; items: { v: Value; w: number }[]; total: number }
type SketchData = HllData | TDigestData;

const SKETCH = Symbol("kql sketch");
let created = 0;

/** Number of sketches made so far (the engine checks results for sketches only when this moved). */
export function sketchesCreated(): number {
  return created;
}

const unsupported = (what: string): KqlError => new KqlError("unsupported", `unsupported: ${what}`);

/** A proxy whose every inspection except the engine's own (the SKETCH symbol) is refused. */
function wrap(data: SketchData): Dyn {
  created++;
  const refuse = (): never => { throw unsupported(`${data.kind} sketch value used as a dynamic value (only the ${data.kind} functions read it)`); };
  // An array target, as Kusto's sketches are arrays: Array.isArray holds, so gettype() says "array" and bag
  // functions see no bag, while reading elements or the length is refused.
  return new Proxy([] as unknown[], {
    get: (_t, k) => (k === SKETCH ? data : refuse()),
    has: refuse, ownKeys: refuse, getOwnPropertyDescriptor: refuse, set: refuse, deleteProperty: refuse,
    defineProperty: refuse, setPrototypeOf: refuse, // getPrototypeOf stays: `instanceof` checks are harmless
  }) as Dyn;
}

/** The sketch data behind a value, or undefined when the value is not a sketch. */
function dataOf(v: Value): SketchData | undefined {
  return v !== null && typeof v === "object" ? ((v as Record<symbol, unknown>)[SKETCH] as SketchData | undefined) : undefined;
}

/** Throws when a result row holds a sketch anywhere inside a dynamic value (Kusto's bytes cannot be produced). */
export function rejectSketchOutput(rows: Value[][]): void {
  const visit = (v: Value): void => {
    if (v === null || typeof v !== "object") return;
    const d = dataOf(v);
    if (d) throw unsupported(`${d.kind} sketch value in output`);
    for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x);
  };
  for (const row of rows) for (const v of row) visit(v);
}

function sketchArg(v: Value, kind: SketchData["kind"], fn: string): SketchData {
  const d = dataOf(v);
  if (!d || d.kind !== kind) throw unsupported(`${fn}() of a value that is not a ${kind} sketch made in this query`);
  return d;
}

/** Types whose values hash alike in Kusto are not known beyond identity: merging different element types is refused. */
function sameType(a: SketchData, b: SketchData, fn: string): void {
  if (a.type !== b.type) throw unsupported(`${fn}() of ${a.kind} sketches over different types (${a.type}, ${b.type})`);
}

// ---------- hll ----------

/** Distinctness key as dcount uses it: scalars by value, dynamic values by a type-tagged key. */
const keyOf = (type: KqlType) => (type === "dynamic" ? dynKey : (v: Value) => v);

function hllOf(type: KqlType, keys: Set<unknown>, accuracy: number): Dyn {
  return wrap({ kind: "hll", type, keys, accuracy });
}

function mergeHll(sketches: SketchData[], fn: string): Dyn {
  const first = sketches[0] as HllData;
  const keys = new Set<unknown>();
  for (const s of sketches) {
    sameType(first, s, fn);
    // hll-merge-aggregation-function.md: "You can't merge hll values that were created using different accuracy
    // values" — the exact keys kept here would merge, so the mismatch is checked explicitly.
    if ((s as HllData).accuracy !== first.accuracy) {
      throw unsupported(`${fn}() of hll sketches made with different accuracy values (${first.accuracy}, ${(s as HllData).accuracy}): the docs say they can't be merged`);
    }
    for (const k of (s as HllData).keys) keys.add(k);
  }
  return hllOf(first.type, keys, first.accuracy);
}

// hll(x [, accuracy]): the accuracy level only changes Kusto's estimate, never these exact contents.
defineWithIf({
  name: "hll",
  returns: "dynamic",
  create(argTypes) {
    const type = argTypes[0]!;
    const key = keyOf(type);
    const keys = new Set<unknown>();
    let accuracy = 1; // the documented default
    return {
      add(a) {
        // Accuracy levels 0..4 are documented (hll-aggregation-function.md); what Kusto does with others is not.
        const acc = a[1];
        if (acc !== undefined && acc !== null && !(Number.isInteger(acc) && (acc as number) >= 0 && (acc as number) <= 4)) {
          throw unsupported(`hll() accuracy ${String(acc)} (documented: 0 to 4)`);
        }
        if (typeof acc === "number") accuracy = acc;
        const v = a[0];
        if (v !== null && v !== undefined) keys.add(key(v));
      },
      // No values: null, as summarize-operator.md's empty-input example shows (hll_x); nulls are ignored.
      result: () => (keys.size ? hllOf(type, keys, accuracy) : null),
    };
  },
}, "hll_if", 1);

/** Aggregate merge of a column of sketches (nulls skipped); an all-null group yields null. */
function mergeAggregate(name: string, kind: SketchData["kind"], merge: (s: SketchData[], fn: string) => Dyn, aliases?: string[]): AggregateFunction {
  return {
    name,
    aliases,
    returns: "dynamic",
    create(): Accumulator {
      const seen: SketchData[] = [];
      return {
        add(a) { if (a[0] !== null && a[0] !== undefined) seen.push(sketchArg(a[0], kind, name)); },
        result: () => (seen.length ? merge(seen, name) : null),
      };
    },
  };
}
defineAggregate(mergeAggregate("hll_merge", "hll", mergeHll));

defineScalar({
  name: "dcount_hll",
  nulls: "propagate",
  overloads: [{ params: ["dynamic"], returns: "long", impl: ([h]) => (sketchArg(h!, "hll", "dcount_hll") as HllData).keys.size }],
});

defineScalar({
  name: "hll_merge",
  nulls: "propagate",
  overloads: [{
    params: ["dynamic", "dynamic"], variadic: true, returns: "dynamic",
    impl: (args) => mergeHll(args.map((h) => sketchArg(h, "hll", "hll_merge")), "hll_merge"),
  }],
});

// ---------- tdigest ----------

function tdigestOf(type: KqlType, items: TDigestData["items"], total: number): Dyn {
  return wrap({ kind: "tdigest", type, items, total });
}

function mergeTDigest(sketches: SketchData[], fn: string): Dyn {
  const first = sketches[0] as TDigestData;
  const items: TDigestData["items"] = [];
  let total = 0;
  for (const s of sketches) {
    sameType(first, s, fn);
    items.push(...(s as TDigestData).items);
    total += (s as TDigestData).total;
  }
  return tdigestOf(first.type, items, total);
}

// Element type as percentile() reports it: int widens to long.
const elementType = (t: KqlType): KqlType => (t === "int" ? "long" : t);

// tdigest(x [, weight]): weights as percentilew() takes them (rows with a weight that is not > 0 are skipped).
defineAggregate({
  name: "tdigest",
  returns: "dynamic",
  create(argTypes) {
    const type = elementType(argTypes[0]!);
    const weighted = argTypes.length > 1;
    if (type === "dynamic" || type === "string" || type === "bool" || type === "guid") {
      throw unsupported(`tdigest() of ${argTypes[0]}`);
    }
    const items: TDigestData["items"] = [];
    let total = 0;
    return {
      add(a) {
        const v = a[0];
        if (v === null || v === undefined) return;
        const w = weighted ? Number(a[1]) : 1;
        // As in percentilew(): a weight is a repetition count, and a negative one has no documented meaning.
        if (w < 0) throw unsupported(`tdigest() with a negative weight (${w})`);
        if (!(w > 0)) return;
        items.push({ v: typeof v === "number" && type === "long" ? Math.trunc(v) : v, w });
        total += w;
      },
      // No values: null (tdigest_x of summarize-operator.md's empty-input example).
      result: () => (items.length ? tdigestOf(type, items, total) : null),
    };
  },
});
defineAggregate(mergeAggregate("tdigest_merge", "tdigest", mergeTDigest, ["merge_tdigest"]));

defineScalar({
  name: "tdigest_merge",
  aliases: ["merge_tdigest"],
  nulls: "propagate",
  overloads: [{
    params: ["dynamic", "dynamic"], variadic: true, returns: "dynamic",
    impl: (args) => mergeTDigest(args.map((t) => sketchArg(t, "tdigest", "tdigest_merge")), "tdigest_merge"),
  }],
});

/** Digest values sorted once per digest (digests are read many times per query: one per row of a project). */
const sortedCache = new WeakMap<TDigestData, TDigestData["items"]>();

function sortedItems(d: TDigestData, fn: string): TDigestData["items"] {
  if (d.items.length === 0) throw unsupported(`${fn}() of an empty tdigest`);
  let s = sortedCache.get(d);
  if (!s) {
    s = d.items.slice().sort((x, y) => compareScalars(x.v, y.v));
    sortedCache.set(d, s);
  }
  return s;
}

// percentile_tdigest(digest, p, typeof(T)): the nearest-rank percentile of percentile(). Without the type literal
// Kusto returns dynamic whose shape (scalar, or a one-element array when the column mixes digests of several
// types) depends on the whole column, so that form is refused.
defineScalar({
  name: "percentile_tdigest",
  nulls: "propagate",
  overloads: [{
    params: ["dynamic", "real", "string"],
    returns: (t) => (t[2] === "string" ? "dynamic" : "dynamic"),
    impl: ([t, p, typeName]) => {
      const d = sketchArg(t!, "tdigest", "percentile_tdigest") as TDigestData;
      const want = elementType(typeName as KqlType);
      if (want !== d.type) throw unsupported(`percentile_tdigest() of a tdigest of ${d.type} as typeof(${String(typeName)})`);
      return nearestRank(sortedItems(d, "percentile_tdigest"), d.total, percentArgs([p!])[0]!);
    },
  }, {
    params: ["dynamic", "real"],
    returns: "dynamic",
    impl: () => { throw unsupported("percentile_tdigest() without a type literal"); },
  }],
});

defineScalar({
  name: "percentiles_array_tdigest",
  nulls: "propagate",
  overloads: [{
    params: ["dynamic", "any"], variadic: true, returns: "dynamic",
    impl: ([t, ...ps]) => {
      const d = sketchArg(t!, "tdigest", "percentiles_array_tdigest") as TDigestData;
      const items = sortedItems(d, "percentiles_array_tdigest");
      return percentArgs(ps).map((p) => toDyn(nearestRank(items, d.total, p), d.type));
    },
  }],
});

/**
 * Weight of the digest's values <= v. Exact when v is one of the values or lies outside them; between two
 * values Kusto interpolates inside its centroids, which is not reproduced: refused.
 */
function rankOf(d: TDigestData, v: Value, vType: KqlType, fn: string): number {
  if (elementType(vType) !== d.type && !(isNumeric(vType) && isNumeric(d.type))) {
    throw unsupported(`${fn}() of a ${vType} value against a tdigest of ${d.type}`);
  }
  const items = sortedItems(d, fn);
  let rank = 0;
  let member = false;
  for (const it of items) {
    const c = compareScalars(it.v, v);
    if (c > 0) break;
    if (c === 0) member = true;
    rank += it.w;
  }
  const inside = compareScalars(v, items[0]!.v) > 0 && compareScalars(v, items[items.length - 1]!.v) < 0;
  if (inside && !member) throw unsupported(`${fn}() of a value between the digest's values (Kusto interpolates)`);
  return rank;
}

const isNumeric = (t: KqlType): boolean => t === "int" || t === "long" || t === "real" || t === "decimal";

defineScalar({
  name: "rank_tdigest",
  nulls: "propagate",
  overloads: [{
    params: ["dynamic", "scalar"], returns: "real",
    impl: ([t, v], _c, types) => rankOf(sketchArg(t!, "tdigest", "rank_tdigest") as TDigestData, v!, types[1]!, "rank_tdigest"),
  }],
});

defineScalar({
  name: "percentrank_tdigest",
  nulls: "propagate",
  overloads: [{
    params: ["dynamic", "scalar"], returns: "real",
    impl: ([t, v], _c, types) => {
      const d = sketchArg(t!, "tdigest", "percentrank_tdigest") as TDigestData;
      return (rankOf(d, v!, types[1]!, "percentrank_tdigest") * 100) / d.total;
    },
  }],
});
