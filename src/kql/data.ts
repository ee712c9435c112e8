// Sample events for the local engine: JSON array, JSON Lines or CSV files, coerced into the engine's value model
// by a table schema. A value that cannot be coerced is an error naming file, row and column — a silently null
// Timestamp would make a detection test pass or fail for the wrong reason.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { KqlError } from "./api.js";
import type { ColumnSchema, TableSchema } from "../schemas/model.js";
import type { Dyn, KqlType, Value } from "./values.js";
import { TICKS_PER_MS, nullOf, parseDatetime } from "./values.js";
import { classifyDatetimeText, classifyTimespanText } from "./datetime-text.js";
import { encodeTable } from "./runtime/columns.js";
import { fitsInt32, hasInexactInteger } from "./int64.js";
import { typeJsonNumbers } from "./builtins/json-numbers.js";

export interface LoadedTable {
  columns: ColumnSchema[];
  rows: Value[][];
}

/** Reads a file into plain row objects (no typing yet). */
export function readRowObjects(path: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new KqlError("data", `${path}: cannot read (${(e as Error).message})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const ext = extname(path).toLowerCase();
  if (ext === ".csv") return parseCsv(text, path);
  if (ext === ".jsonl" || ext === ".ndjson") return parseJsonLines(text, path);
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new KqlError("data", `${path}: invalid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(v)) throw new KqlError("data", `${path}: expected a JSON array of objects`);
    v.forEach((r, i) => {
      if (r === null || typeof r !== "object" || Array.isArray(r)) throw new KqlError("data", `${path}: row ${i + 1}: expected an object`);
    });
    return v as Record<string, unknown>[];
  }
  return parseJsonLines(text, path);
}

function parseJsonLines(text: string, path: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === "") continue;
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch (e) {
      throw new KqlError("data", `${path}:${i + 1}: invalid JSON line (${(e as Error).message})`, i + 1, 1);
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new KqlError("data", `${path}:${i + 1}: expected a JSON object`, i + 1, 1);
    out.push(v as Record<string, unknown>);
  }
  return out;
}

/** The records of RFC 4180 text (quoted fields with "" escapes and embedded newlines; blank lines skipped). */
export function csvRecords(text: string, path: string, separator = ","): string[][] {
  const records: string[][] = [];
  let field = "", rec: string[] = [], i = 0, quoted = false, sawQuote = false;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"' && field === "") { quoted = true; sawQuote = true; i++; continue; }
    if (c === separator) { rec.push(field); field = ""; sawQuote = false; i++; continue; }
    if (c === "\r" || c === "\n") {
      rec.push(field); field = ""; sawQuote = false;
      if (!(rec.length === 1 && rec[0] === "")) records.push(rec);
      rec = [];
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      continue;
    }
    field += c; i++;
  }
  if (quoted) throw new KqlError("data", `${path}: unterminated quoted CSV field`);
  if (field !== "" || rec.length > 0 || sawQuote) { rec.push(field); records.push(rec); }
  return records;
}

/** RFC 4180 CSV: header row, quoted fields with "" escapes and embedded newlines. Empty field = absent. */
export function parseCsv(text: string, path: string): Record<string, unknown>[] {
  const records = csvRecords(text, path);
  if (records.length === 0) return [];
  const header = records[0]!.map((h) => h.trim());
  const out: Record<string, unknown>[] = [];
  for (let r = 1; r < records.length; r++) {
    const row: Record<string, unknown> = {};
    const rec2 = records[r]!;
    if (rec2.length > header.length) {
      throw new KqlError("data", `${path}: row ${r}: ${rec2.length} fields but the header has ${header.length}`);
    }
    for (let c = 0; c < header.length; c++) {
      const v = rec2[c];
      if (v !== undefined && v !== "") row[header[c]!] = v;
    }
    out.push(row);
  }
  return out;
}

/** Types columns from the values when no schema is known: the widest type that fits every non-null value. */
export function inferColumns(rows: Record<string, unknown>[]): ColumnSchema[] {
  const order: string[] = [];
  const seen = new Map<string, KqlType | undefined>();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (!seen.has(k)) { seen.set(k, undefined); order.push(k); }
      if (v === null || v === undefined) continue;
      seen.set(k, widen(seen.get(k), inferType(v)));
    }
  }
  return order.map((name) => ({ name, type: seen.get(name) ?? "string" }));
}

