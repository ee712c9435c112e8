// The spec checker itself: accepts Microsoft's own examples and rejects known-bad bodies, so a green deploy test
// means something.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { specErrors } from "./arm-spec.js";

const ex = (p: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../shared/reference/arm-specs/${p}`, import.meta.url)), "utf8"));
const SI = "specification/securityinsights/resource-manager/Microsoft.SecurityInsights/preview/2025-07-01-preview/examples";

describe("OpenAPI body checker", () => {
  it("accepts Microsoft's examples", () => {
    expect(specErrors("metadata", ex(`${SI}/metadata/PutMetadataMinimal.json`).parameters.metadata)).toEqual([]);
    expect(specErrors("metadata", ex(`${SI}/metadata/PutMetadata.json`).parameters.metadata)).toEqual([]);
    const ss = ex("specification/operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2025-02-01/examples/WorkspacesSavedSearchesCreateOrUpdate.json");
    expect(specErrors("savedSearch", ss.parameters.parameters)).toEqual([]);
    const rule = ex(`${SI}/alertRules/GetAllAlertRules.json`).responses["200"].body.value[0];
    const { id: _i, name: _n, type: _t, ...body } = rule;
    const { lastModifiedUtc: _l, ...props } = body.properties;
    // The example is a GET response with null fields (README quirk); a request body leaves them out.
    const noNulls = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== null).map(([k, v]) =>
      [k, v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null)) : v]));
    expect(specErrors("alertRule", { ...body, properties: noNulls })).toEqual([]);
  });
  it("rejects bad bodies", () => {
    const good = { kind: "Scheduled", properties: { displayName: "x", enabled: true, severity: "High", query: "T", queryFrequency: "PT1H", queryPeriod: "PT1H", triggerOperator: "GreaterThan", triggerThreshold: 0, suppressionEnabled: false, suppressionDuration: "PT1H" } };
    expect(specErrors("alertRule", good)).toEqual([]);
    expect(specErrors("alertRule", { ...good, properties: { ...good.properties, triggerOperator: "gt" } }).join()).toMatch(/triggerOperator/);
    expect(specErrors("alertRule", { ...good, properties: { ...good.properties, queryFrequency: "1h" } }).join()).toMatch(/queryFrequency/);
    const { suppressionDuration: _s, ...noSupp } = good.properties;
    expect(specErrors("alertRule", { ...good, properties: noSupp }).join()).toMatch(/suppressionDuration/);
    expect(specErrors("alertRule", { ...good, properties: { ...good.properties, alertDisplayName: "x" } }).join()).toMatch(/not declared/);
    expect(specErrors("alertRuleStable", { ...good, properties: { ...good.properties, subTechniques: ["T1505.003"] } }).join()).toMatch(/subTechniques/);
    expect(specErrors("alertRule", { ...good, properties: { ...good.properties, tactics: ["Initial Access"] } }).join()).toMatch(/tactics/);
    expect(specErrors("savedSearch", { properties: { displayName: "x", query: "T" } }).join()).toMatch(/category/);
    expect(specErrors("metadata", { properties: { kind: "AnalyticsRule" } }).join()).toMatch(/parentId/);
  });
});
