// Test helpers for the C2 builtin families: call registry functions the way the compiler does.
import { createRng } from "../../../src/random.js";
import "../../../src/kql/builtins/index.js";
import { getAggregate, invokeScalar, resolveScalar, type EvalContext } from "../../../src/kql/builtins/index.js";
import type { KqlType, Value } from "../../../src/kql/values.js";
import { parseDatetime, parseTimespan } from "../../../src/kql/values.js";

export const NOW = parseDatetime("2024-03-15T12:30:45.1234567Z")!;
export const ctx: EvalContext = { now: NOW, random: createRng(42) };


/** Resolves and invokes a scalar; throws when no overload accepts the argument types. */
export function call(name: string, types: KqlType[], args: Value[]): Value {
  const r = resolveScalar(name, types);
  if (!r) throw new Error(`no overload ${name}(${types.join(", ")})`);
  return invokeScalar(r, args.slice(), ctx, types);
}

export function returnType(name: string, types: KqlType[]): KqlType | undefined {
  return resolveScalar(name, types)?.returns;
}

/** Runs an aggregate over rows of argument values. */
export function aggregate(name: string, types: KqlType[], rows: Value[][]): Value {
  const a = getAggregate(name);
  if (!a) throw new Error(`no aggregate ${name}`);
  const acc = a.create(types, ctx);
  for (const r of rows) acc.add(r);
  return acc.result();
}

export const dt = (s: string): bigint => {
  const t = parseDatetime(s);
  if (t === null) throw new Error(`bad datetime ${s}`);
  return t;
};
export const ts = (s: string): bigint => {
  const t = parseTimespan(s);
  if (t === null) throw new Error(`bad timespan ${s}`);
  return t;
};
