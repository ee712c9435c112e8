// workspaces.yaml: deployment targets. Read with positions so every problem is a Diagnostic at file:line:col;
// checked against data/json-schema/workspaces.schema.json, then defaults → groups → workspace are merged into
// one resolved WorkspaceTarget per workspace.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject } from "ajv";
import { LineCounter, parseDocument } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import { pointerToPath, positionAt, schemaErrorMessage, type YamlPath } from "../yaml-pos.js";
export type { YamlPath } from "../yaml-pos.js";

export type AuthConfig =
  | { type: "none" }
  | { type: "default"; managedIdentityClientId?: string; workloadIdentityClientId?: string }
  | { type: "azure-cli" }
  | { type: "workload-identity"; clientId?: string; tokenFilePath?: string }
  | { type: "github-oidc"; clientId?: string }
  | { type: "azure-pipelines"; clientId: string; serviceConnectionId: string; systemAccessTokenEnv?: string }
  | { type: "client-secret"; clientId: string; clientSecretEnv: string };

export interface RuleOverride {
  enabled?: boolean;
  severity?: "Informational" | "Low" | "Medium" | "High";
  queryFrequency?: string;
  queryPeriod?: string;
  triggerOperator?: string;
  triggerThreshold?: number;
  suppressionEnabled?: boolean;
  suppressionDuration?: string;
  createIncident?: boolean;
  displayNamePrefix?: string;
  parameters?: Record<string, unknown>;
}

export interface ApiVersions {
  alertRules: string;
  metadata: string;
  savedSearches: string;
  tables: string;
}

/** YAML path of a value, for diagnostics pointing at where it was written (a group or defaults, possibly). */

export interface WorkspaceTarget {
  name: string;
  tenantId?: string;
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  /** ARM endpoint URL without trailing slash, or "embedded". */
  endpoint: string;
  /** Absolute path of the embedded emulator's state file (endpoint "embedded" only). */
  emulatorState?: string;
  auth: AuthConfig;
  content: { include: string[]; exclude: string[]; tags: string[] };
  parameters: Record<string, unknown>;
  overrides: Record<string, RuleOverride>;
  apiVersions: ApiVersions;
  linkTemplates: boolean;
  /** Where each parameter value / override was written (for diagnostics). */
  origins: { parameters: Record<string, YamlPath>; overrides: Record<string, YamlPath>; workspace: YamlPath };
}

export interface WorkspacesConfig {
  /** The file as given (used in diagnostics). */
  file: string;
  /** Directory content globs and the embedded state file are relative to. */
  baseDir: string;
  workspaces: WorkspaceTarget[];
  /** Position of a YAML path in the file. */
  positionOf(path: YamlPath): { line: number; column: number };
}

export const DEFAULT_ENDPOINT = "https://management.azure.com";
export const EMBEDDED_ENDPOINT = "embedded";
export const DEFAULT_EMULATOR_STATE = ".scac-emulator.json";
export const DEFAULT_API_VERSIONS: ApiVersions = {
  // Preview: NRT rules, subTechniques and sentinelEntitiesMappings exist only in preview api-versions.
  alertRules: "2025-07-01-preview",
  metadata: "2025-07-01-preview",
  savedSearches: "2025-02-01",
  tables: "2022-10-01",
};
export const DEFAULT_CONTENT_GLOBS = ["content/**/*.yaml", "content/**/*.yml"];

