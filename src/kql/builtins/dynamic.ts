// Dynamic (array and property-bag) builtins. Typed scalars placed into arrays/bags go through toDyn, so a datetime
// becomes Kusto's 7-digit ISO string as it would in Kusto's JSON. Functions given a non-array where an array is
// expected return null, as Kusto does for "irrelevant inputs".
import { KqlError } from "../api.js";
import type { Dyn, KqlType, Value } from "../values.js";
import { DynScalar, TICKS_PER_HOUR, dynNum, dynReal, dynamicTypeOf } from "../values.js";
import { defineScalar, type ParamType, type ScalarOverload } from "./registry.js";
import { DynKeySet, compareScalars, dynEquals, dynKey, isArray, isBag, runtimeError, toDyn, withOptional } from "./c2-util.js";
import { fitsInt32 } from "../int64.js";

type Bag = { [k: string]: Dyn };

/** Overload over arrays: non-array inputs give null. */
function arrays(name: string, overloads: ScalarOverload[], aliases?: string[], nulls: "propagate" | "custom" = "propagate"): void {
  defineScalar({ name, aliases, nulls, overloads });
}

const asArray = (v: Value): Dyn[] | null => (isArray(v) ? v : null);
const normIndex = (i: number, len: number) => (i < 0 ? len + i : i);

// ---------- arrays ----------

arrays("array_length", [{ params: ["dynamic"], returns: "long", impl: (a) => asArray(a[0]!)?.length ?? null }], ["arraylength"]);

arrays("array_concat", [{
  params: ["dynamic"], variadic: true, returns: "dynamic",
  impl: (a) => {
    const out: Dyn[] = [];
    for (const v of a) {
      if (!isArray(v)) return null;
      out.push(...v);
    }
    return out;
  },
}]);

// array_slice(arr, start, end): end inclusive, negative indexes count from the end (array-slice-function.md).
arrays("array_slice", [{
  params: ["dynamic", "long", "long"], returns: "dynamic",
  impl: (a) => {
    const arr = asArray(a[0]!);
    if (!arr) return null;
    const start = Math.max(0, normIndex(a[1] as number, arr.length));
    const end = Math.min(arr.length - 1, normIndex(a[2] as number, arr.length));
    return start > end ? [] : arr.slice(start, end + 1);
  },
}]);

arrays("array_reverse", [{ params: ["dynamic"], returns: "dynamic", impl: (a) => asArray(a[0]!)?.slice().reverse() ?? null }]);

function rotate(arr: Dyn[], n: number): Dyn[] {
  if (arr.length === 0) return [];
  const k = ((n % arr.length) + arr.length) % arr.length;
  return [...arr.slice(k), ...arr.slice(0, k)];
}

arrays("array_rotate_left", [{ params: ["dynamic", "long"], returns: "dynamic", impl: (a) => { const x = asArray(a[0]!); return x && rotate(x, a[1] as number); } }]);
arrays("array_rotate_right", [{ params: ["dynamic", "long"], returns: "dynamic", impl: (a) => { const x = asArray(a[0]!); return x && rotate(x, -(a[1] as number)); } }]);

/** Shifts left by n (right when negative), filling vacated cells with the default (null unless given). */
function shift(arr: Dyn[], n: number, fill: Dyn): Dyn[] {
  const len = arr.length;
  return arr.map((_, i) => {
    const j = i + n;
    return j >= 0 && j < len ? arr[j]! : fill;
  });
}

for (const [name, dir] of [["array_shift_left", 1], ["array_shift_right", -1]] as const) {
  arrays(name, withOptional(["dynamic", "long", "any"], 1, "dynamic", (a, _c, t) => {
    const x = asArray(a[0]!);
    if (!x || a[1] === null) return null;
    return shift(x, dir * (a[1] as number), a.length > 2 ? toDyn(a[2]!, t[2]!) : null);
  }), undefined, "custom");
}

