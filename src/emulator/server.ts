// `scac emulator`: a local HTTP server that behaves like ARM for the endpoints scac uses (Sentinel alert rules
// and metadata, Log Analytics saved searches and tables) under any subscription/resource group/workspace.
// Realism knobs: latency, ARM token-bucket throttling, injected faults, persisted state. Control endpoints
// live under /_emulator/ and are not counted, throttled or faulted.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SchemaSet } from "../schemas/model.js";
import {
  API_CLIENT, ARM_TYPES, EtagFactory, PORTAL_USER, checkApiVersion, deleteResource, functionSavedSearch, getResource, putResource,
  tableResource, watchlistItemResources, watchlistResource, workspaceNotFound, type Principal,
} from "./arm.js";
import { ArmError, badRequest } from "./errors.js";
import { createRng, type Rng } from "../random.js";
import { parseArmPath, parseWorkspacePath, type ArmRoute } from "./routes.js";
import { COLLECTIONS, Store, type ArmResource, type CollectionName, type TableDef, type WorkspaceRef, type WorkspaceState } from "./store.js";
import { ARM_LIMITS, Throttler, type OperationClass, type ThrottleOptions } from "./throttle.js";
import { basicShape, type BodyValidator, type ValidationContext } from "./validate.js";
import { applyListQuery } from "./list.js";
import { onControl } from "./control.js";
import { header, readBody, send } from "./http.js";
import { schemaSetTables, tablesToSchemaSet } from "./schemas.js";
import { createArmValidator, projectForApiVersion } from "./spec-validator.js";
import { queryFailure } from "./rules.js";
import { loadSchemas } from "../schemas/loader.js";

export type FaultKind = "500" | "503" | "reset" | "reset-after-write";
export const FAULT_KINDS: readonly FaultKind[] = ["500", "503", "reset", "reset-after-write"];

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. Non-loopback hosts are refused unless allowNonLoopback. */
  host?: string;
  allowNonLoopback?: boolean;
  /** JSON state file: loaded on start, rewritten atomically after changes. */
  state?: string;
  /** Added to every ARM response. */
  latencyMs?: number;
  /** Fraction 0..1 of ARM requests that get an injected fault. */
  failRate?: number;
  faultKinds?: readonly FaultKind[];
  /** true/undefined = ARM limits; false = off; object = custom buckets. */
  throttle?: boolean | Partial<ThrottleOptions>;
  /** Seed for fault injection (deterministic runs). */
  seed?: number;
  /** Default workspace schema (tables, functions, watchlists) for KQL validation and the tables API. */
  schemas?: SchemaSet;
  /** Body validator; default: the OpenAPI + service-rule validator (validateArmBody). */
  validator?: BodyValidator;
  /** Page size of alert rule and metadata lists (nextLink paging). Default 50. */
  pageSize?: number;
  /** false: only workspaces declared via seed/setTables/declareWorkspace exist; others 404. Default true. */
  autoCreateWorkspaces?: boolean;
  /** Overwriting a saved search needs etag "*" or the current etag (Log Analytics docs). Default true. */
  savedSearchEtagRequired?: boolean;
  /** When set, requests must carry `Authorization: Bearer <one of these>`; otherwise 401. */
  acceptTokens?: readonly string[];
  /** Fill the server defaults the service adds to alert rules (eventGroupingSettings, incidentConfiguration, nulls). Default true. */
  serverDefaults?: boolean;
  /** Analyse alert rule queries against the workspace's tables (as the service runs them). Default true. */
  validateQueries?: boolean;
  /** List declared workspace functions as read-only saved searches with functionAlias (category "Functions"). Default true. */
  exposeFunctions?: boolean;
  /** Debounce of state-file writes in ms. Default 20. */
  persistDebounceMs?: number;
}

export interface EmulatorStats {
  /** ARM requests received (control endpoints excluded). */
  requests: number;
  reads: number;
  writes: { PUT: number; DELETE: number };
  /** Successful mutations. */
  applied: { created: number; updated: number; deleted: number };
  byStatus: Record<string, number>;
  byKind: Record<string, Record<string, number>>;
  throttled: number;
  faults: Record<FaultKind, number>;
  resources: { workspaces: number; alertRules: number; metadata: number; savedSearches: number };
}

