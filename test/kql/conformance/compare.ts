// Compares an engine result with a case's expected table. The actual side is what `scac query --format json`
// prints (format.ts's JSON, serialised and parsed back, so only what a user sees is compared): datetime
// `2024-01-01T00:00:00Z`, timespan `[-][d.]hh:mm:ss[.fffffff]`, NaN/±Infinity as strings, dynamic as JSON.
// Expected datetimes/timespans may be written in any form Kusto prints (the docs show
// `2024-01-01 00:00:00.0000000`); they are canonicalised through values.ts's parsers, never through the engine.
import type { QueryResult } from "../../../src/kql/api.js";
import { formatJson } from "../../../src/kql/format.js";
import {
  formatDatetime, formatTimespan, parseDatetime, parseTimespan, normalizeTypeName, type KqlType,
} from "../../../src/kql/values.js";
import type { ExpectedTable } from "./cases.js";

/** Expected value → canonical JSON value for the actual column type. */
function canonicalExpected(v: unknown, type: KqlType | undefined): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") {
    if (type === "datetime") { const t = parseDatetime(v); return t === null ? v : formatDatetime(t); }
    if (type === "timespan") { const t = parseTimespan(v); return t === null ? v : formatTimespan(t); }
    if (type === "guid") return v.toLowerCase();
  }
  return v;
}

function numEq(a: number, b: number, tol: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b));
}

/** Deep JSON equality: bags compare by key set (Kusto bags are unordered), numbers with the relative tolerance. */
export function jsonEqual(a: unknown, b: unknown, tol: number): boolean {
  if (typeof a === "number" && typeof b === "number") return numEq(a, b, tol);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i], tol));
  }
  const ao = a as Record<string, unknown>, bo = b as Record<string, unknown>;
  const ak = Object.keys(ao), bk = Object.keys(bo);
  return ak.length === bk.length && ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k], bo[k], tol));
}

export interface Comparison { ok: boolean; message: string }

/**
 * Default tolerance: the docs print reals with up to 15 significant digits, so 1e-13 relative absorbs display
 * rounding without hiding a wrong computation. Cases whose doc output rounds harder set `tolerance`.
 */
export const DEFAULT_TOLERANCE = 1e-13;

export function compareResult(actual: QueryResult, expected: ExpectedTable, ordered: boolean, tolerance = DEFAULT_TOLERANCE): Comparison {
  const json = JSON.parse(formatJson(actual)) as { columns: { name: string; type: KqlType }[]; rows: unknown[][] };
  return compareJson(json.columns, json.rows, expected, ordered, tolerance);
}

/** Compares JSON output (columns + rows as `scac query --format json` / `--batch` print them) with a case. */
export function compareJson(columns: { name: string; type: KqlType }[], act: unknown[][], expected: ExpectedTable, ordered: boolean, tolerance = DEFAULT_TOLERANCE): Comparison {
  const types = columns.map((c) => c.type);
  const show = (x: unknown) => JSON.stringify(x);
  if (expected.columns) {
    const names = columns.map((c) => c.name);
    const expNames = expected.columns.map((c) => c.split(":")[0]!.trim());
    if (show(names) !== show(expNames)) return { ok: false, message: `columns ${show(names)} ≠ expected ${show(expNames)}` };
    for (const [i, spec] of expected.columns.entries()) {
      const t = spec.includes(":") ? normalizeTypeName(spec.slice(spec.indexOf(":") + 1)) : undefined;
      if (t && t !== types[i]) return { ok: false, message: `column ${expNames[i]} has type ${types[i]}, expected ${t}` };
    }
  }
  const exp = expected.rows.map((r) => r.map((v, i) => canonicalExpected(v, types[i])));
  // int/long cells compare exactly; the tolerance is for reals (and numbers inside dynamic values).
  const tolOf = (i: number) => (types[i] === "int" || types[i] === "long" ? 0 : tolerance);
  const rowEq = (a: unknown[], e: unknown[]) => a.length === e.length && a.every((x, i) => jsonEqual(x, e[i], tolOf(i)));
  const dump = () => `\n  actual:   ${act.map(show).join("\n            ")}\n  expected: ${exp.map(show).join("\n            ")}`;
  if (act.length !== exp.length) return { ok: false, message: `${act.length} rows, expected ${exp.length}${dump()}` };
  if (ordered) {
    const bad = act.findIndex((r, i) => !rowEq(r, exp[i]!));
    return bad < 0 ? { ok: true, message: "" } : { ok: false, message: `row ${bad + 1} differs${dump()}` };
  }
  // Unordered: match each expected row to a distinct actual row (multiset equality, tolerance-aware).
  const used = new Array<boolean>(act.length).fill(false);
  for (const [i, e] of exp.entries()) {
    const j = act.findIndex((a, k) => !used[k] && rowEq(a, e));
    if (j < 0) return { ok: false, message: `expected row ${i + 1} ${show(e)} not found${dump()}` };
    used[j] = true;
  }
  return { ok: true, message: "" };
}
