// Metadata shape: required and recommended fields per kind, value types, unknown keys (with typo hints),
// lengths, version format and the non-ASCII check Azure-Sentinel's CI runs.
import { defineRule, type ItemContext } from "../rule.js";
import { didYouMean, isRecord } from "../util.js";

type Shape = "string" | "list" | "mapping" | "integer" | "boolean" | "scalar";

/** Every top-level key Sentinel content uses (hunting and analytics share one set: real hunting files carry detection keys). */
export const TOP_LEVEL_FIELDS: Record<string, Shape> = {
  id: "string", name: "string", description: "string", "description-detailed": "string", kind: "string", severity: "string",
  status: "string", requiredDataConnectors: "list", queryFrequency: "string", queryPeriod: "string",
  triggerOperator: "string", triggerThreshold: "integer", tactics: "list", relevantTechniques: "list", query: "string",
  entityMappings: "list", customDetails: "mapping", alertDetailsOverride: "mapping", eventGroupingSettings: "mapping",
  incidentConfiguration: "mapping", suppressionDuration: "string", suppressionEnabled: "boolean", version: "scalar",
  tags: "list", metadata: "mapping", sentinelEntitiesMappings: "list", alertRuleTemplateName: "string", enabled: "boolean",
  subTechniques: "list", techniques: "list", parameters: "mapping",
};

const NESTED_FIELDS: Record<string, string[]> = {
  alertDetailsOverride: ["alertDisplayNameFormat", "alertDescriptionFormat", "alertTacticsColumnName", "alertSeverityColumnName", "alertDynamicProperties"],
  eventGroupingSettings: ["aggregationKind"],
  incidentConfiguration: ["createIncident", "groupingConfiguration"],
  "incidentConfiguration.groupingConfiguration": ["enabled", "reopenClosedIncident", "lookbackDuration", "matchingMethod", "groupByEntities", "groupByAlertDetails", "groupByCustomDetails"],
  "requiredDataConnectors[]": ["connectorId", "dataTypes"],
  "entityMappings[]": ["entityType", "fieldMappings"],
  "entityMappings[].fieldMappings[]": ["identifier", "columnName"],
};

const REQUIRED = {
  hunting: ["id", "name", "query"],
  Scheduled: ["id", "name", "description", "severity", "requiredDataConnectors", "query", "queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold"],
  NRT: ["id", "name", "description", "severity", "query"],
} as const;
const RECOMMENDED = {
  hunting: ["description", "requiredDataConnectors", "tactics", "relevantTechniques"],
  analytics: ["tactics", "relevantTechniques", "version"],
} as const;

function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === "string" && v.trim() === "");
}

function kindOf(ctx: ItemContext): "hunting" | "Scheduled" | "NRT" | undefined {
  if (ctx.item.kind === "hunting") return "hunting";
  const k = ctx.item.data.kind;
  return k === "Scheduled" || k === "NRT" ? k : undefined;
}

export const requiredField = defineRule({
  scope: "item", id: "required-field", severity: "error",
  description: "Fields Sentinel requires for the kind are present and non-empty.",
  doc: "Hunting query: id, name, query (a migration stub without query is an error). Scheduled rule: id, name, description, severity, requiredDataConnectors, query, queryFrequency, queryPeriod, triggerOperator, triggerThreshold. NRT rule: id, name, description, severity, query.",
  check(ctx) {
    const k = kindOf(ctx);
    if (!k) return;
    const keys = Object.keys(ctx.item.data);
    for (const f of REQUIRED[k]) {
      if (present(ctx.item.data[f])) continue;
      const typo = keys.find((key) => key !== f && !(key in TOP_LEVEL_FIELDS) && didYouMean(key, [f]) !== "");
      const what = ctx.item.kind === "hunting" ? "a hunting query" : `a ${k} rule`;
      ctx.report(ctx.item.data[f] === undefined ? (typo ? [typo] : []) : [f],
        `${what} needs '${f}'${ctx.item.data[f] === undefined ? "" : " (it is empty)"}${typo ? `; '${typo}' looks like a misspelling of it` : ""}`);
    }
  },
});

