// Client-side pacing so scac never provokes ARM throttling: a token bucket per subscription and operation class
// (ARM's regional buckets: writes 200 burst / 10 per s, deletes 200 / 10, reads 250 / 25) and a cap on requests
// in flight per subscription. Waiting here is cheaper than a 429 and its Retry-After.

export interface BucketSpec {
  burst: number;
  refillPerSec: number;
}

export type OperationClass = "reads" | "writes" | "deletes";

/**
 * ARM's published limits, less a small cushion on the burst: requests leave here a few ms before ARM counts them,
 * and arrival jitter would otherwise meet an empty server bucket now and then.
 */
export const ARM_CLIENT_LIMITS: Record<OperationClass, BucketSpec> = {
  reads: { burst: 245, refillPerSec: 25 },
  writes: { burst: 195, refillPerSec: 10 },
  deletes: { burst: 195, refillPerSec: 10 },
};

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  constructor(private readonly spec: BucketSpec, private readonly now: () => number = Date.now, private readonly sleep: Sleep = realSleep) {
    this.tokens = spec.burst;
    this.last = now();
  }

  /** Resolves when a token has been taken; callers are served in arrival order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeNow());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Lowers the local level to what the server reports (never raises it). The server counts a request later than
   * we take its token (latency, its own backlog) and stops refilling at its cap meanwhile, so a purely local
   * bucket slowly runs ahead of the server's; ARM's x-ms-ratelimit-remaining-* header corrects that.
   */
  clamp(max: number): void {
    this.refill();
    this.tokens = Math.min(this.tokens, max);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.spec.burst, this.tokens + ((t - this.last) / 1000) * this.spec.refillPerSec);
    this.last = t;
  }

  private async takeNow(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.spec.refillPerSec) * 1000));
    }
  }
}

export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export interface LimiterOptions {
  limits?: Partial<Record<OperationClass, BucketSpec>> | false;
  /** Requests in flight per subscription (default 16). */
  concurrency?: number;
}

/** Buckets and concurrency per subscription (ARM's throttling scope for one principal). */
export class SubscriptionLimiter {
  private readonly subs = new Map<string, { buckets: Record<OperationClass, TokenBucket | undefined>; inFlight: Record<OperationClass, number>; sem: Semaphore }>();
  constructor(private readonly options: LimiterOptions = {}) {}

  private for(subscription: string) {
    const key = subscription.toLowerCase();
    let s = this.subs.get(key);
    if (!s) {
      const lim = this.options.limits === false ? undefined : { ...ARM_CLIENT_LIMITS, ...this.options.limits };
      const b = (op: OperationClass) => (lim ? new TokenBucket(lim[op]) : undefined);
      s = { buckets: { reads: b("reads"), writes: b("writes"), deletes: b("deletes") }, inFlight: { reads: 0, writes: 0, deletes: 0 }, sem: new Semaphore(this.options.concurrency ?? 16) };
      this.subs.set(key, s);
    }
    return s;
  }

  /**
   * Runs one HTTP attempt once the subscription has a free slot and a token for the operation class.
   * `remaining` extracts the server's remaining-requests figure from the result (undefined when absent); the
   * local bucket is then clamped to it, less the other requests still in flight (the server has yet to count them).
   */
  run<T>(subscription: string, op: OperationClass, attempt: () => Promise<T>, remaining?: (r: T) => number | undefined): Promise<T> {
    const s = this.for(subscription);
    return s.sem.run(async () => {
      await s.buckets[op]?.take();
      s.inFlight[op]++;
      try {
        const r = await attempt();
        const left = remaining?.(r);
        if (left !== undefined) s.buckets[op]?.clamp(left - (s.inFlight[op] - 1));
        return r;
      } finally {
        s.inFlight[op]--;
      }
    });
  }
}
