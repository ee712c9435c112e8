// The pull and schema commands end to end through the scac CLI (separate process) against the emulator.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SUB = "66666666-6666-6666-6666-666666666666";
let emu: Emulator;
let dir: string;

function scac(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, ["--import", pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href, join(ROOT, "src/cli.ts"), ...args], { cwd: dir });
    let out = "", err = "";
    p.stdout.on("data", (c) => { out += c; });
    p.stderr.on("data", (c) => { err += c; });
    p.on("close", (code) => res({ code: code ?? -1, out, err }));
  });
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, throttle: false });
  emu.seed(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-cli/providers/Microsoft.SecurityInsights/alertRules/1e0c0000-0000-4000-8000-00000000000a`, {
    kind: "NRT", properties: { displayName: "CLI rule", description: "d", severity: "Low", enabled: true, query: "SecurityEvent | take 1", suppressionEnabled: false, suppressionDuration: "PT1H",
      incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: "PT5H", matchingMethod: "AllEntities" } } },
  });
  dir = mkdtempSync(join(tmpdir(), "scac-pull-cli-"));
  writeFileSync(join(dir, "workspaces.yaml"), `workspaces:\n  - name: cli\n    subscriptionId: ${SUB}\n    resourceGroup: rg\n    workspace: law-cli\n    endpoint: ${emu.url}\n    auth: none\n`);
});
afterAll(async () => {
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("scac pull / schema CLI", () => {
  it("usage errors exit 2", async () => {
    const [a, b] = await Promise.all([scac(["pull"]), scac(["schema", "pull"])]);
    expect([a.code, b.code]).toEqual([2, 2]);
    expect(a.err).toMatch(/--workspace is required/);
    expect(b.err).toMatch(/give exactly one --workspace/);
  }, 60_000);

  it("pull writes content/, schema pull writes content/schemas/<workspace>.yaml, schema check reads it", async () => {
    const p = await scac(["pull", "--workspace", "cli"]);
    expect(p.code).toBe(0);
    expect(p.out).toMatch(/\+ analytics content\/analytics\/cli-rule\.yaml {2}CLI rule \[1e0c0000-0000-4000-8000-00000000000a\] \+ content\/analytics\/cli-rule\.test\.yaml/);
    expect(p.out).toMatch(/cli: 1 written \(1 exact round trip, 0 the first deploy would change\), 0 kept, 0 skipped/);
    expect(readFileSync(join(dir, "content/analytics/cli-rule.yaml"), "utf8")).toMatch(/^# Adopted from workspace 'cli' \(rg\/law-cli\) by scac pull\.\n\nid: 1e0c0000-0000-4000-8000-00000000000a\n/);
    const s = await scac(["schema", "pull", "--workspace", "cli"]);
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/^content\/schemas\/cli\.yaml: \d+ tables \(0 custom _CL\), \d+ functions, \d+ watchlists\n$/);
    expect(existsSync(join(dir, "content/schemas/cli.yaml"))).toBe(true);
    const c = await scac(["schema", "check"]);
    expect(c.err).toBe("");
    expect(c.out).toBe("cli: 1 item(s) checked against content/schemas/cli.yaml\n");
    expect(c.code).toBe(0);
  }, 120_000);
});
