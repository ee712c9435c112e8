// externaldata (externaldata-operator.md) offline: the operator's declared schema is the result schema and the rows
// come from a local mapping URL → source given by the caller (runQuery's `externalData`, `scac query
// --externaldata <url>=<file>`, content tests). A URL without a mapping is a runtime error naming it — never an
// empty table, which would make a detection built on an IOC list silently pass.
//
// A source is either row objects (the result rows, coerced by the declared schema like sample tables) or file
// content — a local path or inline `{ text }` — parsed with the operator's `format` (csv, tsv, json = one object per
// line, multijson = objects/arrays spanning lines, txt = one single-column record per line; from the URL's file
// extension when not given, CSV otherwise) and `ignoreFirstRecord`. The content is taken as given: a URL naming
// a compressed blob maps to the uncompressed content. `ingestionMapping` is supported in its plain forms (JSON
// `Path`, CSV/TSV `Ordinal`; unmapped columns are null); transforms, constant values and other formats/properties
// are refused.
import { readFileSync } from "node:fs";
import { KqlError, type ExternalDataSource, type ResultColumnInfo } from "../api.js";
import type { KAny } from "../kusto.js";
import type { Compiler } from "../compiler.js";
import { columnsOf, elems, kindOf } from "../compiler.js";
import { coerceRows, csvRecords } from "../data.js";
import { normalizeTypeName } from "../values.js";
import { parseJsonPath, type JsonPathStep } from "../builtins/parse.js";
import type { Plan, Row } from "./table.js";

export type ExternalDataMap = Record<string, ExternalDataSource>;

type Format = "csv" | "tsv" | "json" | "multijson" | "txt";
const FORMATS = new Set<string>(["csv", "tsv", "json", "multijson", "txt"]);

/** One ingestion-mapping entry: the column and where its value comes from (JSON path or field ordinal). */
interface MappingEntry { column: string; path?: JsonPathStep[]; ordinal?: number }

interface Props {
  format?: Format;
  ignoreFirstRecord: boolean;
  mapping?: MappingEntry[];
}

export function compileExternalData(c: Compiler, node: KAny, data: ExternalDataMap | undefined): Plan {
  const columns = columnsOf(node);
  if (elems(node.Parameters).length) c.unsupported(node, "externaldata parameters before the schema");
  const urls = elems(node.URIs).map((u: KAny) => {
    const v = c.constant(u);
    if (typeof v !== "string") return c.unsupported(u, "externaldata URI that is not a string");
    return v.trim();
  });
  const props = properties(c, node);
  return {
    columns,
    run: () => {
      const out: Row[] = [];
      for (const url of urls) for (const r of rowsOf(url, data, props, columns)) out.push(r);
      return out;
    },
  };
}

function properties(c: Compiler, node: KAny): Props {
  const props: Props = { ignoreFirstRecord: false };
  for (const p of elems(node.WithClause?.Properties)) {
    const name = String(p.Name.SimpleName).trim().toLowerCase();
    const e = p.Expression;
    const text = kindOf(e) === "StringLiteralExpression" ? String(e.LiteralValue) : String(e.ToString(0)).trim();
    if (name === "format") {
      const f = text.toLowerCase();
      if (!FORMATS.has(f)) c.unsupported(p, `externaldata format=${text} (supported: csv, tsv, json, multijson, txt)`);
      props.format = f as Format;
    } else if (name === "ignorefirstrecord") {
      const b = text.toLowerCase();
      if (b !== "true" && b !== "false") c.unsupported(p, `externaldata ignoreFirstRecord=${text}`);
      props.ignoreFirstRecord = b === "true";
    } else if (name === "ingestionmapping") {
      const m = parseMapping(text, columnsOf(node));
      if (typeof m === "string") c.unsupported(p, `externaldata ingestionMapping: ${m}`);
      props.mapping = m;
    } else {
      c.unsupported(p, `externaldata property ${String(p.Name.SimpleName).trim()}`);
    }
  }
  return props;
}

