// `scac new`: a content file with a fresh GUID, the required fields and a placeholder query, plus its test file
// with one positive and one negative case that pass as generated — so the coverage gate is met from the start.
import { randomUUID } from "node:crypto";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { ContentKind } from "../content/model.js";

const SCHEMA_DIR = fileURLToPath(new URL("../../data/json-schema/", import.meta.url));

/** `Suspicious Thing (v2)` → `suspicious-thing-v2`. */
export function slugify(name: string): string {
  return name.normalize("NFKD").replace(/[^\w\s-]/g, "").trim().toLowerCase().replace(/[\s_]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
}

export interface Scaffold {
  contentPath: string;
  testPath: string;
  content: string;
  test: string;
}

function schemaRef(fromDir: string, schema: string): string {
  return relative(fromDir, join(SCHEMA_DIR, schema)).split("\\").join("/");
}

/** A YAML single-quoted scalar (names may contain ':' or '#'). */
function q(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function scaffold(kind: ContentKind, name: string, dir: string, now = new Date()): Scaffold {
  const slug = slugify(name);
  if (!slug) throw new Error(`'${name}' has no letters or digits to build a file name from`);
  const contentPath = join(dir, `${slug}.yaml`);
  const testPath = join(dir, `${slug}.test.yaml`);
  const marker = `scac-${slug}`.slice(0, 60);
  const common = [
    `# yaml-language-server: $schema=${schemaRef(dir, "content.schema.json")}`,
    `id: ${randomUUID()}`,
    `name: ${q(name)}`,
    "description: |",
    "  TODO: what this detects, why it matters and what an analyst should check first.",
  ];
  const connectors = ["requiredDataConnectors:", "  - connectorId: SecurityEvents", "    dataTypes:", "      - SecurityEvent"];
  const query = [
    "query: |",
    "  // TODO: replace the placeholder condition with the real detection logic.",
    "  SecurityEvent",
    "  | where EventID == 4688",
    `  | where CommandLine has "${marker}"`,
    "  | project TimeGenerated, Computer, Account, NewProcessName, CommandLine",
  ];
  const lines = kind === "hunting"
    ? [...common, ...connectors, "tactics:", "  - Execution", "relevantTechniques:", "  - T1059", ...query, "version: 1.0.0"]
    : [
        ...common, "severity: Medium", ...connectors,
        "queryFrequency: 1h", "queryPeriod: 1h", "triggerOperator: gt", "triggerThreshold: 0",
        "tactics:", "  - Execution", "relevantTechniques:", "  - T1059", ...query,
        "entityMappings:",
        "  - entityType: Host", "    fieldMappings:", "      - identifier: FullName", "        columnName: Computer",
        "  - entityType: Account", "    fieldMappings:", "      - identifier: FullName", "        columnName: Account",
        "eventGroupingSettings:", "  aggregationKind: AlertPerResult",
        "version: 1.0.0", "kind: Scheduled",
      ];
  // `now` pinned to the start of the current hour so the test is stable from the day it is written.
  const pinned = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000).toISOString().replace(".000Z", "Z");
  const event = (cmd: string) => [
    "        - TimeGenerated: now-10m",
    "          EventID: 4688",
    "          Computer: web01.contoso.com",
    "          Account: CONTOSO\\svc-app",
    "          NewProcessName: C:\\Windows\\System32\\cmd.exe",
    `          CommandLine: ${q(cmd)}`,
  ];
  const positiveExpect = kind === "hunting"
    ? ["    expect:", "      rows: 1", "      present:", "        - { Computer: web01.contoso.com }"]
    : ["    expect:", "      alerts: 1", "      alertsPresent:", "        - entities:", "            - { type: Host, identifiers: { FullName: web01.contoso.com } }", "            - { type: Account, identifiers: { FullName: 'CONTOSO\\svc-app' } }"];
  const negativeExpect = kind === "hunting" ? ["    expect:", "      rows: 0"] : ["    expect:", "      alerts: 0"];
  const test = [
    `# yaml-language-server: $schema=${schemaRef(dir, "test-file.schema.json")}`,
    `# Tests for ${name}. Replace the placeholder events with real positive and benign ones (docs/content-tests.md).`,
    `now: ${pinned}`,
    "cases:",
    "  - name: the placeholder activity is found",
    "    tables:",
    "      SecurityEvent:",
    ...event(`cmd.exe /c echo ${marker}`),
    ...positiveExpect,
    "",
    "  - name: ordinary process creation is not",
    "    tables:",
    "      SecurityEvent:",
    ...event("cmd.exe /c echo hello"),
    ...negativeExpect,
  ];
  return { contentPath, testPath, content: lines.join("\n") + "\n", test: test.join("\n") + "\n" };
}

export function defaultDir(kind: ContentKind, cwd = process.cwd()): string {
  return join(cwd, "content", kind);
}
