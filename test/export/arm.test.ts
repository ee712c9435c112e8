// scac export arm: templates in the Sentinel Repositories shape; every resource body valid against Microsoft's
// OpenAPI definitions (the same check test/deploy applies to what deploy sends).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadContentFile, parseContent } from "../../src/content/loader.js";
import { escapeArmStrings, exportArm } from "../../src/export/arm.js";
import { specErrors } from "../deploy/arm-spec.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const tmp: string[] = [];
afterAll(() => { for (const d of tmp) rmSync(d, { recursive: true, force: true }); });

async function load(rel: string) {
  const r = await loadContentFile(join(ROOT, rel), rel);
  return r.item!;
}

function specCheck(resource: Record<string, unknown>): string[] {
  const props = resource.properties as Record<string, unknown>;
  if (resource.type === "Microsoft.OperationalInsights/workspaces/providers/alertRules") return specErrors("alertRule", { kind: resource.kind, properties: props });
  const { eTag, ...rest } = props;
  expect(eTag).toBe("*");
  return specErrors("savedSearch", { properties: rest });
}

describe("scac export arm", () => {
  it("one template per item, Repositories naming, bodies valid against the OpenAPI specs", async () => {
    const items = await Promise.all([
      "content/analytics/webserver-executing-suspicious-applications.yaml",
      "content/hunting/webserver-executing-suspicious-applications.yaml",
      "test/fixtures/deploy/basic/content/analytics/scheduled.yaml",
      "test/fixtures/deploy/basic/content/analytics/nrt.yaml",
      "test/fixtures/deploy/basic/content/hunting/hunt.yaml",
    ].map(load));
    const { templates, diagnostics } = exportArm(items);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(templates).toHaveLength(5);
    for (const { item, template } of templates) {
      expect(template.$schema).toBe("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
      expect(template.parameters).toHaveProperty("workspace");
      expect(template.resources).toHaveLength(1);
      const r = template.resources[0]!;
      if (item.kind === "analytics") {
        expect(r.type).toBe("Microsoft.OperationalInsights/workspaces/providers/alertRules");
        expect(r.name).toBe(`[concat(parameters('workspace'),'/Microsoft.SecurityInsights/${item.id}')]`);
        expect(r.kind).toBe(item.data.kind);
        expect(r.apiVersion).toBe("2025-07-01-preview");
      } else {
        expect(r.type).toBe("Microsoft.OperationalInsights/workspaces/savedSearches");
        expect(r.name).toBe(`[concat(parameters('workspace'),'/${item.id}')]`);
        expect((r.properties as Record<string, unknown>).category).toBe("Hunting Queries");
      }
      expect(specCheck(r)).toEqual([]);
    }
    // The tuned rule: parameter defaults bound as `let`s ahead of the query, durations ISO, gt → GreaterThan.
    const tuned = templates[0]!.template.resources[0]!.properties as Record<string, unknown>;
    expect(String(tuned.query)).toMatch(/^let ExcludedDevices = dynamic\(\[\]\);\n/);
    expect(tuned.triggerOperator).toBe("GreaterThan");
    expect(tuned.queryFrequency).toBe("PT1H");
    const nrt = templates[3]!.template.resources[0]!.properties as Record<string, unknown>;
    expect(nrt).not.toHaveProperty("queryFrequency");
    expect((nrt.incidentConfiguration as { groupingConfiguration: { lookbackDuration: string } }).groupingConfiguration.lookbackDuration).toBe("PT2H");
  });

  it("strings that look like ARM expressions are escaped; ids with quotes stay inside the literal", () => {
    expect(escapeArmStrings({ a: "[x]", b: ["[y]", "[z"], c: "plain" })).toEqual({ a: "[[x]", b: ["[[y]", "[z"], c: "plain" });
    const item = parseContent("id: it's-1\nname: N\ndescription: '[Preview] rule]'\nseverity: Low\nkind: Scheduled\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\nquery: SecurityEvent\n", "x.yaml").item!;
    const r = exportArm([item]).templates[0]!.template.resources[0]!;
    expect(r.name).toBe("[concat(parameters('workspace'),'/Microsoft.SecurityInsights/it''s-1')]");
    expect((r.properties as Record<string, unknown>).description).toBe("[[Preview] rule]");
  });

  it("CLI: writes the tree under --output; a workspace's parameters and overrides apply", () => {
    const dir = mkdtempSync(join(tmpdir(), "scac-export-"));
    tmp.push(dir);
    mkdirSync(join(dir, "content/analytics"), { recursive: true });
    writeFileSync(join(dir, "content/analytics/r.yaml"), readFileSync(join(ROOT, "content/analytics/webserver-executing-suspicious-applications.yaml")));
    writeFileSync(join(dir, "workspaces.yaml"), `workspaces:
  - name: contoso
    subscriptionId: 11111111-1111-1111-1111-111111111111
    resourceGroup: rg
    workspace: law-contoso
    parameters: { ExcludedDevices: [web-legacy-01] }
    overrides: { "*": { severity: High } }
`);
    const cli = (args: string[]) => execFileSync(process.execPath, ["--import", pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href, join(ROOT, "src/cli.ts"), ...args], { cwd: dir, encoding: "utf8" });
    cli(["export", "arm", "--output", "out"]);
    expect(readdirSync(join(dir, "out/analytics"))).toEqual(["r.json"]);
    const plain = JSON.parse(readFileSync(join(dir, "out/analytics/r.json"), "utf8"));
    expect(plain.resources[0].properties.severity).toBe("Medium");
    cli(["export", "arm", "content", "--output", "out-contoso", "--workspace", "contoso"]);
    const tenant = JSON.parse(readFileSync(join(dir, "out-contoso/analytics/r.json"), "utf8"));
    expect(tenant.resources[0].properties.severity).toBe("High");
    expect(tenant.resources[0].properties.query).toMatch(/^let ExcludedDevices = dynamic\(\["web-legacy-01"\]\);/);
  }, 60_000);
});