function inferType(v: unknown): KqlType {
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "long" : "real";
  if (typeof v === "string") {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) {
      const p = classifyDatetimeText(v);
      if ("value" in p && p.value !== null) return "datetime";
    }
    return "string";
  }
  return "dynamic";
}

function widen(a: KqlType | undefined, b: KqlType): KqlType {
  if (a === undefined || a === b) return b;
  if ((a === "long" && b === "real") || (a === "real" && b === "long")) return "real";
  if (a === "dynamic" || b === "dynamic") return "dynamic";
  return a === "string" || b === "string" ? "string" : "dynamic";
}

/**
 * Coerces row objects to the columns' types, in column order. Unknown columns and values that cannot be coerced
 * raise a KqlError of kind "data" naming the source, 1-based row and column.
 */
export function coerceRows(rows: Record<string, unknown>[], columns: ColumnSchema[], sourceLabel: string): Value[][] {
  const index = new Map<string, number>();
  columns.forEach((c, i) => index.set(c.name, i));
  const coercers = columns.map((c) => coercerFor(c.type));
  const out: Value[][] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const obj = rows[r]!;
    const row: Value[] = columns.map((c) => nullOf(c.type));
    for (const key in obj) {
      const ci = index.get(key);
      if (ci === undefined) {
        throw new KqlError("data", `${sourceLabel}: row ${r + 1}: unknown column '${key}' (not in the table's schema)`);
      }
      const raw = obj[key];
      if (raw === null || raw === undefined) continue;
      const v = coercers[ci]!(raw);
      if (v === undefined) {
        const col = columns[ci]!;
        const shown = typeof raw === "string" ? `'${raw.length > 60 ? raw.slice(0, 60) + "…" : raw}'` : JSON.stringify(raw);
        throw new KqlError("data", `${sourceLabel}: row ${r + 1}, column '${col.name}': cannot convert ${shown} to ${col.type}${integerRangeHint(raw, col.type)}${timeTextHint(raw, col.type)}`);
      }
      row[ci] = v;
    }
    out[r] = row;
  }
  return out;
}

/** Why an integral value was not accepted in an int/long column ("" when that is not the reason). */
function integerRangeHint(raw: unknown, type: KqlType): string {
  if (type === "dynamic") return " (it holds an integer beyond the engine's exact range ±2^53)";
  if (type !== "int" && type !== "long") return "";
  const n = toNumber(raw);
  if (typeof n !== "number" || !Number.isInteger(n)) return "";
  if (!Number.isSafeInteger(n)) return " (beyond the engine's exact integer range ±2^53)";
  return type === "int" ? " (beyond int's 32-bit range)" : "";
}

/** Why a datetime/timespan text was not accepted when it is date-shaped but undocumented ("" otherwise). */
function timeTextHint(raw: unknown, type: KqlType): string {
  if (typeof raw !== "string" || (type !== "datetime" && type !== "timespan")) return "";
  const p = type === "datetime" ? classifyDatetimeText(raw) : classifyTimespanText(raw);
  return "refused" in p ? ` (${p.refused}; Kusto's reading of this text form is not documented: use ISO 8601, e.g. 2024-01-31T13:45:00Z)` : "";
}

