import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SecurityInsights } from "@azure/arm-securityinsight";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { PREVIEW, STABLE, TEST_TABLES, WS_PATH, client, metadataPath, raw, rulePath, savedSearchPath, scheduledRule } from "./helpers.js";

const SPECS = new URL("../../../shared/reference/arm-specs/specification/", import.meta.url);
const example = (p: string) => JSON.parse(readFileSync(new URL(p, SPECS), "utf8"));
const SI_EX = "securityinsights/resource-manager/Microsoft.SecurityInsights/preview/2025-07-01-preview/examples/";
const LA_EX = "operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2025-02-01/examples/";

let emu: Emulator;
let si: SecurityInsights;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  si = client(emu.url);
});
afterAll(async () => { await emu.close(); });
beforeEach(() => {
  emu.reset();
  emu.setTables(WS_PATH, TEST_TABLES);
});

const props = (o: Record<string, unknown>) => (scheduledRule(o).properties as Record<string, unknown>);

describe("Microsoft's spec examples are accepted", () => {
  it("every alert rule in GetAllAlertRules.json round-trips through PUT (as the list returned it)", async () => {
    const ex = example(`${SI_EX}alertRules/GetAllAlertRules.json`);
    const items = ex.responses["200"].body.value as Record<string, unknown>[];
    expect(items.map((i) => i.kind)).toEqual(["Scheduled", "MicrosoftSecurityIncidentCreation", "Fusion"]);
    for (const item of items) {
      const { etag: _etag, ...body } = item; // a GET result carries the old etag; this workspace is empty
      const r = await raw(si, emu.url, "PUT", rulePath(String(item.name)), body);
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      expect(r.json.kind).toBe(item.kind);
    }
    const scheduled = (await raw(si, emu.url, "GET", rulePath(String(items[0]!.name)))).json;
    expect(scheduled.properties.queryPeriod).toBe("P2DT1H30M");
    expect(scheduled.properties.customDetails).toEqual({ OperatingSystemName: "OSName", OperatingSystemType: "OSType" });
  });

  it("PutMetadata.json and PutMetadataMinimal.json bodies are accepted", async () => {
    for (const f of ["PutMetadata.json", "PutMetadataMinimal.json"]) {
      emu.reset(); // both examples use the same metadata name
      const ex = example(`${SI_EX}metadata/${f}`);
      const r = await raw(si, emu.url, "PUT", metadataPath(ex.parameters.metadataName), ex.parameters.metadata);
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      expect(r.json.properties.parentId).toBe(ex.parameters.metadata.properties.parentId);
    }
  });

  it("WorkspacesSavedSearchesCreateOrUpdate.json body is accepted", async () => {
    const ex = example(`${LA_EX}WorkspacesSavedSearchesCreateOrUpdate.json`);
    const r = await raw(si, emu.url, "PUT", savedSearchPath("ex-1"), ex.parameters.parameters);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.properties.functionAlias).toBe("heartbeat_func");
  });
});