export const recommendedField = defineRule({
  scope: "item", id: "recommended-field", severity: "warning",
  description: "Fields that make content usable (description, connectors, tactics, techniques, version) are present.",
  doc: "Hunting queries: description, requiredDataConnectors, tactics, relevantTechniques. Analytics rules: tactics, relevantTechniques, version.",
  check(ctx) {
    const k = kindOf(ctx);
    if (!k) return;
    for (const f of k === "hunting" ? RECOMMENDED.hunting : RECOMMENDED.analytics) {
      if (!present(ctx.item.data[f])) ctx.report([], `'${f}' is missing`);
    }
  },
});

function shapeOk(v: unknown, s: Shape): boolean {
  switch (s) {
    case "string": return typeof v === "string";
    case "list": return Array.isArray(v);
    case "mapping": return isRecord(v);
    case "integer": return typeof v === "number" && Number.isInteger(v);
    case "boolean": return typeof v === "boolean";
    case "scalar": return typeof v === "string" || typeof v === "number";
  }
}

export const fieldType = defineRule({
  scope: "item", id: "field-type", severity: "error",
  description: "Each field has the expected YAML type (string, list, mapping, integer, boolean).",
  doc: "For example `tactics` is a list, `triggerThreshold` an integer, `customDetails` a mapping. List items are checked too: connectors and entity mappings are mappings, tactics and techniques strings.",
  check(ctx) {
    const d = ctx.item.data;
    for (const [k, v] of Object.entries(d)) {
      const s = TOP_LEVEL_FIELDS[k];
      if (s && v !== null && v !== undefined && !shapeOk(v, s)) ctx.report([k], `'${k}' must be ${s === "integer" ? "an integer" : `a ${s}`}, not ${describe(v)}`);
    }
    const items: [string, Shape][] = [["tactics", "string"], ["relevantTechniques", "string"], ["requiredDataConnectors", "mapping"], ["entityMappings", "mapping"], ["tags", "scalar"]];
    for (const [k, s] of items) {
      const list = d[k];
      if (!Array.isArray(list)) continue;
      list.forEach((v, i) => {
        if (s === "scalar" ? !(typeof v === "string" || isRecord(v)) : !shapeOk(v, s)) ctx.report([k, i], `${k}[${i}] must be a ${s}, not ${describe(v)}`);
      });
    }
    if (isRecord(d.alertDetailsOverride)) {
      for (const [k, v] of Object.entries(d.alertDetailsOverride)) {
        const ok = k === "alertDynamicProperties" ? Array.isArray(v) : typeof v === "string";
        if (!ok) ctx.report(["alertDetailsOverride", k], `alertDetailsOverride.${k} must be ${k === "alertDynamicProperties" ? "a list" : "a string"}, not ${describe(v)}`);
      }
    }
    if (Array.isArray(d.requiredDataConnectors)) {
      d.requiredDataConnectors.forEach((c, i) => {
        if (!isRecord(c)) return;
        if (typeof c.connectorId !== "string") ctx.report(["requiredDataConnectors", i], `requiredDataConnectors[${i}].connectorId must be a string`);
        if (c.dataTypes !== undefined && !(Array.isArray(c.dataTypes) && c.dataTypes.every((t) => typeof t === "string"))) ctx.report(["requiredDataConnectors", i, "dataTypes"], `requiredDataConnectors[${i}].dataTypes must be a list of table names`);
      });
    }
  },
});

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (isRecord(v)) return "a mapping";
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

