// The CloudTrail Lake runner and source with the real @aws-sdk/client-cloudtrail against the local JSON 1.1
// endpoint: lifecycle, paging, throttling, failures, Ctrl-C, and rows back to records.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsFailure, InvalidInput, NotFound, type CodebuildIamError } from '../../src/errors.js';
import { cliMessage } from '../../cli/report-error.js';
import { openLake } from '../../src/sources/lake/lake-source.js';
import { runLakeQuery } from '../../src/sources/lake/run-query.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import { jsonError, startAwsEndpoint, type AwsEndpoint, type EndpointReply, type RecordedRequest } from '../support/aws-endpoint.js';

let ep: AwsEndpoint | undefined;
afterEach(async () => {
  await ep?.close();
  ep = undefined;
});

function client(url: string): CloudTrailClient {
  return new CloudTrailClient({ endpoint: url, region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
}

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

type Row = Array<Record<string, string>>;

function lifecycle(states: string[], rows: Row[], opts: { bytes?: number; error?: string } = {}) {
  let polls = 0;
  return (req: RecordedRequest): EndpointReply => {
    switch (req.operation) {
      case 'StartQuery':
        return { body: { QueryId: 'lq-1' } };
      case 'DescribeQuery': {
        const state = states[Math.min(polls++, states.length - 1)];
        return { body: { QueryId: 'lq-1', QueryStatus: state, QueryStatistics: { BytesScanned: opts.bytes ?? 0 }, ...(opts.error ? { ErrorMessage: opts.error } : {}) } };
      }
      case 'GetQueryResults': {
        const max = Number(req.body.MaxQueryResults ?? 1000);
        const start = req.body.NextToken ? Number(req.body.NextToken) : 0;
        const next = start + max < rows.length ? String(start + max) : undefined;
        return { body: { QueryStatus: 'FINISHED', QueryResultRows: rows.slice(start, start + max), ...(next ? { NextToken: next } : {}) } };
      }
      case 'CancelQuery':
        return { body: { QueryId: 'lq-1', QueryStatus: 'CANCELLED' } };
      default:
        return jsonError(400, 'InvalidParameterException', `unexpected ${req.operation}`);
    }
  };
}

describe('runLakeQuery', () => {
  it('polls QUEUED -> RUNNING -> FINISHED and pages rows of {column: value} maps (no header row)', async () => {
    const rows: Row[] = Array.from({ length: 1500 }, (_, i): Row => [{ eventName: `Op${i}` }, { events: String(i + 1) }]);
    ep = await startAwsEndpoint(lifecycle(['QUEUED', 'RUNNING', 'FINISHED'], rows, { bytes: 2_000_000_000 }));
    const progress: string[] = [];
    const r = await runLakeQuery(client(ep.url), 'SELECT 1', { pollMs: 1, pricePerTb: 5, progress: (l) => progress.push(l) });
    const got = await drain(r.rows);
    expect(got).toHaveLength(1500);
    expect(got[0]).toEqual({ eventname: 'Op0', events: '1' });
    expect(got[1499]).toEqual({ eventname: 'Op1499', events: '1500' });
    expect(ep.requests.filter((q) => q.operation === 'GetQueryResults').map((q) => q.body.NextToken ?? null)).toEqual([null, '1000']);
    expect(ep.requests.find((q) => q.operation === 'StartQuery')?.body).toEqual({ QueryStatement: 'SELECT 1' });
    expect(r.bytesScanned).toBe(2_000_000_000);
    expect(r.costUsd).toBeCloseTo(0.01, 6);
    expect(progress.some((l) => l.includes('lake: query lq-1 QUEUED'))).toBe(true);
  });

  it('FAILED carries Lake\'s message; TIMED_OUT and CANCELLED are runtime failures', async () => {
    ep = await startAwsEndpoint(lifecycle(['RUNNING', 'FAILED'], [], { error: 'Column eventtimes does not exist' }));
    const failed = await runLakeQuery(client(ep.url), 'SELECT 1', { pollMs: 1 }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(InvalidInput);
    expect((failed as Error).message).toBe('CloudTrail Lake query lq-1 failed: Column eventtimes does not exist');
    for (const state of ['TIMED_OUT', 'CANCELLED']) {
      await ep.close();
      ep = await startAwsEndpoint(lifecycle([state], []));
      const err = await runLakeQuery(client(ep.url), 'SELECT 1', { pollMs: 1 }).catch((e: unknown) => e);
      expect(err, state).toBeInstanceOf(AwsFailure);
      expect((err as Error).message).toMatch(state === 'TIMED_OUT' ? /timed out/ : /cancelled outside this run/);
    }
  });

  it('an unknown event data store is a usage error', async () => {
    ep = await startAwsEndpoint(() => jsonError(400, 'EventDataStoreNotFoundException', 'The specified event data store was not found.'));
    const err = await runLakeQuery(client(ep.url), 'SELECT 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFound);
    expect(cliMessage(err as CodebuildIamError)).toMatch(/event data store was not found.*--event-data-store/);
    expect((err as NotFound).fields.option).toBe('eventDataStore');
  });

  it('retries throttling on every call, then succeeds', async () => {
    const inner = lifecycle(['FINISHED'], [[{ eventName: 'A' }]]);
    const seen = new Map<string, number>();
    ep = await startAwsEndpoint((req) => {
      const n = (seen.get(req.operation) ?? 0) + 1;
      seen.set(req.operation, n);
      if (n === 1) return jsonError(400, req.operation === 'StartQuery' ? 'ThrottlingException' : 'TooManyRequestsException', 'slow down');
      return inner(req);
    });
    const r = await runLakeQuery(client(ep.url), 'SELECT 1', { pollMs: 1, retryBaseMs: 5 });
    expect(await drain(r.rows)).toEqual([{ eventname: 'A' }]);
    expect(Object.fromEntries(seen)).toEqual({ StartQuery: 2, DescribeQuery: 2, GetQueryResults: 2 });
  });

  it('Ctrl-C (abort) while the query runs calls CancelQuery for it', async () => {
    const controller = new AbortController();
    const inner = lifecycle(['RUNNING'], []);
    ep = await startAwsEndpoint((req) => {
      if (req.operation === 'DescribeQuery') controller.abort();
      return inner(req);
    });
    const err = await runLakeQuery(client(ep.url), 'SELECT 1', { pollMs: 5, signal: controller.signal }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('interrupted; CloudTrail Lake query lq-1 was cancelled');
    expect(ep.requests.filter((q) => q.operation === 'CancelQuery').map((q) => q.body)).toEqual([{ QueryId: 'lq-1' }]);
  });

  it('refuses statements over Lake\'s 10,000 characters before calling AWS', async () => {
    ep = await startAwsEndpoint(lifecycle(['FINISHED'], []));
    await expect(runLakeQuery(client(ep.url), `SELECT '${'x'.repeat(10_000)}'`)).rejects.toThrow(InvalidInput);
    expect(ep.requests).toHaveLength(0);
  });
});

describe('openLake', () => {
  const ROLE = 'arn:aws:iam::123456789012:role/service-role/cb-role';
  it('queries the store by its ID and turns Lake rows (timestamps, map JSON) into weighted records', async () => {
    const row: Row = [
      { eventsource: 'logs.amazonaws.com' },
      { eventname: 'CreateLogStream' },
      { eventtype: 'AwsApiCall' },
      { awsregion: 'eu-west-1' },
      { recipientaccountid: '123456789012' },
      { identitytype: 'AssumedRole' },
      { sessionarn: 'arn:aws:sts::123456789012:assumed-role/cb-role/AWSCodeBuild-2222' },
      { principalaccount: '123456789012' },
      { issuerarn: ROLE },
      // Lake's map<string,string> keeps nested values as JSON text.
      { requestparameters: '{"logGroupName":"/aws/codebuild/app","logStreamName":"x/y","tags":"{\\"a\\":\\"b\\"}"}' },
      { additionaleventdata: '{"repositoryName":null}' },
      { resources: '[]' },
      { events: '3' },
      { firstseen: '2026-08-01 10:00:00.000' },
      { lastseen: '2026-08-01 10:05:30.000' },
      { sampleeventid: 'ev-9' },
    ];
    ep = await startAwsEndpoint(lifecycle(['FINISHED'], [row], { bytes: 1_000_000 }));
    const out = await openLake(
      client(ep.url),
      { role: parseRoleSpec(ROLE), since: new Date('2026-08-01T00:00:00Z'), until: new Date('2026-08-02T00:00:00Z') },
      { eventDataStore: 'arn:aws:cloudtrail:eu-west-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f', pollMs: 1 },
    );
    const records = await drain(out.records);
    const sql = ep.requests.find((q) => q.operation === 'StartQuery')?.body.QueryStatement as string;
    expect(sql).toContain('FROM EXAMPLE-f852-4e8f\n');
    expect(sql).toContain(`eventTime >= timestamp '2026-08-01 00:00:00'`);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ count: 3, firstSeen: '2026-08-01T10:00:00Z', lastSeen: '2026-08-01T10:05:30Z', origin: 'lake:lq-1#1' });
    expect(records[0].record.requestParameters).toEqual({ logGroupName: '/aws/codebuild/app', logStreamName: 'x/y', tags: { a: 'b' } });
    expect(records[0].record.resources).toEqual([]);
    expect(records[0].record.additionalEventData).toBeUndefined();
    expect(out.stats).toMatchObject({ records: 3, matched: 3 });
    expect(out.scanned).toMatchObject({ bytes: 1_000_000, engine: 'lake', queryId: 'lq-1' });
    expect(out.scanned?.costUsd).toBeCloseTo(5e-6, 12);
  });
});