arrays("array_split", [{
  params: ["dynamic", "any"], returns: "dynamic",
  impl: (a) => {
    const arr = asArray(a[0]!);
    if (!arr) return null;
    const raw = isArray(a[1]!) ? (a[1] as Dyn[]) : [a[1] as Dyn];
    const cuts = raw.map((i) => Math.min(arr.length, Math.max(0, normIndex(Number(i), arr.length))));
    const out: Dyn[] = [];
    let from = 0;
    for (const c of cuts) {
      out.push(arr.slice(from, Math.max(from, c)));
      from = Math.max(from, c);
    }
    out.push(arr.slice(from));
    return out;
  },
}]);

// array_sum: a real; null when an element is not numeric.
arrays("array_sum", [{
  params: ["dynamic"], returns: "real",
  impl: (a) => {
    const arr = asArray(a[0]!);
    if (!arr) return null;
    let s = 0;
    for (const e of arr) {
      const n = dynNum(e);
      if (n === null) return null;
      s += n;
    }
    return s;
  },
}]);

// array_iff(conditions, whenTrue, whenFalse): element-wise; scalars broadcast, missing elements and conditions
// that are neither bool nor numeric give null (array-iff-function.md).
arrays("array_iff", [{
  params: ["dynamic", "any", "any"], returns: "dynamic",
  impl: (a, _c, t) => {
    const cond = asArray(a[0]!);
    if (!cond) return null;
    const pick = (v: Value, type: KqlType, i: number): Dyn =>
      type === "dynamic" && isArray(v) ? (i < v.length ? v[i]! : null) : toDyn(v, type);
    // Numeric conditions are true when non-zero (array-iff-function.md).
    const truth = (c: Dyn): boolean | null => { if (typeof c === "boolean") return c; const n = dynNum(c); return n === null ? null : n !== 0; };
    return cond.map((c, i) => { const b = truth(c); return b === null ? null : b ? pick(a[1]!, t[1]!, i) : pick(a[2]!, t[2]!, i); });
  },
}], ["array_iif"], "custom");

// array_index_of(arr, value [, start [, length [, occurrence]]]) (array-index-of-function.md).
arrays("array_index_of", withOptional(["dynamic", "any", "long", "long", "long"], 3, "long", (a, _c, t) => {
  const arr = asArray(a[0]!);
  if (!arr) return null;
  const needle = toDyn(a[1]!, t[1]!);
  const len = arr.length;
  let start = a.length > 2 ? (a[2] as number) : 0;
  const count = a.length > 3 ? (a[3] as number) : -1;
  const occurrence = a.length > 4 ? (a[4] as number) : 1;
  if (occurrence < 0 || count < -1) return null;
  // Undocumented: occurrence 0, a negative start reaching before the first element, and a later occurrence
  // within a bounded length (indexof() slides its window from each match; whether this does is not shown).
  if (occurrence === 0 || start < -len || (occurrence > 1 && count !== -1)) {
    throw new KqlError("unsupported", `unsupported: array_index_of() with start ${start}, length ${count}, occurrence ${occurrence} (undocumented combination)`);
  }
  if (start < 0) start = len + start;
  const end = count === -1 ? len : Math.min(len, start + count);
  let seen = 0;
  for (let i = start; i < end; i++) {
    if (dynEquals(arr[i]!, needle) && ++seen === occurrence) return i;
  }
  return -1;
}));

// ---------- sorting ----------

/** Mixed-type order from array-sort-asc-function.md: numbers (and datetimes/timespans), strings, guids, the rest. */
function sortClass(v: Dyn): number {
  if (typeof v === "number") return 0;
  if (v instanceof DynScalar) return v.type === "guid" ? 2 : 0;
  if (typeof v === "string") return 1;
  return 3;
}

/** Numbers, datetimes and timespans share a class, but the docs do not say how they order among each other. */
function sameKind(x: Dyn, y: Dyn): boolean {
  return numberKind(x) === numberKind(y);
}

/** A whole-valued real (DynScalar) is a number like any other here. */
const numberKind = (v: Dyn): string => (v instanceof DynScalar && v.type !== "real" ? v.type : "number");