export const unknownField = defineRule({
  scope: "item", id: "unknown-field", severity: "warning",
  description: "No unknown keys (Sentinel silently ignores them); typos get a hint.",
  doc: "`queryFrequncy` → did you mean `queryFrequency`? Checked at the top level and inside alertDetailsOverride, eventGroupingSettings, incidentConfiguration, requiredDataConnectors and entityMappings.",
  check(ctx) {
    const d = ctx.item.data;
    for (const k of Object.keys(d)) {
      if (!(k in TOP_LEVEL_FIELDS)) ctx.report([k], `unknown field '${k}'${didYouMean(k, Object.keys(TOP_LEVEL_FIELDS))}`);
    }
    const nested = (obj: unknown, known: string[], path: (string | number)[], label: string) => {
      if (!isRecord(obj)) return;
      for (const k of Object.keys(obj)) if (!known.includes(k)) ctx.report([...path, k], `unknown field '${k}' in ${label}${didYouMean(k, known)}`);
    };
    nested(d.alertDetailsOverride, NESTED_FIELDS.alertDetailsOverride!, ["alertDetailsOverride"], "alertDetailsOverride");
    nested(d.eventGroupingSettings, NESTED_FIELDS.eventGroupingSettings!, ["eventGroupingSettings"], "eventGroupingSettings");
    nested(d.incidentConfiguration, NESTED_FIELDS.incidentConfiguration!, ["incidentConfiguration"], "incidentConfiguration");
    if (isRecord(d.incidentConfiguration)) nested(d.incidentConfiguration.groupingConfiguration, NESTED_FIELDS["incidentConfiguration.groupingConfiguration"]!, ["incidentConfiguration", "groupingConfiguration"], "groupingConfiguration");
    if (Array.isArray(d.requiredDataConnectors)) d.requiredDataConnectors.forEach((c, i) => nested(c, NESTED_FIELDS["requiredDataConnectors[]"]!, ["requiredDataConnectors", i], "a required data connector"));
    if (Array.isArray(d.entityMappings)) d.entityMappings.forEach((m, i) => {
      nested(m, NESTED_FIELDS["entityMappings[]"]!, ["entityMappings", i], "an entity mapping");
      if (isRecord(m) && Array.isArray(m.fieldMappings)) m.fieldMappings.forEach((f, j) => nested(f, NESTED_FIELDS["entityMappings[].fieldMappings[]"]!, ["entityMappings", i, "fieldMappings", j], "a field mapping"));
    });
  },
});

export const fieldLength = defineRule({
  scope: "item", id: "field-length", severity: "error",
  description: "name ≤ 256 characters, description ≤ 5,000, version ≤ 20 (Sentinel's limits).",
  check(ctx) {
    const limits: [string, number][] = [["name", 256], ["description", 5000], ["version", 20]];
    for (const [k, max] of limits) {
      const v = ctx.item.data[k];
      if (typeof v === "string" && v.length > max) ctx.report([k], `'${k}' is ${v.length} characters; the limit is ${max}`);
    }
  },
});

export const versionFormat = defineRule({
  scope: "item", id: "version-format", severity: "warning",
  description: "version is X.Y.Z (digits only).",
  doc: "Sentinel's template version format; deploy and the Content hub compare versions numerically.",
  check(ctx) {
    const v = ctx.item.data.version;
    if (v === undefined || v === null) return;
    if (!/^\d+\.\d+\.\d+$/.test(String(v))) ctx.report(["version"], `version '${String(v)}' should be in the format X.Y.Z`);
  },
});

export const nonAscii = defineRule({
  scope: "item", id: "non-ascii", severity: "warning",
  description: "The file is plain ASCII (Azure-Sentinel's CI rejects other characters).",
  doc: "Smart quotes and dashes pasted from documents are the usual culprits; they can also change KQL string literals.",
  check(ctx) {
    const lines = ctx.text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const m = /[^\u0000-\u007F]/.exec(lines[i]!);
      if (m) {
        ctx.report({ line: i + 1, column: m.index + 1 }, `non-ASCII character U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} '${m[0]}'`);
        return; // one finding per file is enough to act on
      }
    }
  },
});

export const fieldRules = [requiredField, recommendedField, fieldType, unknownField, fieldLength, versionFormat, nonAscii];
