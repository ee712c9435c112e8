// externaldata in content tests: a test file maps each URL the query reads to rows or a local file (file level,
// replaced per case); an unmapped URL fails the case with the engine's error naming it.
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { run as simulate } from "../../src/commands/simulate.js";
import { runSession } from "../../src/testing/session.js";
import { tempProject } from "./helpers.js";

const URL = "https://example.com/feeds/iocs.csv?sv=2024&sig=x";
const HUNT = `id: 6f0e2d1c-4444-4a4a-8b8b-0c0c0c0c0c0c
name: IOC Hunt
description: |
  test content
requiredDataConnectors: []
tactics: [CommandAndControl]
relevantTechniques: [T1071]
query: |
  let iocs = externaldata(Ip: string, Note: string) [@"${URL}"] with (format="csv", ignoreFirstRecord=true);
  SecurityEvent
  | where IpAddress in ((iocs | project Ip))
  | project Computer, IpAddress
`;

describe("externaldata in content tests", () => {
  it("maps URLs to a file (parsed with the operator's format) or to rows, per file and per case", { timeout: 120_000 }, async () => {
    const dir = tempProject({
      "content/ioc.yaml": HUNT,
      "content/iocs.csv": "Ip,Note\n203.0.113.7,c2\n",
      "content/ioc.test.yaml": `now: 2026-11-20T12:00:00Z
tables:
  SecurityEvent:
    - { TimeGenerated: now-1h, Computer: web01, IpAddress: 203.0.113.7 }
    - { TimeGenerated: now-1h, Computer: web02, IpAddress: 198.51.100.9 }
externaldata:
  "${URL}": { file: iocs.csv }
cases:
  - name: the feed file's IP is found
    expect: { rows: 1, present: [{ Computer: web01 }] }
  - name: rows given in the case replace the file
    externaldata:
      "${URL}": [{ Ip: 198.51.100.9, Note: test }]
    expect: { rows: 1, present: [{ Computer: web02 }] }
  - name: a case's mappings add to the file's
    externaldata:
      "https://example.com/other.csv": []
    expect: { rows: 1, present: [{ Computer: web01 }] }
`,
    });
    const s = await runSession({ paths: [join(dir, "content")], schemaDirs: [], coverage: { level: "off" } });
    const r = Object.fromEntries(s.results.map((x) => [x.caseName, x]));
    expect(r["the feed file's IP is found"]!.status).toBe("pass");
    expect(r["rows given in the case replace the file"]!.status).toBe("pass");
    expect(r["a case's mappings add to the file's"]!.status).toBe("pass");
  });

  it("an unmapped URL is an error naming it", { timeout: 120_000 }, async () => {
    const dir = tempProject({
      "content/ioc.yaml": HUNT,
      "content/ioc.test.yaml": "now: 2026-11-20T12:00:00Z\ntables:\n  SecurityEvent: [{ TimeGenerated: now-1h, Computer: web01, IpAddress: 203.0.113.7 }]\ncases:\n  - name: unmapped\n    expect: { rows: 0 }\n",
    });
    const s = await runSession({ paths: [join(dir, "content")], schemaDirs: [], coverage: { level: "off" } });
    expect(s.results[0]!.status).toBe("error");
    expect(s.results[0]!.message).toContain(`no local data for '${URL}'`);
  });
});

describe("scac simulate --externaldata", () => {
  afterEach(() => vi.restoreAllMocks());

  it("maps a URL (with '=' in its query string) to a local file", { timeout: 120_000 }, async () => {
    const dir = tempProject({
      "rule.yaml": HUNT.replace("name: IOC Hunt", "name: IOC Rule\nseverity: High\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\nkind: Scheduled"),
      "iocs.csv": "Ip,Note\n203.0.113.7,c2\n",
      "events.jsonl": '{"TimeGenerated":"2026-11-20T11:30:00Z","Computer":"web01","IpAddress":"203.0.113.7"}\n',
    });
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((s) => { out += String(s); return true; });
    const code = await simulate([join(dir, "rule.yaml"), "--table", `SecurityEvent=${join(dir, "events.jsonl")}`,
      "--externaldata", `${URL}=${join(dir, "iocs.csv")}`, "--now", "2026-11-20T12:00:00Z", "--format", "json"]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ rows: 1, triggered: true });
  });
});
