// What Microsoft Sentinel does with an analytics rule's query result: the lookback window, the trigger, event
// grouping into alerts, entities, custom details and alert-details overrides. Every modelling choice is listed
// in docs/content-tests.md ("Sentinel model"); the comments here say which one each function implements.
import type { ContentItem } from "../content/model.js";
import type { QueryResult } from "../kql/api.js";
import { formatDatetime, parseTimespan, TICKS_PER_MINUTE, valueToString, type KqlType, type Value } from "../kql/values.js";
import type { Alert, AlertEntity, Simulation } from "./model.js";

/** Sentinel's per-run alert cap with AlertPerResult: scheduled rules 150, NRT rules 30. */
export const ALERT_CAP_SCHEDULED = 150;
export const ALERT_CAP_NRT = 30;
/** NRT rules run every minute over the events ingested since the previous run. */
export const NRT_INTERVAL_TICKS = TICKS_PER_MINUTE;

export const SEVERITIES = ["Informational", "Low", "Medium", "High"] as const;
export const TACTICS = [
  "Reconnaissance", "ResourceDevelopment", "InitialAccess", "Execution", "Persistence", "PrivilegeEscalation",
  "DefenseEvasion", "CredentialAccess", "Discovery", "LateralMovement", "Collection", "Exfiltration",
  "CommandAndControl", "Impact", "PreAttack", "ImpairProcessControl", "InhibitResponseFunction",
] as const;

export class RuleError extends Error {}

/** Durations as Azure-Sentinel YAML writes them (`1h`, `14d`, `30m`) or as ARM does (`PT1H`, `P14D`). */
export function parseDuration(text: unknown, field: string): bigint {
  if (typeof text !== "string" || text.trim() === "") throw new RuleError(`${field} is missing`);
  const s = text.trim();
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(s);
  if (iso && s.length > 1 && !/T$/i.test(s)) {
    const [, d = "0", h = "0", m = "0", sec = "0"] = iso;
    return ((BigInt(d) * 24n + BigInt(h)) * 60n + BigInt(m)) * TICKS_PER_MINUTE + BigInt(sec) * 10_000_000n;
  }
  const t = parseTimespan(s);
  if (t === null || t <= 0n) throw new RuleError(`${field}: '${s}' is not a duration (e.g. 1h, 14d, PT1H)`);
  return t;
}

export type RuleKind = "Scheduled" | "NRT";

export function ruleKind(item: ContentItem): RuleKind {
  const k = String(item.data.kind ?? "Scheduled");
  if (k.toLowerCase() === "nrt") return "NRT";
  if (k.toLowerCase() === "scheduled") return "Scheduled";
  throw new RuleError(`kind '${k}' cannot be simulated (only Scheduled and NRT rules run queries)`);
}

export interface RuleWindow {
  start: bigint;
  end: bigint;
  /** Window membership is start < TimeGenerated <= end. */
  kind: RuleKind;
}

/**
 * Scheduled: the run at `now` reads TimeGenerated in (now − queryPeriod, now].
 * NRT: runs every minute and reads the events ingested since the previous run; ingestion is modelled as
 * happening at TimeGenerated, so the run at `now` reads (now − 1m, now].
 */
export function ruleWindow(item: ContentItem, now: bigint): RuleWindow {
  const kind = ruleKind(item);
  const period = kind === "NRT" ? NRT_INTERVAL_TICKS : parseDuration(item.data.queryPeriod, "queryPeriod");
  return { start: now - period, end: now, kind };
}

const OPERATORS: Record<string, (n: number, t: number) => boolean> = {
  gt: (n, t) => n > t, greaterthan: (n, t) => n > t,
  lt: (n, t) => n < t, lessthan: (n, t) => n < t,
  eq: (n, t) => n === t, equal: (n, t) => n === t,
  ne: (n, t) => n !== t, notequal: (n, t) => n !== t,
};

/** Scheduled: rows compared to triggerThreshold by triggerOperator. NRT: any row triggers. */
export function isTriggered(item: ContentItem, rows: number): boolean {
  if (ruleKind(item) === "NRT") return rows > 0;
  const op = OPERATORS[String(item.data.triggerOperator ?? "").toLowerCase()];
  if (!op) throw new RuleError(`triggerOperator '${String(item.data.triggerOperator)}' is not one of gt, lt, eq, ne`);
  const threshold = Number(item.data.triggerThreshold);
  if (!Number.isFinite(threshold)) throw new RuleError(`triggerThreshold '${String(item.data.triggerThreshold)}' is not a number`);
  return op(rows, threshold);
}

/** A result row accessor: column name → text as Sentinel renders it (empty string for null/empty). */
type Row = (column: string) => string | undefined;

function rowAccessors(result: QueryResult): Row[] {
  const index = new Map<string, { i: number; type: KqlType }>();
  result.columns.forEach((c, i) => index.set(c.name, { i, type: c.type }));
  return result.rows.map((r: Value[]) => (col: string) => {
    const c = index.get(col);
    if (!c) return undefined;
    return valueToString(r[c.i] ?? null, c.type);
  });
}

