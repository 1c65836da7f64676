// Retrying throttled and transient AWS failures with capped exponential backoff and full jitter.
//
// Why our own loop rather than the SDK's retry strategy: every attempt, retries included, counts against
// LookupEvents' 2 requests/s quota, so every attempt must take a token from the region's bucket. The SDK's
// retries happen inside `send()`, past our bucket, so the CloudTrail clients are created with maxAttempts 1
// and the retries happen here, each behind a token.
import { realClock, type Clock } from './rate-limit.js';

const THROTTLE_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
]);

const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'TimeoutError', 'RequestTimeout']);

interface AwsLikeError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

export function errorCode(err: unknown): string {
  const e = err as AwsLikeError | undefined;
  return String(e?.name ?? e?.code ?? '');
}

export function isThrottle(err: unknown): boolean {
  const e = err as AwsLikeError | undefined;
  return THROTTLE_CODES.has(errorCode(err)) || e?.$metadata?.httpStatusCode === 429 || e?.$retryable?.throttling === true;
}

export function isTransient(err: unknown): boolean {
  const e = err as AwsLikeError | undefined;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  return TRANSIENT_NETWORK.has(errorCode(err)) || TRANSIENT_NETWORK.has(String((err as { code?: string })?.code ?? ''));
}

export interface RetryOptions {
  clock?: Clock;
  signal?: AbortSignal;
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  baseMs?: number;
  capMs?: number;
  /** In [0, 1); injectable for deterministic tests. */
  random?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; code: string; throttled: boolean }) => void;
}

export const DEFAULT_RETRY = { maxAttempts: 10, baseMs: 500, capMs: 20_000 } as const;

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or runs out of attempts. */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const clock = options.clock ?? realClock;
  const max = options.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
  const base = options.baseMs ?? DEFAULT_RETRY.baseMs;
  const cap = options.capMs ?? DEFAULT_RETRY.capMs;
  const random = options.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason;
      const throttled = isThrottle(err);
      if (n >= max || !(throttled || isTransient(err))) throw err;
      // Full jitter keeps concurrent queries from retrying in lockstep; never less than half the step, so a
      // burst of throttling really slows us down.
      const step = Math.min(cap, base * 2 ** (n - 1));
      const delayMs = Math.round(step / 2 + (random() * step) / 2);
      options.onRetry?.({ attempt: n, delayMs, code: errorCode(err), throttled });
      await clock.sleep(delayMs, options.signal);
    }
  }
}
