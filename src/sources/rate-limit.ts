// Politeness towards AWS APIs with published request quotas (LookupEvents: 2 requests per second per account
// and region). One token bucket per region, shared by every concurrent query of that region.
//
// A token does not come back at a fixed rate but one window (1 s) after the request that used it has
// *completed*. Whatever the network latency, the server then never sees more than `burst` requests within
// any window: of any burst+1 requests, the last was sent after an earlier one completed plus the window, so
// it arrived at least a window after that one did. (A fixed-rate bucket cannot promise that: the first
// request of a connection can take longer to arrive than the next ones, which squeezes them together; the
// end-to-end test saw 988 ms between requests spaced 1040 ms apart on our side.)

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
  /** Requests allowed within one window. */
  burst: number;
  /** The window, in milliseconds: a token returns this long after its request completed. */
  windowMs: number;
  clock?: Clock;
  /** Told the clock time of every grant (progress, tests). */
  onGrant?: (at: number) => void;
}

/** LookupEvents: 2 requests per second per account and region. */
export const LOOKUP_EVENTS_LIMIT: Omit<BucketOptions, 'clock'> = { burst: 2, windowMs: 1000 };

/** A granted token; call `done()` when the request has completed (answered or failed). */
export interface Lease {
  at: number;
  done(): void;
}

interface Token {
  inFlight: boolean;
  /** When the token may be used again. */
  freeAt: number;
}

export class TokenBucket {
  private readonly tokens: Token[];
  private queue: Promise<unknown> = Promise.resolve();
  private completed: (() => void)[] = [];
  readonly clock: Clock;
  /** How many tokens were granted; lets callers and tests check every request went through the bucket. */
  granted = 0;

  constructor(readonly options: BucketOptions) {
    if (!(options.burst >= 1) || !(options.windowMs >= 0)) throw new Error('token bucket needs a burst of at least 1 and a window');
    this.clock = options.clock ?? realClock;
    this.tokens = Array.from({ length: options.burst }, () => ({ inFlight: false, freeAt: -Infinity }));
  }

  /** Waits for a token, in arrival order. */
  take(signal?: AbortSignal): Promise<Lease> {
    const turn = this.queue.then(() => this.waitForToken(signal));
    // The next waiter queues behind this one whether it succeeds or is aborted.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private nextCompletion(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.completed.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  private async waitForToken(signal?: AbortSignal): Promise<Lease> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = this.clock.now();
      const token = this.tokens.find((t) => !t.inFlight && t.freeAt <= now);
      if (token) {
        token.inFlight = true;
        this.granted += 1;
        this.options.onGrant?.(now);
        let released = false;
        return {
          at: now,
          done: () => {
            if (released) return;
            released = true;
            token.inFlight = false;
            token.freeAt = this.clock.now() + this.options.windowMs;
            for (const wake of this.completed.splice(0)) wake();
          },
        };
      }
      const cooling = this.tokens.filter((t) => !t.inFlight).map((t) => t.freeAt);
      if (cooling.length) await this.clock.sleep(Math.min(...cooling) - now, signal);
      else await this.nextCompletion(signal);
    }
  }
}

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
