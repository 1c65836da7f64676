// The Athena runner and source with the real @aws-sdk/client-athena against the local JSON 1.1 endpoint:
// lifecycle, paging (header on the first page only), typed columns, throttling, failures, Ctrl-C.
import { AthenaClient } from '@aws-sdk/client-athena';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsFailure, Interrupted, InvalidInput, NotFound, type CodebuildIamError } from '../../src/errors.js';
import { cliMessage } from '../../cli/report-error.js';
import { openAthena } from '../../src/sources/athena/athena-source.js';
import { runAthenaQuery } from '../../src/sources/athena/run-query.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import { ATHENA_MIN_BILLED_BYTES } from '../../src/sources/sql/cost.js';
import type { WeightedRecord } from '../../src/model.js';
import { jsonError, startAwsEndpoint, type AwsEndpoint, type EndpointReply, type RecordedRequest } from '../support/aws-endpoint.js';

let ep: AwsEndpoint | undefined;
afterEach(async () => {
  await ep?.close();
  ep = undefined;
});

function client(url: string): AthenaClient {
  // maxAttempts 1: the SDK's own retries are off, so the runner's retry is what is tested.
  return new AthenaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
}

const COLUMNS = [
  { Name: 'eventname', Type: 'varchar' },
  { Name: 'events', Type: 'bigint' },
  { Name: 'ratio', Type: 'double' },
  { Name: 'ok', Type: 'boolean' },
  { Name: 'errorcode', Type: 'varchar' },
];

/** Serves GetQueryResults for `n` data rows in pages, the header row first on page 1 only. */
function resultsPage(body: Record<string, unknown>, n: number): EndpointReply {
  const max = Number(body.MaxResults ?? 1000);
  const start = body.NextToken ? Number(body.NextToken) : 0;
  const header = start === 0 ? [{ Data: COLUMNS.map((c) => ({ VarCharValue: c.Name })) }] : [];
  // The header takes one of the first page's slots, as in Athena.
  const take = start === 0 ? max - 1 : max;
  const rows = [];
  for (let i = start; i < Math.min(n, start + take); i++) {
    rows.push({ Data: [{ VarCharValue: `Op${i}` }, { VarCharValue: String(i + 1) }, { VarCharValue: '0.5' }, { VarCharValue: i % 2 ? 'true' : 'false' }, i % 3 ? {} : { VarCharValue: 'AccessDenied' }] });
  }
  const next = start + take < n ? String(start + take) : undefined;
  return { body: { ResultSet: { Rows: [...header, ...rows], ResultSetMetadata: { ColumnInfo: COLUMNS } }, ...(next ? { NextToken: next } : {}), UpdateCount: 0 } };
}