/** The sorted order of the first array's positions (stable), or undefined when it is not an array. */
function sortOrder(first: Dyn[] | null, asc: boolean, nullsLast: boolean): number[] | undefined {
  if (!first) return undefined;
  const order = first.map((_, i) => i);
  order.sort((i, j) => {
    const x = first[i]!, y = first[j]!;
    if (x === null || y === null) {
      if (x === y) return i - j;
      return (x === null ? 1 : -1) * (nullsLast ? 1 : -1);
    }
    const cx = sortClass(x), cy = sortClass(y);
    if (cx !== cy) return cx - cy;
    if (cx === 0 && !sameKind(x, y)) throw new KqlError("unsupported", "unsupported: array_sort_* of an array mixing numbers, datetimes and timespans");
    const c = cx === 3 ? 0 : compareScalars(x, y) * (asc ? 1 : -1);
    return c !== 0 ? c : i - j;
  });
  return order;
}

function sortArrays(asc: boolean) {
  return (a: Value[], _c: unknown, t: KqlType[]): Value => {
    const first = asArray(a[0]!);
    const order = sortOrder(first, asc, t.length > 1 ? a[1] !== false : true);
    return order ? order.map((i) => first![i]!) : null;
  };
}

/**
 * Several arrays (a tuple result, one column per array): the others follow the first array's new order; an array
 * whose length differs from the first one's gives null (array-sort-asc-function.md).
 */
function sortTuple(asc: boolean) {
  return (a: Value[], _c: unknown, t: KqlType[]): Value => {
    const n = t[t.length - 1] === "bool" ? a.length - 1 : a.length;
    const first = asArray(a[0]!);
    const order = sortOrder(first, asc, n < a.length ? a[n] !== false : true);
    return a.slice(0, n).map((v) => {
      const arr = asArray(v);
      return order && arr && arr.length === order.length ? order.map((i) => arr[i]!) : null;
    });
  };
}

/** 2 to 16 arrays (the binder's limit is not documented; more are refused as an unknown overload). */
const arrayCounts = Array.from({ length: 15 }, (_, k) => k + 2);
const dynamics = (n: number): ParamType[] => new Array<ParamType>(n).fill("dynamic");

for (const [name, asc] of [["array_sort_asc", true], ["array_sort_desc", false]] as const) {
  defineScalar({
    name,
    nulls: "custom", // a non-array first argument gives null inside sortArrays
    // Several arrays make Kusto return one column per array (a tuple). A bool parameter also accepts a dynamic
    // argument (converted at run time), so every all-arrays overload comes before any overload of the same arity
    // ending in nulls_last: otherwise the last array would be taken as nulls_last.
    overloads: [
      { params: ["dynamic"], returns: "dynamic", impl: sortArrays(asc) },
      ...arrayCounts.map((n): ScalarOverload => ({ params: dynamics(n), returns: "dynamic", tuple: true, impl: sortTuple(asc) })),
      { params: ["dynamic", "bool"], returns: "dynamic", impl: sortArrays(asc) },
      ...arrayCounts.map((n): ScalarOverload => ({ params: [...dynamics(n), "bool"], returns: "dynamic", tuple: true, impl: sortTuple(asc) })),
    ],
  });
}

// ---------- sets ----------

function distinct(items: Dyn[]): Dyn[] {
  refuseLongRealMix(items);
  const seen = new Set<string>();
  const out: Dyn[] = [];
  for (const e of items) {
    const k = dynKey(e);
    if (!seen.has(k)) { seen.add(k); out.push(e); }
  }
  return out;
}

/** dynKey tells 1 from 1.0; whether Kusto's sets do is not documented, so inputs holding both are refused. */
function refuseLongRealMix(...arrays: Dyn[][]): void {
  const set = new DynKeySet();
  for (const arr of arrays) for (const e of arr) set.add(e);
}

