// Watchlists a content test (or `scac simulate --watchlist`) supplies: the schema set whose `_GetWatchlist(alias)`
// returns them, their items shaped as Sentinel returns them (SearchKey, WatchlistItem bag, _DTItemId,
// LastUpdatedTimeUTC, the item columns), and the check that a query reads only watchlists it was given.
import { createHash } from "node:crypto";
import type { Diagnostic } from "../diagnostics.js";
import { coerceRows } from "../kql/data.js";
import { analyze } from "../kql/frontend.js";
import { kusto, toArray, type KAny } from "../kql/kusto.js";
import { WATCHLIST_ALIAS_COLUMN, WATCHLIST_ITEMS_TABLE, withWatchlistItems } from "../schemas/loader.js";
import type { ColumnSchema, SchemaSet, WatchlistSchema } from "../schemas/model.js";
import type { TestCase, TestFile, WatchlistSpec } from "./model.js";
import { diag, resolveRelativeTime, rowLocation, type CaseTable } from "./tables.js";

export interface CaseWatchlists {
  /** The schema set the case runs against (the input set when no watchlist is supplied). */
  schemas: SchemaSet;
  /** The items of every supplied watchlist, for the hidden items table (undefined when none is supplied). */
  table?: CaseTable;
  /** Supplied aliases. */
  aliases: Set<string>;
  diagnostics: Diagnostic[];
}

/** Item columns Sentinel derives; a row may set only _DTItemId and LastUpdatedTimeUTC itself. */
const DERIVED = new Set(["SearchKey", "WatchlistItem"]);
const OVERRIDABLE = new Set(["_DTItemId", "LastUpdatedTimeUTC"]);

/** Derived schema sets per base set and watchlist column signature (rows do not change the schema). */
const derivedCache = new WeakMap<SchemaSet, Map<string, ReturnType<typeof withWatchlistItems>>>();

/** The watchlists of a case (the file's, each replaced by the case's of the same alias), validated. */
export function caseWatchlists(tf: TestFile, tc: TestCase, base: SchemaSet, nowTicks: bigint): CaseWatchlists {
  const specs = new Map([...tf.watchlists, ...tc.watchlists]);
  const aliases = new Set(specs.keys());
  if (specs.size === 0) return { schemas: base, aliases, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const at = (spec: WatchlistSpec, message: string) => diagnostics.push(diag(tf.file, spec.pos, `case '${tc.name}': ${message}`));
  const items = new Map<string, { spec: WatchlistSpec; columns: ColumnSchema[] }>();
  const undeclared: WatchlistSchema[] = [];
  for (const [alias, spec] of specs) {
    const declared = base.watchlists.get(alias)?.columns;
    // Undeclared watchlists: the given types, else text for every column the rows use (Sentinel keeps CSV text).
    const columns = declared ?? spec.columns ?? inferTextColumns(spec.rows);
    const clash = columns.find((c) => DERIVED.has(c.name) || OVERRIDABLE.has(c.name) || c.name === WATCHLIST_ALIAS_COLUMN);
    if (clash) { at(spec, `watchlist '${alias}': '${clash.name}' is a column Sentinel adds, not an item column`); continue; }
    if (spec.searchKey !== undefined && !columns.some((c) => c.name === spec.searchKey)) {
      at(spec, `watchlist '${alias}': searchKey '${spec.searchKey}' is not one of its columns (${columns.map((c) => c.name).join(", ") || "none"})`);
      continue;
    }
    if (!declared) undeclared.push({ alias, columns, source: tf.file });
    items.set(alias, { spec, columns });
  }
  const sig = undeclared.map((w) => `${w.alias}(${w.columns.map((c) => `${c.name}:${c.type}`).join(",")})`).join(";");
  let perBase = derivedCache.get(base);
  if (!perBase) { perBase = new Map(); derivedCache.set(base, perBase); }
  let derived = perBase.get(sig);
  if (!derived) { derived = withWatchlistItems(base, undeclared); perBase.set(sig, derived); }
  if ("error" in derived) {
    at([...specs.values()][0]!, derived.error);
    return { schemas: base, aliases, diagnostics };
  }
  const tableColumns = [{ name: WATCHLIST_ALIAS_COLUMN, type: "string" as const }, ...derived.columns];
  const rows: Record<string, unknown>[] = [];
  for (const [alias, { spec, columns }] of items) rows.push(...itemRows(tf, tc, alias, spec, columns, tableColumns, nowTicks, diagnostics));
  return { schemas: derived.schemas, table: { name: WATCHLIST_ITEMS_TABLE, columns: tableColumns, rows }, aliases, diagnostics };
}

function inferTextColumns(rows: Record<string, unknown>[]): ColumnSchema[] {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!OVERRIDABLE.has(k)) names.add(k);
  return [...names].map((name) => ({ name, type: "string" }));
}

