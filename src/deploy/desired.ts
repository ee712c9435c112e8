// Desired state of one workspace: each selected content item → its ARM body (analytics rule or hunting saved
// search) with the workspace's parameters bound and overrides applied, following the YAML→ARM mapping of
// arm-api.md §3. Pure: no I/O. Problems are Diagnostics; an item with an error is left out of this workspace.
import { bindParameters, ParameterError } from "../content/parameters.js";
import type { ContentItem } from "../content/model.js";
import type { Diagnostic } from "../diagnostics.js";
import { alertRulesPath, metadataName, metadataCollectionPath, savedSearchesPath, workspacePath } from "./arm-paths.js";
import type { CatalogItem } from "./catalog.js";
import { durationSeconds, toIsoDuration } from "./durations.js";
import { hashNormalized, normalizeBody, type Json, type ResourceKind } from "./normalize.js";
import type { RuleOverride, WorkspaceTarget, WorkspacesConfig } from "./workspaces.js";

export interface DesiredResource {
  kind: ResourceKind;
  /** Content id; also the ARM resource name. */
  id: string;
  displayName: string;
  file: string;
  version: string;
  /** ARM path of the resource, relative to the endpoint. */
  path: string;
  apiVersion: string;
  /** Request body without etag ({ kind?, properties }). */
  body: { kind?: string; properties: Record<string, Json> };
  /** Hash of the normalised body: what scac intends this resource to be. */
  hash: string;
  /** Sentinel metadata resource marking the item as scac's. */
  metadataPath: string;
  metadataApiVersion: string;
  /** Body fields set by a parameter or an override (dotted path → explanation), shown in plan diffs. */
  by: Record<string, string>;
}

export const SOURCE_NAME = "scac";
export const HUNTING_CATEGORY = "Hunting Queries";
const TRIGGER_OPERATORS: Record<string, string> = {
  gt: "GreaterThan", lt: "LessThan", eq: "Equal", ne: "NotEqual",
  greaterthan: "GreaterThan", lessthan: "LessThan", equal: "Equal", notequal: "NotEqual",
};
const ALERT_DETAILS_KEYS = ["alertDisplayNameFormat", "alertDescriptionFormat", "alertTacticsColumnName", "alertSeverityColumnName", "alertDynamicProperties"];
/** Portal defaults for a rule whose YAML has no incidentConfiguration (arm-api.md §3.1). */
const DEFAULT_INCIDENT_CONFIGURATION = {
  createIncident: true,
  groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: "PT5H", matchingMethod: "AllEntities" },
};

export function desiredForWorkspace(
  items: readonly CatalogItem[],
  target: WorkspaceTarget,
  config: Pick<WorkspacesConfig, "file" | "positionOf">,
): { resources: DesiredResource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const resources: DesiredResource[] = [];
  const wsDiag = (path: readonly (string | number)[], rule: string, severity: Diagnostic["severity"], message: string) => {
    const p = config.positionOf(path);
    diagnostics.push({ file: config.file, line: p.line, column: p.column, rule, severity, message: `workspace '${target.name}': ${message}` });
  };
  const usedOverrides = new Set<string>();
  const usedParams = new Set<string>();
  for (const c of items) {
    // Workspaces with the same effective settings for an item get the same body: build it once.
    const key = memoKey(c.item, target, usedOverrides, usedParams);
    const hit = memo.get(c.item)?.get(key);
    if (hit) {
      resources.push({ ...hit, ...addressOf(hit.kind, c.item.id, target) });
      continue;
    }
    const before = diagnostics.length;
    const r = buildResource(c.item, target, usedOverrides, usedParams, diagnostics, wsDiag);
    if (!r) continue;
    resources.push(r);
    if (diagnostics.length === before) {
      let m = memo.get(c.item);
      if (!m) memo.set(c.item, (m = new Map()));
      m.set(key, r);
    }
  }
  for (const key of Object.keys(target.overrides)) {
    if (key !== "*" && !usedOverrides.has(key)) {
      wsDiag(target.origins.overrides[key] ?? target.origins.workspace, "deploy/override-unused", "warning", `override '${key}' matches no selected content item (key by content id or name)`);
    }
  }
  for (const key of Object.keys(target.parameters)) {
    if (!usedParams.has(key)) {
      wsDiag(target.origins.parameters[key] ?? target.origins.workspace, "deploy/parameter-unused", "info", `parameter '${key}' is declared by no selected content item`);
    }
  }
  return { resources, diagnostics };
}

