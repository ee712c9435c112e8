// Test-file loading and event validation: every problem is a Diagnostic naming file, line, column — and for
// events the case, table, row and column.

import { describe, expect, it } from "vitest";
import { parseTestFile } from "../../src/testing/load.js";
import { runSession } from "../../src/testing/session.js";
import { HUNT_SECURITYEVENT, tempProject } from "./helpers.js";

async function messages(files: Record<string, string>) {
  const dir = tempProject(files);
  const s = await runSession({ paths: [dir], schemaDirs: [], coverage: { level: "off" } });
  return { dir, s };
}

describe("test file structure", () => {
  it("an unknown key is reported at the key, with the JSON path", () => {
    const r = parseTestFile("now: 2026-01-01T00:00:00Z\ncases:\n  - name: a\n    expct:\n      rows: 0\n", "x.test.yaml");
    expect(r.diagnostics).toEqual([{ file: "x.test.yaml", line: 4, column: 5, rule: "test-file-schema", severity: "error", message: "cases.0: unknown key 'expct'" }]);
  });
  it("a bad now is reported at its value", () => {
    const r = parseTestFile("now: yesterday\ncases:\n  - name: a\n", "x.test.yaml");
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ line: 1, column: 6, message: "now: 'yesterday' is not valid here (expected an ISO 8601 datetime)" });
  });
  it("YAML syntax errors carry their position", () => {
    const r = parseTestFile("now: 2026-01-01T00:00:00Z\ncases: [\n", "x.test.yaml");
    expect(r.diagnostics[0]).toMatchObject({ rule: "test-file-yaml", line: 3 });
  });
  it("duplicate case names are an error", () => {
    const r = parseTestFile("now: 2026-01-01T00:00:00Z\ncases:\n  - name: a\n  - name: a\n", "x.test.yaml");
    expect(r.diagnostics.filter((d) => d.rule !== "test-content-missing").map((d) => [d.rule, d.line])).toEqual([["test-case-duplicate", 4]]);
  });
  it("kinds are inferred from the expectation unless given", () => {
    const r = parseTestFile("now: 2026-01-01T00:00:00Z\ncases:\n  - name: a\n    expect: { rows: { min: 1 } }\n  - name: b\n    expect: { alerts: 0 }\n  - name: c\n    expect: { absent: [{ X: 1 }] }\n  - name: d\n    kind: negative\n    expect: { rows: 3 }\n  - name: e\n", "x.test.yaml");
    expect(r.testFile!.cases.map((c) => c.kind)).toEqual(["positive", "negative", "negative", "negative", undefined]);
  });
});

