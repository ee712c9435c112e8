import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/kql/frontend.js";
import { loadSchemas } from "../../src/schemas/loader.js";

const ISSUE_TABLES = [
  "DeviceProcessEvents", "DeviceNetworkEvents", "DeviceFileEvents", "DeviceRegistryEvents", "DeviceLogonEvents",
  "DeviceEvents", "DeviceImageLoadEvents", "EmailEvents", "CloudAppEvents", "IdentityLogonEvents", "IdentityInfo",
  "SecurityEvent", "SigninLogs", "AADNonInteractiveUserSignInLogs", "AuditLogs", "OfficeActivity", "AzureActivity",
  "CommonSecurityLog", "Syslog", "W3CIISLog", "DnsEvents", "AzureDiagnostics", "SecurityAlert", "SecurityIncident",
  "ThreatIntelligenceIndicator", "Heartbeat", "Event", "BehaviorAnalytics",
];

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "scac-schemas-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, ".."), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

describe("built-in schemas", () => {
  it("ship every table the issue lists, each with the Log Analytics standard columns", async () => {
    const { schemas, diagnostics } = await loadSchemas([]);
    expect(diagnostics).toEqual([]);
    for (const t of ISSUE_TABLES) {
      const cols = new Map(schemas.tables.get(t)?.columns.map((c) => [c.name, c.type]));
      expect(cols.size, t).toBeGreaterThan(10);
      expect([t, cols.get("TimeGenerated"), cols.get("TenantId"), cols.get("Type"), cols.get("_ResourceId")]).toEqual([t, "datetime", "string", "string", "string"]);
    }
  });
  it("give Defender tables both Timestamp and TimeGenerated, and verified column types", async () => {
    const { schemas } = await loadSchemas([]);
    const col = (t: string, c: string) => schemas.tables.get(t)!.columns.find((x) => x.name === c)?.type;
    expect([col("DeviceProcessEvents", "Timestamp"), col("DeviceProcessEvents", "TimeGenerated")]).toEqual(["datetime", "datetime"]);
    expect(col("DeviceRegistryEvents", "InitiatingProcessCommandLine")).toBe("string");
    expect(col("SecurityEvent", "EventID")).toBe("int");
    expect(col("DeviceProcessEvents", "ProcessId")).toBe("long");
    expect(col("SigninLogs", "Timestamp")).toBeUndefined();
  });
});

describe("user schema files", () => {
  it("accept CustomTables JSON with any type-name case", async () => {
    const d = dir({ "Custom_CL.json": JSON.stringify({ Name: "Custom_CL", Properties: [{ Name: "When", Type: "Datetime" }, { Name: "Who", Type: "String" }, { Name: "N", Type: "Int64" }] }) });
    const { schemas, diagnostics } = await loadSchemas([d]);
    expect(diagnostics).toEqual([]);
    expect(schemas.tables.get("Custom_CL")!.columns).toEqual([
      { name: "When", type: "datetime" }, { name: "Who", type: "string" }, { name: "N", type: "long" },
    ]);
  });
  it("read the scac format: tables, functions (body or columns) and watchlists usable by the analyser", async () => {
    const d = dir({
      "sub/workspace.yaml": [
        "tables:",
        "  - name: App_CL",
        "    columns: { TimeGenerated: datetime, User_s: string }",
        "functions:",
        "  - name: imProcessCreation",
        "    parameters: '(starttime:datetime=datetime(null))'",
        "    columns:",
        "      - { name: DvcHostname, type: string }",
        "  - name: RecentApp",
        "    body: App_CL | where TimeGenerated > ago(1d)",
        "watchlists:",
        "  - alias: VIPUsers",
        "    columns: { 'User Principal Name': string }",
      ].join("\n"),
    });
    const { schemas, diagnostics } = await loadSchemas([d]);
    expect(diagnostics).toEqual([]);
    const errors = (q: string) => analyze(q, schemas).diagnostics.filter((x) => x.severity === "error").map((x) => x.message);
    expect(errors("App_CL | project User_s")).toEqual([]);
    expect(errors("imProcessCreation(ago(1h)) | project DvcHostname")).toEqual([]);
    expect(errors("RecentApp | project User_s")).toEqual([]);
    expect(errors("_GetWatchlist('VIPUsers') | project SearchKey, ['User Principal Name']")).toEqual([]);
    expect(errors("App_CL | project Nope")).toHaveLength(1);
  });
  it("report bad declarations with their line, and keep loading the rest", async () => {
    const d = dir({
      "a.yaml": "tables:\n  - name: T1_CL\n    columns:\n      A: string\n      B: strin\n  - columns: {}\nbogus: 1\n",
      "b.json": "{ not json",
    });
    const { schemas, diagnostics } = await loadSchemas([d]);
    expect(diagnostics.map((x) => [x.file.endsWith("a.yaml") ? "a" : "b", x.line, x.rule, x.severity])).toEqual([
      ["a", 5, "schema-invalid", "error"], ["a", 6, "schema-invalid", "error"], ["a", 7, "schema-invalid", "error"], ["b", 1, "schema-invalid", "error"],
    ]);
    expect(schemas.tables.get("T1_CL")!.columns.map((c) => c.type)).toEqual(["string", "dynamic"]);
  });
  it("merge a table declared twice and warn when user files disagree on a type", async () => {
    const d = dir({
      "1.yaml": "tables:\n  - name: SecurityEvent\n    columns: { MyExtra: string }\n  - name: X_CL\n    columns: { A: string }\n",
      "2.yaml": "tables:\n  - name: X_CL\n    columns: { A: long, B: int }\n",
    });
    const { schemas, diagnostics } = await loadSchemas([d]);
    expect(schemas.tables.get("SecurityEvent")!.columns.some((c) => c.name === "EventID")).toBe(true);
    expect(schemas.tables.get("SecurityEvent")!.columns.some((c) => c.name === "MyExtra")).toBe(true);
    expect(schemas.tables.get("X_CL")!.columns).toEqual([{ name: "A", type: "long" }, { name: "B", type: "int" }]);
    expect(diagnostics.map((x) => [x.severity, x.message.includes("A (string vs long)")])).toEqual([["warning", true]]);
  });
  it("report a missing directory as an I/O error and change the hash when a file changes", async () => {
    const missing = await loadSchemas(["/nonexistent/scac"]);
    expect(missing.diagnostics.map((x) => x.rule)).toEqual(["io"]);
    const d = dir({ "t.yaml": "tables: [{ name: A_CL, columns: { x: string } }]\n" });
    const h1 = (await loadSchemas([d])).hash;
    expect((await loadSchemas([d])).hash).toBe(h1);
    writeFileSync(join(d, "t.yaml"), "tables: [{ name: A_CL, columns: { x: long } }]\n");
    expect((await loadSchemas([d])).hash).not.toBe(h1);
  });
});

describe("JSON schema files", () => {
  it("still point diagnostics at the JSON line (positions computed lazily)", async () => {
    const d = dir({ "T_CL.json": '{\n  "Name": "T_CL",\n  "Properties": [\n    { "Name": "A", "Type": "string" },\n    { "Name": "B", "Type": "texte" }\n  ]\n}\n' });
    const { diagnostics } = await loadSchemas([d]);
    expect(diagnostics.map((x) => [x.line, x.message])).toEqual([[5, "table T_CL: column B has unknown type 'texte' (treated as dynamic)"]]);
  });
});