const require = createRequire(import.meta.url);
let validator: ReturnType<Ajv["compile"]> | undefined;
function schemaValidator() {
  if (!validator) {
    const schema = require("../../data/json-schema/workspaces.schema.json");
    validator = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return validator;
}

export async function readWorkspaces(file: string): Promise<{ value?: WorkspacesConfig; diagnostics: Diagnostic[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    return { diagnostics: [err(file, 0, 0, "deploy/workspaces-io", `cannot read workspaces file: ${(e as Error).message}`)] };
  }
  return parseWorkspaces(text, file, dirname(resolve(file)));
}

function err(file: string, line: number, column: number, rule: string, message: string): Diagnostic {
  return { file, line, column, rule, severity: "error", message };
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** True for http(s) URLs on the local machine (the only place `auth: none` may send requests). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

type Settings = Record<string, unknown>;

export function parseWorkspaces(text: string, file: string, baseDir: string): { value?: WorkspacesConfig; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const e of doc.errors) {
    const p = pos(e.pos[0]);
    diagnostics.push(err(file, p.line, p.column, "deploy/workspaces-yaml", e.message.split("\n")[0]!));
  }
  if (doc.errors.length) return { diagnostics };

  const positionOf = (path: YamlPath) => positionAt(doc, lineCounter, path);
  const at = (path: YamlPath, rule: string, message: string, severity: Diagnostic["severity"] = "error") => {
    const p = positionOf(path);
    diagnostics.push({ file, line: p.line, column: p.column, rule, severity, message });
  };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { diagnostics: [err(file, 1, 1, "deploy/workspaces-yaml", (e as Error).message)] };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return { diagnostics: [err(file, 1, 1, "deploy/workspaces-schema", "workspaces file must be a mapping with a `workspaces:` list")] };
  }
  const root = data as Record<string, unknown>;

  // Secrets are refused by name before the schema speaks, with a message that says what to do instead.
  findSecrets(root, [], (path) =>
    at(path, "deploy/secret-in-file", `a secret must never be written in ${file}; use auth: { type: client-secret, clientId, clientSecretEnv: <ENV_VAR_NAME> }`));

  const validate = schemaValidator();
  if (!validate(root)) {
    for (const e of dedupe(validate.errors ?? [])) at(pointerToPath(e.instancePath), "deploy/workspaces-schema", schemaErrorMessage(e));
    return { diagnostics };
  }
  if (diagnostics.length) return { diagnostics };

  const defaults = (root.defaults ?? {}) as Settings;
  const groups = (root.groups ?? {}) as Record<string, Settings>;
  const list = root.workspaces as Settings[];
  const seen = new Map<string, number>();
  const workspaces: WorkspaceTarget[] = [];
  list.forEach((ws, i) => {
    const wpath: YamlPath = ["workspaces", i];
    const name = ws.name as string;
    if (seen.has(name)) at([...wpath, "name"], "deploy/workspace-duplicate", `workspace name '${name}' is already used by workspaces[${seen.get(name)}]`);
    seen.set(name, i);
    // Layers in precedence order (later wins), each with the YAML path it came from.
    const layers: { settings: Settings; path: YamlPath }[] = [{ settings: defaults, path: ["defaults"] }];
    const groupNames = (ws.groups as string[] | undefined) ?? [];
    groupNames.forEach((g, gi) => {
      if (!groups[g]) at([...wpath, "groups", gi], "deploy/unknown-group", `group '${g}' is not defined under groups:`);
      else layers.push({ settings: groups[g]!, path: ["groups", g] });
    });
    layers.push({ settings: ws, path: wpath });
    const target = resolveTarget(name, layers, wpath, baseDir, at);
    if (!target) return;
    // Two entries for one workspace would undo each other's changes on every run.
    const same = workspaces.find((w) => w.endpoint === target.endpoint && w.subscriptionId.toLowerCase() === target.subscriptionId.toLowerCase()
      && w.resourceGroup.toLowerCase() === target.resourceGroup.toLowerCase() && w.workspace.toLowerCase() === target.workspace.toLowerCase());
    if (same) at(wpath, "deploy/workspace-duplicate", `workspace '${name}' targets the same workspace as '${same.name}'`);
    workspaces.push(target);
  });
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { value: { file, baseDir, workspaces, positionOf }, diagnostics };
}

