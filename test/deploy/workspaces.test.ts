import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseWorkspaces, readWorkspaces } from "../../src/deploy/workspaces.js";
import { authorityHostFor } from "../../src/deploy/credentials.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const SUB = "11111111-1111-1111-1111-111111111111";

function parse(text: string) {
  return parseWorkspaces(text, "workspaces.yaml", "/repo");
}
function rules(r: ReturnType<typeof parse>) {
  return r.diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`);
}

describe("workspaces.yaml", () => {
  it("the shipped default is one local workspace on the embedded emulator with auth none", async () => {
    const r = await readWorkspaces(`${repoRoot}workspaces.yaml`);
    expect(r.diagnostics).toEqual([]);
    expect(r.value!.workspaces.map((w) => [w.name, w.endpoint, w.auth.type])).toEqual([["local", "embedded", "none"]]);
    expect(r.value!.workspaces[0]!.emulatorState).toBe(`${repoRoot}.scac-emulator.json`);
  });

  it("merges defaults, then groups in order, then the workspace", () => {
    const r = parse(`
defaults:
  subscriptionId: ${SUB}
  auth: azure-cli
  parameters: { A: 1, B: 1 }
  overrides: { "*": { enabled: true } }
groups:
  eu: { resourceGroup: rg-eu, parameters: { B: 2, C: 2 }, overrides: { "*": { severity: High } } }
  gov: { endpoint: https://management.usgovcloudapi.net/, auth: { type: client-secret, clientId: app, clientSecretEnv: GOV_SECRET } }
workspaces:
  - { name: t1, workspace: ws-one, groups: [eu], parameters: { C: 3 } }
  - { name: t2, workspace: ws-two, groups: [eu, gov], resourceGroup: rg-own }
`);
    expect(r.diagnostics).toEqual([]);
    const [t1, t2] = r.value!.workspaces;
    expect(t1!.parameters).toEqual({ A: 1, B: 2, C: 3 });
    expect(t1!.overrides["*"]).toEqual({ enabled: true, severity: "High", parameters: {} });
    expect(t1!.auth).toEqual({ type: "azure-cli" });
    expect(t1!.endpoint).toBe("https://management.azure.com");
    expect(t1!.resourceGroup).toBe("rg-eu");
    expect(t2!.resourceGroup).toBe("rg-own");
    expect(t2!.endpoint).toBe("https://management.usgovcloudapi.net");
    expect(t2!.auth).toEqual({ type: "client-secret", clientId: "app", clientSecretEnv: "GOV_SECRET" });
    expect(t1!.origins.parameters.B).toEqual(["groups", "eu", "parameters", "B"]);
  });

  it("refuses a secret written in the file, at its position", () => {
    const r = parse(`workspaces:
  - name: t1
    subscriptionId: ${SUB}
    resourceGroup: rg
    workspace: ws-one
    auth:
      type: client-secret
      clientId: app
      clientSecret: hunter2
`);
    expect(r.value).toBeUndefined();
    expect(rules(r)).toContain("9:21 deploy/secret-in-file");
    expect(r.diagnostics.map((d) => d.message).join("\n")).not.toContain("hunter2");
  });

  it("allows auth none only for loopback emulator endpoints and never sends tokens over http", () => {
    const base = `subscriptionId: ${SUB}, resourceGroup: rg, workspace: ws-one`;
    const r = parse(`workspaces:
  - { name: a, ${base}, auth: none }
  - { name: b, ${base}, endpoint: "http://10.0.0.5:8080", auth: none }
  - { name: c, ${base}, endpoint: "http://127.0.0.1:8080", auth: default }
  - { name: d, ${base}, endpoint: "http://127.0.0.1:8080", auth: none }
  - { name: e, ${base}, endpoint: "embedded", auth: none }
  - { name: f, subscriptionId: ${SUB}, resourceGroup: rg, workspace: ws-other, endpoint: "embedded", auth: azure-cli }
  - { name: g, subscriptionId: ${SUB.toUpperCase()}, resourceGroup: RG, workspace: WS-ONE, auth: azure-cli }
  - { name: h, ${base}, auth: azure-cli }
`);
    expect(r.diagnostics.map((d) => `${d.line} ${d.rule}`)).toEqual([
      "2 deploy/auth-none-remote",
      "3 deploy/endpoint-insecure",
      "3 deploy/auth-none-remote",
      "4 deploy/auth-over-http",
      "7 deploy/auth-embedded",
      "9 deploy/workspace-duplicate",
    ]);
  });

  it("reports schema errors and incomplete workspaces with positions", () => {
    const r = parse(`workspaces:
  - name: t1
    subscriptionId: not-a-guid
    resourceGroup: rg
    workspace: ws-one
    auth: { type: azure-pipelines, clientId: x }
    overides: {}
`);
    expect(rules(r)).toEqual([
      "2:5 deploy/workspaces-schema", // unknown key overides (reported on the workspace mapping)
      "3:21 deploy/workspaces-schema",
      "6:11 deploy/workspaces-schema",
    ]);
    expect(r.diagnostics[0]!.message).toContain("'overides'");
    expect(r.diagnostics[2]!.message).toContain("serviceConnectionId");

    const r2 = parse(`groups:\n  g: {}\nworkspaces:\n  - { name: t1, groups: [g, nope], resourceGroup: rg }\n`);
    expect(rules(r2)).toEqual(["4:29 deploy/unknown-group", "4:5 deploy/workspace-incomplete", "4:5 deploy/workspace-incomplete"]);
    expect(r2.diagnostics.map((d) => d.message).join("\n")).toMatch(/no subscriptionId[\s\S]*no workspace/);
  });

  it("reports YAML syntax errors at their position", () => {
    const r = parse("workspaces:\n  - name: [oops\n");
    expect(r.diagnostics[0]!.rule).toBe("deploy/workspaces-yaml");
    expect(r.diagnostics[0]!.line).toBeGreaterThan(0);
  });

  it("sovereign-cloud endpoints get their Entra authority", () => {
    expect(authorityHostFor("https://management.usgovcloudapi.net")).toBe("https://login.microsoftonline.us");
    expect(authorityHostFor("https://management.chinacloudapi.cn")).toBe("https://login.chinacloudapi.cn");
    expect(authorityHostFor("https://management.azure.com")).toBeUndefined();
  });

  it("the JSON Schema file is valid JSON with the documented top-level keys", () => {
    const schema = JSON.parse(readFileSync(`${repoRoot}data/json-schema/workspaces.schema.json`, "utf8"));
    expect(Object.keys(schema.properties)).toEqual(["version", "defaults", "groups", "workspaces"]);
  });
});
