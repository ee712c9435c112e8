// When to try an ARM request again, and after how long. Replaces the SDK's default retry policy, which neither
// retries a 429 without Retry-After nor a request that timed out.
//   - 429 / 503 with retry-after-ms, x-ms-retry-after-ms or Retry-After (seconds or HTTP date): wait that long.
//   - 429 without it, other 5xx (not 501/505), 408, connection resets/refusals/timeouts: jittered exponential
//     backoff, delay = random in [b/2, b] with b = min(maxDelay, baseDelay·2^attempt).
// PUT and DELETE are idempotent in ARM, so they are retried like reads; a retried PUT that meets an etag
// conflict is resolved by the caller (re-read and compare), not here.

export interface RetryOptions {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; beyond it the request fails rather than stall a CI job. */
  maxRetryAfterMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 6,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 300_000,
  timeoutMs: 120_000,
};

const RETRYABLE_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_SOCKET", "REQUEST_SEND_ERROR", "SCAC_TIMEOUT"]);

export type Outcome =
  | { status: number; headers: { get(name: string): string | undefined } }
  | { error: { code?: string; name?: string } };

/** Milliseconds to wait before the next attempt, or undefined when the outcome is final. */
export function retryDelay(outcome: Outcome, attempt: number, opts: RetryOptions, random: () => number = Math.random): number | undefined {
  if (attempt >= opts.maxRetries) return undefined;
  const backoff = () => {
    const b = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** attempt);
    return Math.round(b / 2 + (random() * b) / 2);
  };
  if ("error" in outcome) {
    const code = outcome.error.code ?? "";
    return RETRYABLE_CODES.has(code) ? backoff() : undefined;
  }
  const s = outcome.status;
  if (s === 429 || s === 503) {
    const after = retryAfterMs(outcome.headers);
    if (after !== undefined) return after <= opts.maxRetryAfterMs ? after : undefined;
    return backoff();
  }
  if (s === 408 || (s >= 500 && s !== 501 && s !== 505)) return backoff();
  return undefined;
}

export function retryAfterMs(headers: { get(name: string): string | undefined }): number | undefined {
  for (const h of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const v = headers.get(h);
    if (v !== undefined && /^\d+(\.\d+)?$/.test(v.trim())) return Math.ceil(Number(v));
  }
  const ra = headers.get("retry-after");
  if (ra === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.ceil(Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
