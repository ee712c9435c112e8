// Element-wise series_* functions over dynamic numeric arrays (series-*-function.md): a non-numeric or missing
// element (arrays of different lengths) yields a null element; a non-array argument gives null. Arithmetic is
// IEEE double (series_divide: 2/0 = +inf). Imported by math.ts.
import { KqlError } from "../api.js";
import type { Dyn, Value } from "../values.js";
import { defineScalar, type ScalarOverload } from "./registry.js";
import { isArray, toDyn, withOptional } from "./c2-util.js";
import { dynNum, dynReal, isDynReal } from "../values.js";
import { exactLong, isExactLong } from "../int64.js";
import { preciseAcos, preciseAsin, preciseAtan, preciseCos, preciseExp, preciseLn, precisePow, preciseSin, preciseTan } from "./c2-precise.js";

type Num = number | null;
const num = (v: Dyn | undefined): Num => dynNum(v ?? null); // a whole-valued real is a DynScalar

/**
 * How an element-wise result is typed: "real" always (series_divide, series_pow: the docs' outputs are
 * `[0.25,1.0,4.0]`, `[1.0,4.0,27.0,2.0]` for integer inputs), "operands" real when an operand is (series_add of
 * longs gives `[5,4,5]`; series_abs keeps the long 0 of `[-6.5,0,8.2]`).
 */
type ResultType = "real" | "operands";

function binary(name: string, op: (a: number, b: number) => Dyn, typing: ResultType = "operands"): void {
  const apply = (x: Value, y: Value, scalarReal: boolean): Value => {
    const xa = isArray(x) ? x : null, ya = isArray(y) ? y : null;
    if (!xa && !ya) return null;
    const len = Math.max(xa?.length ?? 0, ya?.length ?? 0);
    const at = (arr: Dyn[] | null, scalar: Value, i: number): Num => (arr ? num(arr[i]) : typeof scalar === "number" ? scalar : null);
    const realAt = (arr: Dyn[] | null, i: number): boolean => (arr ? isDynReal(arr[i]) : scalarReal);
    return Array.from({ length: len }, (_, i) => {
      const a = at(xa, x, i), b = at(ya, y, i);
      if (a === null || b === null) return null;
      const r = op(a, b);
      return typeof r === "number" && (typing === "real" || realAt(xa, i) || realAt(ya, i)) ? dynReal(r) : r;
    });
  };
  const overloads: ScalarOverload[] = [
    { params: ["dynamic", "dynamic"], returns: "dynamic", impl: (a) => apply(a[0]!, a[1]!, false) },
    { params: ["dynamic", "real"], returns: "dynamic", impl: (a, _c, t) => (isArray(a[0]!) ? apply(a[0]!, a[1]!, t[1] === "real") : null) },
    { params: ["real", "dynamic"], returns: "dynamic", impl: (a, _c, t) => (isArray(a[1]!) ? apply(a[0]!, a[1]!, t[0] === "real") : null) },
  ];
  defineScalar({ name, nulls: "propagate", overloads });
}

// Dynamic numbers do not say whether they were long or real: an integer result of two integers beyond ±(2^53 − 1)
// may be a long in Kusto, which a double cannot hold exactly, so it is refused (int64.ts).
const integerOp = (name: string, op: (a: number, b: number) => number) => (a: number, b: number): number => {
  const r = op(a, b);
  return isExactLong(r) || !Number.isInteger(a) || !Number.isInteger(b) || !Number.isFinite(r) ? r : exactLong(r, `${name}() element`);
};
binary("series_add", integerOp("series_add", (a, b) => a + b));
binary("series_subtract", integerOp("series_subtract", (a, b) => a - b));
binary("series_multiply", integerOp("series_multiply", (a, b) => a * b));
binary("series_divide", (a, b) => a / b, "real");
binary("series_pow", precisePow, "real");
binary("series_greater", (a, b) => a > b);
binary("series_greater_equals", (a, b) => a >= b);
binary("series_less", (a, b) => a < b);
binary("series_less_equals", (a, b) => a <= b);
binary("series_equals", (a, b) => a === b);
binary("series_not_equals", (a, b) => a !== b);

