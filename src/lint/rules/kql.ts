// The query: Kusto.Language syntax and semantic errors positioned in the YAML file, length, data connectors
// vs tables read, and best-practice warnings.
import type { QueryPos } from "../facts.js";
import { defineRule, type At, type ItemContext } from "../rule.js";
import { connectorIds } from "../data.js";
import { didYouMean, formatSeconds, isRecord, parseScheduleTimespan } from "../util.js";

/** File position of a query position; prelude (parameter) positions point at the `parameters:` block. */
export function queryAt(ctx: ItemContext, p: QueryPos): At {
  return p.line >= 1 ? ctx.item.queryPosition(p.line, p.column) : ["parameters"];
}

/** Kusto.Language errors; its codes KS000-KS099 are syntax errors, the rest binding (semantic) errors. */
function kqlDiagnostics(ctx: ItemContext, syntax: boolean): void {
  for (const d of ctx.kql?.diagnostics ?? []) {
    if (d.severity !== "error" || /^KS0\d\d$/.test(d.code) !== syntax) continue;
    ctx.report(queryAt(ctx, d), `${d.message} [${d.code}]`);
  }
}

export const kqlSyntax = defineRule({
  scope: "item", id: "kql-syntax", severity: "error",
  description: "The query parses (Kusto.Language), reported at the line and column inside the YAML block.",
  check: (ctx) => kqlDiagnostics(ctx, true),
});

export const kqlSemantic = defineRule({
  scope: "item", id: "kql-semantic", severity: "error",
  description: "The query binds against the schemas: known tables, columns, functions, watchlists; argument types and counts.",
  doc: "Built-in table schemas plus content/schemas/ and --schemas directories. An unknown custom table (`*_CL`) or ASIM parser means a schema file is missing.",
  check: (ctx) => kqlDiagnostics(ctx, false),
});

export const queryLength = defineRule({
  scope: "item", id: "query-length", severity: "error",
  description: "The query is at most 10,000 characters (Sentinel's limit).",
  check(ctx) {
    const n = ctx.item.query.length;
    if (n > 10000) ctx.report(["query"], `the query is ${n} characters; Sentinel's limit is 10000`);
  },
});

export const dataConnectorTables = defineRule({
  scope: "item", id: "data-connector-tables", severity: "warning",
  description: "requiredDataConnectors dataTypes name the tables the query reads, and every table read is listed.",
  doc: "Sentinel uses dataTypes to tell users which connectors a rule needs. Listed types that are not tables the query reads (e.g. `SecurityEvents`, `OfficeActivity (Exchange)`) and tables read but not listed are reported. Function and watchlist reads are not counted.",
  check(ctx) {
    const rdc = ctx.item.data.requiredDataConnectors;
    if (!ctx.kql || !Array.isArray(rdc) || rdc.length === 0) return;
    const read = new Set(ctx.kql.tables);
    const listed = new Set<string>();
    rdc.forEach((c, i) => {
      if (!isRecord(c) || !Array.isArray(c.dataTypes)) return;
      c.dataTypes.forEach((raw: unknown, j) => {
        if (typeof raw !== "string") return;
        // Sentinel writes sub-sources as "OfficeActivity (Exchange)": the table is the part before the bracket.
        const t = raw.replace(/\s*\(.*\)\s*$/, "");
        listed.add(t);
        if (!read.has(t)) ctx.report(["requiredDataConnectors", i, "dataTypes", j], `dataTypes lists '${t}', which the query does not read${ctx.schemas.tables.has(t) ? "" : " (and no schema declares such a table)"}`);
      });
    });
    for (const t of read) if (!listed.has(t)) ctx.report(["requiredDataConnectors"], `the query reads ${t}, which no requiredDataConnectors dataTypes lists`);
  },
});

export const connectorId = defineRule({
  scope: "item", id: "connector-id", severity: "warning",
  description: "requiredDataConnectors connectorId is a known Sentinel data connector id.",
  doc: "Azure-Sentinel's CI check (ValidConnectorIds.json, shipped as data/connector-ids.json). The upstream list grows with every new connector, so an unknown id is a warning; suppress it with a reason for a connector newer than scac's list.",
  check(ctx) {
    const rdc = ctx.item.data.requiredDataConnectors;
    if (!Array.isArray(rdc)) return;
    const known = connectorIds();
    rdc.forEach((c, i) => {
      if (isRecord(c) && typeof c.connectorId === "string" && !known.has(c.connectorId)) {
        ctx.report(["requiredDataConnectors", i, "connectorId"], `unknown data connector id '${c.connectorId}'${didYouMean(c.connectorId, known)}`);
      }
    });
  },
});