function rowsOf(url: string, data: ExternalDataMap | undefined, props: Props, columns: ResultColumnInfo[]): Row[] {
  const src = data && Object.prototype.hasOwnProperty.call(data, url) ? data[url] : undefined;
  if (src === undefined) {
    throw new KqlError("runtime",
      `externaldata: no local data for '${url}' (map it with runQuery's externalData option, ` +
      `scac query --externaldata <url>=<file>, or the test file's externaldata)`);
  }
  const label = `externaldata '${url}'`;
  if (Array.isArray(src)) return coerceRows(src, columns, label);
  let text: string;
  if (typeof src === "string") {
    try {
      text = readFileSync(src, "utf8");
    } catch (e) {
      throw new KqlError("data", `${label}: cannot read ${src}: ${(e as Error).message}`);
    }
  } else {
    text = src.text;
  }
  return parseContent(text.replace(/^\uFEFF/, ""), props.format ?? formatFromUrl(url), props.ignoreFirstRecord, columns, label, props.mapping);
}

/** The format implied by the URL's file name (query string and compression suffix ignored); CSV otherwise. */
export function formatFromUrl(url: string): Format {
  const file = url.split(/[?#]/)[0]!.toLowerCase().replace(/\.(gz|zip)$/, "");
  const ext = /\.([a-z]+)$/.exec(file)?.[1];
  return ext && FORMATS.has(ext) ? (ext as Format) : "csv";
}

/** File content → rows of the declared schema. */
export function parseContent(
  text: string, format: Format, ignoreFirst: boolean, columns: ResultColumnInfo[], label: string, mapping?: MappingEntry[],
): Row[] {
  let objects: Record<string, unknown>[];
  const byOrdinal = mapping?.every((m) => m.ordinal !== undefined) ? mapping : undefined;
  const byPath = mapping?.every((m) => m.path) ? mapping : undefined;
  const csvLike = format === "csv" || format === "tsv";
  if (mapping && (format === "txt" || !(csvLike ? byOrdinal : byPath))) {
    throw new KqlError("unsupported", `unsupported: ${label}: this ingestionMapping does not fit format=${format}`);
  }
  const record = (v: unknown, where: string) => (byPath ? mapped(v, byPath) : byName(v, columns, where));
  switch (format) {
    case "csv": case "tsv": {
      if (format === "tsv" && text.includes('"')) {
        throw new KqlError("unsupported", `unsupported: ${label}: quoted TSV fields (Kusto's TSV quoting rules are not modelled)`);
      }
      const records = csvRecords(text, label, format === "csv" ? "," : "\t");
      objects = (ignoreFirst ? records.slice(1) : records).map((rec, i) =>
        (byOrdinal ? ordinals(rec, byOrdinal) : positional(rec, columns, label, i + (ignoreFirst ? 2 : 1))));
      break;
    }
    case "txt": {
      if (columns.length !== 1) throw new KqlError("unsupported", `unsupported: ${label}: format=txt with ${columns.length} columns (one line is one single-column record)`);
      const lines = text.split(/\r?\n/);
      if (lines[lines.length - 1] === "") lines.pop();
      objects = (ignoreFirst ? lines.slice(1) : lines).map((l) => ({ [columns[0]!.name]: l }));
      break;
    }
    case "json": {
      const lines = text.split(/\r?\n/).map((l, i) => ({ l: l.trim(), n: i + 1 })).filter((x) => x.l !== "");
      objects = lines.map(({ l, n }) => record(parseJson(l, `${label}: line ${n}`), `${label}: line ${n}`));
      if (ignoreFirst) objects = objects.slice(1);
      break;
    }
    case "multijson": {
      objects = [];
      for (const v of jsonValues(text, label)) {
        if (Array.isArray(v)) for (const x of v) objects.push(record(x, label));
        else objects.push(record(v, label));
      }
      if (ignoreFirst) objects = objects.slice(1);
      break;
    }
  }
  return coerceRows(objects, columns, label);
}

/** A CSV/TSV record mapped to the columns by position; missing trailing fields are null, extra fields an error. */
function positional(rec: string[], columns: ResultColumnInfo[], label: string, line: number): Record<string, unknown> {
  if (rec.length > columns.length) {
    throw new KqlError("data", `${label}: record ${line}: ${rec.length} fields for the ${columns.length} declared columns`);
  }
  const o: Record<string, unknown> = {};
  rec.forEach((v, i) => { if (v !== "") o[columns[i]!.name] = v; });
  return o;
}

/** A JSON record's members that name declared columns (others are ignored, as by-name ingestion does). */
function byName(v: unknown, columns: ResultColumnInfo[], label: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new KqlError("data", `${label}: a JSON record must be an object`);
  const o: Record<string, unknown> = {};
  for (const c of columns) if (Object.prototype.hasOwnProperty.call(v, c.name)) o[c.name] = (v as Record<string, unknown>)[c.name];
  return o;
}

/**
 * `[{"Column": "c", "Properties": {"Path": "$.a.b"}}, …]` (JSON) or `{"Ordinal": "0"}` (CSV/TSV), keys in any
 * letter case, `DataType` only when it is the column's own type. Returns why it is refused otherwise.
 */
function parseMapping(text: string, columns: ResultColumnInfo[]): MappingEntry[] | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return "not JSON (a mapping reference by name needs the database)";
  }
  if (!Array.isArray(raw) || raw.length === 0) return "expected a non-empty JSON array";
  const lower = (o: unknown): Record<string, unknown> =>
    o && typeof o === "object" && !Array.isArray(o) ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v])) : {};
  const out: MappingEntry[] = [];
  for (const e of raw) {
    const m = lower(e);
    const col = columns.find((c) => c.name === m.column);
    if (!col) return `column ${JSON.stringify(m.column)} is not declared`;
    for (const k of Object.keys(m)) if (!["column", "properties", "datatype"].includes(k)) return `'${k}' is not supported`;
    if (m.datatype !== undefined && normalizeTypeName(String(m.datatype)) !== col.type) return `DataType ${String(m.datatype)} differs from the column's type`;
    const props = lower(m.properties);
    const keys = Object.keys(props);
    if (keys.length === 1 && keys[0] === "path" && typeof props.path === "string") {
      try {
        out.push({ column: col.name, path: parseJsonPath(props.path) });
      } catch (err) {
        return (err as Error).message;
      }
    } else if (keys.length === 1 && keys[0] === "ordinal" && /^\d+$/.test(String(props.ordinal))) {
      out.push({ column: col.name, ordinal: Number(props.ordinal) });
    } else {
      return `properties ${JSON.stringify(m.properties)} (only a single Path or Ordinal)`;
    }
  }
  return out;
}

