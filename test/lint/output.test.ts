import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics.js";
import { ciAnnotationFormat, formatAzureDevops, formatGithub, formatJson, formatText, sarifLog, SARIF_SCHEMA } from "../../src/output/index.js";

const diags: Diagnostic[] = [
  { file: "content/analytics/a b.yaml", line: 3, column: 5, rule: "entity-column-exists", severity: "error", message: "column 'Foo' is not in the query output" },
  { file: "content/analytics/a b.yaml", line: 4, column: 1, rule: "kql-contains", severity: "warning", message: "use has, not contains: 50%, faster; really" },
  { file: "content/hunting/h.yaml", line: 0, column: 0, rule: "schema-invalid", severity: "info", message: "line one\nline two" },
];

describe("json", () => {
  it("has exactly files and diagnostics with the documented fields", () => {
    const out = JSON.parse(formatJson(diags, { files: 7 }));
    expect(Object.keys(out)).toEqual(["files", "diagnostics"]);
    expect(out.files).toBe(7);
    expect(out.diagnostics[0]).toEqual({ file: "content/analytics/a b.yaml", line: 3, column: 5, rule: "entity-column-exists", severity: "error", message: "column 'Foo' is not in the query output" });
    expect(out.diagnostics.map((d: Diagnostic) => d.severity)).toEqual(["error", "warning", "info"]);
  });
});

describe("sarif", () => {
  const log = sarifLog(diags, {
    root: "/repo",
    rules: new Map([["entity-column-exists", { id: "entity-column-exists", description: "Mapped columns exist", help: "Every entity mapping column must be output by the query.", defaultSeverity: "error" as const }]]),
  }) as any;
  it("is a SARIF 2.1.0 log with the schema URI and one run", () => {
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver.name).toBe("scac");
  });
  it("declares every rule that fired, with id, descriptions and help, and results point at them", () => {
    const { rules } = log.runs[0].tool.driver;
    expect(rules.map((r: any) => r.id)).toEqual(["entity-column-exists", "kql-contains", "schema-invalid"]);
    for (const r of rules) {
      expect(typeof r.shortDescription.text).toBe("string");
      expect(typeof r.help.text).toBe("string");
    }
    expect(rules[0].help.text).toBe("Every entity mapping column must be output by the query.");
    expect(rules[0].defaultConfiguration).toEqual({ level: "error" });
    for (const res of log.runs[0].results) expect(rules[res.ruleIndex].id).toBe(res.ruleId);
  });
  it("maps severities to levels and locations to relative, encoded URIs with 1-based regions", () => {
    const [a, b, c] = log.runs[0].results;
    expect([a.level, b.level, c.level]).toEqual(["error", "warning", "note"]);
    expect(a.message.text).toBe("column 'Foo' is not in the query output");
    expect(a.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "content/analytics/a%20b.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 3, startColumn: 5 } });
    expect(c.locations[0].physicalLocation.region).toEqual({ startLine: 1 });
    expect(log.runs[0].originalUriBaseIds["%SRCROOT%"].uri).toBe("file:///repo/");
  });
  it("makes absolute paths relative to the root", () => {
    const l = sarifLog([{ ...diags[0]!, file: "/repo/content/x.yaml" }], { root: "/repo" }) as any;
    expect(l.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("content/x.yaml");
  });
});

describe("CI annotations", () => {
  it("writes GitHub workflow commands with escaped properties and data", () => {
    expect(formatGithub(diags).split("\n")).toEqual([
      "::error file=content/analytics/a b.yaml,line=3,col=5,title=entity-column-exists::column 'Foo' is not in the query output [entity-column-exists]",
      "::warning file=content/analytics/a b.yaml,line=4,col=1,title=kql-contains::use has, not contains: 50%25, faster; really [kql-contains]",
      "::notice file=content/hunting/h.yaml,title=schema-invalid::line one%0Aline two [schema-invalid]",
      "",
    ]);
  });
  it("writes Azure DevOps logissue commands (info as a plain line)", () => {
    expect(formatAzureDevops(diags).split("\n")).toEqual([
      "##vso[task.logissue type=error;sourcepath=content/analytics/a b.yaml;linenumber=3;columnnumber=5;code=entity-column-exists]column 'Foo' is not in the query output",
      "##vso[task.logissue type=warning;sourcepath=content/analytics/a b.yaml;linenumber=4;columnnumber=1;code=kql-contains]use has, not contains: 50%AZP25, faster; really",
      "content/hunting/h.yaml: info schema-invalid: line one line two",
      "",
    ]);
  });
  it("detects the CI from the environment", () => {
    expect(ciAnnotationFormat({ GITHUB_ACTIONS: "true" })).toBe("github");
    expect(ciAnnotationFormat({ TF_BUILD: "True" })).toBe("azure-devops");
    expect(ciAnnotationFormat({})).toBeUndefined();
  });
});

describe("text", () => {
  it("groups by file, shows a code frame with a caret and a summary", () => {
    const src = "id: x\nname: y\nquery: |\n    T | project Foo\n";
    const out = formatText(diags.slice(0, 2), { files: 1, source: () => src });
    expect(out).toBe([
      "content/analytics/a b.yaml",
      "  3:5      error   column 'Foo' is not in the query output  entity-column-exists",
      "      2 | name: y",
      "    > 3 | query: |",
      "        |     ^",
      "  4:1      warning use has, not contains: 50%, faster; really  kql-contains",
      "      3 | query: |",
      "    > 4 |     T | project Foo",
      "        | ^",
      "",
      "2 problems (1 error, 1 warning) in 1 file.",
      "",
    ].join("\n"));
    expect(formatText([], { files: 3 })).toBe("No problems in 3 files.\n");
  });
});
