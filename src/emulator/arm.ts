// The emulated resource providers: alert rules and metadata (Microsoft.SecurityInsights), saved searches and
// tables (Microsoft.OperationalInsights). Pure state transitions over the Store; HTTP plumbing is in server.ts.
import { ArmError, badRequest } from "./errors.js";
import type { ArmRoute } from "./routes.js";
import { createHash } from "node:crypto";
import type { FunctionSchema, WatchlistSchema } from "../schemas/model.js";
import { workspaceId, type ArmResource, type CollectionName, type Store, type TableDef, type WorkspaceRef, type WorkspaceState } from "./store.js";

/** api-versions accepted per resource type (those whose OpenAPI definitions ship in data/arm-specs). */
export const API_VERSIONS: Record<ArmRoute["kind"], readonly string[]> = {
  alertRules: ["2025-07-01-preview", "2025-09-01"],
  // Metadata.json ships for the preview only; the stable version has the same body shape.
  metadata: ["2025-07-01-preview", "2025-09-01"],
  // 2020-08-01 is what @azure/arm-operationalinsights and Sentinel's packager send; body shape unchanged.
  savedSearches: ["2025-02-01", "2020-08-01"],
  tables: ["2022-10-01", "2023-09-01", "2025-02-01"],
  // Read-only views of the schema's watchlists (no OpenAPI definition shipped; not validated).
  watchlists: ["2025-07-01-preview", "2025-09-01"],
  watchlistItems: ["2025-07-01-preview", "2025-09-01"],
};

export const ARM_TYPES: Record<ArmRoute["kind"], string> = {
  alertRules: "Microsoft.SecurityInsights/alertRules",
  metadata: "Microsoft.SecurityInsights/metadata",
  savedSearches: "Microsoft.OperationalInsights/savedSearches",
  tables: "Microsoft.OperationalInsights/workspaces/tables",
  watchlists: "Microsoft.SecurityInsights/Watchlists",
  watchlistItems: "Microsoft.SecurityInsights/Watchlists/WatchlistItems",
};