export const huntingTimeFilter = defineRule({
  scope: "item", id: "hunting-time-filter", severity: "warning",
  description: "A hunting query limits time (ago(), a TimeGenerated/Timestamp comparison, or {{StartTimeISO}}).",
  doc: "Hunting queries run over the portal's time picker only when they say so; without a filter they scan the whole retention.",
  check(ctx) {
    if (ctx.item.kind !== "hunting" || !ctx.kql) return;
    if (ctx.kql.hasTimeFilter || /\{\{(StartTimeISO|EndTimeISO)\}\}/.test(ctx.item.query)) return;
    ctx.report(["query"], "the query has no time filter (e.g. `| where TimeGenerated > ago(1d)`)");
  },
});

export const analyticsLookback = defineRule({
  scope: "item", id: "analytics-lookback", severity: "warning",
  description: "An analytics rule's ago() windows do not exceed its queryPeriod.",
  doc: "A Scheduled rule only sees data inside queryPeriod; `ago(7d)` in a rule with queryPeriod 1h silently reads one hour.",
  check(ctx) {
    if (ctx.item.data.kind !== "Scheduled" || !ctx.kql) return;
    const period = parseScheduleTimespan(ctx.item.data.queryPeriod);
    if (period === undefined) return;
    for (const a of ctx.kql.agoWindows) {
      if (a.seconds > period) ctx.report(queryAt(ctx, a), `ago(${formatSeconds(a.seconds)}) reaches beyond queryPeriod ${formatSeconds(period)}; the rule cannot see that data`);
    }
  },
});

export const kqlContains = defineRule({
  scope: "item", id: "kql-contains", severity: "warning",
  description: "`contains` with a whole-word literal, where the indexed `has` would do.",
  doc: "`has` uses the term index and is much faster; it matches whole terms (≥ 3 alphanumeric characters). Only literals that are a single whole term are reported; suppress with a reason when a substring match is intended.",
  check(ctx) {
    for (const c of ctx.kql?.contains ?? []) {
      if (!/^[A-Za-z0-9]{3,}$/.test(c.literal)) continue;
      const better = c.operator.replace("contains", "has");
      ctx.report(queryAt(ctx, c), `'${c.operator} "${c.literal}"' — '${better}' is faster if a whole-term match is intended`);
    }
  },
});

export const kqlWildcard = defineRule({
  scope: "item", id: "kql-wildcard", severity: "warning",
  description: "No `search *` or `union *` (scans every table in the workspace).",
  check(ctx) {
    for (const w of ctx.kql?.wildcards ?? []) ctx.report(queryAt(ctx, w), `'${w.operator} *' scans every table; name the tables`);
  },
});

export const watchlistKnown = defineRule({
  scope: "item", id: "watchlist-unknown", severity: "warning",
  description: "`_GetWatchlist('alias')` names a watchlist declared in content/schemas/.",
  doc: "Declaring the watchlist (alias and columns) lets lint check the columns the query uses.",
  check(ctx) {
    for (const w of ctx.kql?.watchlists ?? []) {
      if (!ctx.schemas.watchlists.has(w.alias)) ctx.report(queryAt(ctx, w), `watchlist '${w.alias}' is not declared in a schema file (watchlists: [{alias, columns}])`);
    }
  },
});

const PLACEHOLDER_RE = /(['"])?\{\{(StartTimeISO|EndTimeISO)\}\}\1?/g;

export const timePlaceholder = defineRule({
  scope: "item", id: "time-placeholder", severity: "warning",
  description: "{{StartTimeISO}} / {{EndTimeISO}} appear only in hunting queries, as todatetime('{{StartTimeISO}}').",
  doc: "Sentinel's hunting page replaces these placeholders with ISO 8601 text; analytics rules get no substitution, and converting the text with anything but todatetime() (e.g. totimespan) yields null.",
  check(ctx) {
    const q = ctx.item.query;
    if (!q.includes("{{")) return;
    const lines = q.split("\n");
    lines.forEach((line, i) => {
      for (const m of line.matchAll(PLACEHOLDER_RE)) {
        const at = ctx.item.queryPosition(i + 1, m.index! + 1);
        if (ctx.item.kind === "analytics") ctx.report(at, `{{${m[2]}}} is only substituted in hunting queries; in an analytics rule it stays literal text`);
        else if (!m[1] || !/\bto(datetime|date)\s*\(\s*$/.test(line.slice(0, m.index))) ctx.report(at, `use todatetime('{{${m[2]}}}'): the placeholder becomes ISO 8601 text`);
      }
    });
  },
});

export const kqlRules = [kqlSyntax, kqlSemantic, queryLength, connectorId, dataConnectorTables, huntingTimeFilter, analyticsLookback, kqlContains, kqlWildcard, watchlistKnown, timePlaceholder];
