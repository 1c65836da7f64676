// Query engines answer "slow down" under load (ThrottlingException, TooManyRequestsException). The SDK retries
// a few times itself; this keeps trying a while longer with exponential backoff, and stops at once on abort.
export interface RetryOptions {
  signal?: AbortSignal;
  /** First wait in ms (default 200); doubles each time, capped at 10 s. */
  baseMs?: number;
  /** Attempts in all (default 8). */
  attempts?: number;
}

const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded', 'SlowDown']);

export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return !!e && (THROTTLED.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function withRetry<T>(call: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 8;
  let wait = opts.baseMs ?? 200;
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (err) {
      if (!isThrottling(err) || i >= attempts || opts.signal?.aborted) throw err;
      await sleep(wait, opts.signal);
      wait = Math.min(wait * 2, 10_000);
    }
  }
}
