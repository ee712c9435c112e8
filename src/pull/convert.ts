// ARM → Azure-Sentinel YAML: the inverse of deploy's mapping (src/deploy/desired.ts, arm-api.md §3), applied to
// what a live workspace returns. Pure. Every property is kept: mapped ones under their YAML names, the rest
// under their own ARM names, so nothing is lost; server-side bookkeeping (lastModifiedUtc, null defaults) is
// dropped. Values that equal what deploy would send anyway (its defaults) are left out to keep files short.
import { HUNTING_CATEGORY } from "../deploy/desired.js";
import { durationSeconds } from "../deploy/durations.js";
import { canonicalJson } from "../deploy/normalize.js";

export type YamlData = Record<string, unknown>;

export interface Converted {
  kind: "analytics" | "hunting";
  id: string;
  name: string;
  data: YamlData;
  /** Things a person should know about this item (skips, values deploy will not send back…). */
  notes: string[];
}

const OPERATORS: Record<string, string> = { greaterthan: "gt", lessthan: "lt", equal: "eq", notequal: "ne" };
/** Properties the service manages; never content. */
const READ_ONLY = new Set(["lastModifiedUtc"]);
/** Deploy's defaults (desired.ts): a live value equal to one of these is omitted from the YAML. */
const DEFAULT_INCIDENT_CONFIGURATION = {
  createIncident: true,
  groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: "PT5H", matchingMethod: "AllEntities" },
};
/** YAML key order of Azure-Sentinel's own detections. */
const RULE_ORDER = [
  "id", "name", "description", "severity", "status", "requiredDataConnectors", "queryFrequency", "queryPeriod",
  "triggerOperator", "triggerThreshold", "tactics", "relevantTechniques", "query", "entityMappings",
  "sentinelEntitiesMappings", "customDetails", "alertDetailsOverride", "eventGroupingSettings",
  "incidentConfiguration", "suppressionEnabled", "suppressionDuration", "enabled", "alertRuleTemplateName", "version", "kind",
];

/** `PT1H` → `1h`, `P1D` → `1d`, `PT90M` → `90m`: the largest whole unit (Azure-Sentinel YAML style). */
export function yamlDuration(v: unknown): unknown {
  const s = durationSeconds(v);
  if (s === undefined || s <= 0) return v;
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** techniques (parents) + subTechniques → relevantTechniques: a sub-technique stands in for its parent. */
export function relevantTechniques(techniques: unknown, subTechniques: unknown): string[] {
  const parents = strings(techniques);
  const subs = strings(subTechniques);
  const out: string[] = [];
  for (const p of parents) {
    const mine = subs.filter((s) => s.split(".")[0] === p);
    out.push(...(mine.length ? mine : [p]));
  }
  for (const s of subs) if (!out.includes(s)) out.push(s); // a sub-technique whose parent is not listed
  return [...new Set(out)];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.trim() !== "") : [];
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0);
}

function ordered(data: YamlData, order: readonly string[]): YamlData {
  const out: YamlData = {};
  for (const k of order) if (k in data) out[k] = data[k];
  for (const k of Object.keys(data)) if (!(k in out)) out[k] = data[k];
  return out;
}