/** A JSON record through a Path mapping: each mapped column takes the value at its path (absent → null). */
function mapped(v: unknown, mapping: MappingEntry[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const m of mapping) {
    let cur: unknown = v;
    for (const s of m.path!) {
      if (typeof s === "number" ? !Array.isArray(cur) : cur === null || typeof cur !== "object" || Array.isArray(cur)) { cur = undefined; break; }
      cur = Object.prototype.hasOwnProperty.call(cur, s) ? (cur as Record<string | number, unknown>)[s] : undefined;
      if (cur === undefined) break;
    }
    if (cur !== undefined) o[m.column] = cur;
  }
  return o;
}

/** A CSV/TSV record through an Ordinal mapping (a missing or empty field is null). */
function ordinals(rec: string[], mapping: MappingEntry[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const m of mapping) { const v = rec[m.ordinal!]; if (v !== undefined && v !== "") o[m.column] = v; }
  return o;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new KqlError("data", `${where}: invalid JSON: ${(e as Error).message}`);
  }
}

/** The top-level JSON values of a text holding several (objects or arrays, any white space between them). */
function jsonValues(text: string, label: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0, start = -1, inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') { inString = true; continue; }
    if (ch === "{" || ch === "[") { if (depth++ === 0) start = i; continue; }
    if (ch === "}" || ch === "]") {
      if (--depth === 0) out.push(parseJson(text.slice(start, i + 1), `${label}: value ${out.length + 1}`));
      else if (depth < 0) throw new KqlError("data", `${label}: unbalanced '${ch}' in JSON content`);
      continue;
    }
    if (depth === 0 && !/\s|,/.test(ch)) throw new KqlError("data", `${label}: multijson content must be JSON objects or arrays (found '${ch}')`);
  }
  if (depth !== 0) throw new KqlError("data", `${label}: unterminated JSON value`);
  return out;
}
