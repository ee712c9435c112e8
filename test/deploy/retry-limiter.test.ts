import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../src/deploy/limiter.js";
import { DEFAULT_RETRY, retryAfterMs, retryDelay } from "../../src/deploy/retry.js";

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] });
const res = (status: number, h: Record<string, string> = {}) => ({ status, headers: headers(h) });
const mid = () => 0.5;

describe("retry decisions", () => {
  it("honours Retry-After (seconds, HTTP date) and the ms variants on 429 and 503", () => {
    expect(retryDelay(res(429, { "retry-after": "7" }), 0, DEFAULT_RETRY)).toBe(7000);
    expect(retryDelay(res(503, { "retry-after-ms": "250" }), 0, DEFAULT_RETRY)).toBe(250);
    expect(retryDelay(res(429, { "x-ms-retry-after-ms": "1200" }), 3, DEFAULT_RETRY)).toBe(1200);
    const inTwo = new Date(Date.now() + 2000).toUTCString();
    expect(retryAfterMs(headers({ "retry-after": inTwo }))).toBeGreaterThan(500);
    expect(retryDelay(res(429, { "retry-after": "3600" }), 0, DEFAULT_RETRY)).toBeUndefined(); // beyond maxRetryAfterMs: fail, don't stall CI
  });

  it("retries 429 without Retry-After, 5xx, 408 and connection errors with jittered exponential backoff", () => {
    const o = { ...DEFAULT_RETRY, baseDelayMs: 1000, maxDelayMs: 8000 };
    expect([0, 1, 2, 3, 4].map((n) => retryDelay(res(429), n, o, mid))).toEqual([750, 1500, 3000, 6000, 6000]);
    expect(retryDelay(res(500), 0, o, () => 0)).toBe(500);
    expect(retryDelay(res(500), 0, o, () => 1)).toBe(1000);
    for (const s of [408, 500, 502, 503, 504]) expect(retryDelay(res(s), 0, o)).toBeGreaterThan(0);
    for (const code of ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "SCAC_TIMEOUT", "REQUEST_SEND_ERROR"]) {
      expect(retryDelay({ error: { code } }, 0, o)).toBeGreaterThan(0);
    }
  });

  it("does not retry client errors, 501/505, unknown errors, or past maxRetries", () => {
    for (const s of [200, 201, 400, 401, 403, 404, 409, 412, 501, 505]) expect(retryDelay(res(s), 0, DEFAULT_RETRY)).toBeUndefined();
    expect(retryDelay({ error: { code: "ERR_INVALID_URL" } }, 0, DEFAULT_RETRY)).toBeUndefined();
    expect(retryDelay(res(500), DEFAULT_RETRY.maxRetries, DEFAULT_RETRY)).toBeUndefined();
  });
});

describe("token bucket", () => {
  it("allows the burst at once, then paces at the refill rate (virtual clock)", async () => {
    let now = 0;
    const sleeps: number[] = [];
    const b = new TokenBucket({ burst: 3, refillPerSec: 10 }, () => now, async (ms) => { sleeps.push(ms); now += ms; });
    const times: number[] = [];
    for (let i = 0; i < 6; i++) { await b.take(); times.push(now); }
    expect(times).toEqual([0, 0, 0, 100, 200, 300]);
    now += 10_000; // idle: refills to the burst, never beyond
    const t = now;
    for (let i = 0; i < 4; i++) await b.take();
    expect(now - t).toBe(100);
  });

  it("clamps to the server's remaining count (x-ms-ratelimit-remaining-*) but never raises the level", async () => {
    let now = 0;
    const b = new TokenBucket({ burst: 10, refillPerSec: 10 }, () => now, async (ms) => { now += ms; });
    await b.take();
    b.clamp(50); // the server reports more than we hold: ignored
    for (let i = 0; i < 9; i++) await b.take();
    expect(now).toBe(0);
    b.clamp(-2); // the server is behind us: two in flight it has not counted yet
    await b.take();
    expect(now).toBe(300);
  });

  it("serves concurrent takers in arrival order without over-issuing", async () => {
    let now = 0;
    const b = new TokenBucket({ burst: 2, refillPerSec: 5 }, () => now, async (ms) => { now += ms; });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => b.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(now).toBe(600); // 3 tokens after the burst at 5/s
  });
});