const memo = new WeakMap<ContentItem, Map<string, DesiredResource>>();

/** Everything a workspace contributes to an item's body (and its `by` notes): values, overrides, template link. */
function memoKey(item: ContentItem, target: WorkspaceTarget, usedOverrides: Set<string>, usedParams: Set<string>): string {
  const { merged, source } = overridesFor(item, target, usedOverrides);
  const values: Record<string, unknown> = {};
  for (const p of item.parameters) {
    if (Object.prototype.hasOwnProperty.call(target.parameters, p.name)) { values[p.name] = target.parameters[p.name]; usedParams.add(p.name); }
  }
  return JSON.stringify([merged, source, values, target.linkTemplates, target.apiVersions.alertRules]);
}

const prefixes = new WeakMap<WorkspaceTarget, { rules: string; searches: string; metadata: string }>();

function addressOf(kind: ResourceKind, id: string, target: WorkspaceTarget): Pick<DesiredResource, "path" | "apiVersion" | "metadataPath" | "metadataApiVersion"> {
  const analytics = kind === "analyticsRule";
  let p = prefixes.get(target);
  if (!p) prefixes.set(target, (p = { rules: alertRulesPath(target), searches: savedSearchesPath(target), metadata: metadataCollectionPath(target) }));
  return {
    path: `${analytics ? p.rules : p.searches}/${encodeURIComponent(id)}`,
    apiVersion: analytics ? target.apiVersions.alertRules : target.apiVersions.savedSearches,
    metadataPath: `${p.metadata}/${metadataName(kind, id)}`,
    metadataApiVersion: target.apiVersions.metadata,
  };
}

function overridesFor(item: ContentItem, target: WorkspaceTarget, used: Set<string>): { merged: RuleOverride; source: Record<string, string> } {
  // Precedence: "*" < name < id.
  const keys = ["*", ...Object.keys(target.overrides).filter((k) => k !== "*" && k === item.name), ...Object.keys(target.overrides).filter((k) => k.toLowerCase() === item.id.toLowerCase())];
  const merged: RuleOverride = {};
  const source: Record<string, string> = {};
  for (const k of keys) {
    const o = target.overrides[k];
    if (!o) continue;
    used.add(k);
    for (const [f, v] of Object.entries(o)) {
      if (f === "parameters") continue;
      (merged as Record<string, unknown>)[f] = v;
      source[f] = `override '${k}'`;
    }
    if (o.parameters) merged.parameters = { ...merged.parameters, ...o.parameters };
  }
  return { merged, source };
}

