import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCatalog, selectContent } from "../../src/deploy/catalog.js";
import { desiredForWorkspace, metadataBody } from "../../src/deploy/desired.js";
import { durationSeconds, toIsoDuration } from "../../src/deploy/durations.js";
import { diffNormalized, hashNormalized, normalizeBody } from "../../src/deploy/normalize.js";
import { parseWorkspaces } from "../../src/deploy/workspaces.js";
import { specErrors } from "./arm-spec.js";

const base = fileURLToPath(new URL("../fixtures/deploy/basic/", import.meta.url));
const SUB = "11111111-1111-1111-1111-111111111111";

function config(extra = "") {
  const r = parseWorkspaces(`workspaces:
  - name: t1
    subscriptionId: ${SUB}
    resourceGroup: rg
    workspace: ws-one
${extra}`, "workspaces.yaml", base);
  expect(r.diagnostics).toEqual([]);
  return r.value!;
}

async function desired(extra = "") {
  const cfg = config(extra);
  const cat = await loadCatalog(base, base);
  expect(cat.diagnostics).toEqual([]);
  const t = cfg.workspaces[0]!;
  return { t, ...desiredForWorkspace(selectContent(cat.items, t), t, cfg) };
}

describe("durations", () => {
  it("converts YAML, ISO and TimeSpan forms and compares by value", () => {
    expect(["5m", "1h", "14d", "PT1H", "pt90m", "01:00:00", "1.00:00:00", "30s"].map(toIsoDuration))
      .toEqual(["PT5M", "PT1H", "P14D", "PT1H", "PT1H30M", "PT1H", "P1D", "PT30S"]);
    expect(durationSeconds("PT60M")).toBe(durationSeconds("1h"));
    expect(toIsoDuration("1 week")).toBeUndefined();
  });
});