export interface EmulatorConfig {
  latencyMs: number;
  failRate: number;
  faultKinds: readonly FaultKind[];
  throttle: ThrottleOptions | false;
  autoCreateWorkspaces: boolean;
  savedSearchEtagRequired: boolean;
  serverDefaults: boolean;
  exposeFunctions: boolean;
  validateQueries: boolean;
  acceptTokens?: readonly string[];
}

export interface SeedOptions {
  /** Who made the change (systemData); default a portal user. */
  principal?: Principal;
  /** Run the body validator (default false: seeds may be anything the portal can make). */
  validate?: boolean;
  apiVersion?: string;
}

export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:53124 */
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): EmulatorStats;
  resetStats(): void;
  /** Drops all resources (and declared tables), statistics and throttle state. */
  reset(): void;
  /** Creates or replaces a resource as a hand-made (portal) change: unowned rules, drift. `path` is the ARM path. */
  seed(path: string, body: Record<string, unknown>, opts?: SeedOptions): ArmResource;
  /** Deep-merges `patch` into an existing resource as a portal edit (new etag, lastModified): drift. */
  edit(path: string, patch: Record<string, unknown>, opts?: SeedOptions): ArmResource;
  /** Stored resource or undefined (not counted in stats). */
  read(path: string): ArmResource | undefined;
  /** Removes a resource without counting it (true when it existed). */
  remove(path: string): boolean;
  /** A workspace's current tables (declared or default). */
  tables(workspace: string | WorkspaceRef): TableDef[];
  /** Current realism settings. */
  config(): EmulatorConfig;
  /** Declares a workspace's tables (tables API + KQL validation); undefined restores the default set. */
  setTables(workspace: string | WorkspaceRef, tables: TableDef[] | SchemaSet | undefined): void;
  /** Makes a workspace exist (relevant with autoCreateWorkspaces: false). */
  declareWorkspace(workspace: string | WorkspaceRef): void;
  /**
   * Simulates Sentinel's scheduler: every enabled Scheduled/NRT rule whose query can no longer run in its
   * workspace (a table or function gone) is auto-disabled the way Sentinel does after a permanent failure:
   * `enabled: false`, "AUTO DISABLED " prefixed to the name, the reason added to the description. Drift.
   */
  runScheduledRules(workspace?: string | WorkspaceRef): { disabled: string[] };
  /** Changes realism settings at run time. */
  configure(patch: Partial<Pick<EmulatorOptions, "latencyMs" | "failRate" | "faultKinds" | "throttle" | "autoCreateWorkspaces" | "savedSearchEtagRequired" | "serverDefaults" | "acceptTokens" | "validateQueries" | "exposeFunctions">>): EmulatorConfig;
  /** Writes the state file now (if any). */
  flush(): Promise<void>;
  readonly store: Store;
}

const SENTINEL: Principal = { name: "Microsoft Sentinel", type: "Application" };

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}


function methodNotAllowed(method: string, route: ArmRoute): ArmError {
  return new ArmError(405, "MethodNotAllowed", `The HTTP method '${method}' is not supported for ${ARM_TYPES[route.kind]}${route.name === undefined ? " collections" : ""}.`);
}

function throttleConfig(t: EmulatorOptions["throttle"]): ThrottleOptions | false {
  if (t === false) return false;
  if (t === undefined || t === true) return { ...ARM_LIMITS };
  return { ...ARM_LIMITS, ...t };
}

