// Test helpers: the REAL @azure/arm-securityinsight client pipeline pointed at an in-process emulator
// (arm-api.md §6.1 B: endpoint + allowInsecureConnection, bearer policy swapped for a fixed loopback token).
import { SecurityInsights } from "@azure/arm-securityinsight";
import type { TokenCredential } from "@azure/core-auth";
import { bearerTokenAuthenticationPolicyName, createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";

export const SUB = "00000000-0000-0000-0000-000000000001";
export const RG = "rg-soc";
export const WS = "ws-contoso";
export const WS_PATH = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/${WS}`;
export const PREVIEW = "2025-07-01-preview";
export const STABLE = "2025-09-01";
export const SAVED = "2025-02-01";

const fakeCred: TokenCredential = { getToken: async () => ({ token: "fake", expiresOnTimestamp: Date.now() + 3_600_000 }) };

export function client(endpoint: string, opts: { maxRetries?: number; apiVersion?: string; subscription?: string } = {}): SecurityInsights {
  const c = new SecurityInsights(fakeCred, opts.subscription ?? SUB, {
    endpoint,
    allowInsecureConnection: true,
    // Only for typed operations: CustomApiVersionPolicy rewrites EVERY api-version on the pipeline, including
    // sendRequest calls to other providers (saved searches), so raw-request clients leave it unset.
    ...(opts.apiVersion ? { apiVersion: opts.apiVersion } : {}),
    retryOptions: { maxRetries: opts.maxRetries ?? 0, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  });
  c.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  c.pipeline.addPolicy({ name: "loopbackAuth", sendRequest: (r, next) => { r.headers.set("authorization", "Bearer fake"); return next(r); } });
  return c;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Raw JSON through the client's own pipeline (client.sendRequest), as scac deploy does. */
export async function raw(c: SecurityInsights, endpoint: string, method: "GET" | "PUT" | "DELETE", path: string,
  body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const res = await c.sendRequest(createPipelineRequest({
    url: path.startsWith("http") ? path : `${endpoint}${path}`,
    method,
    allowInsecureConnection: true, // per request: the client option does not reach sendRequest
    headers: createHttpHeaders({ "content-type": "application/json", ...headers }),
    body: body === undefined ? undefined : JSON.stringify(body),
  }));
  return { status: res.status, headers: res.headers.toJSON(), json: res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined };
}

export const rulePath = (id: string, api = PREVIEW, ws = WS_PATH) => `${ws}/providers/Microsoft.SecurityInsights/alertRules/${id}?api-version=${api}`;
export const metadataPath = (id: string, api = PREVIEW, ws = WS_PATH) => `${ws}/providers/Microsoft.SecurityInsights/metadata/${id}?api-version=${api}`;
export const savedSearchPath = (id: string, api = SAVED, ws = WS_PATH) =>
  `${ws.replace("/resourceGroups/", "/resourcegroups/")}/savedSearches/${id}?api-version=${api}`;

export function scheduledRule(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: "Scheduled",
    properties: {
      displayName: "Suspicious process",
      description: "Web server spawning a shell",
      severity: "Medium",
      enabled: true,
      query: "DeviceProcessEvents | where FileName =~ 'cmd.exe' | project TimeGenerated, DeviceName, FileName",
      queryFrequency: "PT1H",
      queryPeriod: "P1D",
      triggerOperator: "GreaterThan",
      triggerThreshold: 0,
      suppressionDuration: "PT1H",
      suppressionEnabled: false,
      tactics: ["Execution"],
      techniques: ["T1059"],
      entityMappings: [{ entityType: "Host", fieldMappings: [{ identifier: "HostName", columnName: "DeviceName" }] }],
      ...overrides,
    },
  };
}

/** Tables used by the tests' workspace (declared explicitly: tests do not depend on the built-in set). */
export const TEST_TABLES = [
  { name: "DeviceProcessEvents", columns: [
    { name: "TimeGenerated", type: "datetime" }, { name: "DeviceName", type: "string" }, { name: "FileName", type: "string" },
    { name: "ProcessCommandLine", type: "string" }, { name: "InitiatingProcessFileName", type: "string" },
  ] },
  { name: "Heartbeat", columns: [
    { name: "TimeGenerated", type: "datetime" }, { name: "Computer", type: "string" }, { name: "ComputerIP", type: "string" },
    { name: "OSName", type: "string" }, { name: "OSType", type: "string" },
  ] },
  { name: "Web_CL", columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "Url_s", type: "string" }, { name: "Bytes_d", type: "real" }] },
];
