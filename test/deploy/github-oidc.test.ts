// GitHub Actions OIDC: the assertion comes from the runner's token endpoint (a local server stands in for it);
// without `id-token: write` (or in a forked PR) there is no endpoint and scac says so instead of failing later.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthConfigError, credentialFor, githubOidcToken } from "../../src/deploy/credentials.js";
import { parseWorkspaces } from "../../src/deploy/workspaces.js";

let server: Server;
let url: string;
const seen: { auth?: string; audience?: string | null }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    seen.push({ auth: req.headers.authorization, audience: u.searchParams.get("audience") });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(req.headers.authorization === "bearer runner-token" ? { value: "gh-oidc-jwt" } : {}));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("auth: github-oidc", () => {
  it("fetches the runner's OIDC token for Entra's token-exchange audience", async () => {
    const token = await githubOidcToken({ ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "runner-token" });
    expect(token).toBe("gh-oidc-jwt");
    expect(seen.at(-1)).toEqual({ auth: "bearer runner-token", audience: "api://AzureADTokenExchange" });
  });

  it("rejects a response without a token", async () => {
    await expect(githubOidcToken({ ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "wrong" })).rejects.toThrow(/no token/);
  });

  it("explains a missing id-token permission and a missing client id", () => {
    const env = { AZURE_CLIENT_ID: "app" };
    expect(() => credentialFor({ type: "github-oidc" }, "tenant-x", "https://management.azure.com", env)).toThrow(AuthConfigError);
    expect(() => credentialFor({ type: "github-oidc" }, "tenant-y", "https://management.azure.com", env)).toThrow(/id-token: write/);
    expect(() => credentialFor({ type: "github-oidc" }, "tenant-z", "https://management.azure.com", { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t" })).toThrow(/AZURE_CLIENT_ID/);
    const cred = credentialFor({ type: "github-oidc" }, "tenant-w", "https://management.azure.com", { ...env, ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t" });
    expect(cred).toBeDefined();
  });

  it("is accepted in workspaces.yaml", () => {
    const r = parseWorkspaces(
      "workspaces:\n  - { name: prod, tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47, subscriptionId: 11111111-1111-1111-1111-111111111111, resourceGroup: rg, workspace: soc-prod, auth: github-oidc }\n",
      "workspaces.yaml", "/repo");
    expect(r.diagnostics).toEqual([]);
    expect(r.value!.workspaces[0]!.auth).toEqual({ type: "github-oidc" });
  });
});