/** A converter from a JSON-ish value to the engine value of `type`; returns undefined when it cannot convert. */
function coercerFor(type: KqlType): (v: unknown) => Value | undefined {
  switch (type) {
    case "string":
      return (v) => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v));
    case "bool":
      return (v) => {
        if (typeof v === "boolean") return v;
        if (typeof v === "number") return v !== 0;
        if (typeof v === "string") {
          const s = v.trim().toLowerCase();
          if (s === "true" || s === "1") return true;
          if (s === "false" || s === "0") return false;
          if (s === "") return null;
        }
        return undefined;
      };
    case "int": case "long":
      return (v) => {
        const n = toNumber(v);
        if (n === null) return null;
        if (n === undefined || !Number.isInteger(n)) return undefined;
        if (type === "int" && !fitsInt32(n)) return undefined;
        // Beyond ±(2^53 − 1) the number read is already rounded (int64.ts): an error, not a silently different long.
        if (!Number.isSafeInteger(n)) return undefined;
        return n === 0 ? 0 : n; // "-0" in a file: a long has no −0
      };
    case "real": case "decimal":
      return (v) => {
        if (typeof v === "string") {
          const s = v.trim();
          if (s === "NaN") return NaN;
          if (s === "Infinity" || s === "+Infinity") return Infinity;
          if (s === "-Infinity") return -Infinity;
        }
        return toNumber(v);
      };
    case "datetime":
      return (v) => {
        if (typeof v === "string") {
          if (v.trim() === "") return null;
          const p = classifyDatetimeText(v);
          if ("value" in p && p.value !== null) return p.value;
          return parsePortalDatetime(v) ?? undefined; // a refused or unreadable text: a data error (timeTextHint says why)
        }
        if (typeof v === "number" && Number.isFinite(v)) return BigInt(Math.round(v)) * TICKS_PER_MS; // epoch ms
        return undefined;
      };
    case "timespan":
      return (v) => {
        if (typeof v === "string") {
          if (v.trim() === "") return null;
          const p = classifyTimespanText(v);
          return "value" in p && p.value !== null ? p.value : undefined;
        }
        if (typeof v === "number" && Number.isInteger(v)) return BigInt(v); // ticks
        return undefined;
      };
    case "guid":
      return (v) => {
        if (typeof v !== "string") return undefined;
        const s = v.trim().replace(/^\{(.*)\}$/, "$1").toLowerCase();
        if (s === "") return null;
        return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s) ? s : undefined;
      };
    case "dynamic":
      return (v) => {
        if (typeof v === "string") {
          // JSON text in a dynamic column is the stored value (object, array, number, bool); text that is not
          // JSON stays a string, as Kusto ingests it.
          const s = v.trim();
          if (s === "") return null;
          let d: Dyn;
          try {
            d = JSON.parse(s) as Dyn;
          } catch {
            return v;
          }
          return hasInexactInteger(d) ? undefined : typeJsonNumbers(s, d); // 2.0 in the text stays a real
        }
        return hasInexactInteger(v) ? undefined : (v as Dyn);
      };
  }
}

function toNumber(v: unknown): number | null | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const s = v.trim();
    if (s === "") return null;
    const n = Number(s);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

/** The Azure portal's export form `3/31/2022, 10:52:35.857 AM` (UTC), common in shared sample data. */
function parsePortalDatetime(text: string): bigint | null {
  // Only the exact export shape (comma, 12-hour clock, AM/PM): other slash dates are Kusto text forms whose
  // reading is undocumented (datetime-text.ts) and are refused as data errors.
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}), (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))? (AM|PM)$/.exec(text.trim());
  if (!m) return null;
  let hour = Number(m[4]);
  const ampm = m[8];
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    if (ampm === "AM" && hour === 12) hour = 0;
    if (ampm === "PM" && hour !== 12) hour += 12;
  }
  const iso = `${m[3]}-${m[1]!.padStart(2, "0")}-${m[2]!.padStart(2, "0")}T${String(hour).padStart(2, "0")}:${m[5]}:${m[6] ?? "00"}${m[7] ? "." + m[7] : ""}Z`;
  return parseDatetime(iso);
}

/**
 * Loads a sample-events file and types it by `schema` (or by the values when no schema is given).
 * Unknown columns and uncoercible values raise KqlError("data") naming the file, row and column.
 */
export function loadTableFile(path: string, schema?: TableSchema | ColumnSchema[]): LoadedTable {
  const objs = readRowObjects(path);
  const columns = schema ? (Array.isArray(schema) ? schema : schema.columns) : inferColumns(objs);
  return prepareTable({ columns, rows: coerceRows(objs, columns, path) });
}

/**
 * Readies a loaded table for many queries: its low-cardinality string columns get dictionaries (equal strings
 * become one object, each row a code; see runtime/columns.ts), which a `where` on such a column and text memos
 * such as parse_json's use, and scans that read only such columns fill them from the codes. Values do not change.
 * A prepared table is read-only from then on: its rows array is frozen, and its cells must not be edited (copy the
 * rows to change them), since answers come from the codes. Returns t.
 */
export function prepareTable(t: LoadedTable): LoadedTable {
  encodeTable(t.rows, t.columns);
  return t;
}