/** A value as the text Sentinel keeps in the WatchlistItem bag (CSV cells are text). */
function asText(v: unknown): string {
  if (v === null || v === undefined) return "";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** A stable GUID per watchlist item (Sentinel's _DTItemId is the item's GUID). */
function itemId(alias: string, i: number): string {
  const h = createHash("sha256").update(`${alias}\0${i}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function itemRows(tf: TestFile, tc: TestCase, alias: string, spec: WatchlistSpec, columns: ColumnSchema[], tableColumns: ColumnSchema[], nowTicks: bigint, diagnostics: Diagnostic[]): Record<string, unknown>[] {
  const known = new Set(columns.map((c) => c.name));
  const types = new Map(columns.map((c) => [c.name, c.type]));
  const searchKey = spec.searchKey ?? columns[0]?.name;
  const out: Record<string, unknown>[] = [];
  spec.rows.forEach((raw, i) => {
    const loc = rowLocation({ testFile: tf }, spec, i);
    const where = `case '${tc.name}': watchlist '${alias}' ${loc.label}`;
    const bad = Object.keys(raw).find((k) => !known.has(k) && !OVERRIDABLE.has(k));
    if (bad) {
      const near = columns.find((c) => c.name.toLowerCase() === bad.toLowerCase());
      const why = DERIVED.has(bad) ? ` (${bad} is derived from the item${bad === "SearchKey" ? "'s searchKey column" : "'s columns"})` : near ? ` (did you mean '${near.name}'?)` : "";
      diagnostics.push(diag(loc.file, loc.pos, `${where}: unknown column '${bad}'${why}`));
      return;
    }
    const row: Record<string, unknown> = {
      [WATCHLIST_ALIAS_COLUMN]: alias,
      _DTItemId: raw._DTItemId ?? itemId(alias, i),
      LastUpdatedTimeUTC: resolveRelativeTime(raw.LastUpdatedTimeUTC ?? "now", nowTicks),
      SearchKey: searchKey === undefined ? "" : asText(raw[searchKey]),
      WatchlistItem: Object.fromEntries(columns.map((c) => [c.name, asText(raw[c.name])])),
    };
    for (const c of columns) if (raw[c.name] !== undefined) row[c.name] = types.get(c.name) === "datetime" ? resolveRelativeTime(raw[c.name], nowTicks) : raw[c.name];
    try {
      coerceRows([row], tableColumns, "");
    } catch (e) {
      const m = /column '([^']+)': (.*)$/.exec((e as Error).message);
      diagnostics.push(diag(loc.file, loc.pos, `${where}, ${m ? `column '${m[1]}': ${m[2]}` : (e as Error).message}`));
      return;
    }
    out.push(row);
  });
  return out;
}

export interface WatchlistRead {
  /** The alias when it is a constant. */
  alias?: string;
  keys: boolean;
  /** Position in the query text given (1-based). */
  line: number;
  column: number;
}

const readsCache = new WeakMap<SchemaSet, Map<string, WatchlistRead[]>>();

/** `_GetWatchlist(...)` calls in a query (as bound against `schemas`). */
export function watchlistReads(query: string, schemas: SchemaSet): WatchlistRead[] {
  if (!query.includes("_GetWatchlist")) return [];
  let perSet = readsCache.get(schemas);
  if (!perSet) { perSet = new Map(); readsCache.set(schemas, perSet); }
  const hit = perSet.get(query);
  if (hit) return hit;
  const code = analyze(query, schemas).code;
  const K = kusto();
  const callKind = K.Syntax.SyntaxKind.FunctionCallExpression as number;
  const out: WatchlistRead[] = [];
  K.Syntax.SyntaxElement.WalkNodes(code.Syntax, (n: KAny) => {
    if (n.Kind !== callKind || n.ReferencedSymbol?.Name !== "_GetWatchlist") return;
    const args = toArray(n.ArgumentList?.Expressions).map((e: KAny) => e.Element);
    const line = { v: 0 }, col = { v: 0 };
    code.TryGetLineAndOffset(n.TextStart, line, col);
    const alias = args[0]?.ConstantValue;
    out.push({ alias: typeof alias === "string" ? alias : undefined, keys: args.length > 1, line: line.v, column: col.v });
  });
  perSet.set(query, out);
  return out;
}

/**
 * Why the query cannot run with the supplied watchlists, or undefined: a constant alias that is not supplied
 * (an empty result would make a detection test pass or fail for the wrong reason; supply `rows: []` to test an
 * empty watchlist), or the `keys` argument, whose filtering is not modelled. `lineOffset` lines of prelude are
 * subtracted from positions.
 */
export function watchlistProblem(query: string, schemas: SchemaSet, supplied: ReadonlySet<string>, lineOffset = 0): string | undefined {
  for (const r of watchlistReads(query, schemas)) {
    const pos = `line ${r.line - lineOffset}, column ${r.column}`;
    if (r.keys) return `unsupported: _GetWatchlist with a keys argument (query ${pos}): its SearchKey filter is not modelled`;
    if (r.alias !== undefined && !supplied.has(r.alias)) {
      const near = [...supplied].find((a) => a.toLowerCase() === r.alias!.toLowerCase());
      return `the query reads watchlist '${r.alias}' (_GetWatchlist at query ${pos}) but the test does not supply it: add watchlists: { ${r.alias}: { searchKey: …, rows: […] } } (rows: [] for an empty watchlist)${near ? `; aliases are case-sensitive — '${near}' is supplied` : ""}`;
    }
  }
  return undefined;
}
