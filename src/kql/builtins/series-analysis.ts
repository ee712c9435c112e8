// Time-series analysis builtins (series-*-function.md): statistics, linear and polynomial regression, correlation
// measures, linear interpolation, IIR filtering and the seasonal component. series_stats, series_fit_line and
// series_fit_poly return tuples (one column per statistic, named by the binder: see ScalarOverload.tuple).
// Inputs whose result the docs do not define — null or non-numeric elements, empty or constant series, a zero
// first denominator — are refused as unsupported rather than guessed.
import { KqlError } from "../api.js";
import type { Dyn, Value } from "../values.js";
import { defineScalar } from "./registry.js";
import { isArray, toDyn, withOptional } from "./c2-util.js";
import { dynNum, dynReal, isDynReal } from "../values.js";
import { seriesStats } from "./c2-series.js";

function refuse(what: string): never {
  throw new KqlError("unsupported", `unsupported: ${what}`);
}

/** The elements of a series of finite numbers with at least `min` elements; anything else is refused. */
export function numbers(v: Value, fn: string, min = 1): number[] {
  if (!isArray(v)) return refuse(`${fn}() of a value that is not an array`);
  const out = v.map((e) => {
    const n = dynNum(e); // a whole-valued real is a DynScalar
    return n !== null && Number.isFinite(n) ? n : refuse(`${fn}() of a series with null, non-numeric or non-finite elements`);
  });
  if (v.length < min) refuse(`${fn}() of a series with fewer than ${min} elements`);
  return out;
}

/** A computed series as a dynamic array of reals (whole values tagged: `[1.0,2.5]`, not `[1,2.5]`). */
export const realArray = (xs: number[]): Dyn[] => xs.map(dynReal);

// ---------- series_stats ----------

defineScalar({
  name: "series_stats",
  nulls: "propagate",
  overloads: withOptional(["dynamic", "bool"], 1, "dynamic", (a) => {
    const s = isArray(a[0]!) ? seriesStats(a[0] as Dyn[], a[1] === true) : null;
    // Column order of the binder's tuple: min, min_idx, max, max_idx, avg, stdev, variance.
    return s ? [s.min, s.min_idx, s.max, s.max_idx, s.avg, s.stdev, s.variance] : [null, null, null, null, null, null, null];
  }).map((o) => ({ ...o, tuple: true })),
});

// ---------- regression ----------

interface Fit {
  rsquare: number;
  variance: number;
  rvariance: number;
  fit: number[];
}

/**
 * Quality measures of a fitted series (series-fit-line-function.md's documented example: variance and rvariance are
 * sample variances, over n - 1). A constant series has no defined r-square: refused.
 */
function fitMeasures(y: number[], fit: number[], fn: string): Fit {
  const n = y.length;
  let mean = 0;
  for (const v of y) mean += v;
  mean /= n;
  let sst = 0, ssr = 0;
  for (let i = 0; i < n; i++) {
    sst += (y[i]! - mean) ** 2;
    ssr += (y[i]! - fit[i]!) ** 2;
  }
  if (sst === 0) refuse(`${fn}() of a constant series (r-square undefined)`);
  return { rsquare: 1 - ssr / sst, variance: sst / (n - 1), rvariance: ssr / (n - 1), fit };
}

/** Least-squares line over x = 1, 2, …, n (the documented line_fit starts at slope + interception); n ≥ 2. */
export function lineCoefficients(y: number[]): { slope: number; interception: number } {
  const n = y.length;
  const mx = (n + 1) / 2;
  let my = 0;
  for (const e of y) my += e;
  my /= n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = i + 1 - mx;
    sxx += dx * dx;
    sxy += dx * (y[i]! - my);
  }
  const slope = sxy / sxx;
  return { slope, interception: my - slope * mx };
}

function fitLine(v: Value, fn: string): Fit & { slope: number; interception: number } {
  const y = numbers(v, fn, 2);
  const { slope, interception } = lineCoefficients(y);
  const fit = y.map((_, i) => slope * (i + 1) + interception);
  return { ...fitMeasures(y, fit, fn), slope, interception };
}

