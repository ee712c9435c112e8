// Raw-JSON ARM access through @azure/arm-securityinsight's own authenticated pipeline (`sendRequest`), so the
// api-version is ours and no field is dropped by the SDK's 2022 serializer (arm-api.md §0, §1.7). One
// SecurityInsights client per (credential, subscription, endpoint). scac's retry (retry.ts) and pacing
// (limiter.ts) replace the SDK's default retry policy. Tokens never leave the pipeline: nothing here logs
// headers, and errors carry only status, ARM error code and message.
import { SecurityInsights } from "@azure/arm-securityinsight";
import { deserializationPolicyName } from "@azure/core-client";
import {
  bearerTokenAuthenticationPolicyName,
  createHttpHeaders,
  createPipelineRequest,
  isRestError,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { SubscriptionLimiter, type OperationClass } from "./limiter.js";
import { DEFAULT_RETRY, retryDelay, type RetryOptions } from "./retry.js";

export type HttpMethod = "GET" | "PUT" | "DELETE";

export interface ArmResponse {
  status: number;
  body: unknown;
  /** ARM error code and message when status ≥ 400. */
  error?: { code: string; message: string };
}

/** A request that got no HTTP answer after all retries, or could not authenticate. */
export class ArmTransportError extends Error {
  constructor(message: string, readonly code: string, readonly auth = false) {
    super(message);
  }
}

export interface ArmClient {
  /** One logical request (retried as retry.ts says). Never throws for an HTTP status; see ArmResponse.error. */
  request(method: HttpMethod, path: string, apiVersion: string, body?: unknown): Promise<ArmResponse>;
  /** GET a collection, following nextLink. Throws ArmRequestError for a non-2xx page. */
  list(path: string, apiVersion: string): Promise<unknown[]>;
}

export class ArmRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface ClientOptions {
  retry?: Partial<RetryOptions>;
  limiter?: SubscriptionLimiter;
  /** Called once per HTTP attempt (method, URL without query, body sent), e.g. for --verbose or tests. */
  onAttempt?: (a: { method: HttpMethod; url: string; body?: unknown; status?: number; error?: string }) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** A credential that is never asked: the bearer policy is removed for auth: none. */
const NO_CREDENTIAL: TokenCredential = { getToken: async () => null };

export function createArmClient(
  endpoint: string,
  subscriptionId: string,
  credential: TokenCredential | undefined,
  options: ClientOptions = {},
): ArmClient {
  const insecure = endpoint.startsWith("http:");
  if (insecure && credential) throw new Error("refusing to send a bearer token over http"); // workspaces.ts rejects this first
  const sdk = new SecurityInsights(credential ?? NO_CREDENTIAL, subscriptionId, { endpoint, allowInsecureConnection: insecure });
  sdk.pipeline.removePolicy({ name: "defaultRetryPolicy" });
  // Responses are parsed once, here (toArmResponse); the SDK's typed deserializer would parse them again.
  sdk.pipeline.removePolicy({ name: deserializationPolicyName });
  if (!credential) sdk.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  const limiter = options.limiter ?? new SubscriptionLimiter();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function attempt(method: HttpMethod, url: string, body: string | undefined): Promise<PipelineResponse> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), retry.timeoutMs);
    try {
      const req = createPipelineRequest({
        url, method, body, abortSignal: ac.signal, allowInsecureConnection: insecure,
        headers: createHttpHeaders(body !== undefined ? { "content-type": "application/json; charset=utf-8", accept: "application/json" } : { accept: "application/json" }),
      });
      return await sdk.sendRequest(req);
    } catch (e) {
      if (ac.signal.aborted) throw Object.assign(new Error(`no response within ${retry.timeoutMs} ms`), { code: "SCAC_TIMEOUT" });
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async function request(method: HttpMethod, path: string, apiVersion: string, body?: unknown): Promise<ArmResponse> {
    const url = path.startsWith("http") ? path : `${endpoint}${path}${path.includes("?") ? "&" : "?"}api-version=${encodeURIComponent(apiVersion)}`;
    const shownUrl = url.split("?")[0]!;
    const text = body === undefined ? undefined : JSON.stringify(body);
    const op: OperationClass = method === "GET" ? "reads" : method === "DELETE" ? "deletes" : "writes";
    for (let n = 0; ; n++) {
      let res: PipelineResponse | undefined;
      let error: { code?: string; name?: string; message: string } | undefined;
      try {
        res = await limiter.run(subscriptionId, op, () => attempt(method, url, text), (r) => remainingOf(r, op));
      } catch (e) {
        const err = e as { code?: string; name?: string; message?: string; statusCode?: number };
        if (isRestError(e) && e.response) res = e.response;
        else if (isAuthError(err)) {
          options.onAttempt?.({ method, url: shownUrl, body, error: err.name });
          throw new ArmTransportError(`authentication failed (${err.name}): ${firstLine(err.message ?? "")}`, err.name ?? "AuthenticationError", true);
        } else error = { code: err.code, name: err.name, message: err.message ?? String(e) };
      }
      options.onAttempt?.({ method, url: shownUrl, body, status: res?.status, error: error?.code ?? error?.name });
      const wait = retryDelay(res ? { status: res.status, headers: { get: (h) => res!.headers.get(h) } } : { error: error! }, n, retry);
      if (wait !== undefined) {
        await sleep(wait);
        continue;
      }
      if (!res) throw new ArmTransportError(`${method} ${shownUrl}: ${error!.code ?? error!.name ?? "error"}: ${firstLine(error!.message)}`, error!.code ?? "TransportError");
      return toArmResponse(res);
    }
  }

  async function list(path: string, apiVersion: string): Promise<unknown[]> {
    const out: unknown[] = [];
    let next: string | undefined = path;
    for (let pages = 0; next && pages < 10_000; pages++) {
      const r = await request("GET", next, apiVersion);
      if (r.error) throw new ArmRequestError(r.status, r.error.code, r.error.message);
      const b = (r.body ?? {}) as { value?: unknown[]; nextLink?: string | null };
      out.push(...(b.value ?? []));
      next = b.nextLink ? rebase(b.nextLink) : undefined;
    }
    return out;
  }

  /** nextLink is absolute; keep it on our endpoint (the emulator may report its own host name). */
  function rebase(link: string): string {
    try {
      const u = new URL(link);
      return `${endpoint}${u.pathname}${u.search}`;
    } catch {
      return `${endpoint}${link}`;
    }
  }

  return { request, list };
}

/** ARM's view of the subscription's bucket for this operation class; 0 when throttled. */
function remainingOf(r: PipelineResponse, op: OperationClass): number | undefined {
  if (r.status === 429) return 0;
  const v = r.headers.get(`x-ms-ratelimit-remaining-subscription-${op}`);
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

function isAuthError(e: { name?: string }): boolean {
  return e.name === "CredentialUnavailableError" || e.name === "AuthenticationError" || e.name === "AuthenticationRequiredError" || e.name === "AggregateAuthenticationError";
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.slice(0, 500);
}

function toArmResponse(res: PipelineResponse): ArmResponse {
  let body: unknown;
  if (res.bodyAsText) {
    try {
      body = JSON.parse(res.bodyAsText);
    } catch {
      body = res.bodyAsText;
    }
  }
  const out: ArmResponse = { status: res.status, body };
  if (res.status >= 400) {
    const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    out.error = { code: e?.code ?? `HTTP${res.status}`, message: firstLine(e?.message ?? (typeof body === "string" ? body : `HTTP ${res.status}`)) };
  }
  return out;
}
