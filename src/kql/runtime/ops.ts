// Scalar operator semantics of the local engine: arithmetic by operand type, comparisons with Kusto's null rules,
// ordering for sort/top/min/max, and dynamic indexing. Pure functions; the compiler picks one per call site at
// compile time from the binder's types, so nothing here inspects types per row unless the operand is dynamic.
import { KqlError } from "../api.js";
import type { Dyn, KqlType, Value } from "../values.js";
import { DynScalar, dynNum, dynReal, dynToJsonText, hasWholeReal, isDynReal, isWholeReal } from "../values.js";
import { MAX_EXACT, isExactLong } from "../int64.js";
import { MAX_TICKS, MIN_TICKS } from "../builtins/c2-util.js";

export class RuntimeError extends Error {}

export const isNumericType = (t: KqlType): boolean => t === "int" || t === "long" || t === "real" || t === "decimal";
export const isIntegralType = (t: KqlType): boolean => t === "int" || t === "long";
export const isTicksType = (t: KqlType): boolean => t === "datetime" || t === "timespan";

type Bin = (a: Value, b: Value) => Value;

/**
 * Arithmetic for + - * / % given operand and result types (from the binder); undefined = not supported.
 * `refuse` raises the `unsupported` error (the compiler passes one naming the expression's line:col) for integer
 * results the engine cannot give exactly (int64.ts) and for integer division or modulo by zero.
 */
export function arithmetic(op: string, lt: KqlType, rt: KqlType, result: KqlType, refuse: Refuse = refuseHere): Bin | undefined {
  // decimal is 128-bit decimal in Kusto (0.1 + 0.2 == 0.3); the value model holds it as a double, so arithmetic
  // producing a decimal is not supported (the compiler reports it) rather than rounded in binary.
  if (result === "decimal") return undefined;
  // Numbers (int/long/real); dynamic operands convert at run time.
  if ((isNumericType(lt) || lt === "dynamic") && (isNumericType(rt) || rt === "dynamic") && (isNumericType(result) || result === "dynamic")) {
    const integral = isIntegralType(result) || (result === "dynamic" && isIntegralType(lt) && isIntegralType(rt));
    const num = lt === "dynamic" || rt === "dynamic";
    const f = numberOp(op, integral, refuse);
    if (!f) return undefined;
    if (!num) return (a, b) => (a === null || b === null ? null : f(a as number, b as number));
    // A dynamic result of two dynamic integers is an integer too: refuse it where a double is no longer exact.
    const g = integral || result !== "dynamic" ? f : (x: number, y: number) => {
      const r = f(x, y);
      return r !== null && !isExactLong(r) && Number.isInteger(x) && Number.isInteger(y) ? refuse(LONG_RESULT) : r;
    };
    if (result !== "dynamic") {
      // The binder types `dynamic(7.5) / 2` as long; what Kusto does with a real held in the dynamic operand there
      // (real arithmetic in a long column? truncation?) is not documented, so only integers take the long path.
      return integral ? (a, b) => {
        const x = dynNumber(a), y = dynNumber(b);
        if (x === null || y === null) return null;
        return Number.isInteger(x) && Number.isInteger(y) && !isDynReal(a) && !isDynReal(b) ? g(x, y) : refuse(DYN_REAL_LONG);
      } : (a, b) => {
        const x = dynNumber(a), y = dynNumber(b);
        return x === null || y === null ? null : g(x, y);
      };
    }
    // A dynamic result with a real operand is a real: tagged when whole (1.5 + 1.5 is 3.0, not the long 3).
    const realOperand = lt === "real" || rt === "real";
    return (a, b) => {
      const x = dynNumber(a), y = dynNumber(b);
      if (x === null || y === null) return null;
      const r = g(x, y);
      return r !== null && (realOperand || isDynReal(a) || isDynReal(b)) ? dynReal(r as number) : r;
    };
  }
  // Tick results stay within Kusto's ranges — datetime 0001-01-01 .. 9999-12-31T23:59:59.9999999, timespan a
  // 64-bit tick count — or are refused: what + − * give beyond them (null, error) is not documented.
  const within = result === "datetime" ? (t: bigint) => (t < MIN_TICKS || t > MAX_TICKS ? refuse(DATETIME_RANGE) : t)
    : result === "timespan" ? (t: bigint) => (t < MIN_INT64 || t > MAX_INT64 ? refuse(TIMESPAN_RANGE) : t)
    : (t: bigint) => t;
  const ticksOp = (g: (x: bigint, y: bigint) => bigint): Bin => (a, b) => (a === null || b === null ? null : within(g(a as bigint, b as bigint)));
  if (op === "+") {
    if ((lt === "datetime" && rt === "timespan") || (lt === "timespan" && rt === "datetime") || (lt === "timespan" && rt === "timespan")) {
      return ticksOp((x, y) => x + y);
    }
  }
  if (op === "-") {
    if ((lt === "datetime" && (rt === "datetime" || rt === "timespan")) || (lt === "timespan" && rt === "timespan")) {
      return ticksOp((x, y) => x - y);
    }
  }
  if (op === "*") {
    if (lt === "timespan" && isNumericType(rt)) return (a, b) => (a === null || b === null ? null : within(scaleTicks(a as bigint, b as number, false, refuse)));
    if (isNumericType(lt) && rt === "timespan") return (a, b) => (a === null || b === null ? null : within(scaleTicks(b as bigint, a as number, false, refuse)));
  }
  if (op === "/") {
    if (lt === "timespan" && rt === "timespan") {
      return (a, b) => (a === null || b === null ? null : Number(a as bigint) / Number(b as bigint));
    }
    if (lt === "timespan" && isNumericType(rt)) {
      return (a, b) => (a === null || b === null ? null : scaleTicks(a as bigint, b as number, true, refuse));
    }
  }
  if (op === "%" && lt === "timespan" && rt === "timespan") {
    return (a, b) => (a === null || b === null || b === 0n ? null : nonNegativeOnly((a as bigint) % (b as bigint), 0n, "timespan"));
  }
  return undefined;
}

