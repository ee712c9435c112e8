// Service-side rules for analytics rules that the OpenAPI definitions do not express: duration limits, sizes,
// NRT limits, entity identifiers, and the query itself — Sentinel runs the KQL at PUT time, so unknown tables
// or columns are a 400, as are mappings to columns the query does not output.
import { analyze } from "../kql/frontend.js";
import type { SchemaSet } from "../schemas/model.js";
import type { ArmErrorDetail } from "./errors.js";
import type { WorkspaceState } from "./store.js";

type Json = Record<string, unknown>;

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/** Seconds of an ISO 8601 duration (PnW, PnDTnHnMnS; Y/M approximated), or undefined when not parseable. */
export function isoDurationSeconds(s: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s);
  if (!m || s === "P" || s.endsWith("T")) return undefined;
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  return n(1) * 365 * DAY + n(2) * 30 * DAY + n(3) * 7 * DAY + n(4) * DAY + n(5) * HOUR + n(6) * MINUTE + n(7);
}

const fmt = (sec: number) => (sec % DAY === 0 ? `${sec / DAY} day(s)` : sec % HOUR === 0 ? `${sec / HOUR} hour(s)` : `${sec / MINUTE} minute(s)`);

export const LIMITS = {
  queryLength: 10_000,
  displayName: 256,
  description: 5_000,
  frequency: [5 * MINUTE, 14 * DAY],
  period: [5 * MINUTE, 14 * DAY],
  suppression: [5 * MINUTE, 24 * HOUR],
  lookback: [5 * MINUTE, 7 * DAY],
  triggerThreshold: [0, 10_000],
  entityMappings: 10,
  fieldMappings: 3,
  customDetails: 20,
  nrtRulesPerWorkspace: 50,
} as const;

/** Identifiers Sentinel accepts per entity type (Azure-Sentinel's EntityMappingIdentifiers plus ones the API is known to accept). */
const ENTITY_IDENTIFIERS: Record<string, readonly string[]> = {
  Account: ["Name", "FullName", "NTDomain", "DnsDomain", "UPNSuffix", "Sid", "AadTenantId", "AadUserId", "PUID", "IsDomainJoined", "DisplayName", "ObjectGuid", "CloudAppAccountId"],
  AzureResource: ["ResourceId"],
  CloudApplication: ["AppId", "Name", "InstanceName"],
  DNS: ["DomainName", "IpAddress"],
  File: ["Directory", "Name", "FileName", "FolderPath"],
  FileHash: ["Algorithm", "Value"],
  Host: ["DnsDomain", "NTDomain", "HostName", "FullName", "NetBiosName", "AzureID", "OMSAgentID", "OSFamily", "OSVersion", "IsDomainJoined", "Name"],
  IoTDevice: ["DeviceId", "DeviceName", "Manufacturer", "Model", "FirmwareVersion", "OperatingSystem", "MacAddress", "Protocols", "SerialNumber", "Source", "IoTSecurityAgentId", "DeviceType"],
  IP: ["Address"],
  Mailbox: ["MailboxPrimaryAddress", "DisplayName", "Upn", "ExternalDirectoryObjectId", "RiskLevel"],
  MailCluster: ["NetworkMessageIds", "CountByDeliveryStatus", "CountByThreatType", "CountByProtectionStatus", "Threats", "Query", "QueryTime", "MailCount", "IsVolumeAnomaly", "Source", "ClusterSourceIdentifier", "ClusterSourceType", "ClusterQueryStartTime", "ClusterQueryEndTime", "ClusterGroup"],
  MailMessage: ["Recipient", "Urls", "Threats", "Sender", "P1Sender", "P1SenderDisplayName", "P1SenderDomain", "SenderIP", "P2Sender", "P2SenderDisplayName", "P2SenderDomain", "ReceivedDate", "NetworkMessageId", "InternetMessageId", "Subject", "BodyFingerprintBin1", "BodyFingerprintBin2", "BodyFingerprintBin3", "BodyFingerprintBin4", "BodyFingerprintBin5", "AntispamDirection", "DeliveryAction", "DeliveryLocation", "Language", "ThreatDetectionMethods"],
  Malware: ["Name", "Category"],
  Process: ["ProcessId", "CommandLine", "ElevationToken", "CreationTimeUtc"],
  RegistryKey: ["Hive", "Key"],
  RegistryValue: ["Name", "Value", "ValueType"],
  SecurityGroup: ["DistinguishedName", "SID", "ObjectGuid"],
  SubmissionMail: ["NetworkMessageId", "Timestamp", "Recipient", "Sender", "SenderIp", "Subject", "ReportType", "SubmissionId", "SubmissionDate", "Submitter"],
  URL: ["Url"],
};

export interface RuleCheckResult {
  errors: ArmErrorDetail[];
  /** Set when the query itself fails (the service's "Failed to run the analytics rule query"). */
  queryError?: string;
}

