// Public contract of the local KQL engine (implemented in engine.ts). Content tests, `scac query`, `scac
// simulate` and the conformance suite depend only on this file.
import type { SchemaSet } from "../schemas/model.js";
import type { KqlType, Value } from "./values.js";

export interface ResultColumnInfo {
  name: string;
  type: KqlType;
}

/** A result table: column metadata plus row-major values in the engine's value model (see values.ts). */
export interface QueryResult {
  columns: ResultColumnInfo[];
  rows: Value[][];
}

/**
 * Input rows for a table: plain objects keyed by column name holding JSON-ish values (ISO strings for datetime,
 * numbers, strings, JSON text or objects for dynamic…), coerced by the table's schema. A value that cannot be
 * coerced, or an unknown column, raises a KqlError of kind "data" naming table, row and column.
 */
export type InputRows = Record<string, unknown>[];

/**
 * Local content for one `externaldata` URL: the result rows as row objects (coerced by the operator's declared
 * schema), a local file path, or inline file content `{ text }` — files are parsed with the operator's format.
 */
export type ExternalDataSource = InputRows | string | { text: string };

export interface RunOptions {
  /** Table name → rows. Tables the query reads but that are not given are empty (with their schema). */
  tables?: Record<string, InputRows>;
  /** Pinned now() / ago() reference. Default: the real clock, read once per query. */
  now?: Date | string | bigint;
  /** Schemas to analyse and coerce against (tables not in it are typed from the rows given). */
  schemas?: SchemaSet;
  /** Seed for rand() so runs are repeatable. */
  seed?: number;
  /** externaldata URL (exactly as written in the query) → its local content; an unmapped URL is a runtime error. */
  externalData?: Record<string, ExternalDataSource>;
}

export type KqlErrorKind = "unsupported" | "syntax" | "semantic" | "runtime" | "data";

export class KqlError extends Error {
  constructor(
    readonly kind: KqlErrorKind,
    message: string,
    /** 1-based position in the query text when known (0 otherwise). */
    readonly line = 0,
    readonly column = 0,
  ) {
    super(message);
    this.name = "KqlError";
  }
}
