// ARM-style token buckets (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling):
// one bucket per subscription and operation class; a request takes one token, tokens refill continuously.

export interface BucketSpec {
  burst: number;
  refillPerSec: number;
}

export type OperationClass = "reads" | "writes" | "deletes";

export interface ThrottleOptions {
  reads: BucketSpec;
  writes: BucketSpec;
  deletes: BucketSpec;
  /** Fraction (0..1) of 429 responses sent without Retry-After, to exercise clients' fallback path. */
  omitRetryAfter: number;
}

export const ARM_LIMITS: ThrottleOptions = {
  reads: { burst: 250, refillPerSec: 25 },
  writes: { burst: 200, refillPerSec: 10 },
  deletes: { burst: 200, refillPerSec: 10 },
  omitRetryAfter: 0,
};

class Bucket {
  private tokens: number;
  private last: number;
  constructor(private readonly spec: BucketSpec, now: number) {
    this.tokens = spec.burst;
    this.last = now;
  }
  /** Takes a token; returns undefined on success or the seconds until one is available. */
  take(now: number): { ok: true; remaining: number } | { ok: false; retryAfterSec: number } {
    this.tokens = Math.min(this.spec.burst, this.tokens + ((now - this.last) / 1000) * this.spec.refillPerSec);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true, remaining: Math.floor(this.tokens) };
    }
    const wait = (1 - this.tokens) / this.spec.refillPerSec;
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil(wait)) };
  }
}

export class Throttler {
  private readonly buckets = new Map<string, Bucket>();
  constructor(readonly options: ThrottleOptions, private readonly clock: () => number = Date.now) {}

  take(subscription: string, op: OperationClass) {
    const key = `${subscription.toLowerCase()}|${op}`;
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = new Bucket(this.options[op], this.clock())));
    return b.take(this.clock());
  }
}
