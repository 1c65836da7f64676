// The token bucket and the retry loop on their own, with an injected clock.
import { describe, expect, it } from 'vitest';
import { LOOKUP_EVENTS_LIMIT, RegionLimiters, TokenBucket } from '../../src/sources/rate-limit.js';
import { isThrottle, withRetries } from '../../src/sources/rate-limit-retry.js';
import { FakeClock } from '../support/lookup-server.js';

function awsError(name: string, status = 400): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/** Simulates requests that take `latencyMs` each, through the bucket, returning [grant, completion] times. */
async function requests(bucket: TokenBucket, clock: FakeClock, n: number, latencyMs: (i: number) => number): Promise<Array<[number, number]>> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const lease = await bucket.take();
      await clock.sleep(latencyMs(i));
      const end = clock.now();
      lease.done();
      return [lease.at, end] as [number, number];
    }),
  );
}

describe('TokenBucket', () => {
  it('grants the burst at once, then a token one window after a request completed, in arrival order', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ burst: 2, windowMs: 1000, clock });
    const order: number[] = [];
    const a = await bucket.take();
    const b = await bucket.take();
    expect([a.at, b.at]).toEqual([0, 0]);
    const third = bucket.take().then((l) => (order.push(3), l));
    const fourth = bucket.take().then((l) => (order.push(4), l));
    clock.t = 200;
    b.done(); // completes at 200: its token is back at 1200
    clock.t = 700;
    a.done(); // back at 1700
    expect((await third).at).toBe(1200);
    expect((await fourth).at).toBe(1700);
    expect(order).toEqual([3, 4]);
    expect(bucket.granted).toBe(4);
  });

  it('whatever the latency, any three requests arrive at least a window apart (first to last)', async () => {
    for (const latency of [() => 10, (i: number) => (i === 0 ? 300 : 5), (i: number) => (i % 3) * 150]) {
      const clock = new FakeClock(0);
      const bucket = new TokenBucket({ ...LOOKUP_EVENTS_LIMIT, clock });
      const spans = await requests(bucket, clock, 12, latency);
      // The server sees a request somewhere between its grant and its completion; take the worst case.
      for (let i = 0; i < spans.length; i++) {
        for (let j = 0; j < spans.length; j++) {
          for (let k = 0; k < spans.length; k++) {
            if (new Set([i, j, k]).size < 3) continue;
            const [x, y, z] = [spans[i], spans[j], spans[k]].sort((p, q) => p[0] - q[0]);
            // The latest-granted came a window after the completion of one of the other two.
            expect(z[0] >= x[1] + 1000 || z[0] >= y[1] + 1000).toBe(true);
          }
        }
      }
    }
  });

  it('an aborted waiter rejects and does not block the next', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ burst: 1, windowMs: 1000, clock });
    const first = await bucket.take();
    first.done();
    const ctl = new AbortController();
    ctl.abort(new Error('stop'));
    await expect(bucket.take(ctl.signal)).rejects.toThrow('stop');
    expect((await bucket.take()).at).toBe(1000);
  });

  it('RegionLimiters: one bucket per region, regions independent', async () => {
    const clock = new FakeClock(0);
    const seen: string[] = [];
    const limiters = new RegionLimiters({ burst: 1, windowMs: 1000, clock }, (region, at) => seen.push(`${region}@${at}`));
    expect(limiters.for('eu-west-1')).toBe(limiters.for('eu-west-1'));
    (await limiters.for('eu-west-1').take()).done();
    (await limiters.for('us-east-1').take()).done();
    (await limiters.for('eu-west-1').take()).done();
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
