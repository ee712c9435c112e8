// Checks a result against the engine's value model (src/kql/values.ts): each cell's JavaScript representation must
// match its column type. Used where no expected values exist (the corpus run) and as an extra guard in the
// conformance runner: a cell of the wrong representation is a wrong answer even when it happens to print right.
import type { QueryResult } from "../../../src/kql/api.js";
import type { KqlType } from "../../../src/kql/values.js";
import { DynScalar } from "../../../src/kql/values.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Why a dynamic value is not JSON-like (undefined members, bigint, class instances…), or undefined when it is. */
function dynProblem(v: unknown, path: string): string | undefined {
  if (v === null || typeof v === "boolean" || typeof v === "string") return undefined;
  if (typeof v === "number") return undefined;
  // A typed member: datetime/timespan as bigint ticks, guid as its canonical text, a real only when whole-valued
  // (other reals are plain numbers).
  if (v instanceof DynScalar) {
    const ok = v.type === "guid" ? typeof v.value === "string" && GUID.test(v.value)
      : v.type === "real" ? typeof v.value === "number" && Number.isInteger(v.value) : typeof v.value === "bigint";
    return ok ? undefined : `${path} is a ${v.type} holding ${typeof v.value}`;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = dynProblem(v[i], `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined) return `${path}.${k} is undefined`;
      const p = dynProblem(x, `${path}.${k}`);
      if (p) return p;
    }
    return undefined;
  }
  return `${path} is ${typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v}`;
}

function cellProblem(v: unknown, type: KqlType): string | undefined {
  switch (type) {
    case "string": return typeof v === "string" ? undefined : `string column holds ${v === null ? "null" : typeof v}`;
    case "bool": return v === null || typeof v === "boolean" ? undefined : `bool column holds ${typeof v}`;
    case "int": case "long":
      if (v === null) return undefined;
      if (typeof v !== "number" || !Number.isInteger(v)) return `${type} column holds ${typeof v === "number" ? v : typeof v}`;
      if (type === "int" && (v < -2147483648 || v > 2147483647)) return `int column holds ${v}`;
      return undefined;
    case "real": case "decimal": return v === null || typeof v === "number" ? undefined : `${type} column holds ${typeof v}`;
    case "datetime": case "timespan": return v === null || typeof v === "bigint" ? undefined : `${type} column holds ${typeof v}`;
    case "guid": return v === null || (typeof v === "string" && GUID.test(v)) ? undefined : `guid column holds ${JSON.stringify(v)}`;
    case "dynamic": return dynProblem(v, "value");
  }
}

/** Up to `max` descriptions of cells that break the value model (empty when the result is well-formed). */
export function valueModelViolations(r: QueryResult, max = 3): string[] {
  const out: string[] = [];
  for (const [i, row] of r.rows.entries()) {
    if (row.length !== r.columns.length) out.push(`row ${i + 1} has ${row.length} cells for ${r.columns.length} columns`);
    for (const [j, col] of r.columns.entries()) {
      const p = cellProblem(row[j], col.type);
      if (p) out.push(`row ${i + 1} column ${col.name}: ${p}`);
      if (out.length >= max) return out;
    }
  }
  return out;
}
