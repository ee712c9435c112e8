// A real Kusto engine behind the local engine's contract: `runKustoQuery(kql, opts)` has runQuery's shape
// (async), inlines the case's tables as datatables, pins now() with the `query_now` request property, POSTs to
// `<cluster>/v2/rest/query` through @azure/core-rest-pipeline (bearer auth from @azure/identity for https;
// none for a loopback http endpoint such as the Kusto emulator at http://localhost:8080), and converts the v2
// response into a QueryResult. Tokens are never logged; bearer tokens only go over https.
import { randomUUID } from "node:crypto";
import type { TokenCredential } from "@azure/identity";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from "@azure/core-rest-pipeline";
import { KqlError, type QueryResult, type RunOptions } from "../kql/api.js";
import { nowTicks } from "../kql/engine.js";
import { formatDatetime } from "../kql/values.js";
import { isLoopbackUrl } from "../deploy/workspaces.js";
import { inlineTables } from "./inline.js";
import { errorOf, parseV2 } from "./response.js";

export const DEFAULT_DATABASE = "NetDefaultDB"; // the Kusto emulator's database

export interface KustoConnection {
  /** Cluster URI, e.g. https://mycluster.westeurope.kusto.windows.net or http://localhost:8080. */
  cluster: string;
  database?: string;
  /** https only. Default: DefaultAzureCredential (loaded lazily). */
  credential?: TokenCredential;
  /** Token scope. Default `<cluster origin>/.default`. */
  scope?: string;
  /** Server-side timeout per query. Default 2 minutes. */
  timeout?: string;
  httpClient?: HttpClient;
}

export class KustoConfigError extends Error {}

export type QueryEngine = (kql: string, opts?: RunOptions) => Promise<QueryResult>;

/** Validates the connection and returns a runQuery-shaped executor bound to it. */
export function createKustoEngine(conn: KustoConnection): QueryEngine {
  let url: URL;
  try {
    url = new URL(conn.cluster);
  } catch {
    throw new KustoConfigError(`--cluster '${conn.cluster}' is not a URL (e.g. https://<cluster>.<region>.kusto.windows.net or http://localhost:8080)`);
  }
  const secure = url.protocol === "https:";
  if (!secure && !(url.protocol === "http:" && isLoopbackUrl(conn.cluster))) {
    throw new KustoConfigError(`--cluster '${conn.cluster}': plain http is accepted only for a local endpoint (the Kusto emulator); use https`);
  }
  if (!secure && conn.credential) throw new KustoConfigError("refusing to send a bearer token over http");
  const base = conn.cluster.replace(/\/+$/, "");
  const database = conn.database ?? DEFAULT_DATABASE;
  const pipeline: Pipeline = createPipelineFromOptions({ userAgentOptions: { userAgentPrefix: "scac" } });
  let credential: Promise<TokenCredential> | undefined;
  if (secure) {
    credential = conn.credential
      ? Promise.resolve(conn.credential)
      : import("@azure/identity").then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
    const lazy: TokenCredential = { getToken: async (scopes, options) => (await credential!).getToken(scopes, options) };
    pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: lazy, scopes: conn.scope ?? `${url.origin}/.default` }));
  }
  const http = conn.httpClient ?? createDefaultHttpClient();

  return async (kql: string, opts: RunOptions = {}): Promise<QueryResult> => {
    const inlined = inlineTables(kql, opts);
    const body = {
      db: database,
      csl: inlined.text,
      properties: { Options: { query_now: formatDatetime(nowTicks(opts.now)), servertimeout: conn.timeout ?? "00:02:00" } },
    };
    const req = createPipelineRequest({
      url: `${base}/v2/rest/query`,
      method: "POST",
      body: JSON.stringify(body),
      allowInsecureConnection: !secure,
      headers: createHttpHeaders({
        "content-type": "application/json; charset=utf-8",
        accept: "application/json",
        "x-ms-app": "scac",
        "x-ms-client-request-id": `scac.test;${randomUUID()}`,
      }),
    });
    let res;
    try {
      res = await pipeline.sendRequest(http, req);
    } catch (e) {
      const err = e as { name?: string; code?: string; message?: string };
      const auth = /Credential|Authentication/.test(err.name ?? "");
      throw new KqlError("runtime", `Kusto: ${auth ? "authentication failed" : `cannot reach ${base}`} (${err.code ?? err.name ?? "error"}): ${(err.message ?? "").split("\n")[0]}`);
    }
    let parsed: unknown;
    try {
      parsed = res.bodyAsText ? JSON.parse(res.bodyAsText) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.status !== 200) {
      const e = (parsed as { error?: Parameters<typeof errorOf>[0] } | undefined)?.error;
      if (!e && (res.status === 401 || res.status === 403)) throw new KqlError("runtime", `Kusto: HTTP ${res.status}: not authorised to query ${database} on ${base}`);
      throw errorOf(e ?? { message: `HTTP ${res.status}: ${(res.bodyAsText ?? "").slice(0, 300)}` }, res.status, inlined.preludeLines);
    }
    return parseV2(parsed, inlined.preludeLines);
  };
}
