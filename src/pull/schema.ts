// `scac schema pull`: a workspace's tables (Log Analytics tables API: `columns` + `standardColumns`, custom
// `_CL` tables included), functions (saved searches with functionAlias) and watchlists (Sentinel watchlists API,
// columns from an item's keys) → a lock file in the scac schema format (docs/lint.md), sorted so a re-pull of an
// unchanged workspace produces the same bytes.
import { Document } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import type { ArmClient, ClientOptions } from "../deploy/arm-client.js";
import { ArmRequestError, ArmTransportError } from "../deploy/arm-client.js";
import { savedSearchesPath, tablesPath, workspacePath } from "../deploy/arm-paths.js";
import type { WorkspaceTarget } from "../deploy/workspaces.js";
import { normalizeTypeName, type KqlType } from "../kql/values.js";
import { openWorkspace } from "./workspace.js";

export interface LockTable { name: string; columns: [string, KqlType][] }
export interface LockFunction { name: string; parameters: string; body: string; description?: string }
export interface LockWatchlist { alias: string; columns: [string, KqlType][] }
export interface SchemaLock { tables: LockTable[]; functions: LockFunction[]; watchlists: LockWatchlist[] }

/** Columns Sentinel adds to every `_GetWatchlist()` row (the loader declares them itself). */
const WATCHLIST_BASE = new Set(["_DTItemId", "LastUpdatedTimeUTC", "SearchKey", "WatchlistItem"]);

function typeOf(t: unknown): KqlType {
  return (typeof t === "string" && normalizeTypeName(t)) || "dynamic";
}

export async function readSchema(client: ArmClient, target: WorkspaceTarget, diagnostics: Diagnostic[], watchlistApiVersion = target.apiVersions.alertRules): Promise<SchemaLock> {
  const tables = (await client.list(tablesPath(target), target.apiVersions.tables)) as Record<string, unknown>[];
  const lock: SchemaLock = { tables: [], functions: [], watchlists: [] };
  for (const t of tables) {
    const schema = ((t.properties as Record<string, unknown> | undefined)?.schema ?? {}) as { columns?: unknown; standardColumns?: unknown };
    const cols = new Map<string, KqlType>();
    // Readers must merge both lists: a Microsoft table's columns are its standardColumns.
    for (const list of [schema.standardColumns, schema.columns]) {
      for (const c of Array.isArray(list) ? (list as { name?: unknown; type?: unknown }[]) : []) {
        if (typeof c?.name === "string" && !cols.has(c.name)) cols.set(c.name, typeOf(c.type));
      }
    }
    const name = String(t.name ?? "");
    if (name) lock.tables.push({ name, columns: [...cols] });
  }
  const searches = (await client.list(savedSearchesPath(target), target.apiVersions.savedSearches)) as Record<string, unknown>[];
  for (const s of searches) {
    const p = (s.properties ?? {}) as Record<string, unknown>;
    if (typeof p.functionAlias !== "string" || !p.functionAlias || typeof p.query !== "string") continue;
    const params = typeof p.functionParameters === "string" ? p.functionParameters.trim() : "";
    const f: LockFunction = { name: p.functionAlias, parameters: `(${params.replace(/^\((.*)\)$/s, "$1")})`, body: `{ ${p.query.trim()} }` };
    if (typeof p.displayName === "string" && p.displayName !== p.functionAlias) f.description = p.displayName;
    lock.functions.push(f);
  }
  const wlPath = `${workspacePath(target)}/providers/Microsoft.SecurityInsights/watchlists`;
  try {
    const lists = (await client.list(wlPath, watchlistApiVersion)) as Record<string, unknown>[];
    for (const w of lists) {
      const p = (w.properties ?? {}) as Record<string, unknown>;
      const alias = String(p.watchlistAlias ?? w.name ?? "");
      if (!alias) continue;
      // One page of items is enough: every item of a watchlist has the same keys (the CSV header).
      const r = await client.request("GET", `${wlPath}/${encodeURIComponent(alias)}/watchlistItems`, watchlistApiVersion);
      const first = ((r.body as { value?: { properties?: { itemsKeyValue?: Record<string, unknown> } }[] } | undefined)?.value ?? [])[0];
      const keys = Object.keys(first?.properties?.itemsKeyValue ?? {}).filter((k) => !WATCHLIST_BASE.has(k));
      if (r.error || !first) {
        diagnostics.push({ file: "", line: 0, column: 0, rule: "schema/watchlist-items", severity: "warning", message: `workspace '${target.name}': watchlist ${alias}: ${r.error ? `cannot read items (HTTP ${r.status} ${r.error.code})` : "has no items"}; its columns are unknown (declared with none)` });
      }
      lock.watchlists.push({ alias, columns: keys.map((k) => [k, "string"]) });
    }
  } catch (e) {
    if (!(e instanceof ArmRequestError)) throw e;
    diagnostics.push({ file: "", line: 0, column: 0, rule: "schema/watchlists", severity: "warning", message: `workspace '${target.name}': watchlists not read (HTTP ${e.status} ${e.code}: ${e.message}); the lock file declares none` });
  }
  const by = <T>(key: (x: T) => string) => (a: T, b: T) => key(a).toLowerCase().localeCompare(key(b).toLowerCase()) || key(a).localeCompare(key(b));
  lock.tables.sort(by((t) => t.name));
  lock.functions.sort(by((f) => f.name));
  lock.watchlists.sort(by((w) => w.alias));
  return lock;
}

/** The lock file text (scac schema format, columns as `name: type` mappings). */
export function renderLock(lock: SchemaLock, target: Pick<WorkspaceTarget, "name" | "resourceGroup" | "workspace">): string {
  const data = {
    description: `Schema of workspace '${target.name}' (${target.resourceGroup}/${target.workspace}): tables, functions and watchlists as the workspace reports them. Generated by \`scac schema pull --workspace ${target.name}\`; regenerate rather than edit.`,
    tables: lock.tables.map((t) => ({ name: t.name, columns: Object.fromEntries(t.columns) })),
    functions: lock.functions,
    watchlists: lock.watchlists.map((w) => ({ alias: w.alias, columns: Object.fromEntries(w.columns) })),
  };
  return new Document(data).toString({ lineWidth: 0 });
}

export interface SchemaPullResult {
  lock?: SchemaLock;
  text?: string;
  target?: WorkspaceTarget;
  diagnostics: Diagnostic[];
}

export async function schemaPull(workspacesFile: string, workspace: string, client?: ClientOptions): Promise<SchemaPullResult> {
  const opened = await openWorkspace(workspacesFile, workspace, client);
  const diagnostics = [...opened.diagnostics];
  if (!opened.value) return { diagnostics };
  const { target, config } = opened.value;
  try {
    const lock = await readSchema(opened.value.client, target, diagnostics);
    return { lock, text: renderLock(lock, target), target, diagnostics };
  } catch (e) {
    if (!(e instanceof ArmRequestError || e instanceof ArmTransportError)) throw e;
    const what = e instanceof ArmRequestError ? `HTTP ${e.status} ${e.code}: ${e.message}` : e.message;
    diagnostics.push({ file: config.file, line: 0, column: 0, rule: "schema/read", severity: "error", message: `workspace '${target.name}': cannot read the schema of ${target.resourceGroup}/${target.workspace} at ${target.endpoint}: ${what}` });
    return { diagnostics };
  } finally {
    await opened.value.close();
  }
}
