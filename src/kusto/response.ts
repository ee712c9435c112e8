// Kusto REST v2 responses (a JSON array of frames: DataSetHeader, DataTable…, DataSetCompletion) → the local
// engine's QueryResult, so the same assertions apply to both engines; service errors → KqlError.
import { KqlError, type QueryResult, type ResultColumnInfo } from "../kql/api.js";
import { normalizeTypeName, parseDatetime, parseTimespan, type Dyn, type KqlType, type Value } from "../kql/values.js";

interface Frame {
  FrameType?: string;
  TableKind?: string;
  Columns?: { ColumnName: string; ColumnType?: string; DataType?: string }[];
  Rows?: unknown[];
  HasErrors?: boolean;
  OneApiErrors?: { error?: OneApiError }[];
}

interface OneApiError {
  code?: string;
  message?: string;
  "@message"?: string;
  "@type"?: string;
}

/** A value of the wire format in the engine's value model (values.ts). */
export function fromWire(type: KqlType, v: unknown): Value {
  if (v === null || v === undefined) return type === "string" ? "" : null;
  switch (type) {
    case "bool": return typeof v === "boolean" ? v : typeof v === "number" ? v !== 0 : String(v).toLowerCase() === "true";
    case "int": case "long": return Number(v);
    case "real": case "decimal": {
      if (typeof v === "number") return v;
      const s = String(v);
      return s === "NaN" ? NaN : s === "Infinity" ? Infinity : s === "-Infinity" ? -Infinity : Number(s);
    }
    case "string": return typeof v === "string" ? v : JSON.stringify(v);
    case "datetime": return parseDatetime(String(v));
    case "timespan": return parseTimespan(String(v));
    case "guid": return String(v).toLowerCase();
    case "dynamic": return v as Dyn;
  }
}

/** The service's error text and the kind of failure it is. */
export function errorOf(e: OneApiError | undefined, status: number, preludeLines: number): KqlError {
  const text = e?.["@message"] || e?.message || `HTTP ${status}`;
  const kind = /syntax error|SYN\d{4}/i.test(text) ? "syntax" : /semantic error|SEM\d{4}|failed to resolve/i.test(text) ? "semantic" : "runtime";
  const pos = /\[line:position=(\d+):(\d+)\]/.exec(text);
  const line = pos ? Math.max(0, Number(pos[1]) - preludeLines) : 0;
  return new KqlError(kind, `Kusto: ${text}${e?.code ? ` (${e.code})` : ""}`, line, pos ? Number(pos[2]) : 0);
}

/** The PrimaryResult table of a v2 frame list. Throws KqlError for in-stream errors or a malformed response. */
export function parseV2(frames: unknown, preludeLines = 0): QueryResult {
  if (!Array.isArray(frames)) throw new KqlError("runtime", "Kusto: the response is not a v2 frame list (is the URL a Kusto query endpoint?)");
  const list = frames as Frame[];
  const completion = list.find((f) => f.FrameType === "DataSetCompletion");
  if (completion?.HasErrors) throw errorOf(completion.OneApiErrors?.[0]?.error, 200, preludeLines);
  const primary = list.find((f) => f.FrameType === "DataTable" && f.TableKind === "PrimaryResult");
  if (!primary) throw new KqlError("runtime", "Kusto: the response has no PrimaryResult table");
  const columns: ResultColumnInfo[] = (primary.Columns ?? []).map((c) => ({ name: c.ColumnName, type: normalizeTypeName(c.ColumnType ?? c.DataType ?? "dynamic") ?? "dynamic" }));
  const rows: Value[][] = [];
  for (const r of primary.Rows ?? []) {
    // A row can be an error object when the query failed after the first rows were sent.
    if (!Array.isArray(r)) throw errorOf((r as { OneApiErrors?: { error?: OneApiError }[] })?.OneApiErrors?.[0]?.error, 200, preludeLines);
    rows.push(columns.map((c, i) => fromWire(c.type, r[i])));
  }
  return { columns, rows };
}
