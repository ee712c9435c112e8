// More time-series builtins: series_fir (series-fir-function.md) and series_outliers (series-outliers-function.md).
// Only the input classes whose result is pinned are answered; everything else is refused as unsupported.
// series_fft/ifft and series_fit_2lines(_dynamic) are deliberately not registered (docs/kql-builtins-other.md says
// why), so calls to them stay refused by name.
import { KqlError } from "../api.js";
import type { Value } from "../values.js";
import { defineScalar } from "./registry.js";
import { isArray, withOptional } from "./c2-util.js";
import { dynNum } from "../values.js";
import { numbers, realArray } from "./series-analysis.js";

function refuse(what: string): never {
  throw new KqlError("unsupported", `unsupported: ${what}`);
}

/** A non-empty series of finite numbers; null, non-numeric or non-finite elements are refused. */
function finiteSeries(v: Value, fn: string, what: string): number[] {
  if (!isArray(v)) return refuse(`${fn}() ${what} that is not an array`);
  if (v.length === 0) refuse(`${fn}() of an empty ${what}`);
  return numbers(v, fn, 1); // 2.0 elements are DynScalar reals
}

// ---------- series_fir ----------

/**
 * y[i] = Σ c[j]·x[i + shift − j], c the (normalized) coefficients, shift = (L−1)/2 when centered, else 0. The
 * windows of the first outputs reach before the start (and, centered, those of the last outputs past the end);
 * what Kusto reads there is not documented: zero padding (as in series_iir's documented recursion) and
 * renormalizing over the available samples agree only when those windows see nothing but zeros, so a series is
 * answered only when its first L−1 values (and, centered, its last L−1) are 0.
 */
function fir(x: number[], c: number[], shift: number): number[] {
  const n = x.length, L = c.length;
  if (x.slice(0, L - 1).some((v) => v !== 0)) {
    refuse("series_fir() of a series whose first filter-length − 1 values are not all 0 (its window reaches before the start: edge handling undocumented)");
  }
  if (shift > 0 && x.slice(Math.max(0, n - L + 1)).some((v) => v !== 0)) {
    refuse("series_fir() centered, of a series whose last filter-length − 1 values are not all 0 (its window runs past the end: edge handling undocumented)");
  }
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < L; j++) {
      const k = i + shift - j;
      if (k >= 0 && k < n) s += c[j]! * x[k]!;
    }
    y[i] = s;
  }
  return y;
}

defineScalar({
  name: "series_fir",
  nulls: "custom",
  overloads: withOptional(["dynamic", "dynamic", "bool", "bool"], 2, "dynamic", (a) => {
    const fn = "series_fir";
    const x = finiteSeries(a[0]!, fn, "series");
    const b = finiteSeries(a[1]!, fn, "filter");
    const negative = b.some((v) => v < 0);
    // normalize defaults to true, or to false when a coefficient is negative (documented).
    const normalize = a.length > 2 ? a[2] : !negative;
    const center = a.length > 3 ? a[3] : false;
    if (typeof normalize !== "boolean" || typeof center !== "boolean") return refuse(`${fn}() with a null normalize or center`);
    // "If filter contains negative values, then normalize must be specified as false, otherwise result will be null."
    if (normalize && negative) return null;
    let c = b;
    if (normalize) {
      const sum = b.reduce((s, v) => s + v, 0);
      if (sum === 0) return refuse(`${fn}() normalizing a filter whose coefficients sum to 0`);
      c = b.map((v) => v / sum);
    }
    if (center && b.length % 2 === 0) return refuse(`${fn}() centered, with an even-length filter (half-sample group delay)`);
    return realArray(fir(x, c, center ? (b.length - 1) / 2 : 0));
  }),
});

// ---------- series_outliers ----------

/**
 * The "ctukey" normalization factor for the default 10th/90th percentiles. Kusto scales the distance beyond the
 * inter-percentile range so that scores read like classic Tukey ones (±1.5 = mild anomaly). Neither page gives the
 * formula; this value is measured from Kusto's output for [-3, 2.4, 15, 3.9, 5, 6, 4.5, 5.2, 3, 4, 5, 16, 7, 5, 5, 4]
 * (Stack Overflow question 75264555, answered by the function's author: p10 = 2.7, p90 = 11 by linear
 * interpolation, factor "2.772"), and reproduces all four non-zero scores there to the last bit.
 */
const CTUKEY_10_90 = 2.772605605507915;

/** Percentile by linear interpolation between closest ranks, rank = p·(n − 1) over the sorted values. */
function percentileLinear(sorted: number[], p: number): number {
  const r = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(r), f = r - lo;
  const a = sorted[lo]!, b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + f * (b - a);
}

defineScalar({
  name: "series_outliers",
  nulls: "custom",
  overloads: withOptional(["dynamic", "string", "real", "real", "real"], 4, "dynamic", (a) => {
    const fn = "series_outliers";
    const kind = a.length > 1 ? a[1] : "ctukey";
    if (kind !== "ctukey") return refuse(`${fn}() kind ${JSON.stringify(kind)} (only the default "ctukey" is pinned by a known output)`);
    const ignore = a.length > 2 ? a[2] : null;
    const pmin = a.length > 3 ? a[3] : 10, pmax = a.length > 4 ? a[4] : 90;
    // The score's scaling for other percentiles is not documented.
    if (pmin !== 10 || pmax !== 90) return refuse(`${fn}() with percentiles other than 10 and 90`);
    if (!isArray(a[0]!)) return refuse(`${fn}() of a value that is not an array`);
    // Missing values score 0, but whether they count in the percentiles is not documented: refused.
    if (ignore !== null && a[0].some((e) => dynNum(e) === ignore)) return refuse(`${fn}() of a series holding its ignore value`);
    const x = finiteSeries(a[0], fn, "series");
    const sorted = x.slice().sort((p, q) => p - q);
    const lo = percentileLinear(sorted, 10), hi = percentileLinear(sorted, 90);
    if (hi === lo) return refuse(`${fn}() of a series whose 10th and 90th percentiles are equal (zero range)`);
    const range = hi - lo;
    return realArray(x.map((v) => (v < lo ? ((v - lo) / range) * CTUKEY_10_90 : v > hi ? ((v - hi) / range) * CTUKEY_10_90 : 0)));
  }),
});