function emptyStats(): Omit<EmulatorStats, "resources"> {
  return {
    requests: 0, reads: 0, writes: { PUT: 0, DELETE: 0 }, applied: { created: 0, updated: 0, deleted: 0 },
    byStatus: {}, byKind: {}, throttled: 0, faults: { "500": 0, "503": 0, reset: 0, "reset-after-write": 0 },
  };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopbackHost(host) && !options.allowNonLoopback) {
    throw new Error(`refusing to bind non-loopback host '${host}' (the emulator has no authentication); pass allowNonLoopback / --force-host to override`);
  }
  const rng: Rng = createRng(options.seed ?? 0x5eed);
  // Etags use real randomness (not the fault seed): a restarted emulator must never reissue an old etag.
  const etags = new EtagFactory((n) => randomBytes(Math.ceil(n / 2)).toString("hex").slice(0, n));
  const store = new Store();
  if (options.state) store.loadFile(options.state);

  const config: EmulatorConfig = {
    latencyMs: options.latencyMs ?? 0,
    failRate: options.failRate ?? 0,
    faultKinds: options.faultKinds ?? FAULT_KINDS,
    throttle: throttleConfig(options.throttle),
    autoCreateWorkspaces: options.autoCreateWorkspaces ?? true,
    savedSearchEtagRequired: options.savedSearchEtagRequired ?? true,
    serverDefaults: options.serverDefaults ?? true,
    exposeFunctions: options.exposeFunctions ?? true,
    validateQueries: options.validateQueries ?? true,
    acceptTokens: options.acceptTokens,
  };
  let throttler = config.throttle ? new Throttler(config.throttle) : undefined;
  const pageSize = options.pageSize ?? 50;
  const defaultSchemas = options.schemas ?? (await loadDefaultSchemas());
  const validator: BodyValidator = options.validator ?? (await loadDefaultValidator(config));
  let stats = emptyStats();

  // ---- persistence (debounced, atomic) ----
  // Big states take a while to serialise: the gap between writes grows with the cost of the last one.
  let saveTimer: NodeJS.Timeout | undefined;
  let lastSaveMs = 0;
  const saveNow = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!options.state) return;
    const t0 = Date.now();
    store.saveFile(options.state);
    lastSaveMs = Date.now() - t0;
  };
  const changed = () => {
    if (!options.state || saveTimer) return;
    saveTimer = setTimeout(() => {
      try { saveNow(); } catch (e) { console.error(`scac emulator: cannot write state: ${(e as Error).message}`); }
    }, Math.max(options.persistDebounceMs ?? 20, lastSaveMs * 4));
  };

  // ---- schemas per workspace ----
  const wsSchemaCache = new WeakMap<TableDef[], SchemaSet>();
  const schemasFor = (ws: WorkspaceState | undefined): SchemaSet | undefined => {
    if (!ws?.tables) return defaultSchemas;
    let s = wsSchemaCache.get(ws.tables);
    if (!s) wsSchemaCache.set(ws.tables, (s = tablesToSchemaSet(ws.tables, defaultSchemas)));
    return s;
  };
  const tablesOf = (ws: WorkspaceState | undefined): TableDef[] =>
    ws?.tables ?? (defaultSchemas ? schemaSetTables(defaultSchemas) : []);

  // Declared functions (not the built-in _GetWatchlist) appear as read-only saved searches with functionAlias.
  const functionSearches = (ws: WorkspaceState | undefined, ref: WorkspaceRef): ArmResource[] => {
    const s = schemasFor(ws);
    if (!s || !config.exposeFunctions) return [];
    return [...s.functions.values()].filter((f) => f.source !== "<watchlists>" && f.name !== "_GetWatchlist").map((f) => functionSavedSearch(ref, f));
  };

  const workspaceExists = (ref: WorkspaceRef) => config.autoCreateWorkspaces || store.get(ref) !== undefined;

  // ---- ARM request handling ----
  async function handleArm(req: IncomingMessage, url: URL, body: string | undefined): Promise<{ status: number; body?: unknown; wrote?: boolean }> {
    const parsed = parseArmPath(url.pathname);
    if (!parsed.ok) {
      if (parsed.reason === "unknown-type") {
        throw new ArmError(400, "InvalidResourceType", `The resource type '${parsed.type}' could not be found; the emulator serves alertRules, metadata, savedSearches and tables.`);
      }
      throw new ArmError(404, "NotFound", `No route for '${url.pathname}'. The emulator serves workspaces under /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{ws}/.`);
    }
    const route = parsed.route;
    const method = req.method ?? "GET";
    const apiVersion = url.searchParams.get("api-version");
    checkApiVersion(route.kind, apiVersion);
    if (!workspaceExists(route.ws)) throw workspaceNotFound(route.ws);
    const ws = store.get(route.ws);

    if (route.kind === "tables") {
      if (method !== "GET") throw methodNotAllowed(method, route);
      const tables = tablesOf(ws);
      if (route.name === undefined) return { status: 200, body: { value: tables.map((t) => tableResource(route.ws, t)) } };
      const t = tables.find((x) => x.name.toLowerCase() === route.name!.toLowerCase());
      if (!t) throw new ArmError(404, "ResourceNotFound", `The table '${route.name}' was not found in workspace '${route.ws.workspace}'.`);
      return { status: 200, body: tableResource(route.ws, t) };
    }

    if (route.kind === "watchlists" || route.kind === "watchlistItems") {
      if (method !== "GET") throw methodNotAllowed(method, route);
      const lists = [...(schemasFor(ws)?.watchlists.values() ?? [])];
      const alias = route.kind === "watchlists" ? route.name : route.parent;
      const w = alias === undefined ? undefined : lists.find((x) => x.alias.toLowerCase() === alias.toLowerCase());
      if (alias !== undefined && !w) throw new ArmError(404, "NotFound", `Watchlist '${alias}' was not found in workspace '${route.ws.workspace}'.`);
      if (route.kind === "watchlists") {
        return { status: 200, body: w ? watchlistResource(route.ws, w) : { value: lists.map((x) => watchlistResource(route.ws, x)) } };
      }
      const items = watchlistItemResources(route.ws, w!);
      if (route.name === undefined) return { status: 200, body: { value: items } };
      const item = items.find((i) => String(i.name).toLowerCase() === route.name!.toLowerCase());
      if (!item) throw new ArmError(404, "NotFound", `Watchlist item '${route.name}' was not found.`);
      return { status: 200, body: item };
    }

    const kind = route.kind;
    if (route.name === undefined) {
      if (method !== "GET") throw methodNotAllowed(method, route);
      const items = ws ? [...ws[kind].values()] : [];
      if (kind === "savedSearches") items.push(...functionSearches(ws, route.ws).filter((f) => !ws?.savedSearches.has(f.name.toLowerCase())));
      const view = (r: ArmResource) => projectForApiVersion(kind, apiVersion!, r);
      if (kind === "savedSearches") return { status: 200, body: { value: items.map(view) } };
      const page = applyListQuery(items, url, pageSize, `http://${req.headers.host ?? "127.0.0.1"}`);
      return { status: 200, body: { ...page, value: page.value.map(view) } };
    }
    const named = { ...route, kind, name: route.name };
    switch (method) {
      case "GET": {
        const virtual = kind === "savedSearches" && !ws?.savedSearches.has(named.name.toLowerCase())
          ? functionSearches(ws, route.ws).find((f) => f.name.toLowerCase() === named.name.toLowerCase()) : undefined;
        return { status: 200, body: projectForApiVersion(kind, apiVersion!, virtual ?? getResource(ws, named)) };
      }
      case "PUT": {
        let json: unknown;
        try {
          json = body ? JSON.parse(body) : undefined;
        } catch (e) {
          throw badRequest(`The request content was invalid and could not be deserialized: ${(e as Error).message}`, undefined, "InvalidRequestContent");
        }
        if (kind === "metadata" && !/^\S+$/.test(named.name)) throw badRequest(`The metadata name '${named.name}' must match ^\\S+$.`);
        const existing = ws?.[kind].get(named.name.toLowerCase());
        const vctx: ValidationContext = { kind, apiVersion: apiVersion!, name: named.name, ws, existing, schemas: config.validateQueries ? schemasFor(ws) : undefined };
        const clean = validator(vctx, json);
        const r = putResource({
          store, etags, principal: API_CLIENT, checkEtags: true, savedSearchEtagRequired: config.savedSearchEtagRequired,
          ifMatch: header(req, "if-match"), ifNoneMatch: header(req, "if-none-match"),
        }, named, clean);
        if (r.created) stats.applied.created++; else stats.applied.updated++;
        changed();
        return { status: r.status, body: projectForApiVersion(kind, apiVersion!, r.resource), wrote: true };
      }
      case "DELETE": {
        const ifMatch = header(req, "if-match");
        const current = ws?.[kind].get(named.name.toLowerCase());
        if (ifMatch !== undefined && ifMatch !== "*" && current && current.etag !== ifMatch) {
          throw new ArmError(412, "PreconditionFailed", `The If-Match header '${ifMatch}' does not match the current etag of ${ARM_TYPES[kind]} '${named.name}'.`);
        }
        const deleted = deleteResource(store, named);
        if (deleted) { stats.applied.deleted++; changed(); }
        // Saved searches declare only 200 for DELETE.
        return { status: deleted || kind === "savedSearches" ? 200 : 204, wrote: deleted };
      }
      default:
        throw methodNotAllowed(method, route);
    }
  }

  function pickFault(isWrite: boolean): FaultKind | undefined {
    if (config.failRate <= 0 || config.faultKinds.length === 0) return undefined;
    if (rng() >= config.failRate) return undefined;
    const k = config.faultKinds[Math.floor(rng() * config.faultKinds.length)]!;
    return k === "reset-after-write" && !isWrite ? "reset" : k;
  }

  async function onArmRequest(req: IncomingMessage, res: ServerResponse, url: URL, body: string | undefined): Promise<void> {
    const method = req.method ?? "GET";
    stats.requests++;
    const isWrite = method === "PUT" || method === "DELETE" || method === "PATCH" || method === "POST";
    if (method === "PUT" || method === "DELETE") stats.writes[method]++;
    else if (method === "GET") stats.reads++;
    const requestId = randomUUID();
    const headers: Record<string, string> = {
      "x-ms-request-id": requestId,
      "x-ms-correlation-request-id": header(req, "x-ms-correlation-request-id") ?? requestId,
    };
    const clientRequestId = header(req, "x-ms-client-request-id");
    if (clientRequestId) headers["x-ms-client-request-id"] = clientRequestId;
    const parsed = parseArmPath(url.pathname);
    const kindLabel = parsed.ok ? parsed.route.kind : "other";
    const byKind = (stats.byKind[kindLabel] ??= {});
    byKind[method] = (byKind[method] ?? 0) + 1;

    let status = 500;
    let payload: unknown;
    if (config.latencyMs > 0) await sleep(config.latencyMs);
    try {
      authenticate(req);
      if (throttler && parsed.ok) {
        const op: OperationClass = method === "DELETE" ? "deletes" : isWrite ? "writes" : "reads";
        const t = throttler.take(parsed.route.ws.subscriptionId, op);
        if (!t.ok) {
          stats.throttled++;
          const h: Record<string, string> = {};
          const omit = config.throttle && config.throttle.omitRetryAfter > 0 && rng() < config.throttle.omitRetryAfter;
          if (!omit) h["retry-after"] = String(t.retryAfterSec);
          throw new ArmError(429, "SubscriptionRequestsThrottled",
            `Number of '${op === "reads" ? "read" : op === "deletes" ? "delete" : "write"}' requests for subscription '${parsed.route.ws.subscriptionId}' exceeded. Please try again after '${t.retryAfterSec}' seconds after the additional tokens are available.`,
            undefined, h);
        }
        headers[`x-ms-ratelimit-remaining-subscription-${op}`] = String(t.remaining);
      }
      const fault = pickFault(isWrite);
      if (fault) stats.faults[fault]++;
      if (fault === "reset") { req.socket.destroy(); return; }
      if (fault === "500") throw new ArmError(500, "InternalServerError", "Injected fault: the server encountered an internal error. Please retry the request.");
      if (fault === "503") throw new ArmError(503, "ServiceUnavailable", "Injected fault: the service is temporarily unavailable. Please retry the request.");
      const r = await handleArm(req, url, body);
      if (fault === "reset-after-write") { req.socket.destroy(); return; } // committed, but the client never hears
      status = r.status;
      payload = r.body;
    } catch (e) {
      if (!(e instanceof ArmError)) {
        console.error(`scac emulator: internal error on ${method} ${url.pathname}: ${(e as Error).stack ?? e}`);
      }
      const err = e instanceof ArmError ? e : new ArmError(500, "InternalServerError", `Emulator internal error: ${(e as Error).message}`);
      status = err.status;
      payload = err.body();
      Object.assign(headers, err.headers);
    }
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    send(res, status, payload, headers);
  }

  function authenticate(req: IncomingMessage): void {
    if (!config.acceptTokens) return;
    const auth = header(req, "authorization");
    if (!auth) throw new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (!m || !config.acceptTokens.includes(m[1]!)) {
      throw new ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.");
    }
  }

  // ---- control endpoints (/_emulator/...) ----
  function seed(path: string, body: Record<string, unknown>, opts: SeedOptions = {}): ArmResource {
    const route = namedRoute(path);
    const ws = store.get(route.ws);
    const existing = ws?.[route.kind].get(route.name.toLowerCase());
    let clean = basicShape({ kind: route.kind, apiVersion: opts.apiVersion ?? "", name: route.name, ws, existing }, body);
    if (opts.validate) {
      clean = validator({ kind: route.kind, apiVersion: opts.apiVersion ?? "2025-07-01-preview", name: route.name, ws, existing, schemas: schemasFor(ws) }, body);
    }
    const r = putResource({ store, etags, principal: opts.principal ?? PORTAL_USER, checkEtags: false, savedSearchEtagRequired: false }, route, clean);
    changed();
    return r.resource;
  }

  function edit(path: string, patch: Record<string, unknown>, opts: SeedOptions = {}): ArmResource {
    const route = namedRoute(path);
    const current = getResource(store.get(route.ws), route);
    const merged = deepMerge(structuredClone(current), patch) as Record<string, unknown>;
    const props = merged.properties as Record<string, unknown>;
    delete props.lastModifiedUtc;
    return seed(path, { kind: merged.kind, properties: props }, opts);
  }

  function read(path: string): ArmResource | undefined {
    const route = namedRoute(path);
    return store.get(route.ws)?.[route.kind].get(route.name.toLowerCase());
  }

  function toRef(w: string | WorkspaceRef): WorkspaceRef {
    if (typeof w !== "string") return w;
    const ref = parseWorkspacePath(w);
    if (!ref) throw badRequest(`'${w}' is not a workspace path (/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{ws})`);
    return ref;
  }

  function setTables(w: string | WorkspaceRef, tables: TableDef[] | SchemaSet | undefined): void {
    const ws = store.ensure(toRef(w));
    if (tables === undefined) delete ws.tables;
    else ws.tables = Array.isArray(tables) ? tables.map((t) => ({ name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })) })) : schemaSetTables(tables);
    changed();
  }

  function runScheduledRules(w?: string | WorkspaceRef): { disabled: string[] } {
    const targets = w === undefined ? [...store.workspaces.values()] : [store.get(toRef(w))].filter((x): x is WorkspaceState => !!x);
    const disabled: string[] = [];
    for (const ws of targets) {
      const schemas = schemasFor(ws);
      if (!schemas) continue;
      for (const rule of [...ws.alertRules.values()]) {
        const p = rule.properties as Record<string, unknown>;
        if ((rule.kind !== "Scheduled" && rule.kind !== "NRT") || p.enabled !== true || typeof p.query !== "string") continue;
        const failure = queryFailure(p.query, schemas);
        if (!failure) continue;
        const name = String(p.displayName ?? "");
        edit(rule.id, {
          properties: {
            enabled: false,
            displayName: name.startsWith("AUTO DISABLED") ? name : `AUTO DISABLED ${name}`,
            description: `${String(p.description ?? "")}\n\nAuto-disabled by Microsoft Sentinel after a permanent failure: ${failure.message}`.trim(),
          },
        }, { principal: SENTINEL });
        disabled.push(rule.id);
      }
    }
    return { disabled };
  }

  function configure(patch: Parameters<Emulator["configure"]>[0]): EmulatorConfig {
    if (patch.latencyMs !== undefined) config.latencyMs = patch.latencyMs;
    if (patch.failRate !== undefined) config.failRate = patch.failRate;
    if (patch.faultKinds !== undefined) config.faultKinds = patch.faultKinds;
    if (patch.autoCreateWorkspaces !== undefined) config.autoCreateWorkspaces = patch.autoCreateWorkspaces;
    if (patch.savedSearchEtagRequired !== undefined) config.savedSearchEtagRequired = patch.savedSearchEtagRequired;
    if (patch.serverDefaults !== undefined) config.serverDefaults = patch.serverDefaults;
    if (patch.validateQueries !== undefined) config.validateQueries = patch.validateQueries;
    if (patch.exposeFunctions !== undefined) config.exposeFunctions = patch.exposeFunctions;
    if (patch.acceptTokens !== undefined) config.acceptTokens = patch.acceptTokens ?? undefined;
    if (patch.throttle !== undefined) {
      config.throttle = throttleConfig(patch.throttle);
      throttler = config.throttle ? new Throttler(config.throttle) : undefined;
    }
    return { ...config };
  }

  const currentStats = (): EmulatorStats => {
    const resources = { workspaces: store.workspaces.size, alertRules: 0, metadata: 0, savedSearches: 0 };
    for (const ws of store.workspaces.values()) for (const c of COLLECTIONS) resources[c] += ws[c].size;
    return { ...structuredClone(stats), resources };
  };

  function namedRoute(path: string): ArmRoute & { kind: CollectionName; name: string } {
    const parsed = parseArmPath(path.split("?")[0]!);
    const kind = parsed.ok ? parsed.route.kind : undefined;
    if (!parsed.ok || (kind !== "alertRules" && kind !== "metadata" && kind !== "savedSearches") || parsed.route.name === undefined) {
      throw badRequest(`'${path}' is not the ARM path of an alert rule, metadata item or saved search`);
    }
    return { ...parsed.route, kind, name: parsed.route.name };
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    readBody(req).then(
      (body) => (url.pathname.startsWith("/_emulator/") ? onControl(api, req, res, url, body) : onArmRequest(req, res, url, body)),
      (e: ArmError) => send(res, e.status ?? 400, e instanceof ArmError ? e.body() : { error: { code: "BadRequest", message: String(e) } }),
    ).catch((e) => {
      console.error(`scac emulator: ${(e as Error).message}`);
      if (!res.headersSent) send(res, 500, { error: { code: "InternalServerError", message: String(e) } });
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => { server.off("error", reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  const api: Emulator = {
    url: `http://${urlHost}:${port}`,
    port,
    store,
    stats: currentStats,
    resetStats: () => { stats = emptyStats(); },
    reset: () => {
      store.clear();
      stats = emptyStats();
      if (config.throttle) throttler = new Throttler(config.throttle);
      changed();
    },
    seed, edit, read, setTables, configure, runScheduledRules,
    remove: (path) => {
      const deleted = deleteResource(store, namedRoute(path));
      if (deleted) changed();
      return deleted;
    },
    tables: (w) => tablesOf(store.get(toRef(w))),
    config: () => ({ ...config }),
    declareWorkspace: (w) => { store.ensure(toRef(w)); changed(); },
    flush: async () => saveNow(),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      saveNow();
    },
  };
  return api;
}

// ---- helpers ----

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function deepMerge(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const t = (target && typeof target === "object" && !Array.isArray(target) ? target : {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) t[k] = deepMerge(t[k], v);
  return t;
}

/** The repo's built-in table schemas (data/tables.json via src/schemas/loader.ts). */
async function loadDefaultSchemas(): Promise<SchemaSet | undefined> {
  return (await loadSchemas([])).schemas;
}

async function loadDefaultValidator(config: EmulatorConfig): Promise<BodyValidator> {
  return createArmValidator({ serverDefaults: () => config.serverDefaults });
}