function nonNegativeOnly<T extends number | bigint>(r: T, zero: T, type: string): T {
  if (r < zero) throw new KqlError("unsupported", `unsupported: ${type} modulo with a negative remainder (Kusto documents a non-negative result for integers only)`);
  return r;
}

/**
 * timespan × number and timespan / number. Exact when the result is a whole number of ticks; a result between
 * two ticks (1h / 7), where Kusto's rounding or truncation is not documented, and division by zero (null or an
 * error, also undocumented) are refused.
 */
function scaleTicks(t: bigint, k: number, divide: boolean, refuse: Refuse): bigint {
  if (!divide && Number.isInteger(k)) return t * BigInt(k);
  if (divide && Number.isInteger(k) && k !== 0 && t % BigInt(k) === 0n) return t / BigInt(k);
  const r = divide ? Number(t) / k : Number(t) * k;
  if (!Number.isInteger(r)) {
    refuse(`timespan ${divide ? "divided" : "multiplied"} by ${k} ${Number.isFinite(r) ? "falls between two 100 ns ticks (rounding undocumented)" : "(undocumented result)"}`);
  }
  return BigInt(r);
}

type Refuse = (what: string) => never;
const refuseHere: Refuse = (what) => { throw new KqlError("unsupported", `unsupported: ${what}`); };
const LONG_RESULT = "long arithmetic result beyond the engine's exact range (±2^53)";
const DYN_REAL_LONG = "long arithmetic on a dynamic operand holding a real (Kusto's result is not documented)";
const MAX = MAX_EXACT;