describe("desired state", () => {
  it("maps a Scheduled rule exactly as arm-api.md describes", async () => {
    const { resources, diagnostics } = await desired();
    expect(diagnostics).toEqual([]);
    expect(resources.map((r) => r.id).sort()).toEqual([
      "0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c001", "0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c002", "0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c003",
    ]); // the *.test.yaml sidecar is not content
    const r = resources.find((x) => x.id.endsWith("c001"))!;
    expect(r.path).toBe(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws-one/providers/Microsoft.SecurityInsights/alertRules/0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c001`);
    expect(r.apiVersion).toBe("2025-07-01-preview");
    expect(r.body).toEqual({
      kind: "Scheduled",
      properties: {
        displayName: "Rare admin tool on server",
        description: "Quoted description, trailing spaces and newline.",
        severity: "High",
        enabled: true,
        query: "let Threshold = long(5);\nlet Hosts = dynamic([]);\nDeviceProcessEvents\n| where DeviceName in~ (Hosts)\n| summarize n = count() by DeviceName\n| where n > Threshold\n",
        queryFrequency: "PT30M",
        queryPeriod: "P1D",
        triggerOperator: "Equal",
        triggerThreshold: 3,
        suppressionEnabled: false,
        suppressionDuration: "PT1H",
        tactics: ["Execution", "InitialAccess"],
        techniques: ["T1059", "T1190"],
        subTechniques: ["T1059.001", "T1059.003"],
        entityMappings: [{ entityType: "Host", fieldMappings: [{ identifier: "HostName", columnName: "DeviceName" }] }],
        eventGroupingSettings: { aggregationKind: "SingleAlert" },
        incidentConfiguration: {
          createIncident: true,
          groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: "PT5H", matchingMethod: "AllEntities" },
        },
      },
    });
    expect(specErrors("alertRule", r.body)).toEqual([]);
  });

  it("maps an NRT rule without schedule or trigger fields", async () => {
    const { resources } = await desired();
    const r = resources.find((x) => x.id.endsWith("c002"))!;
    expect(r.body.kind).toBe("NRT");
    expect(Object.keys(r.body.properties)).not.toContain("queryFrequency");
    expect(Object.keys(r.body.properties)).not.toContain("triggerOperator");
    expect(r.body.properties.incidentConfiguration).toEqual({
      createIncident: false,
      groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: "PT2H", matchingMethod: "AllEntities" },
    });
    expect(specErrors("alertRule", r.body)).toEqual([]);
  });

  it("maps a hunting query to a saved search with category, version 2 and tags", async () => {
    const { resources } = await desired();
    const r = resources.find((x) => x.id.endsWith("c003"))!;
    expect(r.path).toBe(`/subscriptions/${SUB}/resourcegroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws-one/savedSearches/0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c003`);
    expect(r.body).toEqual({
      properties: {
        category: "Hunting Queries",
        displayName: "Hunt for encoded PowerShell",
        query: "DeviceProcessEvents\n| where ProcessCommandLine has '-enc'\n",
        version: 2,
        tags: [
          { name: "description", value: "Finds -enc command lines." },
          { name: "tactics", value: "Execution,DefenseEvasion" },
          { name: "techniques", value: "T1059.001,T1027" },
        ],
      },
    });
    expect(specErrors("savedSearch", r.body)).toEqual([]);
  });

  it("writes metadata that validates and marks the item as scac's", async () => {
    const { resources, t } = await desired();
    for (const r of resources) {
      const m = metadataBody(r, t, "0123456789abcdef");
      expect(specErrors("metadata", m)).toEqual([]);
      expect(m.properties.source).toMatchObject({ kind: "SourceRepository", name: "scac" });
      expect(m.properties.parentId).toBe(r.path);
      expect(m.properties.customVersion).toBe(`scac:desired=${r.hash};live=0123456789abcdef`);
    }
  });

  it("applies parameters and overrides per workspace, and says which set what", async () => {
    const { resources, diagnostics } = await desired(`    parameters: { Hosts: [web01, web02], Unused: 1 }
    overrides:
      "*": { enabled: false }
      Rare admin tool on server: { severity: Low, queryFrequency: 2h, queryPeriod: 2d, parameters: { Threshold: 10 } }
      0b7ae2d4-1f3c-4c55-9a61-0e1f4ab6c002: { createIncident: true, displayNamePrefix: "[MSSP] " }
`);
    expect(diagnostics.map((d) => `${d.severity} ${d.rule}`)).toEqual(["info deploy/parameter-unused"]);
    const s = resources.find((x) => x.id.endsWith("c001"))!.body.properties;
    expect(s.query).toMatch(/^let Threshold = long\(10\);\nlet Hosts = dynamic\(\["web01","web02"\]\);\n/);
    expect([s.enabled, s.severity, s.queryFrequency, s.queryPeriod]).toEqual([false, "Low", "PT2H", "P2D"]);
    const n = resources.find((x) => x.id.endsWith("c002"))!;
    expect(n.body.properties.displayName).toBe("[MSSP] NRT sign-in from new country");
    expect((n.body.properties.incidentConfiguration as { createIncident: boolean }).createIncident).toBe(true);
    expect(resources.find((x) => x.id.endsWith("c001"))!.by).toMatchObject({
      "properties.query": "parameters Hosts, Threshold",
      "properties.severity": "override 'Rare admin tool on server'",
      "properties.enabled": "override '*'",
    });
  });

  it("reports a parameter value of the wrong type at its position in workspaces.yaml", async () => {
    const { resources, diagnostics } = await desired("    parameters: { Threshold: \"many\" }\n");
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`)).toEqual(["workspaces.yaml:6:30 deploy/parameter-type"]);
    expect(diagnostics[0]!.message).toMatch(/Threshold.*not a valid long/);
    expect(resources.some((r) => r.id.endsWith("c001"))).toBe(false); // left out, the others still deploy
    expect(resources).toHaveLength(2);
  });

  it("with a stable alertRules api-version, sends only what that version has", async () => {
    const { resources, diagnostics } = await desired("    apiVersions: { alertRules: 2025-09-01 }\n");
    const r = resources.find((x) => x.id.endsWith("c001"))!;
    expect(r.apiVersion).toBe("2025-09-01");
    expect(r.body.properties.subTechniques).toBeUndefined();
    expect(r.body.properties.techniques).toEqual(["T1059", "T1190"]);
    expect(specErrors("alertRuleStable", r.body)).toEqual([]);
    expect(resources.some((x) => x.id.endsWith("c002"))).toBe(false); // NRT: not in the stable api
    expect(diagnostics.map((d) => `${d.severity} ${d.rule}`).sort()).toEqual(["error deploy/api-version", "info deploy/api-version"]);
    expect(diagnostics.find((d) => d.severity === "error")!.message).toMatch(/NRT rules need a preview alertRules api-version/);
  });

  it("selects content by tags and globs", async () => {
    const byTag = await desired("    content: { tags: [servers] }\n");
    expect(byTag.resources.map((r) => r.id.slice(-4)).sort()).toEqual(["c001", "c003"]);
    const byGlob = await desired("    content: { include: [\"content/analytics/**\"], exclude: [\"**/nrt.yaml\"] }\n");
    expect(byGlob.resources.map((r) => r.id.slice(-4))).toEqual(["c001"]);
  });
});

describe("normalisation", () => {
  it("ignores server formatting: read-only fields, key order, CRLF, ISO spelling, null vs [] vs absent, set order", () => {
    const sent = { kind: "Scheduled", properties: { query: "T\n| take 1\n", queryFrequency: "PT1H", tactics: ["Execution", "Persistence"], customDetails: {} } };
    const read = {
      id: "/x", name: "x", type: "t", etag: "\"2\"",
      properties: { lastModifiedUtc: "2026-01-01T00:00:00Z", tactics: ["Persistence", "Execution"], queryFrequency: "PT60M", query: "T  \r\n| take 1", techniques: null, eventGroupingSettings: { aggregationKind: "SingleAlert" } },
      kind: "Scheduled",
    };
    const a = normalizeBody("analyticsRule", sent);
    const b = normalizeBody("analyticsRule", read);
    expect(diffNormalized(a, b)).toEqual([]);
    expect(hashNormalized(a)).toBe(hashNormalized(b));
    const c = normalizeBody("analyticsRule", { ...read, properties: { ...read.properties, queryFrequency: "PT2H" } });
    expect(diffNormalized(a, c)).toEqual([{ path: "properties.queryFrequency", before: "PT1H", after: "PT2H" }]);
  });
});
