// plan/deploy against the workspace emulator, through the real SDK pipeline.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { specErrors } from "./arm-spec.js";
import { harness, rulePath, searchPath, SUBS, workspacesYaml, type Harness } from "./harness.js";

const RULE = "0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c001";
const NRT = "0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c002";
const HUNT = "0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c003";

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

function changesOf(r: { plan?: { workspaces: { name: string; changes: { action: string; id: string }[] }[] } }, ws: string) {
  return r.plan!.workspaces.find((w) => w.name === ws)!.changes.map((c) => `${c.action} ${c.id.slice(-4)}`).sort();
}

describe("scac plan / deploy against the emulator", () => {
  it("empty workspace → create everything; bodies match Microsoft's OpenAPI; re-run → zero writes", async () => {
    h = await harness();
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1" }]));
    const plan = await h.run("plan", { detailedExitCode: true });
    expect(plan.exitCode).toBe(2); // changes pending
    expect(changesOf(plan, "t1")).toEqual(["create c001", "create c002", "create c003"]);
    expect(h.emu.stats().writes).toEqual({ PUT: 0, DELETE: 0 }); // plan never writes

    const dep = await h.run("deploy");
    expect(dep.err).toBe("");
    expect(dep.exitCode).toBe(0);
    expect(dep.results).toEqual([{ name: "t1", created: 3, updated: 0, corrected: 0, deleted: 0, unchanged: 0, failed: 0, diagnostics: [] }]);
    expect(h.emu.stats().writes).toEqual({ PUT: 6, DELETE: 0 }); // resource + metadata per item
    expect(h.specViolations()).toEqual([]);
    const rule = h.emu.read(rulePath(SUBS[0]!, "rg-t1", "ws-t1", RULE))!;
    expect(rule.kind).toBe("Scheduled");
    expect((rule.properties as Record<string, unknown>).subTechniques).toEqual(["T1059.001", "T1059.003"]); // preview field kept
    const search = h.emu.read(searchPath(SUBS[0]!, "rg-t1", "ws-t1", HUNT))!;
    expect((search.properties as Record<string, unknown>).category).toBe("Hunting Queries");

    h.emu.resetStats();
    const again = await h.run("deploy", { detailedExitCode: true });
    expect(again.exitCode).toBe(0);
    expect(again.out).toContain("t1: no changes (3 unchanged)");
    expect(h.emu.stats().writes).toEqual({ PUT: 0, DELETE: 0 });
    expect(h.emu.stats().requests).toBeLessThanOrEqual(4); // rules, searches, metadata, tables
  });

  it("one content change → exactly one update per workspace", async () => {
    h = await harness();
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1" }, { name: "t2", sub: SUBS[1] }]));
    expect((await h.run("deploy")).exitCode).toBe(0);
    const file = join(h.dir, "content/analytics/scheduled.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("severity: High", "severity: Medium"));
    h.emu.resetStats();
    h.sent.length = 0;
    const plan = await h.run("plan", { format: "json" });
    const json = JSON.parse(plan.out);
    for (const w of json.workspaces) {
      expect(w.changes.filter((c: { action: string }) => c.action !== "unchanged")).toEqual([{
        action: "update", kind: "analyticsRule", id: RULE, name: "Rare admin tool on server",
        file: expect.stringMatching(/content\/analytics\/scheduled\.yaml$/),
        diff: [{ path: "properties.severity", before: "High", after: "Medium" }],
      }]);
    }
    const dep = await h.run("deploy");
    expect(dep.results!.map((r) => [r.name, r.updated, r.created, r.unchanged])).toEqual([["t1", 1, 0, 2], ["t2", 1, 0, 2]]);
    expect(h.emu.stats().writes.PUT).toBe(4); // per workspace: the rule and its metadata
    expect(h.specViolations()).toEqual([]);
    expect((h.emu.read(rulePath(SUBS[1]!, "rg-t2", "ws-t2", RULE))!.properties as Record<string, unknown>).severity).toBe("Medium");
  });

  it("portal edit → drift shown with the field diff, corrected by deploy", async () => {
    h = await harness();
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1" }]));
    await h.run("deploy");
    const path = rulePath(SUBS[0]!, "rg-t1", "ws-t1", NRT);
    h.emu.edit(path, { properties: { enabled: false, severity: "High" } }); // e.g. Sentinel auto-disabling, analyst tweak
    h.emu.edit(searchPath(SUBS[0]!, "rg-t1", "ws-t1", HUNT), { properties: { query: "DeviceProcessEvents | take 10" } });
    const plan = await h.run("plan");
    expect(changesOf(plan, "t1")).toEqual(["drift c002", "drift c003", "unchanged c001"]);
    const drift = plan.plan!.workspaces[0]!.changes.find((c) => c.id === NRT)!;
    expect(drift.diff).toEqual([
      { path: "properties.enabled", before: false, after: true },
      { path: "properties.severity", before: "High", after: "Low" },
    ]);
    expect(plan.out).toMatch(/! drift\s+analyticsRule NRT sign-in from new country/);
    expect(plan.out).toContain("properties.enabled: false → true");
    expect(plan.out).toContain("- DeviceProcessEvents | take 10"); // query shown as a line diff

    const dep = await h.run("deploy");
    expect(dep.results![0]).toMatchObject({ corrected: 2, failed: 0 });
    expect(h.emu.read(path)!.properties).toMatchObject({ enabled: true, severity: "Low" });
    expect(changesOf(await h.run("plan"), "t1")).toEqual(["unchanged c001", "unchanged c002", "unchanged c003"]);
    expect(h.specViolations()).toEqual([]);
  });

  it("--prune deletes only items scac owns, never a hand-made rule", async () => {
    h = await harness();
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1" }]));
    await h.run("deploy");
    const handMade = rulePath(SUBS[0]!, "rg-t1", "ws-t1", "9f0c5c8e-0000-4000-8000-00000000beef");
    h.emu.seed(handMade, { kind: "Scheduled", properties: {
      displayName: "Analyst's own rule", enabled: true, severity: "Low", query: "SigninLogs | take 1", queryFrequency: "PT1H", queryPeriod: "PT1H",
      triggerOperator: "GreaterThan", triggerThreshold: 0, suppressionEnabled: false, suppressionDuration: "PT1H" } });
    const handSearch = searchPath(SUBS[0]!, "rg-t1", "ws-t1", "analyst-search");
    h.emu.seed(handSearch, { properties: { category: "Hunting Queries", displayName: "Mine", query: "SigninLogs | take 5" } });
    rmSync(join(h.dir, "content/analytics/nrt.yaml"));
    rmSync(join(h.dir, "content/hunting/hunt.yaml"));

    const noPrune = await h.run("plan");
    expect(changesOf(noPrune, "t1")).toEqual(["unchanged c001"]);
    expect(noPrune.err).toMatch(/2 item\(s\) deployed by scac are no longer selected .*--prune/);

    const plan = await h.run("plan", { prune: true });
    expect(changesOf(plan, "t1")).toEqual(["delete c002", "delete c003", "unchanged c001"]);
    h.emu.resetStats();
    const dep = await h.run("deploy", { prune: true });
    expect(dep.results![0]).toMatchObject({ deleted: 2, failed: 0 });
    expect(h.emu.stats().writes.DELETE).toBe(4); // two resources, two metadata
    expect(h.emu.read(rulePath(SUBS[0]!, "rg-t1", "ws-t1", NRT))).toBeUndefined();
    expect(h.emu.read(searchPath(SUBS[0]!, "rg-t1", "ws-t1", HUNT))).toBeUndefined();
    expect(h.emu.read(handMade)).toBeDefined();
    expect(h.emu.read(handSearch)).toBeDefined();
    expect(changesOf(await h.run("plan", { prune: true }), "t1")).toEqual(["unchanged c001"]);
  });

  it("three tenants with different parameters get different bodies", async () => {
    h = await harness();
    const t = (name: string, sub: string, hosts: string, threshold: number) => ({
      name, sub, extra: `    tenantId: ${sub}\n    parameters: { Hosts: [${hosts}], Threshold: ${threshold} }\n` });
    h.workspaces(workspacesYaml(h.emu.url, [t("contoso", SUBS[0]!, "web01", 5), t("fabrikam", SUBS[1]!, "iis-a, iis-b", 10), t("tailspin", SUBS[2]!, "", 1)]));
    const dep = await h.run("deploy");
    expect(dep.exitCode).toBe(0);
    const q = (sub: string, name: string) => String((h!.emu.read(rulePath(sub, `rg-${name}`, `ws-${name}`, RULE))!.properties as Record<string, unknown>).query);
    expect(q(SUBS[0]!, "contoso")).toMatch(/^let Threshold = long\(5\);\nlet Hosts = dynamic\(\["web01"\]\);\n/);
    expect(q(SUBS[1]!, "fabrikam")).toMatch(/^let Threshold = long\(10\);\nlet Hosts = dynamic\(\["iis-a","iis-b"\]\);\n/);
    expect(q(SUBS[2]!, "tailspin")).toMatch(/^let Threshold = long\(1\);\nlet Hosts = dynamic\(\[\]\);\n/);
    // Items without parameters are identical everywhere.
    const n = (sub: string, name: string) => JSON.stringify(h!.emu.read(rulePath(sub, `rg-${name}`, `ws-${name}`, NRT))!.properties);
    expect(n(SUBS[0]!, "contoso").replace(/"lastModifiedUtc":"[^"]*"/, "")).toBe(n(SUBS[1]!, "fabrikam").replace(/"lastModifiedUtc":"[^"]*"/, ""));
    expect(h.specViolations()).toEqual([]);
  });

  it("pre-flight: a table missing from the workspace is reported by name and the item is not sent", async () => {
    h = await harness();
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1" }]));
    h.emu.setTables({ subscriptionId: SUBS[0]!, resourceGroup: "rg-t1", workspace: "ws-t1" }, [
      { name: "SigninLogs", columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "ResultType", type: "string" }] },
    ]);
    const plan = await h.run("plan");
    expect(plan.exitCode).toBe(1);
    expect(plan.out).toMatch(/Rare admin tool on server .*BLOCKED: table DeviceProcessEvents not found in workspace ws-t1/);
    expect(plan.err).toMatch(/deploy\/table-missing: t1: Rare admin tool on server: table DeviceProcessEvents not found/);
    const dep = await h.run("deploy");
    expect(dep.exitCode).toBe(1);
    expect(dep.results![0]).toMatchObject({ created: 1, failed: 2 }); // the NRT rule (SigninLogs) still deployed
    expect(h.sent.filter((s) => s.method === "PUT" && /alertRules\/0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c001|savedSearches/.test(s.url))).toEqual([]);
  });

  it("deploys at a configurable api-version: stable 2025-09-01 gets stable-valid bodies, NRT is refused up front", async () => {
    h = await harness();
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1", extra: "    apiVersions: { alertRules: 2025-09-01 }\n" }]));
    const dep = await h.run("deploy");
    expect(dep.exitCode).toBe(1);
    expect(dep.err).toMatch(/NRT rules need a preview alertRules api-version/);
    expect(dep.results![0]).toMatchObject({ created: 2, failed: 0 });
    const puts = h.sent.filter((x) => x.method === "PUT" && /alertRules/.test(x.url));
    expect(puts).toHaveLength(1);
    expect(specErrors("alertRuleStable", puts[0]!.body)).toEqual([]);
    expect((h.emu.read(rulePath(SUBS[0]!, "rg-t1", "ws-t1", RULE))!.properties as Record<string, unknown>).subTechniques ?? null).toBeNull();
    expect((await h.run("plan")).plan!.workspaces[0]!.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged"]);
  });

  it("adopts an existing hand-made resource that carries a content id, and replaces a rule whose kind changed", async () => {
    h = await harness();
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1" }]));
    const path = rulePath(SUBS[0]!, "rg-t1", "ws-t1", RULE);
    h.emu.seed(path, { kind: "Scheduled", properties: {
      displayName: "Imported earlier by another tool", enabled: true, severity: "High", query: "DeviceProcessEvents | take 1", queryFrequency: "PT1H",
      queryPeriod: "PT1H", triggerOperator: "GreaterThan", triggerThreshold: 0, suppressionEnabled: false, suppressionDuration: "PT1H" } });
    const plan = await h.run("plan");
    const adopt = plan.plan!.workspaces[0]!.changes.find((c) => c.id === RULE)!;
    expect([adopt.action, adopt.reason]).toEqual(["update", "exists but was not deployed by scac; adopting it"]);
    expect(adopt.diff!.map((d) => d.path)).toContain("properties.displayName");
    expect((await h.run("deploy")).exitCode).toBe(0);
    expect((h.emu.read(path)!.properties as Record<string, unknown>).displayName).toBe("Rare admin tool on server");

    const file = join(h.dir, "content/analytics/nrt.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("kind: NRT", "kind: Scheduled\nqueryFrequency: 5m\nqueryPeriod: 5m\ntriggerOperator: gt\ntriggerThreshold: 0"));
    h.emu.resetStats();
    const dep = await h.run("deploy");
    expect(dep.results![0]).toMatchObject({ updated: 1, failed: 0 });
    expect(h.emu.stats().writes).toEqual({ PUT: 2, DELETE: 1 }); // delete the NRT rule, create the Scheduled one, metadata
    expect(h.emu.read(rulePath(SUBS[0]!, "rg-t1", "ws-t1", NRT))!.kind).toBe("Scheduled");
    expect(changesOf(await h.run("plan"), "t1")).toEqual(["unchanged c001", "unchanged c002", "unchanged c003"]);
    expect(h.specViolations()).toEqual([]);
  });

  it("an etag conflict (edited between plan and apply) is resolved by re-reading", async () => {
    h = await harness();
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1" }]));
    await h.run("deploy");
    const file = join(h.dir, "content/analytics/scheduled.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("triggerThreshold: 3", "triggerThreshold: 4"));
    const { applyPlan } = await import("../../src/deploy/apply.js");
    const { createArmClient } = await import("../../src/deploy/arm-client.js");
    const { readWorkspaces } = await import("../../src/deploy/workspaces.js");
    const plan = (await h.run("plan")).plan!;
    const path = rulePath(SUBS[0]!, "rg-t1", "ws-t1", RULE);
    h.emu.edit(path, { properties: { description: "edited in the portal meanwhile" } }); // new etag
    h.emu.resetStats();
    const cfg = (await readWorkspaces(join(h.dir, "workspaces.yaml"))).value!;
    const client = createArmClient(h.emu.url, SUBS[0]!, undefined, { retry: { baseDelayMs: 1 } });
    const results = await applyPlan(plan, new Map([["t1", cfg.workspaces[0]!]]), () => client);
    expect(results[0]).toMatchObject({ updated: 1, failed: 0 });
    expect(h.emu.stats().byStatus["409"]).toBe(1);
    expect(h.emu.read(path)!.properties).toMatchObject({ triggerThreshold: 4, description: "Quoted description, trailing spaces and newline." });
  });
});