defineScalar({
  name: "series_fit_line",
  nulls: "custom",
  overloads: [{
    params: ["dynamic"], returns: "dynamic", tuple: true,
    impl: (a) => {
      const f = fitLine(a[0]!, "series_fit_line");
      return [f.rsquare, f.slope, f.variance, f.rvariance, f.interception, realArray(f.fit)];
    },
  }],
});

defineScalar({
  name: "series_fit_line_dynamic",
  nulls: "custom",
  overloads: [{
    params: ["dynamic"], returns: "dynamic",
    impl: (a) => {
      const f = fitLine(a[0]!, "series_fit_line_dynamic");
      return {
        rsquare: dynReal(f.rsquare), slope: dynReal(f.slope), variance: dynReal(f.variance), rvariance: dynReal(f.rvariance),
        interception: dynReal(f.interception), line_fit: realArray(f.fit),
      };
    },
  }],
});

/**
 * Least squares for the overdetermined system A·c ≈ y by Householder QR (A is n × m, n ≥ m, full column rank);
 * undefined when A is rank-deficient.
 */
function leastSquares(A: number[][], y: number[]): number[] | undefined {
  const n = A.length, m = A[0]!.length;
  const R = A.map((r) => r.slice());
  const b = y.slice();
  for (let k = 0; k < m; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += R[i]![k]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return undefined;
    const alpha = R[k]![k]! > 0 ? -norm : norm;
    const v = new Array<number>(n).fill(0);
    for (let i = k; i < n; i++) v[i] = R[i]![k]!;
    v[k]! -= alpha;
    let vv = 0;
    for (let i = k; i < n; i++) vv += v[i]! ** 2;
    if (vv === 0) continue;
    for (let j = k; j < m; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i]! * R[i]![j]!;
      const f = (2 * s) / vv;
      for (let i = k; i < n; i++) R[i]![j]! -= f * v[i]!;
    }
    let s = 0;
    for (let i = k; i < n; i++) s += v[i]! * b[i]!;
    const f = (2 * s) / vv;
    for (let i = k; i < n; i++) b[i]! -= f * v[i]!;
  }
  const c = new Array<number>(m).fill(0);
  for (let k = m - 1; k >= 0; k--) {
    let s = b[k]!;
    for (let j = k + 1; j < m; j++) s -= R[k]![j]! * c[j]!;
    if (Math.abs(R[k]![k]!) < 1e-12 * Math.abs(R[0]![0]!)) return undefined;
    c[k] = s / R[k]![k]!;
  }
  return c;
}

defineScalar({
  name: "series_fit_poly",
  nulls: "custom",
  overloads: withOptional(["dynamic", "dynamic", "integral"], 2, "dynamic", (a) => {
    const fn = "series_fit_poly";
    const y = numbers(a[0]!, fn, 2);
    // x defaults to 1, 2, …, n (series-fit-poly-function.md); degree defaults to 1.
    const x = a.length > 1 ? numbers(a[1]!, fn) : y.map((_, i) => i + 1);
    const degree = a.length > 2 ? a[2] : 1;
    if (x.length !== y.length) refuse(`${fn}() of x and y series of different lengths`);
    if (typeof degree !== "number" || !Number.isInteger(degree) || degree < 1 || degree >= y.length) {
      refuse(`${fn}() degree ${String(degree)} (must be from 1 to the series length - 1)`);
    }
    // Columns x^degree … x^0: the coefficients come out highest power first, as documented.
    const A = x.map((xi) => Array.from({ length: degree + 1 }, (_, j) => xi ** (degree - j)));
    const c = leastSquares(A, y);
    if (!c) return refuse(`${fn}() of an x series with too few distinct values for degree ${degree}`);
    const fit = A.map((row) => row.reduce((s, aij, j) => s + aij * c[j]!, 0));
    const m = fitMeasures(y, fit, fn);
    return [m.rsquare, realArray(c), m.variance, m.rvariance, realArray(m.fit)];
  }).map((o) => ({ ...o, tuple: true })),
});

// ---------- correlation measures ----------