function lifecycle(states: string[], opts: { rows?: number; bytes?: number; failure?: Record<string, unknown> } = {}) {
  let polls = 0;
  return (req: RecordedRequest): EndpointReply => {
    switch (req.operation) {
      case 'StartQueryExecution':
        return { body: { QueryExecutionId: 'q-1' } };
      case 'GetQueryExecution': {
        const state = states[Math.min(polls++, states.length - 1)];
        return {
          body: {
            QueryExecution: {
              QueryExecutionId: 'q-1',
              Status: { State: state, ...(state === 'FAILED' || state === 'CANCELLED' ? opts.failure ?? {} : {}) },
              Statistics: { DataScannedInBytes: state === 'SUCCEEDED' ? (opts.bytes ?? 0) : Math.floor((opts.bytes ?? 0) / 2) },
            },
          },
        };
      }
      case 'GetQueryResults':
        return resultsPage(req.body, opts.rows ?? 0);
      case 'StopQueryExecution':
        return { body: {} };
      default:
        return jsonError(400, 'InvalidRequestException', `unexpected ${req.operation}`);
    }
  };
}

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('runAthenaQuery', () => {
  it('polls QUEUED -> RUNNING -> SUCCEEDED, then pages results with the header row on the first page only', async () => {
    ep = await startAwsEndpoint(lifecycle(['QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED'], { rows: 2500, bytes: 3_000_000_000_000 }));
    const progress: string[] = [];
    const r = await runAthenaQuery(client(ep.url), 'SELECT 1', { workgroup: 'wg', outputLocation: 's3://out/x/', pollMs: 1, progress: (l) => progress.push(l), pricePerTb: 5 });
    const rows = await drain(r.rows);
    expect(r.queryId).toBe('q-1');
    expect(rows).toHaveLength(2500);
    expect(rows.map((x) => x.events)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(rows.some((x) => x.eventname === 'eventname')).toBe(false);
    // Typed columns: bigint and double are numbers, boolean is boolean, a missing value is null.
    expect(rows[0]).toEqual({ eventname: 'Op0', events: 1, ratio: 0.5, ok: false, errorcode: 'AccessDenied' });
    expect(rows[1]).toEqual({ eventname: 'Op1', events: 2, ratio: 0.5, ok: true, errorcode: null });
    const ops = ep.requests.map((q) => q.operation);
    expect(ops.filter((o) => o === 'GetQueryExecution')).toHaveLength(4);
    const pages = ep.requests.filter((q) => q.operation === 'GetQueryResults');
    expect(pages.map((p) => p.body.NextToken ?? null)).toEqual([null, '999', '1999']);
    expect(pages.every((p) => p.body.MaxResults === 1000)).toBe(true);
    const start = ep.requests.find((q) => q.operation === 'StartQueryExecution');
    expect(start?.body).toMatchObject({ QueryString: 'SELECT 1', WorkGroup: 'wg', ResultConfiguration: { OutputLocation: 's3://out/x/' } });
    // 3 TB at $5/TB.
    expect(r.bytesScanned).toBe(3_000_000_000_000);
    expect(r.costUsd).toBeCloseTo(15.0, 1);
    expect(progress.some((l) => l.includes('QUEUED'))).toBe(true);
    expect(progress.some((l) => /scanned 3\.00 TB \(\$15\.\d\d at \$5\.00\/TB\)/.test(l))).toBe(true);
  });

  it("bills Athena's 10 MB minimum for a small scan", async () => {
    ep = await startAwsEndpoint(lifecycle(['SUCCEEDED'], { rows: 0, bytes: 1234 }));
    const r = await runAthenaQuery(client(ep.url), 'SELECT 1', { pollMs: 1, pricePerTb: 5 });
    expect(await drain(r.rows)).toEqual([]);
    expect(r.bytesScanned).toBe(1234);
    expect(r.costUsd).toBeCloseTo((ATHENA_MIN_BILLED_BYTES / 1e12) * 5, 12);
  });

  it("a FAILED query is an error carrying Athena's reason; a missing table points to athena-ddl", async () => {
    ep = await startAwsEndpoint(
      lifecycle(['RUNNING', 'FAILED'], { failure: { StateChangeReason: "TABLE_NOT_FOUND: line 20:8: Table 'awsdatacatalog.db.t' does not exist", AthenaError: { ErrorCategory: 2, ErrorType: 1301 } } }),
    );
    const err = await runAthenaQuery(client(ep.url), 'SELECT 1', { pollMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFound);
    expect((err as Error).message).toContain("Table 'awsdatacatalog.db.t' does not exist");
    expect((err as Error).message).toContain('athena-ddl');
    await ep.close();

    ep = await startAwsEndpoint(lifecycle(['FAILED'], { failure: { StateChangeReason: 'INTERNAL_ERROR_QUERY_ENGINE: boom', AthenaError: { ErrorCategory: 1 } } }));
    const sys = await runAthenaQuery(client(ep.url), 'SELECT 1', { pollMs: 1 }).catch((e: unknown) => e);
    expect(sys).toBeInstanceOf(AwsFailure);
    expect((sys as Error).message).toContain('q-1 failed: INTERNAL_ERROR_QUERY_ENGINE: boom');
    await ep.close();

    ep = await startAwsEndpoint(lifecycle(['FAILED'], { failure: { StateChangeReason: "SYNTAX_ERROR: line 1:1: Column 'x' cannot be resolved", AthenaError: { ErrorCategory: 2 } } }));
    const user = await runAthenaQuery(client(ep.url), 'SELECT 1', { pollMs: 1 }).catch((e: unknown) => e);
    expect(user).toBeInstanceOf(InvalidInput);
    expect((user as Error).message).toContain("Column 'x' cannot be resolved");
  });

  it('a query CANCELLED by someone else is a runtime failure', async () => {
    ep = await startAwsEndpoint(lifecycle(['RUNNING', 'CANCELLED'], { failure: { StateChangeReason: 'Query cancelled by user' } }));
    const err = await runAthenaQuery(client(ep.url), 'SELECT 1', { pollMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsFailure);
    expect((err as Error).message).toMatch(/cancelled.*Query cancelled by user/);
    expect(ep.requests.some((q) => q.operation === 'StopQueryExecution')).toBe(false);
  });

  it('a workgroup without an output location is a usage error naming --athena-output', async () => {
    ep = await startAwsEndpoint((req) =>
      req.operation === 'StartQueryExecution'
        ? jsonError(400, 'InvalidRequestException', 'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.')
        : jsonError(400, 'InvalidRequestException', 'unexpected'),
    );
    const err = await runAthenaQuery(client(ep.url), 'SELECT 1', { workgroup: 'analysts' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect(cliMessage(err as CodebuildIamError)).toMatch(/workgroup analysts has no query result location; pass --athena-output/);
    expect((err as Error).message).toMatch(/workgroup analysts has no query result location; pass athenaOutput/);
  });

  it('retries ThrottlingException and TooManyRequestsException with backoff, then succeeds', async () => {
    let starts = 0;
    let pages = 0;
    const inner = lifecycle(['SUCCEEDED'], { rows: 3 });
    ep = await startAwsEndpoint((req) => {
      if (req.operation === 'StartQueryExecution' && starts++ < 2) return jsonError(400, 'ThrottlingException', 'Rate exceeded');
      if (req.operation === 'GetQueryResults' && pages++ < 1) return jsonError(400, 'TooManyRequestsException', 'slow down');
      return inner(req);
    });
    const r = await runAthenaQuery(client(ep.url), 'SELECT 1', { pollMs: 1, retryBaseMs: 20 });
    expect(await drain(r.rows)).toHaveLength(3);
    const startTimes = ep.requests.filter((q) => q.operation === 'StartQueryExecution').map((q) => q.at);
    expect(startTimes).toHaveLength(3);
    // Exponential: the second wait is at least as long as the first (20 ms, then 40 ms).
    expect(startTimes[1] - startTimes[0]).toBeGreaterThanOrEqual(15);
    expect(startTimes[2] - startTimes[1]).toBeGreaterThanOrEqual(35);
    expect(ep.requests.filter((q) => q.operation === 'GetQueryResults')).toHaveLength(2);
    // The retried starts share one idempotency token, so Athena runs the query once.
    const tokens = ep.requests.filter((q) => q.operation === 'StartQueryExecution').map((q) => q.body.ClientRequestToken);
    expect(new Set(tokens).size).toBe(1);
    expect(String(tokens[0])).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives up on throttling after the attempts run out', async () => {
    ep = await startAwsEndpoint(() => jsonError(400, 'ThrottlingException', 'Rate exceeded'));
    const err = await runAthenaQuery(client(ep.url), 'SELECT 1', { retryBaseMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsFailure);
    expect(ep.requests).toHaveLength(8);
  });

  it('Ctrl-C (abort) while the query runs calls StopQueryExecution for it', async () => {
    const controller = new AbortController();
    const inner = lifecycle(['QUEUED', 'RUNNING']);
    let polls = 0;
    ep = await startAwsEndpoint((req) => {
      if (req.operation === 'GetQueryExecution' && ++polls === 3) controller.abort();
      return inner(req);
    });
    const err = await runAthenaQuery(client(ep.url), 'SELECT 1', { pollMs: 5, signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Interrupted);
    expect((err as Error).message).toBe('interrupted; Athena query q-1 was stopped');
    const stop = ep.requests.filter((q) => q.operation === 'StopQueryExecution');
    expect(stop.map((s) => s.body)).toEqual([{ QueryExecutionId: 'q-1' }]);
  });
});

describe('openAthena', () => {
  const ROLE = 'arn:aws:iam::123456789012:role/service-role/cb-role';
  const row = (over: Record<string, string | undefined>): Record<string, string | undefined> => ({
    eventsource: 's3.amazonaws.com',
    eventname: 'GetObject',
    eventtype: 'AwsApiCall',
    errorcode: undefined,
    awsregion: 'us-east-1',
    recipientaccountid: '123456789012',
    identitytype: 'AssumedRole',
    sessionarn: 'arn:aws:sts::123456789012:assumed-role/cb-role/AWSCodeBuild-1111',
    principalaccount: '123456789012',
    invokedby: undefined,
    issuerarn: ROLE,
    requestparameters: '{"bucketName":"src","key":"a/b.zip"}',
    additionaleventdata: '{"repositoryName":null}',
    resources: '[{"ARN":"arn:aws:s3:::src/a/b.zip","accountId":null,"type":"AWS::S3::Object"}]',
    events: '7',
    firstseen: '2026-08-01T10:00:00Z',
    lastseen: '2026-08-01T10:30:00Z',
    sampleeventid: 'ev-1',
    ...over,
  });
  const cols = Object.keys(row({})).map((n) => ({ Name: n, Type: n === 'events' ? 'bigint' : 'varchar' }));

  function serve(rows: Array<Record<string, string | undefined>>, partitionKeys: string[] | 'denied', params: Record<string, string> = {}) {
    return (req: RecordedRequest): EndpointReply => {
      switch (req.operation) {
        case 'GetTableMetadata':
          if (partitionKeys === 'denied') return jsonError(400, 'AccessDeniedException', 'not allowed');
          return { body: { TableMetadata: { Name: 't', PartitionKeys: partitionKeys.map((Name) => ({ Name, Type: 'string' })), Parameters: params } } };
        case 'StartQueryExecution':
          return { body: { QueryExecutionId: 'q-9' } };
        case 'GetQueryExecution':
          return { body: { QueryExecution: { QueryExecutionId: 'q-9', Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 52_428_800 } } } };
        case 'GetQueryResults': {
          const header = { Data: cols.map((c) => ({ VarCharValue: c.Name })) };
          const data = rows.map((r) => ({ Data: cols.map((c) => (r[c.Name] === undefined ? {} : { VarCharValue: r[c.Name] })) }));
          return { body: { ResultSet: { Rows: [header, ...data], ResultSetMetadata: { ColumnInfo: cols } } } };
        }
        default:
          return jsonError(400, 'InvalidRequestException', `unexpected ${req.operation}`);
      }
    };
  }

  it('reads the partition keys, runs the query for the role and window, and returns weighted records', async () => {
    ep = await startAwsEndpoint(
      serve(
        [
          row({}),
          row({ eventname: 'PutObject', errorcode: 'AccessDenied', events: '2', requestparameters: '{"bucketName":"out","key":"x"}' }),
          // A row of another role (a broader LIKE could return it): counted as other-principal, not used.
          row({ issuerarn: 'arn:aws:iam::123456789012:role/other/cb-role', events: '5' }),
        ],
        ['region', 'year', 'month', 'day'],
      ),
    );
    const queries: string[] = [];
    const out = await openAthena(
      client(ep.url),
      { role: parseRoleSpec(ROLE), since: new Date('2026-08-01T00:00:00Z'), until: new Date('2026-08-01T12:00:00Z') },
      { table: 'security.trail', regions: ['us-east-1'], pollMs: 1, onQuery: (q) => queries.push(q) },
    );
    const records: WeightedRecord[] = await drain(out.records);
    const meta = ep.requests.find((q) => q.operation === 'GetTableMetadata');
    expect(meta?.body).toEqual({ CatalogName: 'AwsDataCatalog', DatabaseName: 'security', TableName: 'trail' });
    const sql = ep.requests.find((q) => q.operation === 'StartQueryExecution')?.body.QueryString as string;
    expect(sql).toBe(queries[0]);
    expect(sql).toContain(`(year = '2026' AND month = '08' AND day = '01')`);
    expect(sql).toContain(`region = 'us-east-1'`);
    expect(sql).not.toContain('"timestamp"');
    expect(records.map((r) => [r.record.eventName, r.count, r.firstSeen, r.lastSeen])).toEqual([
      ['GetObject', 7, '2026-08-01T10:00:00Z', '2026-08-01T10:30:00Z'],
      ['PutObject', 2, '2026-08-01T10:00:00Z', '2026-08-01T10:30:00Z'],
    ]);
    expect(records[0].record).toEqual({
      eventTime: '2026-08-01T10:30:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      eventType: 'AwsApiCall',
      awsRegion: 'us-east-1',
      eventID: 'ev-1',
      recipientAccountId: '123456789012',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::123456789012:assumed-role/cb-role/AWSCodeBuild-1111',
        accountId: '123456789012',
        sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE } },
      },
      requestParameters: { bucketName: 'src', key: 'a/b.zip' },
      resources: [{ ARN: 'arn:aws:s3:::src/a/b.zip', type: 'AWS::S3::Object' }],
    });
    expect(records[1].record.errorCode).toBe('AccessDenied');
    expect(records[0].origin).toBe('athena:q-9#1');
    expect(out.stats).toMatchObject({ records: 14, matched: 9, skipped: { 'other-principal': 5 } });
    expect(out.scanned).toEqual({ bytes: 52_428_800, costUsd: (52_428_800 / 1e12) * 5, engine: 'athena', queryId: 'q-9' });
  });

  it('assumes the athena-ddl layout when the table metadata cannot be read, and says so', async () => {
    ep = await startAwsEndpoint(serve([row({})], 'denied'));
    const out = await openAthena(client(ep.url), { role: parseRoleSpec(ROLE), since: new Date('2026-08-01T00:00:00Z') }, { table: 'db.t', pollMs: 1 });
    await drain(out.records);
    const sql = ep.requests.find((q) => q.operation === 'StartQueryExecution')?.body.QueryString as string;
    expect(sql).toContain(`"timestamp" >= '2026/08/01'`);
    expect(sql).toContain(`account = '123456789012'`);
    expect(out.warnings.join('\n')).toMatch(/could not read the partition keys of db\.t/);
  });

  it('refuses a name-only role on a table that injects its account, before any query runs', async () => {
    ep = await startAwsEndpoint(serve([], ['account', 'region', 'timestamp'], { 'projection.account.type': 'injected' }));
    const err = await openAthena(client(ep.url), { role: parseRoleSpec('cb-role') }, { table: 'db.t', pollMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect(ep.requests.some((q) => q.operation === 'StartQueryExecution')).toBe(false);
  });

  it('a missing table (GetTableMetadata) is a usage error naming the table', async () => {
    ep = await startAwsEndpoint((req) =>
      req.operation === 'GetTableMetadata' ? jsonError(400, 'MetadataException', 'Table not found: nope') : jsonError(400, 'InvalidRequestException', 'unexpected'),
    );
    const err = await openAthena(client(ep.url), { role: parseRoleSpec(ROLE) }, { table: 'db.nope', pollMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFound);
    expect((err as Error).message).toContain('the Athena table db.nope does not exist');
  });
});