function buildResource(
  item: ContentItem,
  target: WorkspaceTarget,
  usedOverrides: Set<string>,
  usedParams: Set<string>,
  diagnostics: Diagnostic[],
  wsDiag: (path: readonly (string | number)[], rule: string, severity: Diagnostic["severity"], message: string) => void,
): DesiredResource | undefined {
  const errorsBefore = diagnostics.length;
  const itemDiag = (path: readonly (string | number)[], rule: string, message: string, severity: Diagnostic["severity"] = "error") => {
    const p = item.positionOf(path);
    diagnostics.push({ file: item.file, line: p.line, column: p.column, rule, severity, message });
  };
  const d = item.data;
  const { merged: ov, source: ovSource } = overridesFor(item, target, usedOverrides);
  const by: Record<string, string> = {};

  // Parameters: workspace values for the names this item declares, then per-item override values.
  const declared = new Set(item.parameters.map((p) => p.name));
  const values: Record<string, unknown> = {};
  const valueOrigin: Record<string, readonly (string | number)[]> = {};
  for (const [k, v] of Object.entries(target.parameters)) {
    if (declared.has(k)) { values[k] = v; valueOrigin[k] = target.origins.parameters[k]!; usedParams.add(k); }
  }
  for (const [k, v] of Object.entries(ov.parameters ?? {})) {
    if (!declared.has(k)) {
      wsDiag(target.origins.workspace, "deploy/parameter-undeclared", "error", `override parameter '${k}' is not declared by ${item.file}`);
      continue;
    }
    values[k] = v;
  }
  if (!item.query.trim()) itemDiag(["query"], "deploy/query-missing", "content item has no query");
  let query = item.query;
  try {
    query = bindParameters(item.query, item.parameters, values).query;
  } catch (e) {
    if (!(e instanceof ParameterError)) throw e;
    const name = /parameter ([A-Za-z_]\w*)/.exec(e.message)?.[1];
    const origin = name ? valueOrigin[name] : undefined;
    if (origin) wsDiag(origin, "deploy/parameter-type", "error", `${e.message} (declared in ${item.file})`);
    else itemDiag(["parameters"], "deploy/parameter-type", e.message);
  }
  if (Object.keys(values).length) by["properties.query"] = `parameters ${Object.keys(values).sort().join(", ")}`;
  query = query.replace(/\r\n?/g, "\n");

  const displayName = (ov.displayNamePrefix ?? "") + item.name;
  if (!item.name) itemDiag(["name"], "deploy/name-missing", "content item has no name");
  const description = cleanDescription(d.description);
  const tactics = uniq(asStrings(d.tactics).map((t) => t.replace(/\s+/g, "")));
  const allTechniques = uniq(asStrings(d.relevantTechniques).map((t) => t.replace(/\s+/g, "")));
  const version = typeof d.version === "string" || typeof d.version === "number" ? String(d.version) : "1.0.0";

  let kind: ResourceKind;
  let body: DesiredResource["body"];
  if (item.kind === "analytics") {
    kind = "analyticsRule";
    const ruleKind = normalizeRuleKind(d.kind);
    if (!ruleKind) {
      itemDiag(["kind"], "deploy/rule-kind", `kind '${String(d.kind)}' cannot be deployed; scac deploys Scheduled and NRT rules`);
      return undefined;
    }
    // Stable alert-rule api-versions (e.g. 2025-09-01) have no NRT kind, subTechniques or sentinelEntitiesMappings.
    const stable = !target.apiVersions.alertRules.endsWith("-preview");
    if (stable && ruleKind === "NRT") {
      wsDiag(target.origins.workspace, "deploy/api-version", "error", `${item.file}: NRT rules need a preview alertRules api-version (${target.apiVersions.alertRules} has no NRT kind)`);
      return undefined;
    }
    const duration = (field: string, value: unknown, min: number, max: number, from: string) => {
      const iso = toIsoDuration(value);
      const secs = durationSeconds(value);
      if (iso === undefined || secs === undefined) {
        if (from === "content") itemDiag([field], "deploy/duration", `${field} '${String(value)}' is not a duration (e.g. 5m, 1h, 1d or PT1H)`);
        else wsDiag(target.origins.workspace, "deploy/duration", "error", `${from}: ${field} '${String(value)}' is not a duration`);
        return undefined;
      }
      if (secs < min || secs > max) {
        const msg = `${field} ${iso} is outside ${toIsoDuration(`${min}s`)}..${toIsoDuration(`${max}s`)}`;
        if (from === "content") itemDiag([field], "deploy/duration", msg);
        else wsDiag(target.origins.workspace, "deploy/duration", "error", `${from}: ${msg}`);
      }
      return iso;
    };
    const pick = <K extends keyof RuleOverride>(field: K, fromYaml: unknown): { value: unknown; from: string } => {
      if (ov[field] !== undefined) {
        by[`properties.${field}`] = ovSource[field]!;
        return { value: ov[field], from: ovSource[field]! };
      }
      return { value: fromYaml, from: "content" };
    };
    const props: Record<string, Json> = {};
    props.displayName = displayName;
    if (ov.displayNamePrefix) by["properties.displayName"] = ovSource.displayNamePrefix!;
    if (description) props.description = description;
    const sev = pick("severity", d.severity ?? "Medium");
    props.severity = String(sev.value);
    const en = pick("enabled", true);
    props.enabled = en.value as boolean;
    props.query = query;
    if (ruleKind === "Scheduled") {
      const f = pick("queryFrequency", d.queryFrequency);
      const p = pick("queryPeriod", d.queryPeriod);
      const fi = duration("queryFrequency", f.value, 300, 14 * 86400, f.from);
      const pi = duration("queryPeriod", p.value, 300, 14 * 86400, p.from);
      if (fi && pi && durationSeconds(pi)! < durationSeconds(fi)!) itemDiag(["queryPeriod"], "deploy/duration", `queryPeriod ${pi} is shorter than queryFrequency ${fi}`);
      if (fi) props.queryFrequency = fi;
      if (pi) props.queryPeriod = pi;
      const op = pick("triggerOperator", d.triggerOperator ?? "gt");
      const opArm = TRIGGER_OPERATORS[String(op.value).toLowerCase()];
      if (!opArm) itemDiag(["triggerOperator"], "deploy/trigger-operator", `triggerOperator '${String(op.value)}' is not one of gt, lt, eq, ne`);
      else props.triggerOperator = opArm;
      const th = pick("triggerThreshold", d.triggerThreshold ?? 0);
      if (typeof th.value !== "number" || !Number.isInteger(th.value) || th.value < 0 || th.value > 10000) {
        itemDiag(["triggerThreshold"], "deploy/trigger-threshold", `triggerThreshold '${String(th.value)}' must be an integer 0..10000`);
      } else props.triggerThreshold = th.value;
    }
    const se = pick("suppressionEnabled", d.suppressionEnabled ?? false);
    props.suppressionEnabled = Boolean(se.value);
    const sd = pick("suppressionDuration", d.suppressionDuration ?? "PT1H");
    const sdi = duration("suppressionDuration", sd.value, 300, 86400, sd.from);
    if (sdi) props.suppressionDuration = sdi;
    if (tactics.length) props.tactics = tactics;
    const parents = uniq(allTechniques.map((t) => t.split(".")[0]!));
    const subs = allTechniques.filter((t) => t.includes("."));
    if (parents.length) props.techniques = parents;
    if (subs.length && !stable) props.subTechniques = subs;
    else if (subs.length) itemDiag(["relevantTechniques"], "deploy/api-version", `sub-techniques ${subs.join(", ")} are not sent: alertRules api-version ${target.apiVersions.alertRules} has no subTechniques`, "info");
    if (d.entityMappings !== undefined && d.entityMappings !== null) {
      props.entityMappings = (Array.isArray(d.entityMappings) ? d.entityMappings : [d.entityMappings]) as Json;
    }
    if (Array.isArray(d.sentinelEntitiesMappings) && !stable) props.sentinelEntitiesMappings = d.sentinelEntitiesMappings as Json;
    else if (Array.isArray(d.sentinelEntitiesMappings)) itemDiag(["sentinelEntitiesMappings"], "deploy/api-version", `sentinelEntitiesMappings are not sent: alertRules api-version ${target.apiVersions.alertRules} has none`, "warning");
    if (d.customDetails && typeof d.customDetails === "object" && Object.keys(d.customDetails).length) props.customDetails = d.customDetails as Json;
    if (d.alertDetailsOverride && typeof d.alertDetailsOverride === "object") {
      const src = d.alertDetailsOverride as Record<string, unknown>;
      const ado: Record<string, Json> = {};
      for (const [k, v] of Object.entries(src)) {
        if (ALERT_DETAILS_KEYS.includes(k)) ado[k] = v as Json;
        else {
          const hint = k === "alertDisplayName" ? " (did you mean alertDisplayNameFormat?)" : "";
          itemDiag(["alertDetailsOverride", k], "deploy/unknown-field", `alertDetailsOverride.${k} is not an ARM field${hint}; it is not deployed`, "warning");
        }
      }
      if (Object.keys(ado).length) props.alertDetailsOverride = ado;
    }
    props.eventGroupingSettings = (d.eventGroupingSettings && typeof d.eventGroupingSettings === "object"
      ? d.eventGroupingSettings
      : { aggregationKind: "SingleAlert" }) as Json;
    const ic = structuredClone((d.incidentConfiguration && typeof d.incidentConfiguration === "object" ? d.incidentConfiguration : DEFAULT_INCIDENT_CONFIGURATION) as Record<string, unknown>);
    const gc = ic.groupingConfiguration as Record<string, unknown> | undefined;
    if (gc && gc.lookbackDuration !== undefined) {
      const iso = toIsoDuration(gc.lookbackDuration);
      if (!iso) itemDiag(["incidentConfiguration", "groupingConfiguration", "lookbackDuration"], "deploy/duration", `lookbackDuration '${String(gc.lookbackDuration)}' is not a duration`);
      else gc.lookbackDuration = iso;
    }
    if (ov.createIncident !== undefined) { ic.createIncident = ov.createIncident; by["properties.incidentConfiguration.createIncident"] = ovSource.createIncident!; }
    props.incidentConfiguration = ic as Json;
    if (target.linkTemplates) {
      props.alertRuleTemplateName = item.id;
      props.templateVersion = version;
    }
    body = { kind: ruleKind, properties: props };
  } else {
    kind = "huntingQuery";
    for (const f of Object.keys(ov)) {
      if (f !== "parameters" && f !== "displayNamePrefix" && ovSource[f] !== "override '*'") {
        wsDiag(target.origins.overrides[ovSource[f]!.slice(10, -1)] ?? target.origins.workspace, "deploy/override-not-applicable", "warning", `override field '${f}' does not apply to hunting query ${item.file}`);
      }
    }
    if (ov.displayNamePrefix) by["properties.displayName"] = ovSource.displayNamePrefix!;
    const tags: { name: string; value: string }[] = [];
    if (description) tags.push({ name: "description", value: description });
    if (tactics.length) tags.push({ name: "tactics", value: tactics.join(",") });
    if (allTechniques.length) tags.push({ name: "techniques", value: allTechniques.join(",") });
    const props: Record<string, Json> = { category: HUNTING_CATEGORY, displayName, query, version: 2 };
    if (tags.length) props.tags = tags;
    body = { properties: props };
  }
  if (diagnostics.slice(errorsBefore).some((x) => x.severity === "error")) return undefined;
  return {
    kind,
    id: item.id,
    displayName,
    file: item.file,
    version,
    ...addressOf(kind, item.id, target),
    body,
    hash: hashNormalized(normalizeBody(kind, body)),
    by,
  };
}

