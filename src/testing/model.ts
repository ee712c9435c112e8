// Content tests: the in-memory form of a sidecar `<name>.test.yaml` and the results of running it.
// The YAML format is described in docs/content-tests.md and data/json-schema/test-file.schema.json.
import type { Position } from "../content/model.js";
import type { ColumnSchema } from "../schemas/model.js";

/** Rows of one table: inline and/or from a fixture file (JSON array, JSON Lines, CSV; path relative to the test file). */
export interface TableSpec {
  /** Fixture files (resolved against the test file's directory) and how many rows each gave, in order. */
  files: { path: string; rows: number }[];
  /** Rows of the files, then the inline rows. */
  rows: Record<string, unknown>[];
  /** Inline column types for tables no schema declares (custom `_CL` tables in a test). */
  columns?: ColumnSchema[];
  /** Position of the table's node in the test file (for diagnostics). */
  pos: Position;
  /** Position of each inline row (parallel to the inline part of `rows`), for row-level diagnostics. */
  rowPos: Position[];
  /** Number of leading rows that came from files (row numbers in diagnostics are per source). */
  fileRows: number;
}

/**
 * Items of a Sentinel watchlist that `_GetWatchlist('<alias>')` returns: rows of item columns (as in the
 * watchlist's CSV), from files and/or inline. SearchKey is the value of the `searchKey` column.
 */
export interface WatchlistSpec extends TableSpec {
  /** Item column whose value is SearchKey (default: the first item column). */
  searchKey?: string;
}

/** What an `externaldata` URL returns in a test: result rows (coerced by the operator's schema) or a local file. */
export interface ExternalDataSpec {
  rows?: Record<string, unknown>[];
  /** Absolute path; parsed with the operator's format (csv, json…), like the blob it stands for. */
  file?: string;
  pos: Position;
}

export interface Range {
  min?: number;
  max?: number;
}

/** Expected alert content: every field given must match; fields left out are not checked. */
export interface AlertExpectation {
  displayName?: string;
  description?: string;
  severity?: string;
  tactics?: string[];
  /** Each listed entity must be among the alert's entities (identifiers compared as a subset, values as text). */
  entities?: { type: string; identifiers: Record<string, unknown> }[];
  /** Subset of custom details; a scalar expects exactly one value, a list the exact values. */
  customDetails?: Record<string, unknown>;
}

export interface Expectation {
  rows?: Range;
  columns?: string[];
  /** Rows that must be present: each is a subset of columns that some result row must equal. */
  present?: Record<string, unknown>[];
  /** Rows that must not be present (no result row may match the subset). */
  absent?: Record<string, unknown>[];
  triggered?: boolean;
  alerts?: Range;
  /** Alerts that must be raised; each must match a distinct alert. */
  alertsPresent?: AlertExpectation[];
}

export type CaseKind = "positive" | "negative";

export interface TestCase {
  name: string;
  /** Explicit kind, or inferred from the expectation (see inferKind); undefined when neither. */
  kind?: CaseKind;
  /** Per-case tables replace the file's table of the same name; `addRows` appends to it. */
  tables: Map<string, TableSpec>;
  addRows: Map<string, TableSpec>;
  /** Per-case watchlists replace the file's watchlist of the same alias. */
  watchlists: Map<string, WatchlistSpec>;
  /** Per-case externaldata URLs replace the file's mapping of the same URL. */
  externaldata: Map<string, ExternalDataSpec>;
  parameters: Record<string, unknown>;
  now?: string;
  expect?: Expectation;
  pos: Position;
  /** Index in the file's `cases` list (for --update). */
  index: number;
}

export interface TestFile {
  /** Test file path as given (used in diagnostics). */
  file: string;
  /** Content file path (resolved): `content:` key or the sibling `<name>.yaml`. */
  contentFile: string;
  now: string;
  /** Hunting time range; `lookback` when given as a duration (default 7d before now). */
  timeRange: { lookback?: string; start?: string; end?: string };
  parameters: Record<string, unknown>;
  tables: Map<string, TableSpec>;
  /** Watchlist alias → items (what `_GetWatchlist(alias)` returns). */
  watchlists: Map<string, WatchlistSpec>;
  /** externaldata URL (as written in the query) → what it returns. */
  externaldata: Map<string, ExternalDataSpec>;
  cases: TestCase[];
  /** Every fixture file referenced (absolute paths), so watch/changed mode knows what affects this file. */
  fixtureFiles: string[];
}

// ---------- Sentinel model output ----------

export interface AlertEntity {
  type: string;
  identifiers: Record<string, string>;
}

export interface Alert {
  displayName: string;
  description: string;
  severity: string;
  tactics: string[];
  entities: AlertEntity[];
  /** Custom detail key → values (Sentinel stores every custom detail as a list of strings). */
  customDetails: Record<string, string[]>;
  /** How many result rows this alert stands for (1 per AlertPerResult alert; all rows for a SingleAlert). */
  eventCount: number;
}

export interface Simulation {
  /** Result rows of the query over the rule's window. */
  rows: number;
  triggered: boolean;
  alerts: Alert[];
  /** Window the rule looked at (ISO), for display. */
  window: { start: string; end: string };
}

// ---------- run results ----------

export type CaseStatus = "pass" | "fail" | "error";

export interface CaseResult {
  /** `<content name> › <case name>` — the vitest test name too. */
  title: string;
  contentName: string;
  caseName: string;
  testFile: string;
  line: number;
  column: number;
  status: CaseStatus;
  /** Readable failure text (expected vs actual diff) or error message. */
  message?: string;
  durationMs: number;
  kind?: CaseKind;
}