defineScalar({
  name: "series_pearson_correlation",
  nulls: "custom",
  overloads: [{
    params: ["dynamic", "dynamic"], returns: "real",
    impl: (a) => {
      const fn = "series_pearson_correlation";
      const x = a[0]!, y = a[1]!;
      if (!isArray(x) || !isArray(y)) return refuse(`${fn}() of a value that is not an array`);
      // "Any non-numeric element or nonexisting element (arrays of different sizes) yields a null result."
      if (x.length !== y.length || [...x, ...y].some((e) => dynNum(e) === null)) return null;
      const xs = numbers(x, fn, 2), ys = numbers(y, fn, 2);
      const n = xs.length;
      const mx = xs.reduce((s, v) => s + v, 0) / n, my = ys.reduce((s, v) => s + v, 0) / n;
      let sxy = 0, sxx = 0, syy = 0;
      for (let i = 0; i < n; i++) {
        const dx = xs[i]! - mx, dy = ys[i]! - my;
        sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
      }
      if (sxx === 0 || syy === 0) return refuse(`${fn}() of a constant series`);
      return sxy / Math.sqrt(sxx * syy);
    },
  }],
});

/**
 * The numeric pairs of two series truncated to the shorter one (series-dot-product-function.md); null when either
 * is empty. `skipNonNumeric` drops pairs with a non-numeric element ("ignored"); otherwise such a pair is refused.
 */
function pairs(x: Value, y: Value, fn: string, skipNonNumeric: boolean): [number, number][] | null {
  const xa = isArray(x) ? x : null, ya = isArray(y) ? y : null;
  if ((!xa && dynNum(x) === null) || (!ya && dynNum(y) === null)) return refuse(`${fn}() of a value that is not an array`);
  // A numeric scalar is broadcast to the other series' length.
  const n = Math.min(xa?.length ?? Infinity, ya?.length ?? Infinity);
  if (n === 0 || n === Infinity) return null;
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const p = dynNum(xa ? xa[i]! : x), q = dynNum(ya ? ya[i]! : y);
    if (p !== null && q !== null) out.push([p, q]);
    else if (!skipNonNumeric) refuse(`${fn}() of a series with null or non-numeric elements`);
  }
  return out;
}

defineScalar({
  name: "series_dot_product",
  nulls: "custom",
  overloads: [["dynamic", "dynamic"], ["dynamic", "real"], ["real", "dynamic"]].map((params) => ({
    params: params as ("dynamic" | "real")[], returns: "real" as const,
    impl: (a: Value[]) => {
      if (a[0] === null || a[1] === null) return refuse("series_dot_product() of null");
      const ps = pairs(a[0]!, a[1]!, "series_dot_product", true);
      return ps === null ? null : ps.reduce((s, [p, q]) => s + p * q, 0);
    },
  })),
});

defineScalar({
  name: "series_cosine_similarity",
  nulls: "custom",
  overloads: [{
    params: ["dynamic", "dynamic"], returns: "real",
    impl: (a) => {
      const ps = pairs(a[0]!, a[1]!, "series_cosine_similarity", false);
      if (ps === null) return null;
      let dot = 0, xx = 0, yy = 0;
      for (const [p, q] of ps) { dot += p * q; xx += p * p; yy += q * q; }
      if (xx === 0 || yy === 0) return refuse("series_cosine_similarity() of a zero vector");
      return dot / (Math.sqrt(xx) * Math.sqrt(yy));
    },
  }],
});

// ---------- interpolation ----------

