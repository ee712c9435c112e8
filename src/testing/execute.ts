// Runs a content item over a case's events the way Sentinel would: parameters bound, the time window applied
// (hunting: the test's time range; analytics: the rule's window at `now`), and for analytics rules the result
// turned into alerts by the Sentinel model. Shared by `scac test`, `scac simulate` and the vitest entry.
import type { ContentItem } from "../content/model.js";
import { bindParameters, ParameterError } from "../content/parameters.js";
import type { ExternalDataSource, QueryResult, RunOptions } from "../kql/api.js";
import { runQuery } from "../kql/engine.js";
import { KqlError } from "../kql/api.js";
import { formatDatetime, parseTimespan } from "../kql/values.js";
import type { SchemaSet } from "../schemas/model.js";
import type { Simulation } from "./model.js";
import { RuleError, ruleWindow, simulateAlerts } from "./sentinel.js";
import { windowRows, type CaseTable } from "./tables.js";
import { watchlistProblem } from "./watchlists.js";


export interface TimeRange {
  start: bigint;
  end: bigint;
}

/** Hunting time range: explicit start/end, or `lookback` before now (default 7d). */
export function huntingRange(range: { lookback?: string; start?: string; end?: string }, now: bigint, parse: (s: string) => bigint): TimeRange {
  if (range.start && range.end) return { start: parse(range.start), end: parse(range.end) };
  const lb = parseTimespan(range.lookback ?? "7d");
  if (lb === null) throw new RuleError(`timeRange '${range.lookback}' is not a duration`);
  return { start: now - lb, end: now };
}

/** `{{StartTimeISO}}` / `{{EndTimeISO}}` as Azure-Sentinel solution hunting queries use them. */
export function substituteTimePlaceholders(query: string, range: TimeRange): string {
  return query.replace(/\{\{StartTimeISO\}\}/g, formatDatetime(range.start)).replace(/\{\{EndTimeISO\}\}/g, formatDatetime(range.end));
}

export interface Execution {
  result: QueryResult;
  /** Analytics rules only. */
  simulation?: Simulation;
  /** The query text actually run (prelude + query), for error positions. */
  query: string;
  preludeLines: number;
}

export interface ExecuteInput {
  item: ContentItem;
  tables: CaseTable[];
  parameters: Record<string, unknown>;
  now: bigint;
  schemas: SchemaSet;
  /** Hunting queries: the time range (ignored for analytics rules, which use their own window). */
  huntingRange?: TimeRange;
  /** externaldata URL → what it returns (an unmapped URL is a runtime error of the engine). */
  externalData?: Record<string, ExternalDataSource>;
  /** Watchlist aliases supplied; reading any other (constant) alias is an error. */
  watchlists?: ReadonlySet<string>;
  /** The engine that runs the query: the local engine by default; `scac test --engine kusto` passes a real Kusto (src/kusto). */
  engine?: (kql: string, opts: RunOptions) => QueryResult | Promise<QueryResult>;
}

/** Thrown for problems of the content or the case (not of scac): reported as a failing case with this text. */
export class ExecutionError extends Error {}

export async function execute(input: ExecuteInput): Promise<Execution> {
  const { item, now } = input;
  let bound: { query: string; prelude: { lines: number } };
  try {
    bound = bindParameters(item.query, item.parameters, input.parameters);
  } catch (e) {
    if (e instanceof ParameterError) throw new ExecutionError(e.message);
    throw e;
  }
  let window: TimeRange & { startInclusive: boolean };
  let analyticsWindow: ReturnType<typeof ruleWindow> | undefined;
  let query = bound.query;
  try {
    if (item.kind === "analytics") {
      analyticsWindow = ruleWindow(item, now);
      window = { start: analyticsWindow.start, end: analyticsWindow.end, startInclusive: false };
    } else {
      const r = input.huntingRange ?? { start: now - 7n * 864_000_000_000n, end: now };
      window = { ...r, startInclusive: true };
      query = substituteTimePlaceholders(query, r);
    }
  } catch (e) {
    if (e instanceof RuleError) throw new ExecutionError(e.message);
    throw e;
  }
  const problem = watchlistProblem(query, input.schemas, input.watchlists ?? new Set(), bound.prelude.lines);
  if (problem) throw new ExecutionError(problem);
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const t of input.tables) tables[t.name] = windowRows(t, window.start, window.end, window.startInclusive);
  let result: QueryResult;
  try {
    result = await (input.engine ?? runQuery)(query, { tables, now, schemas: input.schemas, seed: 1, externalData: input.externalData });
  } catch (e) {
    if (e instanceof KqlError) {
      const line = e.line > bound.prelude.lines ? e.line - bound.prelude.lines : e.line;
      const where = e.line > 0 ? (e.line > bound.prelude.lines ? ` (query line ${line}, column ${e.column})` : ` (parameter prelude line ${e.line})`) : "";
      throw new ExecutionError(`KQL ${e.kind} error${where}: ${e.message}`);
    }
    throw e;
  }
  const out: Execution = { result, query, preludeLines: bound.prelude.lines };
  if (analyticsWindow) {
    try {
      out.simulation = simulateAlerts(item, result, analyticsWindow);
    } catch (e) {
      if (e instanceof RuleError) throw new ExecutionError(e.message);
      throw e;
    }
  }
  return out;
}
