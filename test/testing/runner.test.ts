// The runner end to end over a fixture project (test/fixtures/testing/project) that has passing cases, two
// deliberately failing cases, an untested content item and a test file without a negative case.
import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { runSession } from "../../src/testing/session.js";
import { project, projectSession } from "./helpers.js";

describe("content test runner", () => {
  it("runs every case and names it `<content name> › <case name>`", async () => {
    const s = await projectSession();
    expect(s.results.map((r) => `${r.status} ${r.title}`)).toEqual([
      "pass Whoami Rule › one alert per computer",
      "fail Whoami Rule › deliberately wrong alert title",
      "pass Whoami Rule › nothing in the last hour, no alert",
      "pass Only Positive › a logon is found",
      "pass Whoami Hunt › whoami twice is counted",
      "fail Whoami Hunt › deliberately wrong count",
      "pass Whoami Hunt › no whoami, no rows",
    ]);
  });

  it("explains a failing row expectation as an expected-vs-actual diff", async () => {
    const s = await projectSession();
    const r = s.results.find((x) => x.caseName === "deliberately wrong count")!;
    expect(r.line).toBe(14);
    expect(r.message).toBe([
      "✗ rows: expected 2 rows, got 1",
      "✗ present[0]: no result row matches",
      '    expected  { Computer: "web01.contoso.com", Count: 3 }',
      "    closest   row 1:",
      '                Computer: "web01.contoso.com"',
      "              - Count: 3",
      "              + Count: 2",
      "",
      "Actual rows (1):",
      '    1  { Computer: "web01.contoso.com", Account: "CONTOSO\\\\alice", Count: 2 }',
    ].join("\n"));
  });

  it("explains a failing alert expectation field by field and lists the actual alerts", async () => {
    const s = await projectSession();
    const r = s.results.find((x) => x.caseName === "deliberately wrong alert title")!;
    const lines = r.message!.split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "✗ alerts: expected 1 alert, got 2",
      "✗ alertsPresent[0]: no alert matches",
      "    closest   alert 1:",
      '      - displayName: "whoami on web09.contoso.com"',
      '      + displayName: "whoami on web01.contoso.com"',
    ]);
    expect(r.message).toContain("Actual alerts (2):");
    expect(r.message).toContain('entities: Host { FullName: "web01.contoso.com" }, Account { FullName: "CONTOSO\\\\alice" }');
  });

  it("reports content without tests and tests without a negative case as lint-format diagnostics", async () => {
    const s = await projectSession();
    const gate = s.diagnostics.filter((d) => d.rule === "test-coverage");
    expect(gate.map((d) => [d.file.replace(/\\/g, "/").replace(/^.*\/project\//, ""), d.line, d.severity])).toEqual([
      ["content/hunting/only-positive.test.yaml", 1, "error"],
      ["content/hunting/untested.yaml", 1, "error"],
    ]);
    expect(gate[0]!.message).toContain("has no negative case");
    expect(gate[1]!.message).toContain("'Untested Hunt' has no tests");
  });

  it("the coverage gate can be lowered to warnings or switched off", async () => {
    const warn = await runSession({ paths: [resolve(project, "content/hunting")], schemaDirs: [], coverage: { level: "warning" } });
    expect(warn.diagnostics.map((d) => d.severity)).toEqual(["warning", "warning"]);
    const off = await runSession({ paths: [resolve(project, "content/hunting")], schemaDirs: [], coverage: { level: "off" } });
    expect(off.diagnostics).toEqual([]);
  });

  it("a content file path selects its sidecar test file", async () => {
    const s = await runSession({ paths: [resolve(project, "content/hunting/whoami-hunt.yaml")], schemaDirs: [], coverage: { level: "off" } });
    expect(s.results.map((r) => r.caseName)).toEqual(["whoami twice is counted", "deliberately wrong count", "no whoami, no rows"]);
  });
});
