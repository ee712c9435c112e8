// The one registry of builtin scalar and aggregate functions. Each function is declared once with its typed
// overloads and its null rule; the compiler resolves a call by name and by the argument types Kusto.Language's
// binder computed, and applies the null rule and argument coercions here — never per function.
import type { KqlType, Value } from "../values.js";
import { dynNum, nullOf, valueToString } from "../values.js";
import { KqlError } from "../api.js";

export interface EvalContext {
  /** Pinned `now()` in ticks; `ago(x)` is `now - x`. Constant for a whole query, as in Kusto. */
  now: bigint;
  /** Seeded random source for rand(). */
  random: () => number;
}

/** A parameter accepts one KQL type, a family, or anything. */
export type ParamType = KqlType | "numeric" | "integral" | "any" | "scalar";

export interface ScalarOverload {
  params: ParamType[];
  /** When true the last param may repeat (min arity = params.length - 1 + (minRepeat ?? 1)). */
  variadic?: boolean;
  /** Result type, or computed from the argument types. */
  returns: KqlType | ((argTypes: KqlType[]) => KqlType);
  impl: (args: Value[], ctx: EvalContext, argTypes: KqlType[]) => Value;
  /**
   * Optional, for hot calls: when every argument after the first is a constant, returns a function of the first
   * argument alone with the same results as impl (constants coerced; the caller applies the null rule to the
   * first argument and never specialises when a constant is null). Saves the per-row argument array.
   */
  specialize?: (constants: Value[], argTypes: KqlType[]) => ((v: Value) => Value) | undefined;
  /**
   * Tuple-valued functions (series_fit_line, array_sort_asc over several arrays…): the binder gives the call a
   * tuple type whose columns it names; impl returns one value per tuple column, in column order, as an array.
   * The compiler only accepts such calls where a tuple may stand (extend, project, print) — see invokeTuple.
   */
  tuple?: boolean;
}

export interface ScalarFunction {
  name: string;
  aliases?: string[];
  /**
   * "propagate": if any non-string argument is null the result is the null of the return type and impl is not
   * called (the common Kusto rule). "custom": impl receives nulls and decides (iff, coalesce, isnull, strcat…).
   */
  nulls: "propagate" | "custom";
  overloads: ScalarOverload[];
  /** Non-deterministic functions (rand, new_guid) must not be constant-folded. */
  volatile?: boolean;
}

export interface Accumulator {
  add(args: Value[]): void;
  result(): Value;
  /** Multi-column aggregates (AggregateFunction.outputs): one value per output column, in column order. */
  results?(): Value[];
}

/** Aggregate state of every group of one run (AggregateFunction.grouped); groups are numbered 0, 1, … */
export interface GroupedAccumulator {
  /** Makes the state of the next group. */
  addGroup(): void;
  /** One row's arguments for group g; `args` is reused by the caller and must not be kept. */
  add(g: number, args: Value[]): void;
  result(g: number): Value;
}

export interface AggregateFunction {
  name: string;
  aliases?: string[];
  /** Result type from argument types (the binder's type wins when they differ only in width). */
  returns: KqlType | ((argTypes: KqlType[]) => KqlType);
  create(argTypes: KqlType[], ctx: EvalContext): Accumulator;
  /**
   * Optional, for speed: called once per summarize run, returns the constructor of that run's per-group
   * accumulators, which may share state (e.g. one value interner for every group). Same results as create().
   */
  groups?(argTypes: KqlType[], ctx: EvalContext): () => Accumulator;
  /**
   * Optional, for speed: the state of all groups of one summarize run, addressed by group index, so summarize
   * feeds it without a per-group object or a per-row argument array. Same results as create().
   */
  grouped?(argTypes: KqlType[], ctx: EvalContext): GroupedAccumulator;
  /**
   * Number of output columns when the aggregate yields several (arg_max/arg_min: 1 + returned expressions,
   * take_any with several arguments, percentiles/percentilesw: one per percentile). Absent = one column; when
   * present, the accumulator's results() returns one value per output column, in column order.
   */
  outputs?: (argTypes: KqlType[]) => number;
}

const scalars = new Map<string, ScalarFunction>();
const aggregates = new Map<string, AggregateFunction>();

export function defineScalar(fn: ScalarFunction): void {
  for (const n of [fn.name, ...(fn.aliases ?? [])]) {
    if (scalars.has(n)) throw new Error(`builtin ${n} declared twice`);
    scalars.set(n, fn);
  }
}

export function defineAggregate(fn: AggregateFunction): void {
  for (const n of [fn.name, ...(fn.aliases ?? [])]) {
    if (aggregates.has(n)) throw new Error(`aggregate ${n} declared twice`);
    aggregates.set(n, fn);
  }
}

