// Series decomposition (series-decompose-function.md) and the period functions (series-periods-*-function.md).
// What the docs pin down is implemented exactly; the rest is refused as unsupported:
// - series_decompose with an explicit period (n > 0) or none (0), trend avg / linefit / none and test points.
//   Automatic period detection (-1, the default) is refused: it relies on series_periods_detect's score, which is
//   not documented and whose documented figure (0.84 for period 14) no documented method reproduces.
// - series_periods_validate: only periods outside [4, length / 2], whose score the docs fix at 0.
// - series_periods_detect: only a search range that admits no detectable period (every slot 0).
// - series_decompose_anomalies: that decomposition (without test points) scored by series_outliers() of the
//   residual, as documented; whatever series_outliers refuses is refused here too.
// series_decompose_forecast is not registered: Kusto.Language types it as series_decompose's four-column tuple
// while Kusto returns one array, so its output schema would be wrong.
import { KqlError } from "../api.js";
import type { Value } from "../values.js";
import { defineScalar, invokeScalar, resolveScalar, type EvalContext } from "./registry.js";
import { withOptional } from "./c2-util.js";
import { lineCoefficients, numbers, phaseMedians, realArray } from "./series-analysis.js";
import { dynNum } from "../values.js";

function refuse(what: string): never {
  throw new KqlError("unsupported", `unsupported: ${what}`);
}

export interface Decomposition {
  baseline: number[];
  seasonal: number[];
  trend: number[];
  residual: number[];
}

const TRENDS = ["avg", "linefit", "none"] as const;
type Trend = (typeof TRENDS)[number];

/** A whole number argument, refused when null, fractional or below `min`. */
function wholeArg(v: Value, what: string, fn: string, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) return refuse(`${fn}() ${what} ${String(v)}`);
  return v;
}

/**
 * The documented decomposition, in its documented order: the seasonal component (median of the learning points in
 * the same phase), the trend of the deseasonalised learning points (their average, or their least-squares line
 * extended over the test points), baseline = seasonal + trend, residual = x − baseline. The last `testPoints`
 * points are excluded from the learning.
 */
export function decompose(y: number[], period: number, trend: Trend, testPoints: number, fn: string): Decomposition {
  const n = y.length;
  const m = n - testPoints;
  if (m < (trend === "linefit" ? 2 : 1)) refuse(`${fn}() with fewer learning points than the ${trend} trend needs`);
  const learn = y.slice(0, m);
  let seasonal: number[];
  if (period === 0) seasonal = y.map(() => 0);
  else {
    if (m < 2 * period) refuse(`${fn}() with fewer learning points than two periods`);
    const phase = phaseMedians(learn, period, fn);
    seasonal = y.map((_, i) => phase[i % period]!);
  }
  const deseasonal = learn.map((v, i) => v - seasonal[i]!);
  let trendLine: number[];
  if (trend === "none") trendLine = y.map(() => 0);
  else if (trend === "avg") {
    const avg = deseasonal.reduce((s, v) => s + v, 0) / m;
    trendLine = y.map(() => avg);
  } else {
    const { slope, interception } = lineCoefficients(deseasonal);
    trendLine = y.map((_, i) => slope * (i + 1) + interception);
  }
  const baseline = y.map((_, i) => seasonal[i]! + trendLine[i]!);
  return { baseline, seasonal, trend: trendLine, residual: y.map((v, i) => v - baseline[i]!) };
}

/** series_decompose's optional arguments (after the series), checked; automatic period detection is refused. */
function decomposeArgs(a: Value[], fn: string): { period: number; trend: Trend; testPoints: number } {
  const period = a.length > 0 ? a[0] : -1;
  if (period === -1) {
    refuse(`${fn}() with automatic period detection (seasonality -1, the default): series_periods_detect's score is not documented`);
  }
  const trend = a.length > 1 ? a[1] : "avg";
  if (!TRENDS.includes(trend as Trend)) refuse(`${fn}() trend '${String(trend)}' (only avg, linefit, none are documented)`);
  // seasonality_threshold (a[3]) only matters for automatic detection, refused above.
  return {
    period: wholeArg(period, "seasonality", fn, 0),
    trend: trend as Trend,
    testPoints: wholeArg(a.length > 2 ? a[2] : 0, "test_points", fn, 0),
  };
}

defineScalar({
  name: "series_decompose",
  nulls: "custom",
  overloads: withOptional(["dynamic", "integral", "string", "integral", "real"], 4, "dynamic", (a) => {
    const fn = "series_decompose";
    const y = numbers(a[0]!, fn);
    const { period, trend, testPoints } = decomposeArgs(a.slice(1), fn);
    if (testPoints >= y.length) refuse(`${fn}() test_points ${testPoints} not below the series length`);
    const d = decompose(y, period, trend, testPoints, fn);
    // Column order of the binder's tuple: baseline, seasonal, trend, residual.
    return [realArray(d.baseline), realArray(d.seasonal), realArray(d.trend), realArray(d.residual)];
  }).map((o) => ({ ...o, tuple: true })),
});

// ---------- anomalies ----------

/**
 * ad_score: series_outliers() of the residual with the chosen method (series-decompose-anomalies-function.md, "The
 * algorithm"), through the registry so the scoring lives in one place; refused while that function is not there.
 */
function outlierScores(residual: number[], method: string, ctx: EvalContext, fn: string): number[] {
  const call = resolveScalar("series_outliers", ["dynamic", "string"]);
  if (!call) return refuse(`${fn}() anomaly score (series_outliers is not implemented)`);
  try {
    const out = invokeScalar(call, [residual, method], ctx, ["dynamic", "string"]);
    const scores = Array.isArray(out) ? out.map(dynNum) : [null]; // reals, whole ones as DynScalar
    if (scores.some((v) => v === null)) return refuse(`${fn}() anomaly score of this residual`);
    return scores as number[];
  } catch (e) {
    if (e instanceof KqlError && e.kind === "unsupported") refuse(`${fn}() anomaly score: ${e.message.replace(/^unsupported: /, "")}`);
    throw e;
  }
}

