// Pre-flight: the tables a query reads must exist in the target workspace. The service checks this at PUT time
// and answers an opaque 400 ("One of the tables does not exist"); scac names the table before sending.
// Table references come from Kusto.Language: a query analysed against an empty schema reports every table name
// it reads as KS204 ("does not refer to any known table"). Analysed once per distinct query, then checked by
// set membership per workspace.
import { analyze } from "../kql/frontend.js";
import { emptySchemaSet } from "../schemas/model.js";

const cache = new Map<string, string[]>();
const EMPTY = emptySchemaSet();
/** ASIM parsers (imProcessCreate, _Im_Dns, ASimDnsActivityLogs, _ASim_…) are built into every Sentinel workspace. */
const BUILT_IN_FUNCTION = /^(_?im[A-Z_]|_?asim[A-Z_]|_Im_|_ASim_)/;

/** Names the query reads as tables (or table-like functions), in first-use order. */
export function tablesReadBy(query: string): string[] {
  let names = cache.get(query);
  if (!names) {
    const seen = new Set<string>();
    for (const d of analyze(query, EMPTY).diagnostics) {
      if (d.code !== "KS204") continue;
      const m = /The name '([^']+)'/.exec(d.message);
      if (m && !BUILT_IN_FUNCTION.test(m[1]!)) seen.add(m[1]!);
    }
    names = [...seen];
    cache.set(query, names);
  }
  return names;
}

/** Tables the query reads that the workspace has neither as a table nor as a function alias. */
export function missingTables(query: string, tables: ReadonlySet<string>, functions: ReadonlySet<string>): string[] {
  return tablesReadBy(query).filter((t) => !tables.has(t.toLowerCase()) && !functions.has(t.toLowerCase()));
}