// Integer + - * are exact while the result stays within ±(2^53 − 1): a true result beyond it rounds to a double
// beyond it too (rounding is monotonic and 2^53 is a double), so one range check on the double suffices.
function numberOp(op: string, integral: boolean, refuse: Refuse): ((a: number, b: number) => number | null) | undefined {
  switch (op) {
    case "+": return integral ? (a, b) => { const r = a + b; return r <= MAX && r >= -MAX ? r : refuse(LONG_RESULT); } : (a, b) => a + b;
    case "-": return integral ? (a, b) => { const r = a - b; return r <= MAX && r >= -MAX ? r : refuse(LONG_RESULT); } : (a, b) => a - b;
    // `+ 0` turns the double −0 (−1 * 0, −1 / 2) into 0: a long has no −0, and 1.0 / long(0) is +Infinity.
    case "*": return integral ? (a, b) => { const r = a * b; return r <= MAX && r >= -MAX ? r + 0 : refuse(LONG_RESULT); } : (a, b) => a * b;
    // Integer division truncates toward zero (|quotient| <= |dividend|, and truncating the rounded double quotient
    // of two exact integers gives the exact one). What Kusto returns for an integer divided by zero (error or null)
    // is not documented: refused.
    case "/": return integral
      ? (a, b) => (b === 0 ? refuse(DIV_ZERO) : Math.trunc(a / b) + 0)
      : (a, b) => a / b;
    // numerical-operators.md: "The modulo of two numbers always returns in Kusto a 'small non-negative number'",
    // 0 ≤ N % D < abs(D) (-14 % 12 = 10, 14 % -12 = 2, -14 % -12 = 10). Its examples are integers; a negative
    // real (or timespan) remainder, where the rule is not shown, is refused.
    case "%": return integral
      ? (a, b) => { if (b === 0) return refuse(MOD_ZERO); const r = a % b; return r < 0 ? r + Math.abs(b) : r === 0 ? 0 : r; }
      : (a, b) => nonNegativeOnly(a % b, 0, "real");
    default: return undefined;
  }
}

const DATETIME_RANGE = "datetime arithmetic result outside Kusto's datetime range (0001-01-01 .. 9999-12-31)";
const TIMESPAN_RANGE = "timespan arithmetic result beyond a 64-bit tick count";
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);
const DIV_ZERO = "integer division by zero (Kusto's result is not documented)";
const MOD_ZERO = "integer modulo by zero (Kusto's result is not documented)";

/** A dynamic value as a number for arithmetic/comparison (numbers only; numeric strings are not converted). */
export function dynNumber(v: Value): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return dynNum(v); // a whole-valued real (DynScalar)
}

// ---------- equality and ordering ----------

/** Deep equality of two non-null values of the same kind (dynamic compares structurally). */
export function valueEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b) ? false : a === b;
  // A whole-valued real held in a dynamic value equals the same number (2.0 == 2), as typed reals and longs do.
  if (isWholeReal(a) || isWholeReal(b)) { const x = dynNum(a), y = dynNum(b); return x !== null && x === y; }
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) return containersEqual(a as Dyn, b as Dyn);
  if (typeof a === "bigint" && typeof b === "number") return Number(a) === b;
  if (typeof a === "number" && typeof b === "bigint") return a === Number(b);
  return false;
}

/**
 * Arrays/bags compare by their JSON text. Whether [1] equals [1.0] (a long and a real member of the same value) is
 * not documented: equal as numbers but not as text is refused.
 */
function containersEqual(a: Dyn, b: Dyn): boolean {
  const eq = JSON.stringify(a) === JSON.stringify(b); // whole reals as plain numbers
  if (eq && (hasWholeReal(a) || hasWholeReal(b)) && dynToJsonText(a, true) !== dynToJsonText(b, true)) {
    throw new KqlError("unsupported", "unsupported: equality of dynamic values differing only in long vs real members ([1] vs [1.0])");
  }
  return eq;
}

/** `==` with Kusto's null rule: null == null → null, null == x → false. */
export function eqOp(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return a === null && b === null ? null : false;
  return valueEquals(a, b);
}

export function neOp(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return a === null && b === null ? null : true;
  return !valueEquals(a, b);
}