/** Applies the rule to a query result: trigger, grouping and per-alert content. */
export function simulateAlerts(item: ContentItem, result: QueryResult, window: RuleWindow): Simulation {
  const rows = rowAccessors(result);
  const triggered = isTriggered(item, rows.length);
  const alerts: Alert[] = [];
  if (triggered) {
    const grouping = (item.data.eventGroupingSettings as { aggregationKind?: string } | undefined)?.aggregationKind ?? "SingleAlert";
    if (grouping === "AlertPerResult" && rows.length > 0) {
      // Over the cap, the first cap−1 rows get their own alert and the last alert summarises all rows.
      const cap = window.kind === "NRT" ? ALERT_CAP_NRT : ALERT_CAP_SCHEDULED;
      if (rows.length <= cap) {
        for (const r of rows) alerts.push(buildAlert(item, [r]));
      } else {
        for (const r of rows.slice(0, cap - 1)) alerts.push(buildAlert(item, [r]));
        alerts.push(buildAlert(item, rows));
      }
    } else {
      // SingleAlert (Sentinel's default), and a triggered run with no rows (e.g. `lt` thresholds).
      alerts.push(buildAlert(item, rows));
    }
  }
  return {
    rows: rows.length,
    triggered,
    alerts,
    window: { start: formatDatetime(window.start), end: formatDatetime(window.end) },
  };
}

interface Overrides {
  alertDisplayNameFormat?: string;
  alertDescriptionFormat?: string;
  alertSeverityColumnName?: string;
  alertTacticsColumnName?: string;
}

/**
 * One alert over `rows` (one row for AlertPerResult; all rows for a SingleAlert). Display name, description,
 * severity and tactics come from the first row; entities and custom details from every row.
 */
function buildAlert(item: ContentItem, rows: Row[]): Alert {
  const o = (item.data.alertDetailsOverride ?? {}) as Overrides;
  const first = rows[0];
  const defaultName = item.name;
  const defaultDescription = typeof item.data.description === "string" ? item.data.description : "";
  return {
    displayName: formatDetail(o.alertDisplayNameFormat, first) ?? defaultName,
    description: formatDetail(o.alertDescriptionFormat, first) ?? defaultDescription,
    severity: severityOverride(o.alertSeverityColumnName, first) ?? String(item.data.severity ?? ""),
    tactics: tacticsOverride(o.alertTacticsColumnName, first) ?? ((item.data.tactics as string[] | undefined) ?? []).map(String),
    entities: entitiesOf(item, rows),
    customDetails: customDetailsOf(item, rows),
    eventCount: rows.length,
  };
}

/**
 * `{{Column}}` substitution. If a referenced column is missing or empty in the row, Sentinel reverts the whole
 * property to the rule's default — so does this (returns undefined).
 */
export function formatDetail(format: string | undefined, row: Row | undefined): string | undefined {
  if (!format || !row) return undefined;
  let missing = false;
  const text = format.replace(/\{\{([^{}]*)\}\}/g, (_, name: string) => {
    const v = row(name.trim());
    if (v === undefined || v === "") missing = true;
    return v ?? "";
  });
  return missing ? undefined : text;
}

function severityOverride(column: string | undefined, row: Row | undefined): string | undefined {
  if (!column || !row) return undefined;
  const v = (row(column) ?? "").trim().toLowerCase();
  return SEVERITIES.find((s) => s.toLowerCase() === v);
}

/** Tactics from a column holding a comma-separated list or a JSON array; invalid names are ignored. */
function tacticsOverride(column: string | undefined, row: Row | undefined): string[] | undefined {
  if (!column || !row) return undefined;
  const raw = (row(column) ?? "").trim();
  if (!raw) return undefined;
  let names: string[];
  try {
    const parsed: unknown = raw.startsWith("[") ? JSON.parse(raw) : undefined;
    names = Array.isArray(parsed) ? parsed.map(String) : raw.split(",");
  } catch {
    names = raw.split(",");
  }
  const valid = names.map((n) => TACTICS.find((t) => t.toLowerCase() === n.trim().toLowerCase())).filter((t): t is (typeof TACTICS)[number] => t !== undefined);
  return valid.length ? [...new Set(valid)] : undefined;
}

interface EntityMapping {
  entityType?: string;
  fieldMappings?: { identifier?: string; columnName?: string }[];
}

/** Entities per mapping and row; empty identifier values are dropped, an entity with none is dropped, duplicates merged. */
function entitiesOf(item: ContentItem, rows: Row[]): AlertEntity[] {
  const mappings = (Array.isArray(item.data.entityMappings) ? item.data.entityMappings : []) as EntityMapping[];
  const out: AlertEntity[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const m of mappings) {
      const identifiers: Record<string, string> = {};
      for (const f of m.fieldMappings ?? []) {
        if (!f.identifier || !f.columnName) continue;
        const v = r(f.columnName);
        if (v !== undefined && v !== "") identifiers[f.identifier] = v;
      }
      if (Object.keys(identifiers).length === 0) continue;
      const e = { type: String(m.entityType ?? ""), identifiers };
      const key = JSON.stringify([e.type, Object.entries(identifiers).sort()]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}

/** Custom details: key → the column's non-empty values, one per row in row order. */
function customDetailsOf(item: ContentItem, rows: Row[]): Record<string, string[]> {
  const map = (item.data.customDetails ?? {}) as Record<string, unknown>;
  const out: Record<string, string[]> = {};
  for (const [key, column] of Object.entries(map)) {
    const values: string[] = [];
    for (const r of rows) {
      const v = r(String(column));
      if (v !== undefined && v !== "") values.push(v);
    }
    if (values.length) out[key] = values;
  }
  return out;
}

/** The `scac simulate --format json` shape (documented in the issue and docs). */
export function simulationJson(sim: Simulation): unknown {
  return {
    rows: sim.rows,
    triggered: sim.triggered,
    alerts: sim.alerts.map((a) => ({
      displayName: a.displayName,
      description: a.description,
      severity: a.severity,
      tactics: a.tactics,
      entities: a.entities.map((e) => ({ type: e.type, identifiers: e.identifiers })),
      customDetails: a.customDetails,
    })),
  };
}