const flagOf = (s: number, k: number): number => (s > k ? 1 : s < -k ? -1 : 0);

/**
 * Rounding guard. Kusto evaluates the same formulas in its own order of operations; where the residual is at
 * rounding level (a series the model fits exactly, such as a pure line under linefit) or a score sits next to the
 * threshold, the answer is decided by rounding and would differ from Kusto's. The scores are invariant under a
 * constant shift of the series, so the series shifted by an irrational fraction of its magnitude must give the same
 * flags and the same scores to 1e-7 (relative; ordinary data differs by ~1e-15); otherwise it is refused.
 */
function checkRoundingStable(y: number[], scores: number[], recompute: (shifted: number[]) => number[], k: number, fn: string): void {
  const magnitude = y.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const shift = 0.6180339887498949 * (1 + magnitude);
  const again = recompute(y.map((v) => v + shift));
  scores.forEach((s, i) => {
    const t = again[i]!;
    if (flagOf(s, k) !== flagOf(t, k) || Math.abs(s - t) > 1e-7 * Math.max(1, Math.abs(s))) {
      refuse(`${fn}() of a series whose anomaly scores depend on floating-point rounding (residual at rounding level, or a score next to the threshold)`);
    }
  });
}

defineScalar({
  name: "series_decompose_anomalies",
  nulls: "custom",
  overloads: withOptional(["dynamic", "real", "integral", "string", "integral", "string", "real"], 6, "dynamic", (a, ctx) => {
    const fn = "series_decompose_anomalies";
    const y = numbers(a[0]!, fn);
    const k = a.length > 1 ? a[1] : 1.5;
    if (typeof k !== "number" || !Number.isFinite(k) || k <= 0) return refuse(`${fn}() threshold ${String(k)}`);
    const { period, trend, testPoints } = decomposeArgs(a.slice(2, 5), fn);
    // Whether test points take part in the residual's percentiles is not documented.
    if (testPoints > 0) refuse(`${fn}() with test points`);
    const method = a.length > 5 ? a[5] : "ctukey";
    if (method !== "ctukey" && method !== "tukey") return refuse(`${fn}() AD_method '${String(method)}' (only ctukey, tukey are documented)`);
    const residualScores = (x: number[]) => outlierScores(decompose(x, period, trend, 0, fn).residual, method, ctx, fn);
    const d = decompose(y, period, trend, 0, fn);
    const scores = outlierScores(d.residual, method, ctx, fn);
    // +1 / -1 beyond ±threshold; a score exactly on the threshold is on an undocumented boundary.
    if (scores.some((s) => Math.abs(s) === k)) refuse(`${fn}() with an anomaly score equal to the threshold`);
    checkRoundingStable(y, scores, residualScores, k, fn);
    const flags = scores.map((s) => flagOf(s, k));
    // Column order of the binder's tuple: ad_flag, ad_score, baseline.
    return [flags, realArray(scores), realArray(d.baseline)];
  }).map((o) => ({ ...o, tuple: true })),
});

// ---------- periods ----------

/** Documented bounds of a detectable period: at least 4 points and at most half of the series (inclusive). */
function periodBounds(length: number): [number, number] {
  return [4, length / 2];
}

function finiteArg(v: Value, what: string, fn: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) return refuse(`${fn}() ${what} ${String(v)}`);
  return v;
}

defineScalar({
  name: "series_periods_validate",
  nulls: "custom",
  overloads: [{
    params: ["dynamic", "real"], variadic: true, returns: "dynamic", tuple: true,
    impl: (a) => {
      const fn = "series_periods_validate";
      const y = numbers(a[0]!, fn);
      const periods = a.slice(1).map((p) => finiteArg(p, "period", fn));
      if (periods.length > 16) refuse(`${fn}() with more than 16 periods`);
      const [lo, hi] = periodBounds(y.length);
      // "For a period argument outside these bounds, the output score will be 0"; inside them the score comes
      // from an undocumented algorithm.
      if (periods.some((p) => p >= lo && p <= hi)) refuse(`${fn}() score of a period within [4, series length / 2] (undocumented scoring)`);
      return [realArray(periods), realArray(periods.map(() => 0))];
    },
  }],
});

defineScalar({
  name: "series_periods_detect",
  nulls: "custom",
  overloads: [{
    params: ["dynamic", "real", "real", "long"], returns: "dynamic", tuple: true,
    impl: (a) => {
      const fn = "series_periods_detect";
      const y = numbers(a[0]!, fn);
      const min = finiteArg(a[1]!, "min_period", fn), max = finiteArg(a[2]!, "max_period", fn);
      const count = wholeArg(a[3]!, "num_periods", fn, 1);
      if (min < 0 || min > max) refuse(`${fn}() period range [${min}, ${max}]`);
      const [lo, hi] = periodBounds(y.length);
      // The output arrays have num_periods slots; slots without a detected period hold 0 (the documented example's
      // [14.0, 0.0] / [0.84, 0.0]). Only a range that admits no detectable period is therefore determined.
      if (Math.max(min, lo) <= Math.min(max, hi)) refuse(`${fn}() over a range that admits a period (undocumented scoring)`);
      const zeros = (): number[] => Array.from({ length: count }, () => 0);
      return [realArray(zeros()), realArray(zeros())]; // the doc's [14.0, 0.0]: reals
    },
  }],
});
