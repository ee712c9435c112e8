// Actual state of one workspace, read through the raw ARM client: alert rules, hunting saved searches, scac's
// metadata and the workspace's tables (for the pre-flight). Four list calls, whatever the number of items.
import type { ArmClient } from "./arm-client.js";
import { ArmRequestError, ArmTransportError } from "./arm-client.js";
import { alertRulesPath, metadataCollectionPath, savedSearchesPath, tablesPath } from "./arm-paths.js";
import { HUNTING_CATEGORY, isScacMetadata } from "./desired.js";
import type { ResourceKind } from "./normalize.js";
import type { WorkspaceTarget } from "./workspaces.js";

export interface LiveResource {
  kind: ResourceKind;
  /** Resource name (content id for scac's items), as the service spells it. */
  name: string;
  etag?: string;
  body: Record<string, unknown>;
}

export interface LiveMetadata {
  name: string;
  etag?: string;
  body: Record<string, unknown>;
}

export interface ActualState {
  /** Keyed by `${kind}/${name.toLowerCase()}`. */
  resources: Map<string, LiveResource>;
  /** scac-owned metadata only, keyed by metadata name (lower case). */
  metadata: Map<string, LiveMetadata>;
  /** Table names (lower case); undefined when the tables API could not be read. */
  tables?: Set<string>;
  /** Workspace function aliases (saved searches with functionAlias), lower case. */
  functions: Set<string>;
  /** Why tables are unknown, for an info diagnostic. */
  tablesError?: string;
}

export function resourceKey(kind: ResourceKind, name: string): string {
  return `${kind}/${name.toLowerCase()}`;
}

export class ReadStateError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

export async function readActualState(client: ArmClient, target: WorkspaceTarget): Promise<ActualState> {
  const v = target.apiVersions;
  const what = (label: string) => (e: unknown): never => {
    if (e instanceof ArmRequestError) throw new ReadStateError(`cannot list ${label}: HTTP ${e.status} ${e.code}: ${e.message}`, `deploy/arm-${e.status}`);
    if (e instanceof ArmTransportError) throw new ReadStateError(`cannot list ${label}: ${e.message}`, e.auth ? "deploy/auth" : "deploy/unreachable");
    throw e;
  };
  // Rules first: an unreachable endpoint or bad credentials then fail once, not four times in parallel.
  const rules = await client.list(alertRulesPath(target), v.alertRules).catch(what("alert rules"));
  const [searches, metadata, tables] = await Promise.all([
    client.list(savedSearchesPath(target), v.savedSearches).catch(what("saved searches")),
    client.list(metadataCollectionPath(target), v.metadata).catch(what("metadata")),
    client.list(tablesPath(target), v.tables).then(
      (t) => ({ names: new Set(t.map((x) => String((x as { name?: unknown }).name ?? "").toLowerCase())) }),
      (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
    ),
  ]);
  const state: ActualState = { resources: new Map(), metadata: new Map(), functions: new Set() };
  for (const r of rules as Record<string, unknown>[]) {
    const name = String(r.name ?? "");
    state.resources.set(resourceKey("analyticsRule", name), { kind: "analyticsRule", name, etag: etagOf(r), body: r });
  }
  for (const s of searches as Record<string, unknown>[]) {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    const name = String(s.name ?? "");
    if (typeof props.functionAlias === "string" && props.functionAlias) state.functions.add(props.functionAlias.toLowerCase());
    if (String(props.category ?? "").trim().toLowerCase() !== HUNTING_CATEGORY.toLowerCase()) continue;
    state.resources.set(resourceKey("huntingQuery", name), { kind: "huntingQuery", name, etag: etagOf(s), body: s });
  }
  for (const m of metadata as Record<string, unknown>[]) {
    if (!isScacMetadata(m)) continue;
    const name = String(m.name ?? "");
    state.metadata.set(name.toLowerCase(), { name, etag: etagOf(m), body: m });
  }
  if ("names" in tables) state.tables = tables.names;
  else state.tablesError = tables.error;
  return state;
}

function etagOf(r: Record<string, unknown>): string | undefined {
  return typeof r.etag === "string" ? r.etag : undefined;
}
