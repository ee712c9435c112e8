// Table, function and watchlist schemas that queries are analysed and executed against.
// One format (documented in the README) plus Azure-Sentinel's CustomTables JSON for migrating teams.
import type { KqlType } from "../kql/values.js";

export interface ColumnSchema {
  name: string;
  type: KqlType;
  description?: string;
}

export interface TableSchema {
  name: string;
  columns: ColumnSchema[];
  /** Where it was declared (file path), for diagnostics. */
  source?: string;
}

/** A workspace function (ASIM parser, saved function) as Kusto.Language declares it. */
export interface FunctionSchema {
  name: string;
  /** Parameter list in Kusto syntax, e.g. "(starttime:datetime=datetime(null), srcipaddr:string='*')" or "()". */
  parameters: string;
  /** Body in Kusto syntax, e.g. "{ datatable(SearchKey:string)[] }"; lets the binder infer the result schema. */
  body: string;
  description?: string;
  source?: string;
}

/** A Sentinel watchlist: `_GetWatchlist('alias')` returns SearchKey plus these columns. */
export interface WatchlistSchema {
  alias: string;
  columns: ColumnSchema[];
  source?: string;
}

export interface SchemaSet {
  tables: Map<string, TableSchema>;
  functions: Map<string, FunctionSchema>;
  watchlists: Map<string, WatchlistSchema>;
}

export function emptySchemaSet(): SchemaSet {
  return { tables: new Map(), functions: new Map(), watchlists: new Map() };
}