/** An alert rule as read from ARM ({name, kind, properties…}); undefined data when its kind cannot be content. */
export function alertRuleToYaml(rule: Record<string, unknown>): Converted {
  const id = String(rule.name ?? "");
  const p = { ...((rule.properties ?? {}) as Record<string, unknown>) };
  const kind = String(rule.kind ?? "");
  const name = typeof p.displayName === "string" ? p.displayName : id;
  const notes: string[] = [];
  const out: YamlData = { id, name };
  if (kind !== "Scheduled" && kind !== "NRT") {
    return { kind: "analytics", id, name, data: {}, notes: [`kind ${kind || "(none)"} is not content scac manages (Scheduled and NRT only); skipped`] };
  }
  const take = (k: string) => { const v = p[k]; delete p[k]; return v; };
  for (const k of READ_ONLY) delete p[k];
  take("displayName");
  const description = take("description");
  if (typeof description === "string" && description !== "") out.description = description;
  out.severity = take("severity") ?? "Medium";
  out.requiredDataConnectors = [];
  if (kind === "Scheduled") {
    out.queryFrequency = yamlDuration(take("queryFrequency"));
    out.queryPeriod = yamlDuration(take("queryPeriod"));
    const op = take("triggerOperator");
    out.triggerOperator = typeof op === "string" ? (OPERATORS[op.toLowerCase()] ?? op) : op;
    out.triggerThreshold = take("triggerThreshold");
  }
  const tactics = take("tactics");
  if (!isEmpty(tactics)) out.tactics = tactics;
  const techniques = relevantTechniques(take("techniques"), take("subTechniques"));
  if (techniques.length) out.relevantTechniques = techniques;
  out.query = take("query") ?? "";
  for (const k of ["entityMappings", "sentinelEntitiesMappings", "customDetails", "alertDetailsOverride"]) {
    const v = take(k);
    if (!isEmpty(v)) out[k] = v;
  }
  out.eventGroupingSettings = take("eventGroupingSettings") ?? { aggregationKind: "SingleAlert" };
  const ic = take("incidentConfiguration");
  if (!isEmpty(ic) && canonicalJson(ic) !== canonicalJson(DEFAULT_INCIDENT_CONFIGURATION)) out.incidentConfiguration = ic;
  const se = take("suppressionEnabled");
  const sd = take("suppressionDuration");
  if (se === true || (sd !== undefined && durationSeconds(sd) !== 3600)) {
    out.suppressionEnabled = se ?? false;
    if (sd !== undefined) out.suppressionDuration = yamlDuration(sd);
  }
  const enabled = take("enabled");
  if (enabled === false) {
    out.enabled = false;
    notes.push("disabled in the workspace; deploy takes `enabled` from workspaces.yaml overrides, not from the YAML");
  }
  const template = take("alertRuleTemplateName");
  const templateVersion = take("templateVersion");
  if (typeof template === "string" && template) {
    out.alertRuleTemplateName = template;
    notes.push(`created from template ${template}; deploy links templates only with linkTemplates (and then to the content id)`);
  }
  out.version = typeof templateVersion === "string" && templateVersion ? templateVersion : "1.0.0";
  out.kind = kind;
  for (const [k, v] of Object.entries(p)) {
    if (v === null || v === undefined) continue;
    out[k] = v; // unknown to the mapping: kept under its ARM name
    notes.push(`property '${k}' has no Azure-Sentinel YAML field; kept as '${k}' (deploy does not send it)`);
  }
  return { kind: "analytics", id, name, data: ordered(out, RULE_ORDER), notes };
}

/** Tags the portal stamps on saved searches; not content. */
const PORTAL_TAGS = new Set(["createdby", "createdtimeutc"]);
const HUNTING_ORDER = ["id", "name", "description", "requiredDataConnectors", "tactics", "relevantTechniques", "query", "version"];

/** A hunting-query saved search ({name, properties: {category, displayName, query, tags…}}). */
export function savedSearchToYaml(search: Record<string, unknown>): Converted {
  const id = String(search.name ?? "");
  const p = { ...((search.properties ?? {}) as Record<string, unknown>) };
  const name = typeof p.displayName === "string" ? p.displayName : id;
  const notes: string[] = [];
  const out: YamlData = { id, name };
  delete p.displayName;
  delete p.category;
  const tags = Array.isArray(p.tags) ? (p.tags as { name?: unknown; value?: unknown }[]) : [];
  delete p.tags;
  const tag = (n: string) => tags.find((t) => String(t?.name ?? "").toLowerCase() === n);
  const list = (v: unknown) => String(v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const desc = tag("description");
  if (desc && typeof desc.value === "string" && desc.value !== "") out.description = desc.value;
  out.requiredDataConnectors = [];
  const tactics = list(tag("tactics")?.value);
  if (tactics.length) out.tactics = tactics;
  const techniques = list(tag("techniques")?.value);
  if (techniques.length) out.relevantTechniques = techniques;
  out.query = p.query ?? "";
  delete p.query;
  const version = p.version;
  delete p.version;
  if (version !== undefined && version !== 2) notes.push(`saved-search version ${String(version)}; deploy writes version 2`);
  out.version = "1.0.0";
  const extra = tags.filter((t) => !["description", "tactics", "techniques"].includes(String(t?.name ?? "").toLowerCase()) && !PORTAL_TAGS.has(String(t?.name ?? "").toLowerCase()));
  if (extra.length) {
    out.savedSearchTags = extra.map((t) => ({ name: String(t.name ?? ""), value: String(t.value ?? "") }));
    notes.push(`tags ${extra.map((t) => String(t.name)).join(", ")} kept as savedSearchTags (deploy does not send them)`);
  }
  for (const [k, v] of Object.entries(p)) {
    if (v === null || v === undefined || v === "") continue;
    out[k] = v;
    notes.push(`property '${k}' has no Azure-Sentinel YAML field; kept as '${k}' (deploy does not send it)`);
  }
  return { kind: "hunting", id, name, data: ordered(out, HUNTING_ORDER), notes };
}

/** True for a saved search that is a hunting query (not a function, parser or log query). */
export function isHuntingSearch(s: Record<string, unknown>): boolean {
  const p = (s.properties ?? {}) as Record<string, unknown>;
  return String(p.category ?? "").trim().toLowerCase() === HUNTING_CATEGORY.toLowerCase() && !p.functionAlias;
}