export function checkApiVersion(kind: ArmRoute["kind"], version: string | null): void {
  const ok = API_VERSIONS[kind];
  if (!version) {
    throw new ArmError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
  }
  if (!ok.includes(version)) {
    throw new ArmError(400, "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported versions are '${ok.join(",")}'.`);
  }
}

export function resourceId(ws: WorkspaceRef, kind: ArmRoute["kind"], name: string): string {
  const base = workspaceId(ws);
  return kind === "alertRules" || kind === "metadata" || kind === "watchlists"
    ? `${base}/providers/Microsoft.SecurityInsights/${kind}/${name}`
    : `${base}/${kind}/${name}`;
}

export function notFound(ws: WorkspaceRef, kind: ArmRoute["kind"], name: string): ArmError {
  return new ArmError(404, "ResourceNotFound",
    `The Resource '${ARM_TYPES[kind]}/${name}' under resource group '${ws.resourceGroup}' was not found.`);
}

export function workspaceNotFound(ws: WorkspaceRef): ArmError {
  return new ArmError(404, "ResourceNotFound",
    `The Resource 'Microsoft.OperationalInsights/workspaces/${ws.workspace}' under resource group '${ws.resourceGroup}' was not found.`);
}

export interface Principal {
  name: string;
  type: "User" | "Application";
}

export const API_CLIENT: Principal = { name: "scac-emulator-client", type: "Application" };
export const PORTAL_USER: Principal = { name: "analyst@contoso.example", type: "User" };

/** Generates etags in each provider's style: Sentinel uses quoted GUID-like strings, Log Analytics weak datetime tags. */
export class EtagFactory {
  private lastTicks = 0n;
  private counter = 0;
  constructor(private readonly randomHex: (n: number) => string) {}

  next(kind: CollectionName): string {
    if (kind === "savedSearches") {
      // 100 ns ticks, strictly increasing so two writes in the same millisecond still differ.
      let ticks = BigInt(Date.now()) * 10_000n;
      if (ticks <= this.lastTicks) ticks = this.lastTicks + 1n;
      this.lastTicks = ticks;
      const ms = ticks / 10_000n;
      const frac = (ticks % 10_000_000n).toString().padStart(7, "0");
      const iso = new Date(Number(ms)).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
      return `W/"datetime'${encodeURIComponent(iso)}'"`;
    }
    this.counter = (this.counter + 1) % 0x10000;
    return `"${this.randomHex(4)}${this.counter.toString(16).padStart(4, "0")}-0000-0100-0000-${Math.floor(Date.now() / 1000).toString(16).padStart(8, "0")}0000"`;
  }
}

export interface PutContext {
  store: Store;
  etags: EtagFactory;
  principal: Principal;
  /** Honour etag preconditions (false for control-endpoint seeding). */
  checkEtags: boolean;
  /** Require `etag` ("*" or current) to overwrite a saved search, as the Log Analytics docs describe. */
  savedSearchEtagRequired: boolean;
  ifMatch?: string;
  ifNoneMatch?: string;
  now?: Date;
}

export interface PutResult {
  status: 200 | 201;
  resource: ArmResource;
  created: boolean;
}

/**
 * Create or replace a resource from an already-validated body (kind/properties/etag). Applies etag
 * preconditions and fills the server-managed fields.
 */
export function putResource(ctx: PutContext, route: ArmRoute & { kind: CollectionName; name: string }, body: Record<string, unknown>): PutResult {
  const ws = ctx.store.ensure(route.ws);
  const coll = ws[route.kind];
  const key = route.name.toLowerCase();
  const existing = coll.get(key);
  if (ctx.checkEtags) checkPreconditions(ctx, route, existing, body);
  if (route.kind === "alertRules" && existing && existing.kind !== body.kind) {
    throw badRequest(`The kind of alert rule '${route.name}' cannot be changed from '${String(existing.kind)}' to '${String(body.kind)}'. Delete the rule and create it again.`);
  }
  const now = (ctx.now ?? new Date()).toISOString();
  const name = existing?.name ?? route.name;
  const properties = { ...((body.properties as Record<string, unknown>) ?? {}) };
  if (route.kind === "alertRules") properties.lastModifiedUtc = now;
  const resource: ArmResource = {
    id: resourceId(ws, route.kind, name),
    name,
    type: ARM_TYPES[route.kind],
    etag: ctx.etags.next(route.kind),
    ...(body.kind !== undefined ? { kind: body.kind } : {}),
    properties,
  };
  if (route.kind !== "savedSearches") {
    const created = (existing?.systemData as Record<string, string> | undefined) ?? {
      createdBy: ctx.principal.name, createdByType: ctx.principal.type, createdAt: now,
    };
    resource.systemData = {
      createdBy: created.createdBy, createdByType: created.createdByType, createdAt: created.createdAt,
      lastModifiedBy: ctx.principal.name, lastModifiedByType: ctx.principal.type, lastModifiedAt: now,
    };
  }
  coll.set(key, resource);
  // Saved searches: the spec declares only 200 for PUT (the SDK throws on 201).
  const status = existing || route.kind === "savedSearches" ? 200 : 201;
  return { status, resource, created: !existing };
}

function checkPreconditions(ctx: PutContext, route: ArmRoute & { kind: CollectionName; name: string },
  existing: ArmResource | undefined, body: Record<string, unknown>): void {
  const label = ARM_TYPES[route.kind];
  if (ctx.ifMatch !== undefined && ctx.ifMatch !== "*" && ctx.ifMatch !== existing?.etag) {
    throw new ArmError(412, "PreconditionFailed",
      `The If-Match header '${ctx.ifMatch}' does not match the current etag of ${label} '${route.name}'.`);
  }
  if (ctx.ifMatch === "*" && !existing) {
    throw new ArmError(412, "PreconditionFailed", `${label} '${route.name}' does not exist (If-Match: *).`);
  }
  if (ctx.ifNoneMatch === "*" && existing) {
    throw new ArmError(412, "PreconditionFailed", `${label} '${route.name}' already exists (If-None-Match: *).`);
  }
  const etag = body.etag;
  if (typeof etag === "string" && etag !== "" && etag !== "*") {
    if (!existing) {
      throw new ArmError(409, "Conflict", `${label} '${route.name}' does not exist, but the request carries etag ${etag}. Omit the etag to create it.`);
    }
    if (etag !== existing.etag) {
      throw new ArmError(409, "Conflict",
        `The etag ${etag} does not match the current etag ${existing.etag} of ${label} '${route.name}': it was modified since it was read. Read it again and retry.`);
    }
  } else if (route.kind === "savedSearches" && existing && ctx.savedSearchEtagRequired && etag !== "*") {
    throw new ArmError(409, "Conflict",
      `Saved search '${route.name}' already exists. To override an existing saved search, use '*' or specify the current etag.`);
  }
}

export function deleteResource(store: Store, route: ArmRoute & { kind: CollectionName; name: string }): boolean {
  const ws = store.get(route.ws);
  return ws?.[route.kind].delete(route.name.toLowerCase()) ?? false;
}

export function getResource(ws: WorkspaceState | undefined, route: ArmRoute & { kind: CollectionName; name: string }): ArmResource {
  const r = ws?.[route.kind].get(route.name.toLowerCase());
  if (!r) throw notFound(route.ws, route.kind, route.name);
  return r;
}

// ---- workspace functions ----------------------------------------------------------------------------------

/**
 * A declared workspace function as Log Analytics lists it: a saved search with `functionAlias` (that is how
 * parsers and solution functions live in a workspace). Read-only: the emulator derives it from the schema.
 */
export function functionSavedSearch(ws: WorkspaceRef, f: FunctionSchema): ArmResource {
  const body = f.body.trim().replace(/^\{([\s\S]*)\}$/, "$1").trim();
  const params = f.parameters.trim().replace(/^\(([\s\S]*)\)$/, "$1").trim();
  const name = `function-${f.name}`;
  return {
    id: resourceId(ws, "savedSearches", name),
    name,
    type: ARM_TYPES.savedSearches,
    etag: `W/"datetime'2024-01-01T00%3A00%3A00.0000000Z'"`,
    properties: {
      category: "Functions",
      displayName: f.description || f.name,
      query: body,
      functionAlias: f.name,
      ...(params ? { functionParameters: params } : {}),
      version: 2,
    },
  };
}

// ---- watchlists ---------------------------------------------------------------------------------------------

const stableGuid = (text: string): string => {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** A declared watchlist as the Sentinel watchlists API returns it (read-only, derived from the schema). */
export function watchlistResource(ws: WorkspaceRef, w: WatchlistSchema): Record<string, unknown> {
  const own = w.columns.filter((c) => !["_DTItemId", "LastUpdatedTimeUTC", "SearchKey", "WatchlistItem"].includes(c.name));
  return {
    id: resourceId(ws, "watchlists", w.alias),
    name: w.alias,
    type: ARM_TYPES.watchlists,
    etag: `"${stableGuid(`etag:${w.alias}`)}"`,
    properties: {
      watchlistId: stableGuid(`watchlist:${w.alias}`),
      displayName: w.alias,
      watchlistAlias: w.alias,
      provider: "Microsoft",
      source: "Local file",
      itemsSearchKey: own[0]?.name ?? "SearchKey",
      contentType: "text/csv",
      numberOfLinesToSkip: 0,
      watchlistType: "watchlist",
      isDeleted: false,
      labels: [],
      uploadStatus: "Complete",
    },
  };
}

/** One item whose keys are the watchlist's columns (values empty): enough to read the watchlist's shape. */
export function watchlistItemResources(ws: WorkspaceRef, w: WatchlistSchema): Record<string, unknown>[] {
  const own = w.columns.filter((c) => !["_DTItemId", "LastUpdatedTimeUTC", "SearchKey", "WatchlistItem"].includes(c.name));
  const id = stableGuid(`item:${w.alias}`);
  return [{
    id: `${resourceId(ws, "watchlists", w.alias)}/watchlistItems/${id}`,
    name: id,
    type: ARM_TYPES.watchlistItems,
    etag: `"${stableGuid(`etag:item:${w.alias}`)}"`,
    properties: {
      watchlistItemType: "watchlist-item",
      watchlistItemId: id,
      isDeleted: false,
      itemsKeyValue: Object.fromEntries(own.map((c) => [c.name, ""])),
      entityMapping: {},
    },
  }];
}

// ---- tables -------------------------------------------------------------------------------------------

/** Log Analytics column types are camel-cased on the wire (`dateTime`, `boolean`). */
const LA_TYPES: Record<string, string> = { datetime: "dateTime", bool: "boolean", boolean: "boolean" };

export function tableResource(ws: WorkspaceRef, t: TableDef): Record<string, unknown> {
  const custom = /_CL$/i.test(t.name);
  const columns = t.columns.map((c) => ({ name: c.name, type: LA_TYPES[c.type.toLowerCase()] ?? c.type.toLowerCase() }));
  return {
    id: resourceId(ws, "tables", t.name),
    name: t.name,
    type: ARM_TYPES.tables,
    properties: {
      retentionInDays: 30,
      totalRetentionInDays: 30,
      archiveRetentionInDays: 0,
      plan: "Analytics",
      provisioningState: "Succeeded",
      retentionInDaysAsDefault: true,
      totalRetentionInDaysAsDefault: true,
      // Like the service: a Microsoft table's built-in columns are `standardColumns`; `columns` holds the
      // custom ones (all columns of a *_CL table).
      schema: custom
        ? { name: t.name, tableType: "CustomLog", tableSubType: "DataCollectionRuleBased", columns, standardColumns: [{ name: "TenantId", type: "guid" }] }
        : { name: t.name, tableType: "Microsoft", tableSubType: "Any", columns: [], standardColumns: columns },
    },
  };
}
