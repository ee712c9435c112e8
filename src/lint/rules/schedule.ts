// Analytics-rule settings: enums (severity, kind, triggerOperator), threshold range, schedule syntax and limits,
// NRT restrictions, alert grouping and incident configuration.
import { entityData } from "../data.js";
import { defineRule, type ItemContext } from "../rule.js";
import { didYouMean, formatSeconds, isRecord, parseScheduleTimespan } from "../util.js";

const SEVERITIES = ["Informational", "Low", "Medium", "High"];
const KINDS = ["Scheduled", "NRT"];
const TRIGGER_OPERATORS = ["gt", "lt", "eq", "ne", "GreaterThan", "LessThan", "Equal", "NotEqual"];
const MIN_SCHEDULE = 5 * 60, MAX_SCHEDULE = 14 * 86400;

function enumCheck(ctx: ItemContext, key: string, allowed: string[]): void {
  const v = ctx.item.data[key];
  if (v === undefined || v === null || v === "") return;
  if (typeof v !== "string" || !allowed.includes(v)) ctx.report([key], `${key} '${String(v)}' is not one of ${allowed.join(", ")}${didYouMean(String(v), allowed)}`);
}

export const severityEnum = defineRule({
  scope: "item", id: "severity-enum", severity: "error",
  description: "severity is Informational, Low, Medium or High.",
  check: (ctx) => enumCheck(ctx, "severity", SEVERITIES),
});

export const kindEnum = defineRule({
  scope: "item", id: "kind-enum", severity: "error",
  description: "kind is Scheduled or NRT.",
  doc: "A file with `kind` is an analytics rule; scac deploys Scheduled and NRT rules.",
  check: (ctx) => enumCheck(ctx, "kind", KINDS),
});

export const triggerOperator = defineRule({
  scope: "item", id: "trigger-operator", severity: "error",
  description: "triggerOperator is gt, lt, eq, ne or GreaterThan, LessThan, Equal, NotEqual (case-sensitive, as Sentinel's converter).",
  check: (ctx) => enumCheck(ctx, "triggerOperator", TRIGGER_OPERATORS),
});

export const triggerThreshold = defineRule({
  scope: "item", id: "trigger-threshold", severity: "error",
  description: "triggerThreshold is an integer from 0 to 10,000.",
  check(ctx) {
    const v = ctx.item.data.triggerThreshold;
    if (v === undefined || v === null) return;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 10000) ctx.report(["triggerThreshold"], `triggerThreshold ${JSON.stringify(v)} must be an integer from 0 to 10000`);
  },
});

function scheduleValue(ctx: ItemContext, key: "queryFrequency" | "queryPeriod"): number | undefined {
  return parseScheduleTimespan(ctx.item.data[key]);
}

export const scheduleFormat = defineRule({
  scope: "item", id: "schedule-format", severity: "error",
  description: "queryFrequency, queryPeriod, suppressionDuration and grouping lookbackDuration are timespans: `5m`, `1h`, `1d`, `01:00:00`, `1.00:00:00` or ISO 8601 `PT1H`.",
  check(ctx) {
    const d = ctx.item.data;
    const check = (v: unknown, path: (string | number)[]) => {
      if (v === undefined || v === null) return;
      if (parseScheduleTimespan(typeof v === "number" ? String(v) : v) === undefined) ctx.report(path, `${path[path.length - 1]} '${String(v)}' is not a timespan (expected e.g. 5m, 1h, 1d, 01:00:00 or PT1H)`);
    };
    check(d.queryFrequency, ["queryFrequency"]);
    check(d.queryPeriod, ["queryPeriod"]);
    check(d.suppressionDuration, ["suppressionDuration"]);
    const gc = isRecord(d.incidentConfiguration) && isRecord(d.incidentConfiguration.groupingConfiguration) ? d.incidentConfiguration.groupingConfiguration : undefined;
    if (gc) check(gc.lookbackDuration, ["incidentConfiguration", "groupingConfiguration", "lookbackDuration"]);
  },
});

export const scheduleRange = defineRule({
  scope: "item", id: "schedule-range", severity: "error",
  description: "queryFrequency and queryPeriod lie between 5 minutes and 14 days; suppressionDuration ≤ 24 hours; grouping lookbackDuration 5 minutes..7 days.",
  check(ctx) {
    if (ctx.item.kind !== "analytics") return;
    for (const key of ["queryFrequency", "queryPeriod"] as const) {
      const s = scheduleValue(ctx, key);
      if (s !== undefined && (s < MIN_SCHEDULE || s > MAX_SCHEDULE)) ctx.report([key], `${key} ${formatSeconds(s)} is outside 5m..14d`);
    }
    const sup = parseScheduleTimespan(ctx.item.data.suppressionDuration);
    if (sup !== undefined && (sup < MIN_SCHEDULE || sup > 86400)) ctx.report(["suppressionDuration"], `suppressionDuration ${formatSeconds(sup)} is outside 5m..24h`);
    const ic = ctx.item.data.incidentConfiguration;
    const lb = isRecord(ic) && isRecord(ic.groupingConfiguration) ? parseScheduleTimespan(ic.groupingConfiguration.lookbackDuration) : undefined;
    if (lb !== undefined && (lb < MIN_SCHEDULE || lb > 7 * 86400)) ctx.report(["incidentConfiguration", "groupingConfiguration", "lookbackDuration"], `lookbackDuration ${formatSeconds(lb)} is outside 5m..7d`);
  },
});