describe("bodies that break the OpenAPI definition are rejected with 400 naming the field", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["missing queryFrequency", (() => { const b = scheduledRule(); delete (b.properties as Record<string, unknown>).queryFrequency; return b; })(), /properties\.queryFrequency is required/],
    ["bad trigger operator", scheduledRule({ triggerOperator: "gt" }), /properties\.triggerOperator must be one of GreaterThan, LessThan, Equal, NotEqual/],
    ["non-ISO duration", scheduledRule({ queryPeriod: "1d" }), /properties\.queryPeriod "1d" is not a valid duration/],
    ["wrong type", scheduledRule({ enabled: "yes" }), /properties\.enabled must be of type boolean/],
    ["unknown tactic", scheduledRule({ tactics: ["Initial Access"] }), /properties\.tactics\[0\] must be one of/],
    ["unknown entity type", scheduledRule({ entityMappings: [{ entityType: "Hostname", fieldMappings: [{ identifier: "HostName", columnName: "DeviceName" }] }] }), /properties\.entityMappings\[0\]\.entityType must be one of/],
  ];
  for (const [label, body, msg] of cases) {
    it(label, async () => {
      const r = await raw(si, emu.url, "PUT", rulePath("bad"), body);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe("BadRequest");
      expect(r.json.error.message).toMatch(msg);
      expect(r.json.error.details.length).toBeGreaterThan(0);
      expect((await raw(si, emu.url, "GET", rulePath("bad"))).status).toBe(404);
    });
  }

  it("enum values in another case (and entity types with spaces) are mapped to the declared value", async () => {
    const r = await raw(si, emu.url, "PUT", rulePath("c"), scheduledRule({
      triggerOperator: "greaterthan", severity: "medium",
      entityMappings: [{ entityType: "Azure resource", fieldMappings: [{ identifier: "ResourceId", columnName: "DeviceName" }] }],
    }));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.properties).toMatchObject({ triggerOperator: "GreaterThan", severity: "Medium" });
    expect(r.json.properties.entityMappings[0].entityType).toBe("AzureResource");
  });

  it("NRT exists only in preview api-versions", async () => {
    const nrt = { kind: "NRT", properties: { displayName: "n", enabled: true, severity: "High", query: "DeviceProcessEvents", suppressionEnabled: false, suppressionDuration: "PT1H" } };
    const stable = await raw(si, emu.url, "PUT", rulePath("nrt", STABLE), nrt);
    expect(stable.status).toBe(400);
    expect(stable.json.error.message).toMatch(/kind 'NRT' is not supported in api-version 2025-09-01/);
    expect((await raw(si, emu.url, "PUT", rulePath("nrt", PREVIEW), nrt)).status).toBe(201);
  });

  it("metadata needs parentId and kind; saved searches need category, displayName, query and {name,value} tags", async () => {
    const m = await raw(si, emu.url, "PUT", metadataPath("m"), { properties: { kind: "AnalyticsRule" } });
    expect(m.status).toBe(400);
    expect(m.json.error.message).toMatch(/properties\.parentId is required/);
    const s = await raw(si, emu.url, "PUT", savedSearchPath("s"), { properties: { displayName: "x", query: "T", tags: [{ name: "tactics" }] } });
    expect(s.status).toBe(400);
    expect(s.json.error.message).toMatch(/properties\.category is required/);
    expect(s.json.error.message).toMatch(/properties\.tags\[0\]\.value is required/);
  });
});

