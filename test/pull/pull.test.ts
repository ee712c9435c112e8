// scac pull against the workspace emulator: hand-made ("portal") rules and hunting queries are pulled into an
// empty repository, and plan/deploy then see them as already in place (ownership only), with no rule rewritten.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { runPlanOrDeploy, type RunOptions } from "../../src/deploy/run.js";
import { pull } from "../../src/pull/pull.js";
import { runSession } from "../../src/testing/session.js";

const SUB = "44444444-4444-4444-4444-444444444444";
const WS = `/subscriptions/${SUB}/resourceGroups/rg-adopt/providers/Microsoft.OperationalInsights/workspaces/law-adopt`;
const RULES = `${WS}/providers/Microsoft.SecurityInsights/alertRules`;
const SEARCHES = `/subscriptions/${SUB}/resourcegroups/rg-adopt/providers/Microsoft.OperationalInsights/workspaces/law-adopt/savedSearches`;

const SCHEDULED = "9a1f0c3e-5b7d-4e21-8c44-1d2e3f4a5b01";
const NRT = "9a1f0c3e-5b7d-4e21-8c44-1d2e3f4a5b02";
const TWIN_A = "9a1f0c3e-5b7d-4e21-8c44-1d2e3f4a5b03";
const TWIN_B = "7c2e1d0f-5b7d-4e21-8c44-1d2e3f4a5b04";
const DISABLED = "9a1f0c3e-5b7d-4e21-8c44-1d2e3f4a5b05";
const FUSION = "BuiltInFusion";
const HUNT = "3d4c5b6a-1111-4222-8333-944455556666";

const scheduledBody = {
  kind: "Scheduled",
  properties: {
    displayName: "Rare process launched by IIS (portal)",
    description: "Portal-made rule.\nSecond line of the description.",
    severity: "High",
    enabled: true,
    query: "SecurityEvent\n| where EventID == 4688\n| where ParentProcessName endswith \"w3wp.exe\"\n| project TimeGenerated, Computer, Account, NewProcessName, CommandLine",
    queryFrequency: "PT30M",
    queryPeriod: "P1D",
    triggerOperator: "GreaterThan",
    triggerThreshold: 2,
    suppressionEnabled: false,
    suppressionDuration: "PT5H",
    tactics: ["Execution", "Persistence"],
    techniques: ["T1059", "T1505"],
    subTechniques: ["T1059.001", "T1505.003"],
    entityMappings: [{ entityType: "Host", fieldMappings: [{ identifier: "FullName", columnName: "Computer" }] }],
    customDetails: { Cmd: "CommandLine" },
    alertDetailsOverride: { alertDisplayNameFormat: "{{NewProcessName}} on {{Computer}}" },
    eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    incidentConfiguration: { createIncident: false, groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: "PT5H", matchingMethod: "AllEntities" } },
  },
};
const simple = (name: string, extra: Record<string, unknown> = {}) => ({
  kind: "Scheduled",
  properties: {
    displayName: name, description: "d", severity: "Low", enabled: true, query: "SecurityEvent | where EventID == 4625",
    queryFrequency: "PT1H", queryPeriod: "PT1H", triggerOperator: "GreaterThan", triggerThreshold: 0,
    suppressionEnabled: false, suppressionDuration: "PT1H", incidentConfiguration: DEFAULT_INCIDENT, ...extra,
  },
});

/** What the portal sets on every rule it creates. */
const DEFAULT_INCIDENT = { createIncident: true, groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: "PT5H", matchingMethod: "AllEntities", groupByEntities: [], groupByAlertDetails: [], groupByCustomDetails: [] } };
/** The NRT rule is seeded without incidentConfiguration, which deploy always sends: its round trip is not exact. */
const NRT_DIFF = [{ path: "properties.incidentConfiguration", after: { createIncident: true, groupingConfiguration: { enabled: false, lookbackDuration: "PT5H", matchingMethod: "AllEntities", reopenClosedIncident: false } } }];

let emu: Emulator;
let dir: string;