export const periodGeFrequency = defineRule({
  scope: "item", id: "period-ge-frequency", severity: "error",
  description: "queryPeriod is at least queryFrequency (otherwise events between runs are never examined).",
  check(ctx) {
    const f = scheduleValue(ctx, "queryFrequency"), p = scheduleValue(ctx, "queryPeriod");
    if (f !== undefined && p !== undefined && p < f) ctx.report(["queryPeriod"], `queryPeriod ${formatSeconds(p)} is shorter than queryFrequency ${formatSeconds(f)}`);
  },
});

export const longLookbackFrequency = defineRule({
  scope: "item", id: "long-lookback-frequency", severity: "error",
  description: "When queryPeriod is 2 days or more, queryFrequency is at least 1 hour (Sentinel's FrequencyLimitationForLongPeriodQuery).",
  check(ctx) {
    const f = scheduleValue(ctx, "queryFrequency"), p = scheduleValue(ctx, "queryPeriod");
    if (f !== undefined && p !== undefined && p >= 2 * 86400 && f < 3600) ctx.report(["queryFrequency"], `queryPeriod ${formatSeconds(p)} is 2 days or more, so queryFrequency must be at least 1h (it is ${formatSeconds(f)})`);
  },
});

export const nrtSchedule = defineRule({
  scope: "item", id: "nrt-schedule", severity: "error",
  description: "NRT rules have no queryFrequency, queryPeriod, triggerOperator or triggerThreshold.",
  doc: "Near-real-time rules run every minute over new data and alert on any result; the service rejects schedule settings.",
  check(ctx) {
    if (ctx.item.data.kind !== "NRT") return;
    for (const k of ["queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold"]) {
      if (k in ctx.item.data) ctx.report([k], `an NRT rule must not set ${k}`);
    }
  },
});

export const eventGrouping = defineRule({
  scope: "item", id: "event-grouping", severity: "error",
  description: "eventGroupingSettings.aggregationKind is SingleAlert or AlertPerResult.",
  check(ctx) {
    const e = ctx.item.data.eventGroupingSettings;
    if (!isRecord(e)) return;
    const k = e.aggregationKind;
    if (k !== "SingleAlert" && k !== "AlertPerResult") ctx.report(["eventGroupingSettings", "aggregationKind"], `aggregationKind '${String(k)}' must be SingleAlert or AlertPerResult`);
  },
});

export const incidentConfig = defineRule({
  scope: "item", id: "incident-config", severity: "error",
  description: "incidentConfiguration: createIncident is a boolean, matchingMethod is AllEntities, AnyAlert or Selected, groupByEntities are entity types the rule maps, Selected groups by something.",
  check(ctx) {
    const ic = ctx.item.data.incidentConfiguration;
    if (!isRecord(ic)) return;
    const base = ["incidentConfiguration"];
    if (ic.createIncident !== undefined && typeof ic.createIncident !== "boolean") ctx.report([...base, "createIncident"], "createIncident must be true or false");
    const gc = ic.groupingConfiguration;
    if (gc === undefined) return;
    if (!isRecord(gc)) return ctx.report([...base, "groupingConfiguration"], "groupingConfiguration must be a mapping");
    const p = [...base, "groupingConfiguration"];
    for (const b of ["enabled", "reopenClosedIncident"]) if (gc[b] !== undefined && typeof gc[b] !== "boolean") ctx.report([...p, b], `${b} must be true or false`);
    const mm = gc.matchingMethod;
    if (mm !== undefined && !["AllEntities", "AnyAlert", "Selected"].includes(String(mm))) ctx.report([...p, "matchingMethod"], `matchingMethod '${String(mm)}' must be AllEntities, AnyAlert or Selected`);
    const types = Object.keys(entityData().types);
    const mapped = new Set((Array.isArray(ctx.item.data.entityMappings) ? ctx.item.data.entityMappings : []).map((m) => (isRecord(m) ? m.entityType : undefined)));
    const ents = gc.groupByEntities;
    if (ents !== undefined && !Array.isArray(ents)) ctx.report([...p, "groupByEntities"], "groupByEntities must be a list of entity types");
    if (Array.isArray(ents)) ents.forEach((e, i) => {
      if (!types.includes(String(e))) ctx.report([...p, "groupByEntities", i], `'${String(e)}' is not an entity type${didYouMean(String(e), types)}`);
      else if (!mapped.has(e)) ctx.report([...p, "groupByEntities", i], `groupByEntities lists ${String(e)}, which the rule's entityMappings do not map`);
    });
    if (mm === "Selected" && gc.enabled !== false) {
      const nonEmpty = ["groupByEntities", "groupByAlertDetails", "groupByCustomDetails"].some((k) => Array.isArray(gc[k]) && (gc[k] as unknown[]).length > 0);
      if (!nonEmpty) ctx.report([...p, "matchingMethod"], "matchingMethod Selected needs at least one of groupByEntities, groupByAlertDetails, groupByCustomDetails");
    }
  },
});

export const scheduleRules = [severityEnum, kindEnum, triggerOperator, triggerThreshold, scheduleFormat, scheduleRange, periodGeFrequency, longLookbackFrequency, nrtSchedule, eventGrouping, incidentConfig];
