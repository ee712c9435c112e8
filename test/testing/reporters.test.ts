// Reporter output over the fixture project's real results: JUnit XML shape (as Azure DevOps and the repo's
// junit-summary script read it), GitHub annotations on the failing case's line, JSON.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { report } from "../../src/testing/reporters.js";
import { projectSession } from "./helpers.js";

const repo = resolve(import.meta.dirname, "../..");

describe("reporters", () => {
  it("junit: one testsuite per test file, testcase name `content › case`, failure with the diff, a coverage-gate suite", async () => {
    const s = await projectSession();
    const xml = report("junit", s);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="scac content tests" tests="9" failures="4" errors="0"')).toBe(true);
    const suites = [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)" errors="(\d+)"/g)].map((m) => [m[1]!.replace(/^.*project\//, ""), +m[2]!, +m[3]!, +m[4]!]);
    expect(suites).toEqual([
      ["content/analytics/whoami-rule.test.yaml", 3, 1, 0],
      ["content/hunting/only-positive.test.yaml", 1, 0, 0],
      ["content/hunting/whoami-hunt.test.yaml", 3, 1, 0],
      ["coverage gate", 2, 2, 0],
    ]);
    expect(xml).toContain('<testcase name="Whoami Hunt › deliberately wrong count" classname="Whoami Hunt"');
    expect(xml).toMatch(/<failure message="✗ rows: expected 2 rows, got 1" type="ExpectationFailed">✗ rows: expected 2 rows, got 1\n✗ present\[0\]: no result row matches\n    expected  \{ Computer: &quot;web01.contoso.com&quot;, Count: 3 \}/);
    // Well-formed enough for the repository's own summary script (used by the GitHub workflow).
    const dir = mkdtempSync(join(tmpdir(), "scac-junit-"));
    writeFileSync(join(dir, "r.xml"), xml);
    const md = execFileSync(process.execPath, [join(repo, "scripts/junit-summary.mjs"), join(dir, "r.xml")], { encoding: "utf8" });
    expect(md).toContain("**5 passed, 4 failed** (9 cases)");
    expect(md).toContain("| Whoami Hunt › deliberately wrong count | ✗ rows: expected 2 rows, got 1 |");
  });

  it("github-actions: an ::error annotation on each failing case's line, plus coverage diagnostics", async () => {
    const s = await projectSession();
    const out = report("github-actions", s);
    const ann = out.split("\n").filter((l) => l.startsWith("::"));
    expect(ann).toHaveLength(4);
    expect(ann[1]).toMatch(/^::error file=.*content\/hunting\/whoami-hunt\.test\.yaml,line=14,col=5,title=content-test-failed::Whoami Hunt › deliberately wrong count%0A✗ rows: expected 2 rows, got 1%0A/);
    expect(ann[3]).toMatch(/^::error file=.*untested\.yaml,line=1,col=1,title=test-coverage::'Untested Hunt' has no tests/);
    expect(out).toContain("Tests: 5 passed, 2 failed, 2 diagnostic errors (7 cases)");
  });

  it("json: summary, one entry per case with kind and status, diagnostics", async () => {
    const s = await projectSession();
    const j = JSON.parse(report("json", s));
    expect(j.summary).toMatchObject({ passed: 5, failed: 2, errors: 0, total: 7, diagnostics: 2 });
    expect(j.results[1]).toMatchObject({ title: "Whoami Rule › deliberately wrong alert title", content: "Whoami Rule", case: "deliberately wrong alert title", kind: "positive", status: "fail", line: 15 });
    expect(j.results[0].message).toBeUndefined();
    expect(j.diagnostics.map((d: { rule: string }) => d.rule)).toEqual(["test-coverage", "test-coverage"]);
  });

  it("default: ✓/✗ per case, failures with location and diff, summary", async () => {
    const s = await projectSession();
    const out = report("default", s);
    expect(out).toMatch(/ {2}✗ Whoami Hunt › deliberately wrong count \(\d+ ms\)/);
    expect(out).toMatch(/FAIL Whoami Hunt › deliberately wrong count\n {2}at .*whoami-hunt\.test\.yaml:14:5\n {2}✗ rows: expected 2 rows, got 1/);
  });
});