function setOp(name: string, op: (first: Dyn[], rest: Set<string>[]) => Dyn[]): void {
  arrays(name, [{
    params: ["dynamic"], variadic: true, returns: "dynamic",
    impl: (a) => {
      if (!a.every(isArray)) return null;
      const [first, ...rest] = a as Dyn[][];
      refuseLongRealMix(...(a as Dyn[][]));
      return op(first!, rest.map((r) => new Set(r.map(dynKey))));
    },
  }]);
}

setOp("set_intersect", (first, rest) => distinct(first.filter((e) => rest.every((s) => s.has(dynKey(e))))));
setOp("set_difference", (first, rest) => distinct(first.filter((e) => !rest.some((s) => s.has(dynKey(e))))));
arrays("set_union", [{
  params: ["dynamic"], variadic: true, returns: "dynamic",
  impl: (a) => (a.every(isArray) ? distinct((a as Dyn[][]).flat()) : null),
}]);

arrays("set_has_element", [{
  params: ["dynamic", "any"], returns: "bool",
  impl: (a, _c, t) => {
    const arr = asArray(a[0]!);
    if (!arr) return null;
    const needle = toDyn(a[1]!, t[1]!);
    return arr.some((e) => dynEquals(e, needle));
  },
}]);

arrays("set_equals", [{
  params: ["dynamic", "dynamic"], returns: "bool",
  impl: (a) => {
    const x = asArray(a[0]!), y = asArray(a[1]!);
    if (!x || !y) return null;
    refuseLongRealMix(x, y);
    const sx = new Set(x.map(dynKey)), sy = new Set(y.map(dynKey));
    return sx.size === sy.size && [...sx].every((k) => sy.has(k));
  },
}]);

// jaccard_index(a, b) = |distinct(a) ∩ distinct(b)| / |distinct(a) ∪ distinct(b)| (jaccard-index-function.md).
arrays("jaccard_index", [{
  params: ["dynamic", "dynamic"], returns: "real",
  impl: (a) => {
    const x = asArray(a[0]!), y = asArray(a[1]!);
    if (!x || !y) return null;
    refuseLongRealMix(x, y);
    const sx = new Set(x.map(dynKey)), sy = new Set(y.map(dynKey));
    const union = new Set([...sx, ...sy]).size;
    if (union === 0) return null;
    let inter = 0;
    for (const k of sx) if (sy.has(k)) inter++;
    return inter / union;
  },
}]);

// ---------- constructors ----------

defineScalar({
  name: "pack_array",
  nulls: "custom",
  overloads: [{ params: ["any"], variadic: true, returns: "dynamic", impl: (a, _c, t) => a.map((v, i) => toDyn(v, t[i]!)) }],
});

defineScalar({
  name: "bag_pack",
  aliases: ["pack", "pack_dictionary"],
  nulls: "custom",
  overloads: [{
    params: ["string", "any"], variadic: true, returns: "dynamic",
    impl: (a, _c, t) => {
      if (a.length % 2 !== 0) throw runtimeError("bag_pack expects an even number of arguments (key, value pairs)");
      const out: Bag = {};
      for (let i = 0; i < a.length; i += 2) {
        const k = a[i];
        if (typeof k !== "string") throw runtimeError("bag_pack: keys must be strings");
        // The earlier pack() page required "non-empty" keys and no page says which value a repeated key keeps:
        // both are refused rather than guessed.
        if (k === "") throw new KqlError("unsupported", "unsupported: bag_pack() with an empty key (undocumented)");
        if (Object.hasOwn(out, k)) throw new KqlError("unsupported", `unsupported: bag_pack() with the key "${k}" twice (which value is kept is undocumented)`);
        out[k] = toDyn(a[i + 1]!, t[i + 1]!);
      }
      return out;
    },
  }],
});

defineScalar({
  name: "repeat",
  nulls: "custom",
  overloads: [{
    params: ["any", "long"], returns: "dynamic",
    impl: (a, _c, t) => {
      const n = a[1] as number | null;
      // A negative count gives null, zero an empty array (repeat-function.md).
      if (n === null || n < 0) return null;
      return Array.from({ length: Math.max(0, Math.min(n, 1_048_576)) }, () => toDyn(a[0]!, t[0]!));
    },
  }],
});

