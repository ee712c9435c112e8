// Calls builtins exactly as the compiler does: resolve by name and binder argument types, then invoke with the
// registry's null rule and coercions.
import { expect } from "vitest";
import { invokeScalar, resolveScalar } from "../../../src/kql/builtins/index.js";
import type { KqlType, Value } from "../../../src/kql/values.js";

const ctx = { now: 0n, random: () => 0.5 };

/** Infers the KQL type of a JS test value (strings → string, integers → long, bigint → datetime…). */
function typeOf(v: Value): KqlType {
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "long" : "real";
  if (typeof v === "bigint") return "datetime";
  return "dynamic";
}

/** call("strcat", ["a", 1]); T(value, type) gives an argument an explicit type: call("tostring", [T(5n, "timespan")]). */
export function call(name: string, args: (Value | [Value, KqlType])[]): Value {
  const values: Value[] = [];
  const types: KqlType[] = [];
  for (const a of args) {
    if (Array.isArray(a) && typedMarker.has(a)) {
      values.push(a[0] as Value);
      types.push(a[1] as KqlType);
    } else {
      values.push(a as Value);
      types.push(typeOf(a as Value));
    }
  }
  const r = resolveScalar(name, types);
  expect(r, `${name}(${types.join(", ")}) resolves`).toBeDefined();
  return invokeScalar(r!, values, ctx, types);
}

const typedMarker = new WeakSet<object>();

/** Marks an argument with an explicit KQL type. */
export function T(v: Value, t: KqlType): [Value, KqlType] {
  const a: [Value, KqlType] = [v, t];
  typedMarker.add(a);
  return a;
}
