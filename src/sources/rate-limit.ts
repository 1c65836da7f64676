// Politeness towards AWS APIs with published request quotas (LookupEvents: 2 requests per second per account
// and region). A token bucket per region, shared by every concurrent query of that region, so the quota holds
// however many builds are looked up at once. Time comes from an injectable clock so tests need not wait.

export interface Clock {
  /** Milliseconds, monotonic for our purposes. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface BucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Most tokens held at once (the largest burst). */
  burst: number;
  clock?: Clock;
  /** Told the clock time of every grant (progress, tests). */
  onGrant?: (at: number) => void;
}

/**
 * Grants one token per request. Waiters are served in arrival order, so a query that started first is not
 * starved by later ones.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  readonly clock: Clock;
  /** How many tokens were granted; lets callers and tests check every request went through the bucket. */
  granted = 0;

  constructor(readonly options: BucketOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) throw new Error('token bucket needs a positive rate and a burst of at least 1');
    this.clock = options.clock ?? realClock;
    this.tokens = options.burst;
    this.last = this.clock.now();
  }

  /** Waits for a token; the returned promise resolves with the clock time at which it was granted. */
  take(signal?: AbortSignal): Promise<number> {
    const turn = this.queue.then(() => this.waitForToken(signal));
    // The next waiter queues behind this one whether it succeeds or is aborted.
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.tokens = Math.min(this.options.burst, this.tokens + (elapsed * this.options.ratePerSecond) / 1000);
    this.last = now;
  }

  private async waitForToken(signal?: AbortSignal): Promise<number> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        this.granted += 1;
        const at = this.clock.now();
        this.options.onGrant?.(at);
        return at;
      }
      const waitMs = Math.ceil(((1 - this.tokens) * 1000) / this.options.ratePerSecond);
      await this.clock.sleep(waitMs, signal);
    }
  }
}

/**
 * LookupEvents allows 2 requests per second per account and region. We grant slightly fewer (one every 520 ms,
 * no burst) so that network jitter between us and AWS cannot make two requests land less than a second
 * apart from a third at AWS's side.
 */
export const LOOKUP_EVENTS_RATE: Omit<BucketOptions, 'clock'> = { ratePerSecond: 1000 / 520, burst: 1 };

/** One bucket per region, created on first use, all with the same options. */
export class RegionLimiters {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly options: BucketOptions,
    /** Told the region and clock time of every grant. */
    private readonly onGrant?: (region: string, at: number) => void,
  ) {}

  for(region: string): TokenBucket {
    let bucket = this.buckets.get(region);
    if (!bucket) {
      const onGrant = this.onGrant;
      bucket = new TokenBucket(onGrant ? { ...this.options, onGrant: (at) => onGrant(region, at) } : this.options);
      this.buckets.set(region, bucket);
    }
    return bucket;
  }

  get clock(): Clock {
    return this.options.clock ?? realClock;
  }
}