/** Total order used by comparisons on non-null values of comparable kinds; NaN for incomparable. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (typeof a === "bigint" && typeof b === "number") return compareValues(Number(a), b);
  if (typeof a === "number" && typeof b === "bigint") return compareValues(a, Number(b));
  // Typed members of dynamic values (d1.t < d2.t) order as their type; a whole-valued real as a number.
  if (isWholeReal(a) || isWholeReal(b)) { const x = dynNum(a), y = dynNum(b); return x === null || y === null ? NaN : compareValues(x, y); }
  if (a instanceof DynScalar && b instanceof DynScalar) return a.type === b.type ? compareValues(a.value, b.value) : NaN;
  return NaN;
}

/** `<`, `<=`, `>`, `>=`: null when either side is null or the values are not comparable. */
export function relOp(op: string): Bin {
  switch (op) {
    case "<": return (a, b) => { if (a === null || b === null) return null; const c = compareValues(a, b); return Number.isNaN(c) ? null : c < 0; };
    case "<=": return (a, b) => { if (a === null || b === null) return null; const c = compareValues(a, b); return Number.isNaN(c) ? null : c <= 0; };
    case ">": return (a, b) => { if (a === null || b === null) return null; const c = compareValues(a, b); return Number.isNaN(c) ? null : c > 0; };
    default: return (a, b) => { if (a === null || b === null) return null; const c = compareValues(a, b); return Number.isNaN(c) ? null : c >= 0; };
  }
}

/**
 * Ordering for sort/top: `nullsFirst` places nulls (and NaN) before every value. Strings compare ordinally, as
 * Kusto's sort does by default. Dynamic values order by kind then value.
 */
export function sortComparator(desc: boolean, nullsFirst: boolean): (a: Value, b: Value) => number {
  const dir = desc ? -1 : 1;
  // Null sits at the nulls end and NaN right next to it (sort-operator.md's special-real examples).
  const special = (v: Value) => (v === null ? 2 : typeof v === "number" && Number.isNaN(v) ? 1 : 0);
  return (a, b) => {
    const sa = special(a), sb = special(b);
    if (sa || sb) {
      if (sa === sb) return 0;
      return (sa - sb) * (nullsFirst ? -1 : 1);
    }
    let c = compareValues(a, b);
    if (Number.isNaN(c)) c = kindRank(a) - kindRank(b) || (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0);
    return c * dir;
  };
}

function kindRank(v: Value): number {
  switch (typeof v) {
    case "boolean": return 1;
    case "number": case "bigint": return 2;
    case "string": return 3;
    default: return Array.isArray(v) ? 4 : isWholeReal(v) ? 2 : 5;
  }
}

// ---------- dynamic ----------

/** `d.key` / `d['key']`: property of a bag (exact name), else null. */
export function dynMember(v: Value, key: string): Dyn {
  if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof DynScalar) return null;
  const r = (v as Record<string, Dyn>)[key];
  // Own members only: d.constructor / d.toString must not reach Object.prototype.
  return r === undefined || !Object.prototype.hasOwnProperty.call(v, key) ? null : r;
}

/** `d[i]`: array element, negative indexes count from the end; out of range → null. */
export function dynIndex(v: Value, i: number): Dyn {
  if (!Array.isArray(v)) return null;
  const k = i < 0 ? v.length + i : i;
  const r = v[k];
  return r === undefined ? null : r;
}

/** A key used to group/deduplicate values (distinct, summarize by, join keys, dcount). */
export function keyOf(v: Value): string | number | boolean | bigint | null {
  if (v === null || typeof v !== "object") return v as string | number | boolean | bigint | null;
  return "\u0002" + JSON.stringify(v);
}

/** Composite key of several values, unambiguous across types. */
export function compositeKey(vals: Value[]): string {
  let s = "";
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    switch (typeof v) {
      case "string": s += "s" + v.length + ":" + v; break;
      case "number": s += "n" + v + ";"; break;
      case "bigint": s += "t" + v + ";"; break;
      case "boolean": s += v ? "T;" : "F;"; break;
      default: s += v === null ? "N;" : "j" + JSON.stringify(v) + "\u0001";
    }
  }
  return s;
}