async function plan(mode: "plan" | "deploy" = "plan") {
  let out = "";
  const opts: RunOptions = { workspacesFile: join(dir, "workspaces.yaml"), workspaces: [], prune: false, format: "json", detailedExitCode: false, verbose: false, client: { retry: { baseDelayMs: 2, maxDelayMs: 20, timeoutMs: 5000 } }, limiter: { limits: false } };
  const r = await runPlanOrDeploy(mode, opts, { stdout: (s) => { out += s; }, stderr: () => undefined });
  return { ...r, out };
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, throttle: false });
  emu.seed(`${RULES}/${SCHEDULED}`, scheduledBody);
  emu.seed(`${RULES}/${NRT}`, { kind: "NRT", properties: { displayName: "NRT: new admin", description: "nrt", severity: "Medium", enabled: true, query: "SecurityEvent | where EventID == 4720", suppressionEnabled: false, suppressionDuration: "PT1H", tactics: ["Persistence"], techniques: ["T1136"] } });
  emu.seed(`${RULES}/${TWIN_A}`, simple("Failed logons"));
  emu.seed(`${RULES}/${TWIN_B}`, simple("Failed logons"));
  emu.seed(`${RULES}/${DISABLED}`, simple("Noisy rule (disabled by the SOC)", { enabled: false }));
  emu.seed(`${RULES}/${FUSION}`, { kind: "Fusion", properties: { enabled: true, alertRuleTemplateName: "f71aba3d-28fb-450b-b192-4e76a83015c8" } });
  emu.seed(`${SEARCHES}/${HUNT}`, { properties: { category: "Hunting Queries", displayName: "Encoded PowerShell", version: 2, query: "SecurityEvent\n| where CommandLine has \"-enc\"",
    tags: [{ name: "description", value: "Finds encoded commands" }, { name: "tactics", value: "Execution,DefenseEvasion" }, { name: "techniques", value: "T1059.001,T1027" }, { name: "createdBy", value: "analyst@contoso.example" }] } });
  emu.seed(`${SEARCHES}/parser1`, { properties: { category: "Functions", displayName: "parser", functionAlias: "MyParser", query: "SecurityEvent", version: 2 } });
  dir = mkdtempSync(join(tmpdir(), "scac-pull-"));
  writeFileSync(join(dir, "workspaces.yaml"), `workspaces:
  - name: adopt
    subscriptionId: ${SUB}
    resourceGroup: rg-adopt
    workspace: law-adopt
    endpoint: ${emu.url}
    auth: none
    overrides:
      ${DISABLED}: { enabled: false }
`);
}, 60_000);

