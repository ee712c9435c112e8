// Command-level behaviour: flags, target selection, output formats, the embedded emulator default.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseArgs, runPlanOrDeploy, selectTargets } from "../../src/deploy/run.js";
import { parseWorkspaces } from "../../src/deploy/workspaces.js";
import { FIXTURES, harness, SUBS, workspacesYaml, type Harness } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

describe("flags and target selection", () => {
  it("parses every flag and rejects bad ones", () => {
    expect(parseArgs(["--workspaces", "w.yaml", "--workspace", "a", "--workspace=b", "--shard", "2/3", "--prune", "--format", "markdown", "--detailed-exitcode"]))
      .toEqual({ workspacesFile: "w.yaml", workspaces: ["a", "b"], shard: { index: 2, count: 3 }, prune: true, format: "markdown", detailedExitCode: true, verbose: false });
    expect(parseArgs(["--shard", "0/3"])).toMatch(/--shard must be i\/n/);
    expect(parseArgs(["--format", "xml"])).toMatch(/--format must be/);
    expect(parseArgs(["--workspace"])).toMatch(/needs a value/);
    expect(parseArgs(["--frobnicate"])).toMatch(/unknown option '--frobnicate'/);
  });

  it("--workspace picks by name; --shard i/n deals workspaces round-robin so n CI jobs cover each exactly once", () => {
    const cfg = parseWorkspaces(`defaults: { subscriptionId: ${SUBS[0]}, resourceGroup: rg, auth: azure-cli }
workspaces:
${["w1", "w2", "w3", "w4", "w5"].map((n) => `  - { name: ${n}, workspace: ws-${n} }`).join("\n")}
`, "workspaces.yaml", "/").value!;
    expect(selectTargets(cfg, { workspaces: ["w2", "w4"] }).targets.map((t) => t.name)).toEqual(["w2", "w4"]);
    expect(selectTargets(cfg, { workspaces: ["nope"] }).diagnostics[0]!.message).toMatch(/--workspace nope: no such workspace/);
    const shards = [1, 2, 3].map((i) => selectTargets(cfg, { workspaces: [], shard: { index: i, count: 3 } }).targets.map((t) => t.name));
    expect(shards).toEqual([["w1", "w4"], ["w2", "w5"], ["w3"]]);
  });
});

describe("output formats", () => {
  it("JSON has the documented shape; Markdown is a PR comment; text summarises", async () => {
    h = await harness();
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1" }, { name: "t2" }]));
    const json = JSON.parse((await h.run("plan", { format: "json", workspaces: ["t2"] })).out);
    expect(json.formatVersion).toBe(1);
    expect(json.workspaces.map((w: { name: string }) => w.name)).toEqual(["t2"]);
    expect(json.workspaces[0].summary).toEqual({ create: 3, update: 0, drift: 0, delete: 0, unchanged: 0 });
    for (const c of json.workspaces[0].changes) {
      expect(Object.keys(c).slice(0, 4)).toEqual(["action", "kind", "id", "name"]);
      expect(["analyticsRule", "huntingQuery"]).toContain(c.kind);
    }
    const md = (await h.run("plan", { format: "markdown" })).out;
    expect(md).toContain("## scac plan");
    expect(md).toContain("### t1");
    expect(md).toMatch(/\| \+ \| create \| analyticsRule \| Rare admin tool on server \| `0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c001` \|/);
    await h.run("deploy");
    const file = join(h.dir, "content/analytics/scheduled.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("| where n > Threshold", "| where n >= Threshold"));
    const md2 = (await h.run("plan", { format: "markdown" })).out;
    expect(md2).toMatch(/<details><summary>update: Rare admin tool on server<\/summary>\n\n```diff\nproperties.query:\n  \| where DeviceName in~ \(Hosts\)\n/);
    expect(md2).toContain("\n- | where n > Threshold\n+ | where n >= Threshold\n```");
    const deployJson = JSON.parse((await h.run("deploy", { format: "json" })).out);
    expect(deployJson.workspaces.map((w: { result: unknown }) => w.result)).toEqual([
      { created: 0, updated: 1, corrected: 0, deleted: 0, unchanged: 2, failed: 0 },
      { created: 0, updated: 1, corrected: 0, deleted: 0, unchanged: 2, failed: 0 },
    ]);
  });
});

describe("--verbose", () => {
  it("logs each HTTP attempt without headers or tokens, and lists unchanged items", async () => {
    h = await harness();
    h.workspaces(workspacesYaml(h.emu.url, [{ name: "t1" }]));
    await h.run("deploy");
    const r = await h.run("plan", { verbose: true });
    expect(r.err).toMatch(new RegExp(`GET ${h.emu.url}/subscriptions/${SUBS[0]}/resourceGroups/rg-t1/providers/Microsoft.OperationalInsights/workspaces/ws-t1/providers/Microsoft.SecurityInsights/alertRules → 200`));
    expect(r.err).not.toMatch(/api-version|authorization|bearer/i);
    expect(r.out).toMatch(/= unchanged\s+analyticsRule Rare admin tool on server/);
  });
});

describe("embedded emulator (endpoint: embedded)", () => {
  it("the shipped default shape deploys offline and a second run shows no changes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scac-embedded-"));
    try {
      cpSync(join(FIXTURES, "basic", "content"), join(dir, "content"), { recursive: true });
      writeFileSync(join(dir, "workspaces.yaml"), `workspaces:
  - { name: local, subscriptionId: ${SUBS[0]}, resourceGroup: scac-local, workspace: scac-local, endpoint: embedded, auth: none }
`);
      let out = "";
      const io = { stdout: (s: string) => { out += `${s}\n`; }, stderr: (s: string) => { out += `ERR ${s}\n`; } };
      const opts = { workspacesFile: join(dir, "workspaces.yaml"), workspaces: [], prune: false, format: "text" as const, detailedExitCode: true, verbose: false };
      expect((await runPlanOrDeploy("deploy", opts, io)).exitCode).toBe(2);
      expect(existsSync(join(dir, ".scac-emulator.json"))).toBe(true);
      out = "";
      expect((await runPlanOrDeploy("deploy", opts, io)).exitCode).toBe(0);
      expect(out).toContain("local: no changes (3 unchanged)");
      expect(out).toContain("No changes. 1 workspace(s) match the content.");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
