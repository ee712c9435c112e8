// The Kusto.Language start-up snapshot used by `scac test` (src/testing/snapshot.ts): built for real with
// node --build-snapshot, then a process started from it analyses a query without loading Kusto.Language again.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildSnapshot, buildsInBackground, runInSnapshot, snapshotPaths } from "../../src/testing/snapshot.js";

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), "scac-snap-")); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe("Kusto.Language start-up snapshot", { timeout: 240_000 }, () => {
  it("is keyed by what it is built from, under the cache directory", () => {
    const dir = tempDir();
    const a = snapshotPaths(dir), b = snapshotPaths(dir);
    expect(a).toEqual(b);
    expect(a.blob).toMatch(new RegExp(`^${dir.replace(/[/\\]/g, "[/\\\\]")}[/\\\\]kusto-[0-9a-f]{16}\\.blob$`));
  });

  it("is built in the background on developer machines, on CI runners only when asked for", () => {
    expect(buildsInBackground({})).toBe(true);
    expect(buildsInBackground({ CI: "true" })).toBe(false);
    expect(buildsInBackground({ TF_BUILD: "True" })).toBe(false);
    expect(buildsInBackground({ GITHUB_ACTIONS: "true", SCAC_SNAPSHOT: "1" })).toBe(true);
  });

  it("is not used from TypeScript sources (a snapshot cannot carry tsx's loader)", async () => {
    expect(await runInSnapshot(["test", "--help"])).toBeUndefined();
  });

  it("builds, and a process started from it has an initialised Kusto.Language", () => {
    const dir = tempDir();
    const p = snapshotPaths(dir);
    expect(buildSnapshot(p)).toBe(true);
    const boot = join(dir, "check.cjs");
    writeFileSync(boot, `const K = globalThis.Kusto.Language;
const code = K.KustoCode.ParseAndAnalyze("print a = 1 | extend b = a * 2", K.GlobalState.Default);
console.log(JSON.stringify({ diagnostics: code.GetDiagnostics().Count, columns: code.ResultType.Columns.Count, args: process.argv.slice(1) }));
`);
    const r = spawnSync(process.execPath, ["--snapshot-blob", p.blob, "x", "y"], { encoding: "utf8", env: { ...process.env, SCAC_SNAPSHOT_BOOT: boot } });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ diagnostics: 0, columns: 2, args: ["x", "y"] });
  });
});