export function getScalar(name: string): ScalarFunction | undefined {
  return scalars.get(name);
}

export function getAggregate(name: string): AggregateFunction | undefined {
  return aggregates.get(name);
}

export function allScalarNames(): string[] {
  return [...scalars.keys()].sort();
}

export function allAggregateNames(): string[] {
  return [...aggregates.keys()].sort();
}

const NUMERIC: ReadonlySet<KqlType> = new Set(["int", "long", "real", "decimal"]);
const INTEGRAL: ReadonlySet<KqlType> = new Set(["int", "long"]);

/** Whether an argument of type `t` can be passed to a parameter `p` (dynamic converts at run time, as in Kusto). */
export function accepts(p: ParamType, t: KqlType): boolean {
  if (p === "any" || p === "scalar" || p === t) return true;
  if (t === "dynamic") return p !== "dynamic" ? true : true;
  if (p === "numeric") return NUMERIC.has(t);
  if (p === "integral") return INTEGRAL.has(t);
  if (p === "long") return INTEGRAL.has(t);
  if (p === "real" || p === "decimal") return NUMERIC.has(t);
  return false;
}

export interface ResolvedCall {
  fn: ScalarFunction;
  overload: ScalarOverload;
  returns: KqlType;
  /** Per-argument converters (e.g. dynamic → string) decided once at compile time. */
  coerce: (((v: Value) => Value) | undefined)[];
}

/** Picks the first overload that accepts the argument types; undefined when none does. */
export function resolveScalar(name: string, argTypes: KqlType[]): ResolvedCall | undefined {
  const fn = scalars.get(name);
  if (!fn) return undefined;
  for (const ov of fn.overloads) {
    const n = argTypes.length;
    const fixed = ov.variadic ? ov.params.length - 1 : ov.params.length;
    if (ov.variadic ? n < fixed : n !== fixed) {
      // Trailing optional parameters are modelled as separate overloads.
      continue;
    }
    let ok = true;
    const coerce: ResolvedCall["coerce"] = [];
    for (let i = 0; i < n && ok; i++) {
      const p = i < ov.params.length ? ov.params[i]! : ov.params[ov.params.length - 1]!;
      const t = argTypes[i]!;
      if (!accepts(p, t)) ok = false;
      else coerce.push(converter(p, t));
    }
    if (!ok) continue;
    const returns = typeof ov.returns === "function" ? ov.returns(argTypes) : ov.returns;
    return { fn, overload: ov, returns, coerce };
  }
  return undefined;
}

/** Implicit conversion of an argument of type t for a parameter p; undefined = pass through. */
function converter(p: ParamType, t: KqlType): ((v: Value) => Value) | undefined {
  if (t === "dynamic" && p === "string") return (v) => valueToString(v, "dynamic");
  if (t === "dynamic" && (p === "long" || p === "int" || p === "real" || p === "numeric" || p === "integral")) {
    return (v) => (typeof v === "string" ? (v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : null) : dynNum(v));
  }
  if (t === "dynamic" && p === "bool") return (v) => (typeof v === "boolean" ? v : null);
  return undefined;
}

/** Calls a resolved scalar with the registry's null rule applied. */
export function invokeScalar(call: ResolvedCall, args: Value[], ctx: EvalContext, argTypes: KqlType[]): Value {
  for (let i = 0; i < args.length; i++) {
    const c = call.coerce[i];
    if (c) args[i] = c(args[i]!);
  }
  if (call.fn.nulls === "propagate") {
    for (let i = 0; i < args.length; i++) if (args[i] === null || args[i] === undefined) return nullOf(call.returns);
  }
  return call.overload.impl(args, ctx, argTypes);
}

/**
 * Calls a tuple-valued overload (ScalarOverload.tuple): one value per column type in `columnTypes` (the binder's
 * tuple columns). Under the "propagate" rule a null argument gives the null of every column.
 */
export function invokeTuple(call: ResolvedCall, args: Value[], ctx: EvalContext, argTypes: KqlType[], columnTypes: KqlType[]): Value[] {
  for (let i = 0; i < args.length; i++) {
    const c = call.coerce[i];
    if (c) args[i] = c(args[i]!);
  }
  if (call.fn.nulls === "propagate" && args.some((a) => a === null || a === undefined)) return columnTypes.map(nullOf);
  const out = call.overload.impl(args, ctx, argTypes);
  if (!Array.isArray(out) || out.length !== columnTypes.length) {
    throw new KqlError("unsupported", `unsupported: ${call.fn.name}() result shape (${columnTypes.length} columns expected)`);
  }
  return out as Value[];
}