describe("event validation against the table schema", () => {
  it("names file, line, case, table, row and column for an unknown column and an uncoercible value", async () => {
    const { s } = await messages({
      "h.yaml": HUNT_SECURITYEVENT,
      "h.test.yaml": [
        "now: 2026-01-01T12:00:00Z",
        "cases:",
        "  - name: typo case",
        "    tables:",
        "      SecurityEvent:",
        "        - { TimeGenerated: now-1h, EventID: 4688, Computer: a }",
        "        - { TimeGenerated: now-1h, EventID: 4688, computer: b }",
        "        - { TimeGenerated: now-1h, EventID: four, Computer: c }",
        "    expect: { rows: 3 }",
        "",
      ].join("\n"),
    });
    const r = s.results[0]!;
    expect(r.status).toBe("error");
    expect(r.message).toBe([
      "h.test.yaml:7:11: case 'typo case': SecurityEvent row 2: unknown column 'computer' (did you mean 'Computer'?) [test-data]",
      "h.test.yaml:8:11: case 'typo case': SecurityEvent row 3, column 'EventID': cannot convert 'four' to int [test-data]",
    ].join("\n").replace(/h\.test\.yaml/g, r.testFile));
  });

  it("points into the fixture file (line of the JSON Lines record) for fixture rows", async () => {
    const { s } = await messages({
      "h.yaml": HUNT_SECURITYEVENT,
      "events.jsonl": '{"TimeGenerated":"2026-01-01T11:00:00Z","EventID":4688}\n\n{"TimeGenerated":"2026-01-01T11:00:00Z","EventID":4688,"Computer":"x"}\n{"TimeGenerated":"not a time","EventID":4688}\n',
      "h.test.yaml": "now: 2026-01-01T12:00:00Z\ntables:\n  SecurityEvent: { file: events.jsonl }\ncases:\n  - name: c\n    expect: { rows: 0 }\n",
    });
    expect(s.results[0]!.message).toMatch(/events\.jsonl:4:1: case 'c': SecurityEvent row 3 of .*events\.jsonl, column 'TimeGenerated': cannot convert 'not a time' to datetime \[test-data\]$/);
  });

  it("every event needs its time; a table nobody declares is an error with a hint", async () => {
    const { s } = await messages({
      "h.yaml": HUNT_SECURITYEVENT,
      "h.test.yaml": "now: 2026-01-01T12:00:00Z\ncases:\n  - name: c\n    tables:\n      SecurityEvent: [{ EventID: 4688 }]\n      Nope_CL: [{ A: 1 }]\n    expect: { rows: 0 }\n",
    });
    const m = s.results[0]!.message!;
    expect(m).toContain("table 'Nope_CL' is not declared by any schema");
    expect(m).toContain("case 'c': SecurityEvent row 1 has no TimeGenerated; every event needs its time for the query window");
  });

  it("fixtures in CSV and JSON array files (several files concatenate, then inline rows)", async () => {
    const { s } = await messages({
      "h.yaml": HUNT_SECURITYEVENT,
      "ev.csv": 'TimeGenerated,EventID,Computer,CommandLine\n2026-01-01T11:00:00Z,4688,csv01,"cmd.exe /c ""echo, hi"""\n2026-01-01T11:00:00Z,4624,csv02,\n',
      "ev.json": '[{"TimeGenerated":"2026-01-01T11:30:00Z","EventID":4688,"Computer":"json01"}]',
      "h.test.yaml": "now: 2026-01-01T12:00:00Z\ntables:\n  SecurityEvent:\n    file: [ev.csv, ev.json]\n    rows: [{ TimeGenerated: now-1m, EventID: 4688, Computer: inline01 }]\ncases:\n  - name: c\n    expect:\n      rows: 3\n      present: [{ Computer: csv01, CommandLine: 'cmd.exe /c \"echo, hi\"' }, { Computer: json01 }, { Computer: inline01 }]\n",
    });
    expect(s.results.map((r) => [r.status, r.message])).toEqual([["pass", undefined]]);
  });

  it("a missing fixture file is reported at the file: key", async () => {
    const { s } = await messages({
      "h.yaml": HUNT_SECURITYEVENT,
      "h.test.yaml": "now: 2026-01-01T12:00:00Z\ntables:\n  SecurityEvent:\n    file: nope.jsonl\ncases:\n  - name: c\n    expect: { rows: 0 }\n",
    });
    expect(s.results[0]!.status).toBe("error");
    expect(s.results[0]!.message).toMatch(/h\.test\.yaml:4:11: .*nope\.jsonl: cannot read/);
  });
});