function resolveTarget(
  name: string,
  layers: { settings: Settings; path: YamlPath }[],
  wpath: YamlPath,
  baseDir: string,
  at: (path: YamlPath, rule: string, message: string) => void,
): WorkspaceTarget | undefined {
  const scalar = <T>(key: string): { value?: T; path: YamlPath } => {
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i]!;
      if (l.settings[key] !== undefined) return { value: l.settings[key] as T, path: [...l.path, key] };
    }
    return { path: [...wpath, key] };
  };
  const required = (key: string): string | undefined => {
    const v = scalar<string>(key).value;
    if (v === undefined) at(wpath, "deploy/workspace-incomplete", `workspace '${name}' has no ${key} (set it on the workspace, one of its groups, or defaults)`);
    return v;
  };
  const subscriptionId = required("subscriptionId");
  const resourceGroup = required("resourceGroup");
  const workspace = required("workspace");

  const ep = scalar<string>("endpoint");
  const endpoint = (ep.value ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
  const authSetting = scalar<AuthConfig | string>("auth");
  const auth: AuthConfig = typeof authSetting.value === "string"
    ? ({ type: authSetting.value } as AuthConfig)
    : (authSetting.value ?? { type: "default" });

  let ok = subscriptionId !== undefined && resourceGroup !== undefined && workspace !== undefined;
  if (endpoint !== EMBEDDED_ENDPOINT) {
    let url: URL | undefined;
    try { url = new URL(endpoint); } catch { /* reported below */ }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
      at(ep.path, "deploy/endpoint-invalid", `endpoint '${endpoint}' is not an http(s) URL or '${EMBEDDED_ENDPOINT}'`);
      ok = false;
    } else if (url.protocol === "http:" && !isLoopbackUrl(endpoint)) {
      at(ep.path, "deploy/endpoint-insecure", `endpoint '${endpoint}' uses http: tokens are only ever sent over https (http is allowed only for a loopback emulator with auth: none)`);
      ok = false;
    } else if (url.protocol === "http:" && auth.type !== "none") {
      at(authSetting.path, "deploy/auth-over-http", `workspace '${name}': auth '${auth.type}' over http would send a bearer token in clear; use auth: none for a loopback emulator`);
      ok = false;
    }
  }
  if (endpoint === EMBEDDED_ENDPOINT && auth.type !== "none") {
    at(authSetting.path, "deploy/auth-embedded", `workspace '${name}': the embedded emulator takes no credentials; use auth: none`);
    ok = false;
  }
  if (auth.type === "none" && endpoint !== EMBEDDED_ENDPOINT && !(isLoopbackUrl(endpoint) && endpoint.startsWith("http:"))) {
    at(authSetting.path, "deploy/auth-none-remote", `workspace '${name}': auth: none is only allowed for the embedded emulator or a loopback http emulator endpoint, not '${endpoint}'`);
    ok = false;
  }

  // Objects merge key by key across layers (parameters, overrides, content lists, apiVersions).
  const parameters: Record<string, unknown> = {};
  const paramOrigins: Record<string, YamlPath> = {};
  const overrides: Record<string, RuleOverride> = {};
  const overrideOrigins: Record<string, YamlPath> = {};
  const content = { include: DEFAULT_CONTENT_GLOBS, exclude: [] as string[], tags: [] as string[] };
  const apiVersions = { ...DEFAULT_API_VERSIONS };
  for (const l of layers) {
    const p = l.settings.parameters as Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(p ?? {})) { parameters[k] = v; paramOrigins[k] = [...l.path, "parameters", k]; }
    const o = l.settings.overrides as Record<string, RuleOverride> | undefined;
    for (const [k, v] of Object.entries(o ?? {})) {
      overrides[k] = { ...overrides[k], ...v, parameters: { ...overrides[k]?.parameters, ...v.parameters } };
      overrideOrigins[k] = [...l.path, "overrides", k];
    }
    const c = l.settings.content as Partial<typeof content> | undefined;
    if (c?.include) content.include = c.include;
    if (c?.exclude) content.exclude = c.exclude;
    if (c?.tags) content.tags = c.tags;
    Object.assign(apiVersions, l.settings.apiVersions ?? {});
  }
  if (!ok) return undefined;
  const state = scalar<string>("emulatorState").value;
  return {
    name,
    tenantId: scalar<string>("tenantId").value,
    subscriptionId: subscriptionId!,
    resourceGroup: resourceGroup!,
    workspace: workspace!,
    endpoint,
    emulatorState: endpoint === EMBEDDED_ENDPOINT ? resolve(baseDir, state ?? DEFAULT_EMULATOR_STATE) : undefined,
    auth,
    content,
    parameters,
    overrides,
    apiVersions,
    linkTemplates: scalar<boolean>("linkTemplates").value ?? false,
    origins: { parameters: paramOrigins, overrides: overrideOrigins, workspace: wpath },
  };
}

const SECRET_KEY = /^(client_?secret|secret|password|clientCertificatePassword|accessToken|token)$/i;

function findSecrets(v: unknown, path: (string | number)[], report: (p: YamlPath) => void): void {
  if (Array.isArray(v)) v.forEach((x, i) => findSecrets(x, [...path, i], report));
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      // Parameters are content data, not credentials: never flag their names.
      if (k === "parameters") continue;
      if (SECRET_KEY.test(k) && typeof x === "string") report([...path, k]);
      else findSecrets(x, [...path, k], report);
    }
  }
}


function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (e.keyword === "if") return false; // the branch's own error says what is wrong
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

