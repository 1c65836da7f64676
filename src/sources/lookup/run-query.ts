// One LookupEvents query, every page of it: each request (retries included) takes a token from the region's
// bucket, and the NextToken goes back with exactly the parameters of the first request, as the API requires.
import { LookupEventsCommand, type LookupEventsCommandInput, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import type { RegionLimiters } from '../rate-limit.js';
import { withRetries, type RetryOptions } from '../rate-limit-retry.js';
import { awsFailure } from './aws-failure.js';
import type { LookupEvent } from './parse-event.js';
import type { LookupQuery } from './plan.js';

/** What we need of a CloudTrail client (the real one, created by the CLI for the region). */
export interface LookupClient {
  send(command: LookupEventsCommand, options?: { abortSignal?: AbortSignal }): Promise<LookupEventsCommandOutput>;
}

export const PAGE_SIZE = 50;

export interface QueryContext {
  clientFor: (region: string) => LookupClient;
  limiters: RegionLimiters;
  retry: RetryOptions;
  signal?: AbortSignal;
  /** After every page: the page's event count. */
  onPage?: (region: string, events: number) => void;
  /** After every throttled or failed attempt that will be retried. */
  onRetry?: (region: string, code: string, delayMs: number) => void;
}

export function requestFor(q: LookupQuery): LookupEventsCommandInput {
  return {
    ...(q.attribute ? { LookupAttributes: [{ AttributeKey: q.attribute.key, AttributeValue: q.attribute.value }] } : {}),
    StartTime: new Date(q.startMs),
    EndTime: new Date(q.endMs),
    MaxResults: PAGE_SIZE,
  };
}

/** Every event of the query, page by page. Throws an AwsFailure naming the permission on AWS errors. */
export async function* runQuery(ctx: QueryContext, q: LookupQuery): AsyncGenerator<LookupEvent[]> {
  const client = ctx.clientFor(q.region);
  const bucket = ctx.limiters.for(q.region);
  const base = requestFor(q);
  let nextToken: string | undefined;
  do {
    const input: LookupEventsCommandInput = nextToken ? { ...base, NextToken: nextToken } : base;
    let out: LookupEventsCommandOutput;
    try {
      out = await withRetries(
        async () => {
          const lease = await bucket.take(ctx.signal);
          try {
            return await client.send(new LookupEventsCommand(input), { abortSignal: ctx.signal });
          } finally {
            lease.done();
          }
        },
        { ...ctx.retry, signal: ctx.signal, onRetry: (i) => ctx.onRetry?.(q.region, i.code, i.delayMs) },
      );
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      throw awsFailure(err, 'cloudtrail:LookupEvents', q.region);
    }
    const events = out.Events ?? [];
    ctx.onPage?.(q.region, events.length);
    yield events;
    // A token that repeats would loop forever; the API never does that, a broken proxy might.
    nextToken = out.NextToken && out.NextToken !== nextToken ? out.NextToken : undefined;
  } while (nextToken);
}
