// `scac lint` end to end through the real CLI: exit codes, formats, CI annotations, config, suppressions,
// classification, the cache and --changed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { lintPaths } from "../../src/lint/lint-paths.js";

// Kusto.Language loads and JIT-compiles on first use, and the build machine is shared: generous timeouts.
vi.setConfig({ testTimeout: 120000 });

const repo = resolve(import.meta.dirname, "../..");
const cli = join(repo, "src/cli.ts");
// Absolute loader path: the CLI runs in temporary directories where a bare "tsx" would not resolve.
const tsx = pathToFileURL(join(repo, "node_modules/tsx/dist/loader.mjs")).href;
const fixtures = join(repo, "test/fixtures/lint/rules");
const ANALYTICS = readFileSync(join(fixtures, "analytics.yaml"), "utf8");
const HUNTING = readFileSync(join(fixtures, "hunting.yaml"), "utf8");

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "scac-cli-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function scac(cwd: string, args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env, GITHUB_ACTIONS: "", TF_BUILD: "", ...env };
  const r = spawnSync(process.execPath, ["--import", tsx, cli, "lint", ...args], { cwd, env: clean, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BAD = ANALYTICS.replace("severity: Medium", "severity: Critical");

describe("scac lint (CLI)", () => {
  it("exits 0 on clean content (default paths content/ and content/schemas/)", () => {
    const dir = tree({ "content/analytics/a.yaml": ANALYTICS, "content/hunting/h.yaml": HUNTING, "content/schemas/x.yaml": "tables: [{ name: X_CL, columns: { A: string } }]\n" });
    const r = scac(dir, []);
    expect(r.stdout).toBe("No problems in 2 files.\n");
    expect(r.code).toBe(0);
  });
  it("exits 1 on errors and prints a code frame grouped by file", () => {
    const dir = tree({ "content/analytics/a.yaml": BAD });
    const r = scac(dir, []);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("content/analytics/a.yaml\n  4:11     error   severity 'Critical' is not one of Informational, Low, Medium, High  severity-enum\n");
    expect(r.stdout).toContain("    > 4 | severity: Critical\n");
  });
  it("exits 2 on usage and I/O errors", () => {
    const dir = tree({ "content/analytics/a.yaml": ANALYTICS });
    expect(scac(dir, ["--format", "xml"]).code).toBe(2);
    expect(scac(dir, ["--bogus"]).code).toBe(2);
    const missing = scac(dir, ["nowhere/"]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain("no such file or directory");
    writeFileSync(join(dir, ".scaclint.yaml"), "rules:\n  no-such-rule: off\n");
    const cfg = scac(dir, []);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toContain("unknown rule 'no-such-rule'");
  });
  it("writes JSON and SARIF, to stdout or --output-file", () => {
    const dir = tree({ "content/analytics/a.yaml": BAD });
    const json = JSON.parse(scac(dir, ["--format", "json"]).stdout);
    expect(json).toEqual({ files: 1, diagnostics: [{ file: "content/analytics/a.yaml", line: 4, column: 11, rule: "severity-enum", severity: "error", message: "severity 'Critical' is not one of Informational, Low, Medium, High" }] });
    const r = scac(dir, ["--format", "sarif", "--output-file", "out.sarif"]);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(dir, "out.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].tool.driver.rules[0]).toMatchObject({ id: "severity-enum", shortDescription: { text: "severity is Informational, Low, Medium or High." } });
    expect(sarif.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "content/analytics/a.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 4, startColumn: 11 } });
  });
  it("adds CI annotations in GitHub Actions and Azure Pipelines", () => {
    const dir = tree({ "content/analytics/a.yaml": BAD });
    expect(scac(dir, [], { GITHUB_ACTIONS: "true" }).stdout).toContain("::error file=content/analytics/a.yaml,line=4,col=11,title=severity-enum::");
    expect(scac(dir, [], { TF_BUILD: "True" }).stdout).toContain("##vso[task.logissue type=error;sourcepath=content/analytics/a.yaml;linenumber=4;columnnumber=11;code=severity-enum]");
    // A machine-readable report on stdout stays parseable.
    expect(() => JSON.parse(scac(dir, ["--format", "json"], { GITHUB_ACTIONS: "true" }).stdout)).not.toThrow();
  });
});

describe("lintPaths", () => {
  it("classifies by fields, not folders, and skips *.test.yaml sidecars", async () => {
    const dir = tree({ "misc/rule.yaml": BAD, "misc/rule.test.yaml": "cases: []\n", "misc/hunt.yml": HUNTING });
    const r = await lintPaths(["misc"], { cwd: dir, config: false });
    expect(r.files).toBe(2);
    expect(r.diagnostics.map((d) => `${d.file} ${d.rule}`)).toEqual(["misc/rule.yaml severity-enum"]);
  });
  it("applies .scaclint.yaml: severities, disabled rules, ignore globs and schema directories", async () => {
    const files = {
      "content/analytics/a.yaml": BAD.replace("version: 1.0.0", "version: 1"),
      "content/legacy/old.yaml": "not: [valid\n",
      "schemas/x.yaml": "tables: [{ name: X_CL, columns: { A: string } }]\n",
      "content/hunting/h.yaml": HUNTING.replace("DeviceProcessEvents\n  | where", "X_CL\n  | extend TimeGenerated = now(), DeviceName = A, FileName = A\n  | where"),
    };
    const plain = await lintPaths([], { cwd: tree(files), config: false });
    expect(plain.diagnostics.map((d) => `${d.rule}:${d.severity}`).sort()).toEqual(["data-connector-tables:warning", "kql-semantic:error", "severity-enum:error", "version-format:warning", "yaml-syntax:error"]);
    const dir = tree({ ...files, ".scaclint.yaml": "rules:\n  severity-enum: warning\n  version-format: off\n  data-connector-tables: off\nignore:\n  - content/legacy/**\nschemas:\n  - schemas\n" });
    const r = await lintPaths([], { cwd: dir });
    expect(r.diagnostics.map((d) => `${d.rule}:${d.severity}`)).toEqual(["severity-enum:warning"]);
  });
  it("honours inline suppressions by file, line and next line", async () => {
    const q = ANALYTICS.replace('  | where FileName has "cmd.exe"', '  | where FileName contains "cmd" // scac-disable kql-contains -- same-line\n  // scac-disable kql-contains -- next line\n  | where FileName contains "powershell"\n  | where FileName contains "wscript"');
    const r = await lintPaths([], { cwd: tree({ "content/analytics/a.yaml": q }), config: false });
    expect(r.diagnostics.map((d) => `${d.line} ${d.rule}`)).toEqual(["23 kql-contains"]);
    const f = await lintPaths([], { cwd: tree({ "content/analytics/a.yaml": "# scac-disable-file kql-contains -- legacy rule, reviewed\n" + q }), config: false });
    expect(f.diagnostics).toEqual([]);
  });
  it("maps KQL positions through the parameter prelude into the YAML block", async () => {
    const text = ANALYTICS.replace("query: |\n  DeviceProcessEvents\n", "parameters:\n  Excluded:\n    type: dynamic\n    default: []\nquery: |\n  DeviceProcessEvents\n  | where DeviceName !in~ (Excluded)\n  | where Nope == 1\n");
    const r = await lintPaths([], { cwd: tree({ "content/analytics/a.yaml": text }), config: false });
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`)).toEqual(["24:11 kql-semantic"]);
  });
  it("reports an undeclared parameter as an unknown name", async () => {
    const text = ANALYTICS.replace('  | where FileName has "cmd.exe"', "  | where DeviceName !in~ (ExcludedDevices)");
    const r = await lintPaths([], { cwd: tree({ "content/analytics/a.yaml": text }), config: false });
    expect(r.diagnostics.map((d) => `${d.line} ${d.rule} ${/ExcludedDevices/.test(d.message)}`)).toEqual(["20 kql-semantic true"]);
  });
  it("re-uses cached analysis: same findings, nothing re-analysed, invalidated by a schema change", async () => {
    const dir = tree({ "content/analytics/a.yaml": BAD, "content/hunting/h.yaml": HUNTING });
    const first = await lintPaths([], { cwd: dir, config: false, cacheDir: ".scac-cache" });
    expect(first.stats.analysed).toBe(2);
    expect(existsSync(join(dir, ".scac-cache/lint-cache.json"))).toBe(true);
    const second = await lintPaths([], { cwd: dir, config: false, cacheDir: ".scac-cache" });
    expect([second.stats.analysed, second.stats.fileCacheHits]).toEqual([0, 2]);
    expect(second.diagnostics).toEqual(first.diagnostics);
    // A metadata-only edit re-lints the file but re-uses its query analysis.
    writeFileSync(join(dir, "content/hunting/h.yaml"), HUNTING.replace("version: 1.0.0", "version: 1"));
    const third = await lintPaths([], { cwd: dir, config: false, cacheDir: ".scac-cache" });
    expect([third.stats.analysed, third.stats.fileCacheHits, third.stats.cacheHits]).toEqual([0, 1, 1]);
    expect(third.diagnostics.map((d) => d.rule)).toEqual(["severity-enum", "version-format"]);
    mkdirSync(join(dir, "content/schemas"));
    writeFileSync(join(dir, "content/schemas/t.yaml"), "tables: [{ name: X_CL, columns: { A: string } }]\n");
    expect((await lintPaths([], { cwd: dir, config: false, cacheDir: ".scac-cache" })).stats.analysed).toBe(2);
  });
  it("gives the same findings with worker threads as in one thread", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++) files[`content/analytics/r${i}.yaml`] = ANALYTICS.replace(/^id: .*$/m, `id: 6c1f4a2e-8b7d-4c3e-9a1f-2b3c4d5e6f7${i}`).replace(/^name: .*$/m, `name: Rule ${i}`).replace("FileName has", i % 2 ? "FileNam has" : "FileName has");
    const dir = tree(files);
    const one = await lintPaths([], { cwd: dir, config: false });
    const two = await lintPaths([], { cwd: dir, config: false, workers: 2 });
    expect(one.diagnostics.filter((d) => d.rule === "kql-semantic")).toHaveLength(4);
    expect(two.diagnostics).toEqual(one.diagnostics);
  }, 120_000);
  it("--changed reports only files changed against the git base", () => {
    const dir = tree({ "content/analytics/a.yaml": BAD, "content/hunting/h.yaml": HUNTING });
    const git = (...a: string[]) => spawnSync("git", a, { cwd: dir, encoding: "utf8" });
    git("init", "-q"); git("add", "."); git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "x");
    expect(scac(dir, ["--changed"]).stdout).toBe("No problems in 0 files.\n");
    writeFileSync(join(dir, "content/hunting/h.yaml"), HUNTING.replace("version: 1.0.0", "version: 1"));
    const r = scac(dir, ["--changed", "--format", "json"]);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { file: string; rule: string }) => `${d.file} ${d.rule}`)).toEqual(["content/hunting/h.yaml version-format"]);
    expect(r.code).toBe(0);
    // id-changed: an existing item's id must not change (a new file may have any id).
    writeFileSync(join(dir, "content/hunting/h.yaml"), HUNTING.replace("0d7e3b1a-5c2f-4e8d-a6b9-1f2e3d4c5b6a", "9d7e3b1a-5c2f-4e8d-a6b9-1f2e3d4c5b6a"));
    writeFileSync(join(dir, "content/hunting/new.yaml"), HUNTING.replace("0d7e3b1a-5c2f-4e8d-a6b9-1f2e3d4c5b6a", "8d7e3b1a-5c2f-4e8d-a6b9-1f2e3d4c5b6a").replace("Base hunting query", "New query"));
    const changed = scac(dir, ["--changed", "--format", "json"]);
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout).diagnostics.map((d: { file: string; line: number; rule: string }) => `${d.file}:${d.line} ${d.rule}`)).toEqual(["content/hunting/h.yaml:1 id-changed"]);
  });
});

describe("the repository's own content", () => {
  it("is clean (no errors)", async () => {
    const r = await lintPaths([], { cwd: repo });
    expect(r.files).toBeGreaterThanOrEqual(2);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