function unary(name: string, f: (x: number) => number, typing: ResultType): void {
  const elem = (e: Dyn): Dyn => {
    const n = dynNum(e);
    if (n === null) return null;
    const r = f(n);
    // NaN/±Infinity (series_acos of 2, series_log of 0, series_exp of 1000): the pages only say non-numeric
    // elements give null, and how Kusto writes these inside a dynamic array is undocumented (as in make-series).
    if (!Number.isFinite(r)) throw new KqlError("unsupported", `unsupported: ${name}() of element ${n} (a ${r} element's form is undocumented)`);
    return typing === "real" || isDynReal(e) ? dynReal(r) : r;
  };
  defineScalar({
    name,
    nulls: "propagate",
    overloads: [{
      params: ["dynamic"], returns: "dynamic",
      impl: (a) => (isArray(a[0]!) ? (a[0] as Dyn[]).map(elem) : null),
    }],
  });
}

// Trigonometry, exp, log, ceiling and floor are real-valued; abs and sign keep the element's type (see ResultType).
unary("series_abs", Math.abs, "operands");
unary("series_acos", preciseAcos, "real");
unary("series_asin", preciseAsin, "real");
unary("series_atan", preciseAtan, "real");
// series-ceiling/floor-function.md print the long 1 of `[-1.5,1,2.5]` as `1.0`: their results are reals.
unary("series_ceiling", Math.ceil, "real");
unary("series_floor", Math.floor, "real");
unary("series_cos", preciseCos, "real");
unary("series_sin", preciseSin, "real");
unary("series_tan", preciseTan, "real");
unary("series_exp", preciseExp, "real");
unary("series_log", preciseLn, "real");
unary("series_sign", (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0), "operands");

/**
 * Folds the numeric elements of an array. The series_sum/product/magnitude pages show only all-numeric arrays:
 * whether a null or non-numeric element is skipped, poisons the result or makes it null, and what an empty array
 * gives, are undocumented — refused.
 */
function fold(name: string, init: number, step: (acc: number, x: number) => number, finish: (acc: number) => number = (x) => x): void {
  defineScalar({
    name,
    nulls: "propagate",
    overloads: [{
      params: ["dynamic"], returns: "real",
      impl: (a) => {
        if (!isArray(a[0]!)) return null;
        const arr = a[0] as Dyn[];
        if (arr.length === 0) throw new KqlError("unsupported", `unsupported: ${name}() of an empty array (undocumented)`);
        let acc = init;
        for (const e of arr) {
          const n = dynNum(e);
          if (n === null) throw new KqlError("unsupported", `unsupported: ${name}() of an array with a null or non-numeric element (undocumented)`);
          acc = step(acc, n);
        }
        return finish(acc);
      },
    }],
  });
}
fold("series_sum", 0, (s, x) => s + x);
fold("series_product", 1, (p, x) => p * x);
fold("series_magnitude", 0, (s, x) => s + x * x, Math.sqrt);

// ---------- fills ----------

/** The fill pages take "dynamic numerical" arrays: a string, bool or bag element's treatment is undocumented. */
function numericOrNull(arr: Dyn[], name: string): Dyn[] {
  for (const e of arr) {
    if (e !== null && dynNum(e) === null) throw new KqlError("unsupported", `unsupported: ${name}() of an array with a non-numeric element (undocumented)`);
  }
  return arr;
}

/** Elements equal to the placeholder (default: null) are the missing ones. */
function isMissing(e: Dyn, placeholder: Value | undefined): boolean {
  return placeholder === undefined || placeholder === null ? e === null : e === placeholder || (typeof placeholder === "number" && dynNum(e) === placeholder);
}