/** Marker scac writes in metadata `customVersion`: what it sent (desired) and what the service then held (live). */
export interface OwnershipRecord {
  desiredHash: string;
  liveHash: string;
  /** The resource's etag right after the deploy: while it is unchanged, the live body need not be re-hashed. */
  etag?: string;
}

export function formatOwnership(r: OwnershipRecord): string {
  return `scac:desired=${r.desiredHash};live=${r.liveHash}${r.etag ? `;etag=${r.etag}` : ""}`;
}

export function parseOwnership(customVersion: unknown): OwnershipRecord | undefined {
  const m = typeof customVersion === "string" ? /^scac:desired=([0-9a-f]+);live=([0-9a-f]+)(?:;etag=(.+))?$/s.exec(customVersion) : null;
  return m ? { desiredHash: m[1]!, liveHash: m[2]!, ...(m[3] ? { etag: m[3] } : {}) } : undefined;
}

/** The Sentinel metadata body that marks `r` as deployed by scac (source.kind SourceRepository). */
export function metadataBody(r: DesiredResource, target: WorkspaceTarget, liveHash: string, liveEtag?: string): { properties: Record<string, Json> } {
  return {
    properties: {
      contentId: r.id,
      parentId: r.path,
      kind: r.kind === "analyticsRule" ? "AnalyticsRule" : "HuntingQuery",
      version: r.version,
      source: { kind: "SourceRepository", name: SOURCE_NAME, sourceId: workspacePath(target) },
      customVersion: formatOwnership({ desiredHash: r.hash, liveHash, etag: liveEtag }),
    },
  };
}

/** True when a metadata resource (as read from ARM) was written by scac. */
export function isScacMetadata(m: unknown): boolean {
  const p = ((m ?? {}) as { properties?: { source?: { kind?: unknown; name?: unknown }; customVersion?: unknown } }).properties;
  return p?.source?.kind === "SourceRepository" && p.source.name === SOURCE_NAME && parseOwnership(p.customVersion) !== undefined;
}

function normalizeRuleKind(k: unknown): "Scheduled" | "NRT" | undefined {
  const s = String(k ?? "").toLowerCase();
  return s === "scheduled" ? "Scheduled" : s === "nrt" ? "NRT" : undefined;
}

function cleanDescription(v: unknown): string {
  if (typeof v !== "string") return "";
  let s = v.replace(/\r\n?/g, "\n").trimEnd();
  if (s.length >= 2 && (s[0] === "'" || s[0] === '"') && s.endsWith(s[0]!)) s = s.slice(1, -1);
  return s;
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}