defineScalar({
  name: "series_fill_linear",
  nulls: "custom",
  overloads: withOptional(["dynamic", "scalar", "bool", "scalar"], 3, "dynamic", (a, _ctx, types) => {
    const fn = "series_fill_linear";
    if (!isArray(a[0]!)) return refuse(`${fn}() of a value that is not an array`);
    const arr = a[0] as Dyn[];
    const placeholder = a.length > 1 ? a[1] : null;
    const fillEdges = a.length > 2 ? a[2] : true;
    const constant = a.length > 3 ? a[3] : 0;
    if (placeholder !== null && typeof placeholder !== "number") refuse(`${fn}() placeholder of a non-numeric type`);
    if (typeof fillEdges !== "boolean") refuse(`${fn}() fill_edges null`);
    if (constant !== null && typeof constant !== "number") refuse(`${fn}() constant of a non-numeric type`);
    const missing = (e: Dyn): boolean => (placeholder === null ? e === null : dynNum(e) === placeholder);
    const known: number[] = [];
    const ys: number[] = [];
    arr.forEach((e, i) => {
      if (missing(e)) return;
      const n = dynNum(e);
      if (n === null || !Number.isFinite(n)) refuse(`${fn}() of a series with non-numeric elements`);
      known.push(i);
      ys[i] = n;
    });
    // Entirely missing: the constant, 0.0 by default (the doc's `[0.0,0.0,0.0,0.0]`); null keeps the placeholders.
    if (known.length === 0) {
      if (constant === null) return arr.slice();
      const c = a.length > 3 ? toDyn(constant, types[3]!) : dynReal(0);
      return arr.map(() => c);
    }
    // Interpolated values of a series holding a real are reals (the doc's `73.5`, `16.0`); in an all-int/long
    // series Kusto rounds them, in a way its table does not pin down (73.5 → 73 but 74 elsewhere): refused.
    const anyReal = known.some((i) => isDynReal(arr[i]));
    const out = arr.slice();
    for (let k = 0; k <= known.length; k++) {
      const l = known[k - 1], r = known[k];
      const from = l === undefined ? 0 : l + 1, to = r === undefined ? arr.length : r;
      for (let i = from; i < to; i++) {
        if (l !== undefined && r !== undefined) {
          const yl = ys[l]!, yr = ys[r]!;
          const v = yl + ((yr - yl) * (i - l)) / (r - l);
          if (!anyReal && !Number.isInteger(v)) {
            refuse(`${fn}() of a series of whole numbers with fractional interpolated values (int vs real elements)`);
          }
          out[i] = anyReal ? dynReal(v) : v;
        } else if (fillEdges) out[i] = arr[(l ?? r)!]!;
      }
    }
    return out;
  }),
});

// ---------- filters and components ----------

defineScalar({
  name: "series_iir",
  nulls: "custom",
  overloads: [{
    params: ["dynamic", "dynamic", "dynamic"], returns: "dynamic",
    impl: (a) => {
      const fn = "series_iir";
      const x = numbers(a[0]!, fn, 0), b = numbers(a[1]!, fn), den = numbers(a[2]!, fn);
      if (den[0] === 0) return refuse(`${fn}() with a zero first denominator coefficient`);
      // Y[i] = (Σ b[j]·X[i-j] − Σ_{k≥1} a[k]·Y[i-k]) / a[0], terms before the start being 0 (series-iir-function.md).
      const y: number[] = [];
      for (let i = 0; i < x.length; i++) {
        let s = 0;
        for (let j = 0; j < b.length && j <= i; j++) s += b[j]! * x[i - j]!;
        for (let k = 1; k < den.length && k <= i; k++) s -= den[k]! * y[i - k]!;
        y.push(s / den[0]!);
      }
      return realArray(y);
    },
  }],
});

function median(xs: number[]): number {
  const s = xs.slice().sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

defineScalar({
  name: "series_seasonal",
  nulls: "custom",
  overloads: withOptional(["dynamic", "integral"], 1, "dynamic", (a) => {
    const fn = "series_seasonal";
    const period = a.length > 1 ? a[1] : -1;
    // Period detection (-1, the default) uses series_periods_detect's scoring, which the docs do not specify.
    if (period === -1) return refuse(`${fn}() with automatic period detection`);
    if (typeof period !== "number" || !Number.isInteger(period)) return refuse(`${fn}() period ${String(period)}`);
    const y = numbers(a[0]!, fn);
    // "If a different value is set [neither -1 nor a positive period], it ignores seasonality and returns a series
    // of zeros" (series-seasonal-function.md; 0 is "no seasonality" in series-decompose-function.md too).
    if (period < 1) return y.map(() => dynReal(0));
    const phase = phaseMedians(y, period, fn);
    return y.map((_, i) => dynReal(phase[i % period]!));
  }),
});

/**
 * The median of the values in the same phase across periods (series-seasonal-function.md), one per phase; a series
 * shorter than two periods is refused.
 */
export function phaseMedians(y: number[], period: number, fn: string): number[] {
  if (y.length < 2 * period) return refuse(`${fn}() of a series shorter than two periods`);
  const phases = Array.from({ length: period }, () => [] as number[]);
  y.forEach((v, i) => phases[i % period]!.push(v));
  return phases.map(median);
}