function fill(name: string, direction: 1 | -1): void {
  defineScalar({
    name,
    nulls: "custom",
    overloads: withOptional(["dynamic", "real"], 1, "dynamic", (a) => {
      if (!isArray(a[0]!)) return null;
      const arr = numericOrNull(a[0] as Dyn[], name).slice();
      let last: Dyn = null;
      const order = direction === 1 ? arr.keys() : [...arr.keys()].reverse();
      for (const i of order) {
        if (isMissing(arr[i]!, a[1])) arr[i] = last === null ? arr[i]! : last;
        else last = arr[i]!;
      }
      // Leading (forward) / trailing (backward) gaps stay as they are.
      return arr;
    }),
  });
}
fill("series_fill_forward", 1);
fill("series_fill_backward", -1);

defineScalar({
  name: "series_fill_const",
  nulls: "custom",
  overloads: withOptional(["dynamic", "real", "real"], 2, "dynamic", (a, _ctx, t) => {
    if (!isArray(a[0]!)) return null;
    // The constant keeps its own type: 0.0 fills as a real, -1 as a long (series-fill-const-function.md).
    const c = a.length > 1 ? (a[1] === null ? null : toDyn(a[1]!, t[1]!)) : 0;
    return numericOrNull(a[0] as Dyn[], "series_fill_const").map((e) => (isMissing(e, a[2]) ? c : e));
  }),
});

// ---------- statistics ----------

/** Statistics of a series (series-stats-dynamic-function.md); null when it holds non-finite values unless ignored. */
export interface SeriesStats {
  min: number; min_idx: number; max: number; max_idx: number; avg: number; stdev: number; variance: number; sum: number; len: number;
}

export function seriesStats(arr: Dyn[], ignoreNonfinite: boolean): SeriesStats | null {
  const xs: number[] = [];
  const idx: number[] = [];
  arr.forEach((e, i) => {
    const n = dynNum(e);
    if (n !== null && Number.isFinite(n)) { xs.push(n); idx.push(i); } else if (!ignoreNonfinite) xs.push(NaN), idx.push(i);
  });
  // Non-finite values without ignore_nonfinite: "returns null" (series-stats-dynamic-function.md).
  if (xs.some(Number.isNaN)) return null;
  // The sample variance of fewer than two values is undefined, and the docs do not say what Kusto answers.
  if (xs.length < 2) throw new KqlError("unsupported", "unsupported: series statistics of fewer than two (finite) values");
  let min = 0, max = 0, sum = 0;
  xs.forEach((x, i) => {
    if (x < xs[min]!) min = i;
    if (x > xs[max]!) max = i;
    sum += x;
  });
  const n = xs.length, avg = sum / n;
  // Welford's recurrence reproduces the documented example's variance and stdev to the last bit.
  let mean = 0, m2 = 0;
  xs.forEach((x, i) => { const d = x - mean; mean += d / (i + 1); m2 += d * (x - mean); });
  const variance = n > 1 ? m2 / (n - 1) : 0;
  return {
    min: xs[min]!, min_idx: idx[min]!, max: xs[max]!, max_idx: idx[max]!, avg, stdev: Math.sqrt(variance), variance, sum,
    len: arr.length,
  };
}

defineScalar({
  name: "series_stats_dynamic",
  nulls: "propagate",
  overloads: withOptional(["dynamic", "bool"], 1, "dynamic", (a) => {
    if (!isArray(a[0]!)) return null;
    const s = seriesStats(a[0] as Dyn[], a[1] === true);
    // The statistics are reals, the positions and length longs: {"min": 2.0, "min_idx": 8, …, "len": 15}
    // (series-stats-dynamic-function.md).
    return s ? {
      min: dynReal(s.min), min_idx: s.min_idx, max: dynReal(s.max), max_idx: s.max_idx, avg: dynReal(s.avg),
      stdev: dynReal(s.stdev), variance: dynReal(s.variance), sum: dynReal(s.sum), len: s.len,
    } : null;
  }),
});
