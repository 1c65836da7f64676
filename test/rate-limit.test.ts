// The token bucket and the retry loop on their own, with an injected clock.
import { describe, expect, it } from 'vitest';
import { RegionLimiters, TokenBucket, LOOKUP_EVENTS_RATE } from '../src/sources/rate-limit.js';
import { isThrottle, withRetries } from '../src/sources/rate-limit-retry.js';
import { FakeClock } from './support/lookup-server.js';

function awsError(name: string, status = 400): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

describe('TokenBucket', () => {
  it('spaces grants by the rate after the burst, in arrival order', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 2, clock });
    const order: number[] = [];
    const times = await Promise.all([0, 1, 2, 3, 4].map(async (i) => {
      const t = await bucket.take();
      order.push(i);
      return t;
    }));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(times).toEqual([0, 0, 500, 1000, 1500]);
    expect(bucket.granted).toBe(5);
  });

  it('the LookupEvents default allows at most 2 grants in any second', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ ...LOOKUP_EVENTS_RATE, clock });
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push(await bucket.take());
    for (let i = 2; i < times.length; i++) expect(times[i] - times[i - 2]).toBeGreaterThanOrEqual(1000);
    // ...and is not needlessly slow: 20 grants in under 10.5 s.
    expect(times[19]).toBeLessThan(10_500);
  });

  it('refills while idle but never beyond the burst', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 1, clock });
    await bucket.take();
    clock.t += 60_000;
    expect(await bucket.take()).toBe(60_000);
    expect(await bucket.take()).toBe(60_500);
  });

  it('an aborted waiter rejects and does not block the next', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1, clock });
    await bucket.take();
    const ctl = new AbortController();
    ctl.abort(new Error('stop'));
    await expect(bucket.take(ctl.signal)).rejects.toThrow('stop');
    expect(await bucket.take()).toBe(1000);
  });

  it('RegionLimiters: one bucket per region, regions independent', async () => {
    const clock = new FakeClock(0);
    const seen: string[] = [];
    const limiters = new RegionLimiters({ ratePerSecond: 1, burst: 1, clock }, (region, at) => seen.push(`${region}@${at}`));
    expect(limiters.for('eu-west-1')).toBe(limiters.for('eu-west-1'));
    await limiters.for('eu-west-1').take();
    await limiters.for('us-east-1').take();
    await limiters.for('eu-west-1').take();
    expect(seen).toEqual(['eu-west-1@0', 'us-east-1@0', 'eu-west-1@1000']);
  });
});

describe('withRetries', () => {
  it('retries throttling with doubling, capped backoff, then succeeds', async () => {
    const clock = new FakeClock(0);
    let n = 0;
    const got = await withRetries(
      async () => {
        if (++n <= 6) throw awsError('ThrottlingException');
        return 'ok';
      },
      { clock, random: () => 1 - Number.EPSILON, baseMs: 100, capMs: 1000 },
    );
    expect(got).toBe('ok');
    expect(clock.sleeps.map((s) => Math.round(s))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('retries 5xx and network errors, not client errors', async () => {
    const clock = new FakeClock(0);
    let n = 0;
    await withRetries(async () => {
      if (++n === 1) throw awsError('InternalFailure', 500);
      if (n === 2) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    }, { clock, random: () => 0 });
    expect(n).toBe(3);
    let m = 0;
    await expect(withRetries(async () => {
      m++;
      throw awsError('InvalidLookupAttributesException');
    }, { clock })).rejects.toThrow('InvalidLookupAttributesException');
    expect(m).toBe(1);
  });

  it('stops after maxAttempts with the last error', async () => {
    const clock = new FakeClock(0);
    let n = 0;
    await expect(withRetries(async () => {
      n++;
      throw awsError('TooManyRequestsException', 429);
    }, { clock, maxAttempts: 4 })).rejects.toThrow('TooManyRequestsException');
    expect(n).toBe(4);
    expect(isThrottle(awsError('Whatever', 429))).toBe(true);
    expect(isThrottle(awsError('AccessDeniedException'))).toBe(false);
  });
});
