// The Sentinel model over hand-built query results: trigger, grouping, the per-run alert cap, entities,
// custom details and alert-details overrides (docs/content-tests.md, "Sentinel model").
import { describe, expect, it } from "vitest";
import { parseContent } from "../../src/content/loader.js";
import type { QueryResult } from "../../src/kql/api.js";
import { parseDatetime } from "../../src/kql/values.js";
import { isTriggered, parseDuration, ruleWindow, simulateAlerts } from "../../src/testing/sentinel.js";

function rule(extra: string, kind = "Scheduled") {
  const text = `id: 11111111-2222-3333-4444-555555555555
name: Model Rule
description: Default description
severity: Medium
queryFrequency: 1h
queryPeriod: 2h
triggerOperator: gt
triggerThreshold: 0
tactics: [Execution]
query: T
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: HostName
        columnName: Host
  - entityType: Account
    fieldMappings:
      - identifier: Name
        columnName: User
      - identifier: NTDomain
        columnName: Domain
customDetails:
  Cmd: CommandLine
${extra}
kind: ${kind}
`;
  const { item, diagnostics } = parseContent(text, "rule.yaml");
  expect(diagnostics).toEqual([]);
  return item!;
}

const columns = [
  { name: "Host", type: "string" as const },
  { name: "User", type: "string" as const },
  { name: "Domain", type: "string" as const },
  { name: "CommandLine", type: "string" as const },
  { name: "Sev", type: "string" as const },
  { name: "Tac", type: "dynamic" as const },
];
function result(rows: [string, string, string, string, string?, unknown?][]): QueryResult {
  return { columns, rows: rows.map((r) => [r[0], r[1], r[2], r[3], r[4] ?? "", (r[5] ?? null) as never]) };
}
const now = parseDatetime("2026-01-01T12:00:00Z")!;

describe("Sentinel model", () => {
  it("windows: queryPeriod for scheduled rules (YAML and ISO durations), one minute for NRT", () => {
    expect(parseDuration("2h", "p")).toBe(parseDuration("PT2H", "p"));
    expect(parseDuration("14d", "p")).toBe(parseDuration("P14D", "p"));
    const w = ruleWindow(rule(""), now);
    expect(now - w.start).toBe(parseDuration("2h", "p"));
    const nrt = ruleWindow(rule("", "NRT"), now);
    expect(now - nrt.start).toBe(parseDuration("1m", "p"));
  });

  it("triggers by operator and threshold; NRT on any row", () => {
    const base = rule("");
    const withOp = (op: string, t: number) => ({ ...base, data: { ...base.data, triggerOperator: op, triggerThreshold: t } });
    expect(isTriggered(withOp("gt", 2), 2)).toBe(false);
    expect(isTriggered(withOp("gt", 2), 3)).toBe(true);
    expect(isTriggered(withOp("lt", 1), 0)).toBe(true);
    expect(isTriggered(withOp("eq", 3), 3)).toBe(true);
    expect(isTriggered(withOp("ne", 3), 3)).toBe(false);
    expect(isTriggered(withOp("GreaterThan", 0), 1)).toBe(true);
    expect(isTriggered(rule("", "NRT"), 0)).toBe(false);
    expect(isTriggered(rule("", "NRT"), 1)).toBe(true);
  });

  it("SingleAlert (the default): one alert; title from the first row; entities and custom details from all rows", () => {
    const item = rule("alertDetailsOverride:\n  alertDisplayNameFormat: 'Run on {{Host}}'");
    const sim = simulateAlerts(item, result([
      ["h1", "alice", "CONTOSO", "whoami"],
      ["h2", "alice", "CONTOSO", "ipconfig"],
      ["h1", "", "", "net use"],
    ]), ruleWindow(item, now));
    expect(sim.rows).toBe(3);
    expect(sim.alerts).toHaveLength(1);
    const a = sim.alerts[0]!;
    expect(a.displayName).toBe("Run on h1");
    expect(a.description).toBe("Default description");
    expect(a.eventCount).toBe(3);
    expect(a.entities).toEqual([
      { type: "Host", identifiers: { HostName: "h1" } },
      { type: "Account", identifiers: { Name: "alice", NTDomain: "CONTOSO" } },
      { type: "Host", identifiers: { HostName: "h2" } },
    ]);
    expect(a.customDetails).toEqual({ Cmd: ["whoami", "ipconfig", "net use"] });
  });

  it("AlertPerResult: one alert per row; empty identifiers dropped, an entity without any dropped", () => {
    const item = rule("eventGroupingSettings:\n  aggregationKind: AlertPerResult");
    const sim = simulateAlerts(item, result([["h1", "alice", "", "a"], ["h2", "", "", ""]]), ruleWindow(item, now));
    expect(sim.alerts.map((a) => a.entities)).toEqual([
      [{ type: "Host", identifiers: { HostName: "h1" } }, { type: "Account", identifiers: { Name: "alice" } }],
      [{ type: "Host", identifiers: { HostName: "h2" } }],
    ]);
    expect(sim.alerts[1]!.customDetails).toEqual({});
  });

  it("caps AlertPerResult at 150 alerts per run (the 150th summarises every row); NRT at 30", () => {
    const rows = (n: number) => result(Array.from({ length: n }, (_, i) => [`h${i}`, "u", "d", "c"] as [string, string, string, string]));
    const item = rule("eventGroupingSettings:\n  aggregationKind: AlertPerResult");
    expect(simulateAlerts(item, rows(150), ruleWindow(item, now)).alerts.every((a) => a.eventCount === 1)).toBe(true);
    const over = simulateAlerts(item, rows(151), ruleWindow(item, now)).alerts;
    expect(over).toHaveLength(150);
    expect(over[148]!.eventCount).toBe(1);
    expect(over[149]!.eventCount).toBe(151);
    const nrt = rule("eventGroupingSettings:\n  aggregationKind: AlertPerResult", "NRT");
    const n = simulateAlerts(nrt, rows(31), ruleWindow(nrt, now)).alerts;
    expect(n).toHaveLength(30);
    expect(n[29]!.eventCount).toBe(31);
  });

  it("alert-details overrides: {{Column}} substitution, revert to defaults on an empty value, severity and tactics columns", () => {
    const item = rule(`eventGroupingSettings:
  aggregationKind: AlertPerResult
alertDetailsOverride:
  alertDisplayNameFormat: '{{User}} on {{Host}}'
  alertDescriptionFormat: 'Ran {{CommandLine}}'
  alertSeverityColumnName: Sev
  alertTacticsColumnName: Tac`);
    const sim = simulateAlerts(item, result([
      ["h1", "alice", "", "whoami", "high", ["Discovery", "Bogus"]],
      ["h2", "", "", "", "Critical", "Execution, LateralMovement"],
    ]), ruleWindow(item, now));
    expect(sim.alerts.map((a) => [a.displayName, a.description, a.severity, a.tactics])).toEqual([
      ["alice on h1", "Ran whoami", "High", ["Discovery"]],
      ["Model Rule", "Default description", "Medium", ["Execution", "LateralMovement"]],
    ]);
  });

  it("not triggered: no alerts", () => {
    const item = rule("");
    const sim = simulateAlerts(item, result([]), ruleWindow(item, now));
    expect(sim).toMatchObject({ rows: 0, triggered: false, alerts: [] });
  });
});