const RANGE_MAX = 1_048_576;

defineScalar({
  name: "range",
  nulls: "propagate",
  overloads: [
    ...withOptional(["numeric", "numeric", "numeric"], 1, "dynamic", (a, _c, t) => {
      const [start, stop, step = 1] = a as number[];
      if (step === 0 || !Number.isFinite(step!)) return null;
      // Elements are reals when an argument is (range(1, 3, 0.5) → [1.0,1.5,…]); longs otherwise ([1,4,7]).
      const real = t.some((x) => x === "real" || x === "decimal");
      const out: Dyn[] = [];
      for (let v = start!; step! > 0 ? v <= stop! : v >= stop!; v += step!) {
        if (out.length >= RANGE_MAX) break;
        out.push(real ? dynReal(v) : v);
      }
      return out;
    }),
    // datetime/timespan ranges step by 1h when no step is given (range-function.md: range(1h, 5h)).
    ...(["datetime", "timespan"] as const).flatMap((k): ScalarOverload[] => withOptional([k, k, "timespan"], 1, "dynamic", (a) => {
      const [start, stop, step = TICKS_PER_HOUR] = a as bigint[];
      if (step === 0n) return null;
      const out: Dyn[] = [];
      for (let v = start!; step! > 0n ? v <= stop! : v >= stop!; v += step!) {
        if (out.length >= RANGE_MAX) break;
        out.push(toDyn(v, k));
      }
      return out;
    })),
  ],
});

defineScalar({
  name: "zip",
  nulls: "propagate",
  overloads: [{
    params: ["dynamic"], variadic: true, returns: "dynamic",
    impl: (a) => {
      if (!a.every(isArray)) return null;
      const arrs = a as Dyn[][];
      const len = Math.max(0, ...arrs.map((x) => x.length));
      return Array.from({ length: len }, (_, i) => arrs.map((x) => (i < x.length ? x[i]! : null)));
    },
  }],
});

// ---------- property bags ----------

arrays("bag_keys", [{ params: ["dynamic"], returns: "dynamic", impl: (a) => (isBag(a[0]!) ? Object.keys(a[0]) : null) }]);

// bag_merge: the first bag holding a key wins (bag-merge-function.md example); non-bags are skipped.
defineScalar({
  name: "bag_merge",
  nulls: "custom",
  overloads: [{
    params: ["dynamic"], variadic: true, returns: "dynamic",
    impl: (a) => {
      const out: Bag = {};
      for (const v of a) {
        if (!isBag(v)) continue;
        for (const [k, x] of Object.entries(v)) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = x;
      }
      return out;
    },
  }],
});

/** Key paths: a plain key names a first-level member; `$.a.b` / `$['a']['b']` JSONPath names nested ones. */
function keyPath(key: string): string[] {
  if (!key.startsWith("$")) return [key];
  const path: string[] = [];
  const re = /\.([^.[\]]+)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/y;
  let i = 1;
  while (i < key.length) {
    re.lastIndex = i;
    const m = re.exec(key);
    if (!m) throw runtimeError(`unsupported JSONPath '${key}' (array indexing and wildcards are not supported)`);
    path.push(m[1] ?? m[2] ?? m[3]!);
    i = re.lastIndex;
  }
  if (path.length === 0) throw runtimeError(`JSONPath '${key}' names the root, which is not supported`);
  return path;
}

function cloneBag(b: Bag): Bag {
  return cloneDyn(b) as Bag;
}

/** Deep copy of arrays and bags; typed members (immutable DynScalar) are shared, which structuredClone would strip. */
function cloneDyn(v: Dyn): Dyn {
  if (v === null || typeof v !== "object" || v instanceof DynScalar) return v;
  if (Array.isArray(v)) return v.map(cloneDyn);
  const out: Bag = {};
  for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: cloneDyn(v[k]!), enumerable: true, writable: true, configurable: true });
  return out;
}