function range(errors: ArmErrorDetail[], target: string, value: unknown, [lo, hi]: readonly [number, number]): number | undefined {
  if (typeof value !== "string") return undefined;
  const sec = isoDurationSeconds(value);
  if (sec === undefined) return undefined; // format errors come from the OpenAPI check
  if (sec < lo || sec > hi) {
    errors.push({ code: "InvalidDuration", target, message: `${target} '${value}' is out of range: it must be between ${fmt(lo)} and ${fmt(hi)}.` });
  }
  return sec;
}

export function checkAlertRule(kind: string, p: Json, ws: WorkspaceState | undefined, name: string, schemas: SchemaSet | undefined): RuleCheckResult {
  const errors: ArmErrorDetail[] = [];
  if (kind !== "Scheduled" && kind !== "NRT") return { errors };
  const add = (target: string, message: string, code = "InvalidProperty") => errors.push({ code, target, message });

  const query = typeof p.query === "string" ? p.query : "";
  if (!query.trim()) add("properties.query", "properties.query must not be empty.");
  if (query.length > LIMITS.queryLength) add("properties.query", `properties.query is ${query.length} characters long; the limit is ${LIMITS.queryLength}.`);
  if (typeof p.displayName === "string") {
    if (!p.displayName.trim()) add("properties.displayName", "properties.displayName must not be empty.");
    if (p.displayName.length > LIMITS.displayName) add("properties.displayName", `properties.displayName is longer than ${LIMITS.displayName} characters.`);
  }
  if (typeof p.description === "string" && p.description.length > LIMITS.description) {
    add("properties.description", `properties.description is longer than ${LIMITS.description} characters.`);
  }
  // Service message quoted in public reports of rules deployed with a templateVersion but no template name.
  if (typeof p.templateVersion === "string" && p.templateVersion && !(typeof p.alertRuleTemplateName === "string" && p.alertRuleTemplateName)) {
    add("properties.templateVersion", "'templateVersion' can only be used if 'alertRuleTemplateName' is not empty");
  }
  if (kind === "Scheduled") {
    const f = range(errors, "properties.queryFrequency", p.queryFrequency, LIMITS.frequency);
    const per = range(errors, "properties.queryPeriod", p.queryPeriod, LIMITS.period);
    if (f !== undefined && per !== undefined && per < f) {
      add("properties.queryPeriod", `properties.queryPeriod (${String(p.queryPeriod)}) must be greater than or equal to properties.queryFrequency (${String(p.queryFrequency)}).`);
    }
    if (typeof p.triggerThreshold === "number" && (p.triggerThreshold < LIMITS.triggerThreshold[0] || p.triggerThreshold > LIMITS.triggerThreshold[1])) {
      add("properties.triggerThreshold", `properties.triggerThreshold must be between ${LIMITS.triggerThreshold[0]} and ${LIMITS.triggerThreshold[1]}.`);
    }
  } else if (ws && !ws.alertRules.get(name.toLowerCase())) {
    let nrt = 0;
    for (const r of ws.alertRules.values()) if (r.kind === "NRT") nrt++;
    if (nrt >= LIMITS.nrtRulesPerWorkspace) {
      add("kind", `The workspace already has ${nrt} NRT rules; the limit is ${LIMITS.nrtRulesPerWorkspace} per workspace.`, "NrtRuleLimitExceeded");
    }
  }
  range(errors, "properties.suppressionDuration", p.suppressionDuration, LIMITS.suppression);
  const grouping = (p.incidentConfiguration as Json | undefined)?.groupingConfiguration as Json | undefined;
  if (grouping) range(errors, "properties.incidentConfiguration.groupingConfiguration.lookbackDuration", grouping.lookbackDuration, LIMITS.lookback);

  const columnRefs: { target: string; column: string }[] = [];
  const mappings = Array.isArray(p.entityMappings) ? (p.entityMappings as Json[]) : [];
  if (mappings.length > LIMITS.entityMappings) add("properties.entityMappings", `At most ${LIMITS.entityMappings} entity mappings are allowed (got ${mappings.length}).`);
  mappings.forEach((m, i) => {
    const fields = Array.isArray(m.fieldMappings) ? (m.fieldMappings as Json[]) : [];
    const t = `properties.entityMappings[${i}]`;
    if (fields.length === 0 || fields.length > LIMITS.fieldMappings) add(`${t}.fieldMappings`, `Each entity mapping needs 1 to ${LIMITS.fieldMappings} field mappings (got ${fields.length}).`);
    const allowed = ENTITY_IDENTIFIERS[String(m.entityType)];
    const seen = new Set<string>();
    fields.forEach((f, j) => {
      const id = String(f.identifier ?? "");
      if (allowed && !allowed.includes(id)) add(`${t}.fieldMappings[${j}].identifier`, `'${id}' is not a valid identifier for entity type ${String(m.entityType)} (valid: ${allowed.join(", ")}).`);
      if (seen.has(id)) add(`${t}.fieldMappings[${j}].identifier`, `Identifier '${id}' is mapped twice in the same entity mapping.`);
      seen.add(id);
      if (typeof f.columnName === "string") columnRefs.push({ target: `${t}.fieldMappings[${j}].columnName`, column: f.columnName });
    });
  });
  const details = p.customDetails as Json | undefined;
  if (details && typeof details === "object") {
    const entries = Object.entries(details);
    if (entries.length > LIMITS.customDetails) add("properties.customDetails", `At most ${LIMITS.customDetails} custom details are allowed (got ${entries.length}).`);
    for (const [k, v] of entries) {
      if (!/^[a-zA-Z]+\w*$/.test(k) || k.length > 20) add(`properties.customDetails.${k}`, `Custom detail key '${k}' must match ^[a-zA-Z]+\\w*$ and be at most 20 characters.`);
      if (typeof v === "string") columnRefs.push({ target: `properties.customDetails.${k}`, column: v });
    }
  }
  const ado = p.alertDetailsOverride as Json | undefined;
  if (ado && typeof ado === "object") {
    for (const key of ["alertTacticsColumnName", "alertSeverityColumnName"]) {
      if (typeof ado[key] === "string" && ado[key]) columnRefs.push({ target: `properties.alertDetailsOverride.${key}`, column: ado[key] as string });
    }
    for (const key of ["alertDisplayNameFormat", "alertDescriptionFormat"]) {
      if (typeof ado[key] !== "string") continue;
      for (const m of (ado[key] as string).matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)) columnRefs.push({ target: `properties.alertDetailsOverride.${key}`, column: m[1]! });
    }
    const dyn = Array.isArray(ado.alertDynamicProperties) ? (ado.alertDynamicProperties as Json[]) : [];
    dyn.forEach((d, i) => {
      if (typeof d.value === "string") columnRefs.push({ target: `properties.alertDetailsOverride.alertDynamicProperties[${i}].value`, column: d.value });
    });
  }
  const sem = Array.isArray(p.sentinelEntitiesMappings) ? (p.sentinelEntitiesMappings as Json[]) : [];
  sem.forEach((s, i) => { if (typeof s.columnName === "string") columnRefs.push({ target: `properties.sentinelEntitiesMappings[${i}].columnName`, column: s.columnName }); });

  if (errors.length || !schemas || !query.trim()) return { errors };

  // The service runs the query against the workspace: resolution errors fail the PUT.
  const a = analyzeCached(query, schemas);
  const failure = queryFailure(query, schemas);
  if (failure) return { errors: failure.details, queryError: failure.message };
  if (a.resultColumns) {
    const cols = new Set(a.resultColumns.map((c) => c.name));
    for (const r of columnRefs) {
      if (!cols.has(r.column)) {
        errors.push({ code: "ColumnNotFound", target: r.target, message: `${r.target} refers to column '${r.column}', which the query does not return (columns: ${[...cols].join(", ")}).` });
      }
    }
  }
  return { errors };
}

