// Every lint rule meets a fixture it must reject (pinned line) and one it must accept. The fixtures are the two
// clean base documents in test/fixtures/lint/rules/, changed one field at a time.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics.js";
import { lintPaths } from "../../src/lint/lint-paths.js";
import { ALL_RULES } from "../../src/lint/rules/index.js";

const fixtures = new URL("../fixtures/lint/rules/", import.meta.url);
const ANALYTICS = readFileSync(new URL("analytics.yaml", fixtures), "utf8");
const HUNTING = readFileSync(new URL("hunting.yaml", fixtures), "utf8");

/** Replace exactly one occurrence (a typo in a fixture edit must fail loudly, not silently test nothing). */
function sub(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`fixture edit: '${from}' must occur exactly once`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

type Files = Record<string, string>;
const A = (text: string): Files => ({ "content/analytics/rule.yaml": text });
const H = (text: string): Files => ({ "content/hunting/hunt.yaml": text });

async function lint(files: Files, paths: string[] = []): Promise<Diagnostic[]> {
  const dir = mkdtempSync(join(tmpdir(), "scac-lint-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return (await lintPaths(paths, { cwd: dir, config: files[".scaclint.yaml"] ? undefined : false })).diagnostics;
}

interface Case {
  bad: Files;
  /** Expected line of the first finding of the rule in the bad fixture. */
  line?: number;
  column?: number;
  message?: RegExp;
  good: Files;
  paths?: string[];
}

const NRT = sub(sub(sub(sub(sub(ANALYTICS, "queryFrequency: 1h\n", ""), "queryPeriod: 1h\n", ""), "triggerOperator: gt\n", ""), "triggerThreshold: 0\n", ""), "kind: Scheduled", "kind: NRT");
const WATCHLIST_QUERY = "query: |\n  _GetWatchlist('HVA')\n  | where LastUpdatedTimeUTC > ago(1d)\n  | project SearchKey\n";
const huntQuery = (q: string) => sub(HUNTING, "query: |\n  DeviceProcessEvents\n  | where TimeGenerated > ago(1d)\n  | project TimeGenerated, DeviceName, FileName\n", q);
const mapping = (type: string, id: string, col = "DeviceName") => `  - entityType: ${type}\n    fieldMappings:\n      - identifier: ${id}\n        columnName: ${col}\n`;
const withMappings = (m: string) => sub(ANALYTICS, "  - entityType: Host\n    fieldMappings:\n      - identifier: FullName\n        columnName: DeviceName\n", m);
const params = (block: string, query = "DeviceProcessEvents") => sub(ANALYTICS, "query: |\n  DeviceProcessEvents\n", `${block}query: |\n  ${query}\n`);

const cases: Record<string, Case> = {
  "yaml-syntax": { bad: A("id: [unclosed\nname: x\n"), line: 2, good: A(ANALYTICS) },
  "yaml-duplicate-key": { bad: A(ANALYTICS + "severity: High\n"), line: 29, good: A(ANALYTICS) },
  "yaml-alias-bomb": {
    bad: A("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"),
    line: 1, good: A(ANALYTICS),
  },
  "yaml-not-mapping": { bad: A("- just\n- a list\n"), line: 1, good: A(ANALYTICS) },
  "file-too-large": { bad: A(ANALYTICS + `# ${"x".repeat(1024 * 1024)}\n`), line: 0, good: A(ANALYTICS) },
  io: { bad: A(ANALYTICS), paths: ["content/missing.yaml"], line: 0, good: A(ANALYTICS) },
  "schema-invalid": { bad: { ...A(ANALYTICS), "content/schemas/t.yaml": "tables:\n  - name: X_CL\n    columns: { A: strng }\n" }, line: 3, good: { ...A(ANALYTICS), "content/schemas/t.yaml": "tables:\n  - name: X_CL\n    columns: { A: string }\n" } },
  "suppression-reason": {
    bad: A(sub(ANALYTICS, '  | where FileName has "cmd.exe"', '  // scac-disable kql-contains\n  | where FileName contains "cmd"')), line: 20,
    good: A(sub(ANALYTICS, '  | where FileName has "cmd.exe"', '  // scac-disable kql-contains -- substring match wanted\n  | where FileName contains "cmd"')),
  },
  "suppression-unknown-rule": { bad: A("# scac-disable-file no-such-rule -- because\n" + ANALYTICS), line: 1, good: A("# scac-disable-file version-format -- because\n" + ANALYTICS) },

  "required-field": { bad: A(sub(ANALYTICS, "severity: Medium", "severty: Medium")), line: 4, message: /needs 'severity'.*'severty' looks like a misspelling/, good: A(ANALYTICS) },
  "recommended-field": { bad: H(sub(HUNTING, "description: A clean hunting query that lint tests mutate one field at a time.\n", "")), line: 1, message: /'description' is missing/, good: H(HUNTING) },
  "field-type": { bad: A(sub(ANALYTICS, "tactics:\n  - Execution", "tactics: Execution")), line: 13, good: A(ANALYTICS) },
  "unknown-field": { bad: A(ANALYTICS + "queryFrequncy: 1h\n"), line: 29, message: /did you mean 'queryFrequency'/, good: A(ANALYTICS) },
  "field-length": { bad: A(sub(ANALYTICS, "name: Base analytics rule", `name: ${"n".repeat(257)}`)), line: 2, good: A(ANALYTICS) },
  "version-format": { bad: A(sub(ANALYTICS, "version: 1.0.0", "version: 1.0")), line: 27, good: A(ANALYTICS) },
  "non-ascii": { bad: A(sub(ANALYTICS, "one field at a time.", "one field at a time \u2014 really.")), line: 3, column: 80, good: A(ANALYTICS) },

  "id-format": { bad: A(sub(ANALYTICS, "id: 6c1f4a2e-8b7d-4c3e-9a1f-2b3c4d5e6f70", "id: rule-1")), line: 1, good: A(ANALYTICS) },
  "id-unique": { bad: { ...A(ANALYTICS), ...H(sub(HUNTING, "id: 0d7e3b1a-5c2f-4e8d-a6b9-1f2e3d4c5b6a", "id: 6C1F4A2E-8b7d-4c3e-9a1f-2b3c4d5e6f70")) }, line: 1, good: { ...A(ANALYTICS), ...H(HUNTING) } },
  "name-unique": { bad: { ...H(HUNTING), "content/hunting/copy.yaml": sub(HUNTING, "id: 0d7e3b1a-5c2f-4e8d-a6b9-1f2e3d4c5b6a", "id: 1d7e3b1a-5c2f-4e8d-a6b9-1f2e3d4c5b6a") }, line: 2, good: { ...H(HUNTING), "content/analytics/rule.yaml": sub(ANALYTICS, "Base analytics rule", "Base hunting query") } },

  "severity-enum": { bad: A(sub(ANALYTICS, "severity: Medium", "severity: Critical")), line: 4, good: A(sub(ANALYTICS, "severity: Medium", "severity: Informational")) },
  "kind-enum": { bad: A(sub(ANALYTICS, "kind: Scheduled", "kind: Fusion")), line: 28, good: A(ANALYTICS) },
  "trigger-operator": { bad: A(sub(ANALYTICS, "triggerOperator: gt", "triggerOperator: greaterthan")), line: 11, message: /did you mean 'GreaterThan'/, good: A(sub(ANALYTICS, "triggerOperator: gt", "triggerOperator: GreaterThan")) },
  "trigger-threshold": { bad: A(sub(ANALYTICS, "triggerThreshold: 0", "triggerThreshold: 10001")), line: 12, good: A(sub(ANALYTICS, "triggerThreshold: 0", "triggerThreshold: 10000")) },
  "schedule-format": { bad: A(sub(ANALYTICS, "queryFrequency: 1h", "queryFrequency: 1w")), line: 9, good: A(sub(sub(ANALYTICS, "queryFrequency: 1h", "queryFrequency: PT1H"), "queryPeriod: 1h", "queryPeriod: '01:00:00'")) },
  "schedule-range": { bad: A(sub(sub(ANALYTICS, "queryFrequency: 1h", "queryFrequency: 1m"), "queryPeriod: 1h", "queryPeriod: 15d")), line: 9, good: A(sub(sub(ANALYTICS, "queryFrequency: 1h", "queryFrequency: 5m"), "queryPeriod: 1h", "queryPeriod: 14d")) },
  "period-ge-frequency": { bad: A(sub(ANALYTICS, "queryFrequency: 1h", "queryFrequency: 2h")), line: 10, good: A(ANALYTICS) },
  "long-lookback-frequency": { bad: A(sub(sub(ANALYTICS, "queryFrequency: 1h", "queryFrequency: 30m"), "queryPeriod: 1h", "queryPeriod: 2d")), line: 9, good: A(sub(ANALYTICS, "queryPeriod: 1h", "queryPeriod: 2d")) },
  "nrt-schedule": { bad: A(sub(ANALYTICS, "kind: Scheduled", "kind: NRT")), line: 9, good: A(NRT) },
  "event-grouping": { bad: A(ANALYTICS + "eventGroupingSettings:\n  aggregationKind: PerResult\n"), line: 30, good: A(ANALYTICS + "eventGroupingSettings:\n  aggregationKind: AlertPerResult\n") },
  "incident-config": {
    bad: A(ANALYTICS + "incidentConfiguration:\n  createIncident: true\n  groupingConfiguration:\n    enabled: true\n    matchingMethod: Selected\n    groupByEntities:\n      - Account\n"), line: 35, message: /do not map/,
    good: A(ANALYTICS + "incidentConfiguration:\n  createIncident: true\n  groupingConfiguration:\n    enabled: true\n    matchingMethod: Selected\n    groupByEntities:\n      - Host\n"),
  },

  "tactic-valid": { bad: A(sub(ANALYTICS, "  - Execution", "  - Command and control\n  - Execution")), line: 14, message: /did you mean 'CommandAndControl'/, good: A(sub(ANALYTICS, "  - Execution", "  - CommandAndControl\n  - Execution")) },
  "technique-format": { bad: A(sub(ANALYTICS, "  - T1059", "  - T59")), line: 16, good: A(sub(ANALYTICS, "  - T1059", "  - T1059.001")) },
  "technique-known": { bad: A(sub(ANALYTICS, "  - T1059", "  - T1999")), line: 16, good: A(ANALYTICS) },
  "technique-tactic": { bad: A(sub(ANALYTICS, "  - Execution", "  - Impact")), line: 16, message: /T1059 \(Command and Scripting Interpreter\) belongs to Execution/, good: A(ANALYTICS) },

  "entity-type": { bad: A(withMappings(mapping("Hostname", "FullName"))), line: 23, good: A(ANALYTICS) },
  "entity-identifier": { bad: A(withMappings(mapping("Host", "Fullname"))), line: 25, message: /did you mean 'FullName'/, good: A(ANALYTICS) },
  "entity-identifier-ci": { bad: A(withMappings(mapping("DNS", "DomainName") + mapping("DNS", "IpAddress"))), line: 29, good: A(withMappings(mapping("DNS", "DomainName"))) },
  "hunting-entity-mapping": { bad: H(HUNTING + "entityMappings:\n" + mapping("CloudLogonSession", "SessionId")), line: 18, good: H(HUNTING + "entityMappings:\n" + mapping("Host", "HostName")) },
  "entity-required-identifier": { bad: A(withMappings(mapping("Host", "DnsDomain"))), line: 23, good: A(ANALYTICS) },
  "entity-count": { bad: A(withMappings(mapping("Host", "FullName").repeat(11))), line: 23, good: A(withMappings(mapping("Host", "FullName").repeat(10))) },
  "entity-column-exists": { bad: A(withMappings(mapping("Host", "FullName", "Computer"))), line: 26, column: 21, message: /column 'Computer' \(mapped to Host.FullName\) is not in the query's output/, good: A(ANALYTICS) },
  "legacy-custom-entity": { bad: A(sub(ANALYTICS, "  | project TimeGenerated, DeviceName, ProcessCommandLine, FileName", "  | project TimeGenerated, DeviceName, ProcessCommandLine, FileName, HostCustomEntity = DeviceName")), line: 17, good: A(ANALYTICS) },
  "custom-details": { bad: A(ANALYTICS + "customDetails:\n  Bad-Key: DeviceName\n"), line: 30, good: A(ANALYTICS + "customDetails:\n  Machine: DeviceName\n") },
  "custom-details-column": { bad: A(ANALYTICS + "customDetails:\n  Machine: Computer\n"), line: 30, good: A(ANALYTICS + "customDetails:\n  Machine: DeviceName\n") },
  "alert-details-override": { bad: A(ANALYTICS + "alertDetailsOverride:\n  alertDisplayNameFormat: '{{FileName}} {{DeviceName}} {{FileName}} {{DeviceName}}'\n"), line: 30, good: A(ANALYTICS + "alertDetailsOverride:\n  alertDisplayNameFormat: '{{FileName}} on {{DeviceName}}'\n") },
  "alert-details-column": { bad: A(ANALYTICS + "alertDetailsOverride:\n  alertDisplayNameFormat: 'Run on {{Computer}}'\n"), line: 30, message: /placeholder \{\{Computer\}\}/, good: A(ANALYTICS + "alertDetailsOverride:\n  alertDisplayNameFormat: 'Run on {{DeviceName}}'\n") },

  "kql-syntax": { bad: A(sub(ANALYTICS, '  | where FileName has "cmd.exe"', "  | where FileName has")), line: 20, column: 23, good: A(ANALYTICS) },
  "kql-semantic": { bad: A(sub(ANALYTICS, '  | where FileName has "cmd.exe"', '  | where FileNam has "cmd.exe"')), line: 20, column: 11, message: /'FileNam'/, good: A(ANALYTICS) },
  "query-length": { bad: A(sub(ANALYTICS, "  DeviceProcessEvents\n", `  // ${"x".repeat(10000)}\n  DeviceProcessEvents\n`)), line: 17, good: A(ANALYTICS) },
  "connector-id": { bad: A(sub(ANALYTICS, "connectorId: MicrosoftThreatProtection", "connectorId: MicrosoftThreatProtect")), line: 6, column: 18, message: /did you mean 'MicrosoftThreatProtection'/, good: A(ANALYTICS) },
  "data-connector-tables": { bad: A(sub(ANALYTICS, "      - DeviceProcessEvents", "      - DeviceFileEvents")), line: 6, message: /reads DeviceProcessEvents/, good: A(sub(ANALYTICS, "      - DeviceProcessEvents", "      - DeviceProcessEvents (MDE)")) },
  "hunting-time-filter": { bad: H(sub(HUNTING, "  | where TimeGenerated > ago(1d)\n", "")), line: 12, good: H(sub(HUNTING, "  | where TimeGenerated > ago(1d)\n", "  | where Timestamp between (todatetime('{{StartTimeISO}}') .. todatetime('{{EndTimeISO}}'))\n")) },
  "analytics-lookback": { bad: A(sub(ANALYTICS, "ago(1h)", "ago(1d)")), line: 19, column: 27, good: A(ANALYTICS) },
  "kql-contains": { bad: A(sub(ANALYTICS, 'FileName has "cmd.exe"', 'FileName contains "powershell"')), line: 20, column: 20, message: /'has' is faster/, good: A(sub(ANALYTICS, 'FileName has "cmd.exe"', 'FileName contains ".ps"')) },
  "kql-wildcard": { bad: H(sub(HUNTING, "  DeviceProcessEvents\n", "  search *\n")), line: 13, good: H(HUNTING) },
  "time-placeholder": { bad: H(sub(HUNTING, "ago(1d)", "totimespan('{{StartTimeISO}}')")), line: 14, column: 38, good: H(sub(HUNTING, "ago(1d)", "todatetime('{{StartTimeISO}}')")) },
  "watchlist-unknown": { bad: H(huntQuery(WATCHLIST_QUERY)), line: 13, column: 17, good: { ...H(huntQuery(WATCHLIST_QUERY)), "content/schemas/wl.yaml": "watchlists:\n  - alias: HVA\n    columns: { Hostname: string }\n" } },

  "parameter-declaration": { bad: A(params("parameters:\n  Bad-Name:\n    type: text\n")), line: 19, good: A(params("parameters:\n  MinCount:\n    type: long\n    default: 1\n", "DeviceProcessEvents | where MinCount > 0")) },
  "parameter-type": { bad: A(params("parameters:\n  MinCount:\n    type: long\n    default: ten\n", "DeviceProcessEvents | where MinCount > 0")), line: 20, good: A(params("parameters:\n  MinCount:\n    type: long\n    default: 10\n", "DeviceProcessEvents | where MinCount > 0")) },
  "parameter-unused": { bad: A(params("parameters:\n  MinCount:\n    type: long\n    default: 1\n")), line: 19, good: A(params("parameters:\n  MinCount:\n    type: long\n    default: 1\n", "DeviceProcessEvents | where MinCount > 0")) },
};

/** Rules that need a git history; their failing and passing cases are in cli.test.ts (--changed). */
const COVERED_IN_CLI_TEST = ["id-changed"];

describe("every rule has a failing and a passing fixture", () => {
  it("covers the whole rule index", () => {
    expect([...Object.keys(cases), ...COVERED_IN_CLI_TEST].sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
  });
  for (const rule of ALL_RULES) {
    const c = cases[rule.id];
    if (!c) continue;
    it(`${rule.id}: rejects the bad fixture`, async () => {
      const found = (await lint(c.bad, c.paths)).filter((d) => d.rule === rule.id);
      expect(found.length, `expected a ${rule.id} finding`).toBeGreaterThan(0);
      if (c.line !== undefined) expect(found[0]!.line).toBe(c.line);
      if (c.column !== undefined) expect(found[0]!.column).toBe(c.column);
      if (c.message) expect(found[0]!.message).toMatch(c.message);
      if (rule.scope !== "builtin") expect(found[0]!.severity).toBe(rule.severity);
    });
    it(`${rule.id}: accepts the good fixture`, async () => {
      expect((await lint(c.good)).filter((d) => d.rule === rule.id)).toEqual([]);
    });
  }
});

describe("base fixtures", () => {
  it("are clean", async () => {
    expect(await lint({ ...A(ANALYTICS), ...H(HUNTING) })).toEqual([]);
  });
});

describe("rule metadata", () => {
  it("gives every rule a unique kebab-case id, a severity and a one-line description", () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(["error", "warning", "info"]).toContain(r.severity);
      expect(r.description.length).toBeGreaterThan(10);
      expect(r.description).not.toContain("\n");
    }
  });
});