afterAll(async () => {
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const yamlOf = (rel: string) => parse(readFileSync(join(dir, "content", rel), "utf8")) as Record<string, unknown>;

describe("scac pull (emulator)", () => {
  it("writes Scheduled/NRT rules and hunting queries as Azure-Sentinel YAML with test skeletons; skips other kinds", async () => {
    const r = await pull({ workspacesFile: join(dir, "workspaces.yaml"), workspace: "adopt", output: join(dir, "content"), overwrite: false, now: new Date("2026-11-28T04:17:00Z") });
    expect(r.failed).toBe(false);
    expect(r.skipped.map((s) => s.id)).toEqual([FUSION]);
    expect(readdirSync(join(dir, "content/analytics")).sort()).toEqual([
      "failed-logons-9a1f0c3e.yaml", "failed-logons-9a1f0c3e.test.yaml", "failed-logons.test.yaml", "failed-logons.yaml",
      "noisy-rule-disabled-by-the-soc.test.yaml", "noisy-rule-disabled-by-the-soc.yaml",
      "nrt-new-admin.test.yaml", "nrt-new-admin.yaml",
      "rare-process-launched-by-iis-portal.test.yaml", "rare-process-launched-by-iis-portal.yaml",
    ].sort());
    // Lowest id keeps the plain slug; the other gets its id prefix (independent of listing order).
    expect(yamlOf("analytics/failed-logons.yaml").id).toBe(TWIN_B);
    expect(yamlOf("analytics/failed-logons-9a1f0c3e.yaml").id).toBe(TWIN_A);
    expect(readdirSync(join(dir, "content/hunting")).sort()).toEqual(["encoded-powershell.test.yaml", "encoded-powershell.yaml"]);

    expect(yamlOf("analytics/rare-process-launched-by-iis-portal.yaml")).toEqual({
      id: SCHEDULED,
      name: "Rare process launched by IIS (portal)",
      description: "Portal-made rule.\nSecond line of the description.",
      severity: "High",
      requiredDataConnectors: [],
      queryFrequency: "30m",
      queryPeriod: "1d",
      triggerOperator: "gt",
      triggerThreshold: 2,
      tactics: ["Execution", "Persistence"],
      relevantTechniques: ["T1059.001", "T1505.003"],
      query: scheduledBody.properties.query,
      entityMappings: scheduledBody.properties.entityMappings,
      customDetails: { Cmd: "CommandLine" },
      alertDetailsOverride: { alertDisplayNameFormat: "{{NewProcessName}} on {{Computer}}" },
      eventGroupingSettings: { aggregationKind: "AlertPerResult" },
      incidentConfiguration: scheduledBody.properties.incidentConfiguration,
      suppressionEnabled: false,
      suppressionDuration: "5h",
      version: "1.0.0",
      kind: "Scheduled",
    });
    const text = readFileSync(join(dir, "content/analytics/rare-process-launched-by-iis-portal.yaml"), "utf8");
    expect(text).toContain("query: |");
    expect(yamlOf("analytics/nrt-new-admin.yaml")).toMatchObject({ kind: "NRT", relevantTechniques: ["T1136"] });
    expect(yamlOf("analytics/nrt-new-admin.yaml")).not.toHaveProperty("queryFrequency");
    expect(yamlOf("analytics/noisy-rule-disabled-by-the-soc.yaml").enabled).toBe(false);
    expect(yamlOf("hunting/encoded-powershell.yaml")).toEqual({
      id: HUNT, name: "Encoded PowerShell", description: "Finds encoded commands", requiredDataConnectors: [],
      tactics: ["Execution", "DefenseEvasion"], relevantTechniques: ["T1059.001", "T1027"],
      query: "SecurityEvent\n| where CommandLine has \"-enc\"", version: "1.0.0",
    });
    // Every written item maps back to exactly the live body (the disabled rule thanks to its override), except
    // the NRT rule, whose missing incidentConfiguration is predicted, by name, as the first deploy's change.
    expect(r.items.filter((i) => i.roundTrip.length > 0).map((i) => [i.id, i.roundTrip])).toEqual([[NRT, NRT_DIFF]]);
    expect(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.rule)).toEqual(["pull/round-trip"]);
    expect(r.diagnostics.find((d) => d.rule === "pull/round-trip")!.message).toMatch(/NRT: new admin.*properties\.incidentConfiguration: \(absent\) →/);
  }, 60_000);

  it("plan after pull: only ownership to record, nothing rewritten; deploy writes metadata only; then no changes", async () => {
    const p = await plan();
    expect(p.exitCode).toBe(0);
    const changes = JSON.parse(p.out).workspaces[0].changes as { action: string; id: string; diff?: unknown[]; reason?: string }[];
    expect(changes.map((c) => c.id).sort()).toEqual([DISABLED, HUNT, NRT, SCHEDULED, TWIN_A, TWIN_B].sort());
    for (const c of changes) {
      expect(c.action).toBe("update");
      if (c.id === NRT) {
        expect(c.diff).toEqual(NRT_DIFF); // exactly what pull predicted
        continue;
      }
      expect(c.diff ?? []).toEqual([]);
      expect(c.reason).toBe("identical resource not deployed by scac; recording ownership");
    }
    const before = emu.read(`${RULES}/${SCHEDULED}`)!;
    emu.resetStats();
    const d = await plan("deploy");
    expect(d.exitCode).toBe(0);
    expect(emu.stats().writes).toEqual({ PUT: 7, DELETE: 0 }); // six metadata resources + the NRT rule; nothing else
    expect(emu.read(`${RULES}/${SCHEDULED}`)!.etag).toBe(before.etag);
    const again = await plan();
    const after = JSON.parse(again.out).workspaces[0].changes as { action: string }[];
    expect(after.map((c) => c.action)).toEqual(Array(6).fill("unchanged"));
  }, 60_000);

  it("a second pull keeps existing files (matched by id) unless --overwrite", async () => {
    const f = join(dir, "content/analytics/failed-logons.yaml");
    writeFileSync(f, readFileSync(f, "utf8").replace("severity: Low", "severity: Low # tuned"));
    const r = await pull({ workspacesFile: join(dir, "workspaces.yaml"), workspace: "adopt", output: join(dir, "content"), overwrite: false });
    expect(r.items.every((i) => i.status === "kept")).toBe(true);
    expect(readFileSync(f, "utf8")).toContain("# tuned");
    const o = await pull({ workspacesFile: join(dir, "workspaces.yaml"), workspace: "adopt", output: join(dir, "content"), overwrite: true });
    expect(o.items.every((i) => i.status === "overwritten")).toBe(true);
    expect(readFileSync(f, "utf8")).not.toContain("# tuned");
    expect(existsSync(join(dir, "content/analytics/failed-logons-2.yaml"))).toBe(false);
  }, 60_000);

  it("test skeletons satisfy the coverage gate but fail until written", async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const s = await runSession({ paths: ["content"], schemaDirs: [] });
      expect(s.diagnostics.filter((d) => d.rule === "test-coverage")).toEqual([]);
      expect(s.results.length).toBe(12);
      expect(s.results.filter((x) => x.status === "pass")).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  }, 120_000);

  it("an unknown workspace or an unreachable endpoint is a diagnostic, not a throw", async () => {
    const r = await pull({ workspacesFile: join(dir, "workspaces.yaml"), workspace: "nope", output: join(dir, "x"), overwrite: false });
    expect(r.failed).toBe(true);
    expect(r.diagnostics[0]!.message).toMatch(/no such workspace \(known: adopt\)/);
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, `workspaces:\n  - name: gone\n    subscriptionId: ${SUB}\n    resourceGroup: rg\n    workspace: law-gone\n    endpoint: http://127.0.0.1:9\n    auth: none\n`);
    const u = await pull({ workspacesFile: bad, workspace: "gone", output: join(dir, "x"), overwrite: false, client: { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 2000 } } });
    expect(u.failed).toBe(true);
    expect(u.diagnostics.map((d) => d.rule)).toContain("pull/read");
    expect(existsSync(join(dir, "x"))).toBe(false);
  }, 60_000);
});