arrays("bag_remove_keys", [{
  params: ["dynamic", "dynamic"], returns: "dynamic",
  impl: (a) => {
    if (!isBag(a[0]!) || !isArray(a[1]!)) return null;
    const out = cloneBag(a[0] as Bag);
    for (const k of a[1] as Dyn[]) {
      if (typeof k !== "string") continue;
      const path = keyPath(k);
      let node: Dyn = out;
      for (let i = 0; i < path.length - 1 && isBag(node); i++) node = (node as Bag)[path[i]!] ?? null;
      if (isBag(node)) delete (node as Bag)[path[path.length - 1]!];
    }
    return out;
  },
}]);

arrays("bag_has_key", [{
  params: ["dynamic", "string"], returns: "bool",
  impl: (a) => {
    if (!isBag(a[0]!)) return null;
    let node: Dyn = a[0] as Bag;
    for (const k of keyPath(a[1] as string)) {
      if (!isBag(node) || !Object.prototype.hasOwnProperty.call(node, k)) return false;
      node = node[k]!;
    }
    return true;
  },
}]);

arrays("bag_set_key", [{
  params: ["dynamic", "string", "any"], returns: "dynamic",
  impl: (a, _c, t) => {
    if (!isBag(a[0]!)) return null;
    const out = cloneBag(a[0] as Bag);
    const path = keyPath(a[1] as string);
    let node: Bag = out;
    for (const k of path.slice(0, -1)) {
      const next = node[k];
      if (!isBag(next ?? null)) node[k] = {};
      node = node[k] as Bag;
    }
    node[path[path.length - 1]!] = toDyn(a[2]!, t[2]!);
    return out;
  },
}], undefined, "custom");

// bag_zip(keys, values): non-string keys are skipped, missing values are null; values that are not an array give
// every key a null value, keys that are not an array a null result (bag-zip.md).
arrays("bag_zip", [{
  params: ["dynamic", "dynamic"], returns: "dynamic",
  impl: (a) => {
    const keys = asArray(a[0]!), values = asArray(a[1]!) ?? [];
    if (!keys) return null;
    const out: Bag = {};
    keys.forEach((k, i) => { if (typeof k === "string") out[k] = i < values.length ? values[i]! : null; });
    return out;
  },
}]);

// ---------- gettype ----------

defineScalar({
  name: "gettype",
  nulls: "custom",
  overloads: [{
    params: ["any"], returns: "string",
    impl: (a, _c, t) => {
      if (t[0] !== "dynamic") return t[0]!;
      const v = (a[0] ?? null) as Dyn;
      // JSON integers within 32 bits are Kusto "int" (gettype(parse_json('1')) == "int"), wider ones "long".
      // The value model cannot tell a long that was packed into dynamic from a parsed JSON number.
      if (typeof v === "number" && Number.isInteger(v)) return fitsInt32(v) ? "int" : "long";
      // datetime/timespan/guid members are DynScalar (values.ts), so they report their own type.
      return dynamicTypeOf(v);
    },
  }],
});

// ---------- treepath ----------

// treepath(bag): every path of the object, arrays collapsed to their [0] element with the union of the elements'
// sub-paths (treepath-function.md examples), in first-seen order.
defineScalar({
  name: "treepath",
  nulls: "propagate",
  overloads: [{
    params: ["dynamic"], returns: "dynamic",
    impl: (a) => {
      if (!isBag(a[0]!) && !isArray(a[0]!)) return null;
      const out = new Set<string>();
      const walk = (node: Dyn, prefix: string): void => {
        if (isArray(node)) {
          if (node.length === 0) return;
          const p = `${prefix}[0]`;
          out.add(p);
          for (const e of node) walk(e, p);
        } else if (isBag(node)) {
          for (const [k, v] of Object.entries(node)) {
            const p = `${prefix}['${k.replace(/'/g, "\\'")}']`;
            out.add(p);
            walk(v, p);
          }
        }
      };
      walk(a[0] as Dyn, "");
      return [...out];
    },
  }],
});
