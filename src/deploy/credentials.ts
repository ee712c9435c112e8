// workspaces.yaml `auth:` → an @azure/identity TokenCredential. One instance per (auth settings, tenant, cloud), so
// tokens are cached across the workspaces that share them. Secrets come from environment variables only.
import type { TokenCredential } from "@azure/identity";
import {
  AzureAuthorityHosts,
  AzureCliCredential,
  AzurePipelinesCredential,
  ClientAssertionCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import type { AuthConfig } from "./workspaces.js";

export class AuthConfigError extends Error {}

const cache = new Map<string, TokenCredential>();

/** Entra authority of a sovereign cloud, from its ARM endpoint (undefined: public cloud / the env's AZURE_AUTHORITY_HOST). */
export function authorityHostFor(endpoint: string): string | undefined {
  const host = (() => { try { return new URL(endpoint).hostname; } catch { return ""; } })();
  if (host.endsWith(".usgovcloudapi.net")) return AzureAuthorityHosts.AzureGovernment;
  if (host.endsWith(".chinacloudapi.cn")) return AzureAuthorityHosts.AzureChina;
  return undefined;
}

/** The credential for a workspace; throws AuthConfigError (a user problem: missing env var, …). */
export function credentialFor(auth: AuthConfig, tenantId: string | undefined, endpoint = "", env: NodeJS.ProcessEnv = process.env): TokenCredential | undefined {
  if (auth.type === "none") return undefined;
  const authorityHost = authorityHostFor(endpoint);
  const key = JSON.stringify([auth, tenantId, authorityHost]);
  const hit = cache.get(key);
  if (hit) return hit;
  const cred = build(auth, tenantId, env, authorityHost);
  cache.set(key, cred);
  return cred;
}

function build(auth: Exclude<AuthConfig, { type: "none" }>, tenantId: string | undefined, env: NodeJS.ProcessEnv, authorityHost: string | undefined): TokenCredential {
  switch (auth.type) {
    case "default":
      return new DefaultAzureCredential({
        tenantId,
        authorityHost,
        managedIdentityClientId: auth.managedIdentityClientId,
        workloadIdentityClientId: auth.workloadIdentityClientId,
      } as ConstructorParameters<typeof DefaultAzureCredential>[0]);
    case "azure-cli":
      return new AzureCliCredential({ tenantId });
    case "workload-identity":
      return new WorkloadIdentityCredential({ tenantId, clientId: auth.clientId, tokenFilePath: auth.tokenFilePath, authorityHost });
    case "github-oidc": {
      const clientId = auth.clientId ?? env.AZURE_CLIENT_ID;
      if (!tenantId) throw new AuthConfigError("auth github-oidc needs the workspace's tenantId");
      if (!clientId) throw new AuthConfigError("auth github-oidc: set clientId or the AZURE_CLIENT_ID environment variable");
      if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        throw new AuthConfigError("auth github-oidc: no GitHub OIDC token available (the job needs `permissions: id-token: write`; forked pull requests never get one)");
      }
      return new ClientAssertionCredential(tenantId, clientId, () => githubOidcToken(env), { authorityHost });
    }
    case "azure-pipelines": {
      const tokenEnv = auth.systemAccessTokenEnv ?? "SYSTEM_ACCESSTOKEN";
      const token = env[tokenEnv];
      if (!tenantId) throw new AuthConfigError("auth azure-pipelines needs the workspace's tenantId");
      if (!token) throw new AuthConfigError(`auth azure-pipelines: environment variable ${tokenEnv} is not set (map $(System.AccessToken) into it)`);
      return new AzurePipelinesCredential(tenantId, auth.clientId, auth.serviceConnectionId, token, { authorityHost });
    }
    case "client-secret": {
      const secret = env[auth.clientSecretEnv];
      if (!tenantId) throw new AuthConfigError("auth client-secret needs the workspace's tenantId");
      if (!secret) throw new AuthConfigError(`auth client-secret: environment variable ${auth.clientSecretEnv} is not set`);
      return new ClientSecretCredential(tenantId, auth.clientId, secret, { authorityHost });
    }
  }
}

/**
 * The GitHub Actions OIDC token for Entra workload identity federation, fetched fresh for every token request
 * (GitHub's tokens expire after minutes, so a long deploy must not cache one).
 */
export async function githubOidcToken(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL ?? "");
  url.searchParams.set("audience", "api://AzureADTokenExchange");
  const res = await fetch(url, { headers: { authorization: `bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`, accept: "application/json" } });
  if (!res.ok) throw new AuthConfigError(`GitHub OIDC token request failed: HTTP ${res.status}`);
  const body = (await res.json()) as { value?: unknown };
  if (typeof body.value !== "string" || !body.value) throw new AuthConfigError("GitHub OIDC token response has no token");
  return body.value;
}