describe("service rules", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["frequency below 5 minutes", props({ queryFrequency: "PT1M" }), /queryFrequency 'PT1M' is out of range/],
    ["period above 14 days", props({ queryPeriod: "P15D" }), /queryPeriod 'P15D' is out of range/],
    ["period shorter than frequency", props({ queryFrequency: "PT2H", queryPeriod: "PT1H" }), /must be greater than or equal to properties\.queryFrequency/],
    ["suppression above 24 hours", props({ suppressionDuration: "P2D" }), /suppressionDuration 'P2D' is out of range/],
    ["threshold above 10000", props({ triggerThreshold: 10001 }), /triggerThreshold must be between 0 and 10000/],
    ["query too long", props({ query: `DeviceProcessEvents | where FileName == '${"x".repeat(10_000)}'` }), /the limit is 10000/],
    ["identifier not valid for the entity", props({ entityMappings: [{ entityType: "IP", fieldMappings: [{ identifier: "HostName", columnName: "DeviceName" }] }] }), /'HostName' is not a valid identifier for entity type IP/],
    ["custom detail key pattern", props({ customDetails: { "1bad": "DeviceName" } }), /Custom detail key '1bad'/],
    ["templateVersion without a template", props({ templateVersion: "1.0.0" }), /'templateVersion' can only be used if 'alertRuleTemplateName' is not empty/],
  ];
  for (const [label, p, msg] of cases) {
    it(label, async () => {
      const r = await raw(si, emu.url, "PUT", rulePath("r"), { kind: "Scheduled", properties: p });
      expect(r.status).toBe(400);
      expect(r.json.error.message).toMatch(msg);
    });
  }

  it("a query over an unknown table fails like the service", async () => {
    const r = await raw(si, emu.url, "PUT", rulePath("r"), scheduledRule({ query: "DeviceProcessEvent | take 1" }));
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/^Failed to run the analytics rule query\. One of the tables does not exist\./);
    expect(r.json.error.message).toContain("DeviceProcessEvent");
  });

  it("query analysis can be switched off (validateQueries: false); the other rules still apply", async () => {
    emu.configure({ validateQueries: false });
    try {
      expect((await raw(si, emu.url, "PUT", rulePath("r"), scheduledRule({ query: "NoSuchTable | take 1" }))).status).toBe(201);
      expect((await raw(si, emu.url, "PUT", rulePath("r2"), scheduledRule({ queryFrequency: "PT1M" }))).status).toBe(400);
    } finally {
      emu.configure({ validateQueries: true });
    }
  });

  it("a query over an unknown column fails with a semantic error", async () => {
    const r = await raw(si, emu.url, "PUT", rulePath("r"), scheduledRule({ query: "DeviceProcessEvents | where FileNam == 'x'" }));
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/^Failed to run the analytics rule query\. Semantic error: .*FileNam/);
  });

  it("the same query passes once the workspace declares the table (per-workspace tables)", async () => {
    const q = "Other_CL | project TimeGenerated, DeviceName = Host_s";
    const body = scheduledRule({ query: q });
    expect((await raw(si, emu.url, "PUT", rulePath("r"), body)).status).toBe(400);
    emu.setTables(WS_PATH, [...TEST_TABLES, { name: "Other_CL", columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "Host_s", type: "string" }] }]);
    expect((await raw(si, emu.url, "PUT", rulePath("r"), body)).status).toBe(201);
  });

  it("entity mappings must refer to columns the query returns", async () => {
    const r = await raw(si, emu.url, "PUT", rulePath("r"), scheduledRule({ query: "DeviceProcessEvents | project TimeGenerated, FileName" }));
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/entityMappings\[0\]\.fieldMappings\[0\]\.columnName refers to column 'DeviceName'/);
  });

  it("stores what the service stores: undeclared and read-only properties dropped, defaults filled", async () => {
    const body = scheduledRule({ subTechniques: ["T1059.001"], lastModifiedUtc: "2000-01-01T00:00:00Z", madeUp: 1 });
    const stable = await raw(si, emu.url, "PUT", rulePath("r", STABLE), { ...body, id: "/bogus", systemData: { createdBy: "me" } });
    expect(stable.status).toBe(201);
    expect(stable.json.properties).not.toHaveProperty("subTechniques"); // not in the 2025-09-01 model
    expect(stable.json.properties).not.toHaveProperty("madeUp");
    expect(stable.json.properties.lastModifiedUtc).not.toBe("2000-01-01T00:00:00Z");
    expect(stable.json.id).toBe(`${WS_PATH}/providers/Microsoft.SecurityInsights/alertRules/r`);
    expect(stable.json.properties.eventGroupingSettings).toEqual({ aggregationKind: "SingleAlert" });
    expect(stable.json.properties.incidentConfiguration.groupingConfiguration.matchingMethod).toBe("AllEntities");
    expect(stable.json.properties.alertRuleTemplateName).toBeNull();
    const preview = await raw(si, emu.url, "PUT", rulePath("r", PREVIEW), { ...body, etag: stable.json.etag });
    expect(preview.json.properties.subTechniques).toEqual(["T1059.001"]);
    // A GET serialises the api-version's model: the stable version does not return the preview-only field.
    expect((await raw(si, emu.url, "GET", rulePath("r", STABLE))).json.properties).not.toHaveProperty("subTechniques");
    expect((await raw(si, emu.url, "GET", rulePath("r", PREVIEW))).json.properties.subTechniques).toEqual(["T1059.001"]);
  });

  it("at most 50 NRT rules per workspace", async () => {
    const nrt = { kind: "NRT", properties: { displayName: "n", enabled: true, severity: "High", query: "DeviceProcessEvents", suppressionEnabled: false, suppressionDuration: "PT1H" } };
    for (let i = 0; i < 50; i++) emu.seed(rulePath(`n${i}`), nrt);
    const r = await raw(si, emu.url, "PUT", rulePath("n50"), nrt);
    expect(r.status).toBe(400);
    expect(r.json.error.details[0].code).toBe("NrtRuleLimitExceeded");
    expect((await raw(si, emu.url, "PUT", rulePath("n0"), nrt)).status).toBe(200); // updating an existing one is fine
  });
});