describe("time handling", () => {
  const DPE_HUNT = `id: 6f0e2d1c-2222-4a4a-8b8b-0c0c0c0c0c0c
name: Timestamp Hunt
description: x
query: |
  DeviceProcessEvents
  | extend S = '{{StartTimeISO}}', E = '{{EndTimeISO}}'
  | project TimeGenerated, Timestamp, FileName, S, E
`;
  it("Defender rows with only Timestamp get TimeGenerated = Timestamp and are windowed by it; {{StartTimeISO}}/{{EndTimeISO}} come from the time range", async () => {
    const { s } = await messages({
      "d.yaml": DPE_HUNT,
      "d.test.yaml": [
        "now: 2026-01-08T00:00:00Z",
        "cases:",
        "  - name: default 7 days",
        "    tables:",
        "      DeviceProcessEvents:",
        "        - { Timestamp: 2026-01-01T00:00:00Z, FileName: edge.exe }",
        "        - { Timestamp: 2025-12-31T23:59:59Z, FileName: old.exe }",
        "    expect:",
        "      rows: 1",
        "      present: [{ FileName: edge.exe, TimeGenerated: 2026-01-01T00:00:00Z, S: 2026-01-01T00:00:00Z, E: 2026-01-08T00:00:00Z }]",
        "",
      ].join("\n"),
    });
    expect(s.results.map((r) => [r.status, r.message])).toEqual([["pass", undefined]]);
  });

  it("explicit time ranges", async () => {
    const { s } = await messages({
      "d.yaml": DPE_HUNT,
      "d.test.yaml": "now: 2026-01-08T00:00:00Z\ntimeRange: { start: 2026-01-02T00:00:00Z, end: 2026-01-03T00:00:00Z }\ncases:\n  - name: c\n    tables:\n      DeviceProcessEvents:\n        - { Timestamp: 2026-01-02T12:00:00Z, FileName: in.exe }\n        - { Timestamp: 2026-01-04T00:00:00Z, FileName: out.exe }\n    expect:\n      rows: 1\n      present: [{ FileName: in.exe, S: 2026-01-02T00:00:00Z }]\n",
    });
    expect(s.results[0]!.status).toBe("pass");
  });

  it("a scheduled rule reads (now − queryPeriod, now]: the event at exactly now − 1h is out, the one at now is in", async () => {
    const { s } = await messages({
      "r.yaml": `id: 6f0e2d1c-3333-4a4a-8b8b-0c0c0c0c0c0c
name: Window Rule
description: x
severity: Low
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: [Execution]
query: |
  SecurityEvent
  | project Computer
eventGroupingSettings:
  aggregationKind: AlertPerResult
kind: Scheduled
`,
      "r.test.yaml": "now: 2026-01-01T12:00:00Z\ncases:\n  - name: c\n    tables:\n      SecurityEvent:\n        - { TimeGenerated: now-1h, Computer: edge-start }\n        - { TimeGenerated: now-59m, Computer: inside }\n        - { TimeGenerated: now, Computer: edge-end }\n        - { TimeGenerated: now+1m, Computer: future }\n    expect:\n      rows: 2\n      present: [{ Computer: inside }, { Computer: edge-end }]\n      absent: [{ Computer: edge-start }, { Computer: future }]\n",
    });
    expect(s.results.map((r) => [r.status, r.message])).toEqual([["pass", undefined]]);
  });

  it("an NRT rule reads the last minute (runs every minute over what was ingested since the previous run)", async () => {
    const { s } = await messages({
      "n.yaml": `id: 6f0e2d1c-4444-4a4a-8b8b-0c0c0c0c0c0c
name: NRT Rule
description: x
severity: High
tactics: [Execution]
query: |
  SecurityEvent
  | project Computer
kind: NRT
`,
      "n.test.yaml": "now: 2026-01-01T12:00:00Z\ncases:\n  - name: c\n    tables:\n      SecurityEvent:\n        - { TimeGenerated: now-30s, Computer: fresh }\n        - { TimeGenerated: now-1m, Computer: previous-run }\n    expect:\n      alerts: 1\n      alertsPresent: [{ displayName: NRT Rule, severity: High }]\n      absent: [{ Computer: previous-run }]\n",
    });
    expect(s.results.map((r) => [r.status, r.message])).toEqual([["pass", undefined]]);
  });

  it("parameters the content does not declare are an error of the case", async () => {
    const { s } = await messages({
      "h.yaml": HUNT_SECURITYEVENT,
      "h.test.yaml": "now: 2026-01-01T12:00:00Z\ncases:\n  - name: c\n    parameters: { Nope: 1 }\n    expect: { rows: 0 }\n",
    });
    expect(s.results[0]).toMatchObject({ status: "error", message: "parameter Nope is not declared by this content item" });
  });
});