// Deploys send the same query to many workspaces with the same schema: analyse each (schema set, query) once.
const analysisCache = new WeakMap<SchemaSet, Map<string, Pick<ReturnType<typeof analyze>, "diagnostics" | "resultColumns">>>();
const CACHE_PER_SET = 5_000;

function analyzeCached(query: string, schemas: SchemaSet): Pick<ReturnType<typeof analyze>, "diagnostics" | "resultColumns"> {
  let m = analysisCache.get(schemas);
  if (!m) analysisCache.set(schemas, (m = new Map()));
  let r = m.get(query);
  if (!r) {
    const a = analyze(query, schemas);
    r = { diagnostics: a.diagnostics, resultColumns: a.resultColumns };
    if (m.size >= CACHE_PER_SET) m.delete(m.keys().next().value!);
    m.set(query, r);
  }
  return r;
}

/** Why the service could not run `query` in a workspace with `schemas`, or undefined when it can. */
export function queryFailure(query: string, schemas: SchemaSet): { message: string; details: ArmErrorDetail[] } | undefined {
  const bad = analyzeCached(query, schemas).diagnostics.filter((d) => d.severity === "error");
  if (!bad.length) return undefined;
  const first = bad[0]!;
  const unknownTable = bad.find((d) => /known table/i.test(d.message));
  const message = unknownTable
    ? `Failed to run the analytics rule query. One of the tables does not exist. ${unknownTable.message} (line ${unknownTable.line}, column ${unknownTable.column})`
    : `Failed to run the analytics rule query. Semantic error: '${first.message}' (line ${first.line}, column ${first.column})`;
  return { message, details: bad.map((d) => ({ code: d.code, target: "properties.query", message: `line ${d.line}, column ${d.column}: ${d.message}` })) };
}

/** Log Analytics saved-search rules beyond the OpenAPI definition. */
export function checkSavedSearch(p: Json): ArmErrorDetail[] {
  const errors: ArmErrorDetail[] = [];
  for (const k of ["category", "displayName", "query"]) {
    if (typeof p[k] === "string" && !(p[k] as string).trim()) errors.push({ code: "InvalidProperty", target: `properties.${k}`, message: `properties.${k} must not be empty.` });
  }
  return errors;
}
