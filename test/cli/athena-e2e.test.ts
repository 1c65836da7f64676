// End to end: for the same trail, `generate --source athena` and `--source lake` (a local endpoint serving
// the rows their query would return) write the same policy as `generate --logs`. The rows are computed here
// from the trail's records by grouping them as the SQL does, independently of src/sources/sql/rows.ts.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { issuerMatches, parseRoleSpec, type RoleSpec } from '../../src/sources/role-match.js';
import { GROUP_COLUMNS } from '../../src/sources/sql/build-query.js';
import { endpointEnv, jsonError, startAwsEndpoint, type AwsEndpoint, type EndpointReply, type RecordedRequest } from '../support/aws-endpoint.js';
import { MINI_ROLE, miniTrail } from '../support/mini-trail.js';
import { CLI, repoPath } from '../support/paths.js';

const run = promisify(execFile);
const DEMO = repoPath('fixtures/demo/trail');
// The ARN without its path (the SQL matches it by name): the demo trail holds a same-named role of another
// account, which a bare name would now refuse as ambiguous.
const DEMO_ROLE = 'arn:aws:iam::123456789012:role/codebuild-demo-app-service-role';

type Rec = Record<string, any>;
type Row = Record<string, string | null>;

function trailRecords(dir: string): Rec[] {
  const out: Rec[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) return readdirSync(p).sort().forEach((f) => walk(join(p, f)));
    if (!/\.json(\.gz)?$/.test(p) || p.includes('Digest')) return;
    const raw = readFileSync(p);
    const doc = JSON.parse((p.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as { Records?: Rec[] };
    out.push(...(doc.Records ?? []));
  };
  walk(dir);
  return out;
}

const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** What the SQL's inner SELECT computes per event, for one engine. */
function columns(r: Rec, engine: 'athena' | 'lake'): Row {
  const ui = r.userIdentity ?? {};
  // Athena keeps requestParameters as its JSON text; Lake has a map<string,string> (nested values as JSON text).
  const rp =
    r.requestParameters == null
      ? null
      : engine === 'athena'
        ? JSON.stringify(r.requestParameters)
        : JSON.stringify(Object.fromEntries(Object.entries(r.requestParameters as Rec).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
  const resources = Array.isArray(r.resources)
    ? JSON.stringify(
        r.resources.map((x: Rec) => ({
          ARN: s(x.ARN ?? x.arn),
          accountId: s(x.accountId),
          type: s(x.type),
          ...(engine === 'lake' ? { ARNPrefix: s(x.ARNPrefix) } : {}),
        })),
      )
    : null;
  return {
    eventsource: s(r.eventSource),
    eventname: s(r.eventName),
    eventtype: s(r.eventType),
    errorcode: s(r.errorCode),
    awsregion: s(r.awsRegion),
    recipientaccountid: s(r.recipientAccountId),
    identitytype: s(ui.type),
    sessionarn: s(ui.arn),
    principalaccount: s(ui.accountId),
    invokedby: s(ui.invokedBy),
    issuerarn: s(ui.sessionContext?.sessionIssuer?.arn),
    requestparameters: rp,
    additionaleventdata: JSON.stringify({ repositoryName: s(r.additionalEventData?.repositoryName) }),
    resources,
  };
}

/** GROUP BY the group columns with count(*), min/max(eventtime) and arbitrary(eventid), as the engine would. */
function aggregateRows(records: Rec[], role: RoleSpec, engine: 'athena' | 'lake'): Row[] {
  const groups = new Map<string, { row: Row; n: number; first: string; last: string; id: string | null }>();
  for (const r of records) {
    const issuer = r.userIdentity?.sessionContext?.sessionIssuer?.arn;
    if (typeof issuer !== 'string' || !issuerMatches(role, issuer) || typeof r.eventTime !== 'string') continue;
    const row = columns(r, engine);
    const key = JSON.stringify(GROUP_COLUMNS.map((c) => row[c]));
    const g = groups.get(key) ?? { row, n: 0, first: r.eventTime, last: r.eventTime, id: s(r.eventID) };
    g.n += 1;
    if (r.eventTime < g.first) g.first = r.eventTime;
    if (r.eventTime > g.last) g.last = r.eventTime;
    groups.set(key, g);
  }
  const time = (t: string): string => (engine === 'athena' ? t : `${t.slice(0, 10)} ${t.slice(11, 19)}.000`);
  return [...groups.values()].map((g) => ({ ...g.row, events: String(g.n), firstseen: time(g.first), lastseen: time(g.last), sampleeventid: g.id }));
}

const OUT_COLUMNS = [...GROUP_COLUMNS, 'events', 'firstseen', 'lastseen', 'sampleeventid'];

function athenaHandler(rows: Row[]) {
  const info = OUT_COLUMNS.map((Name) => ({ Name, Type: Name === 'events' ? 'bigint' : 'varchar' }));
  const cell = (v: string | null): { VarCharValue?: string } => (v === null ? {} : { VarCharValue: v });
  return (req: RecordedRequest): EndpointReply => {
    switch (req.operation) {
      case 'GetTableMetadata':
        return { body: { TableMetadata: { Name: 'trail', PartitionKeys: ['account', 'region', 'timestamp'].map((Name) => ({ Name, Type: 'string' })) } } };
      case 'StartQueryExecution':
        return { body: { QueryExecutionId: 'q-e2e' } };
      case 'GetQueryExecution':
        return { body: { QueryExecution: { QueryExecutionId: 'q-e2e', Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 123_456_789 } } } };
      case 'GetQueryResults': {
        // Small pages, so paging is part of the run; the header row only on the first.
        const start = Number(req.body.NextToken ?? 0);
        const size = 7;
        const page = rows.slice(start, start + size).map((r) => ({ Data: OUT_COLUMNS.map((c) => cell(r[c])) }));
        const header = start === 0 ? [{ Data: OUT_COLUMNS.map((c) => ({ VarCharValue: c })) }] : [];
        const next = start + size < rows.length ? { NextToken: String(start + size) } : {};
        return { body: { ResultSet: { Rows: [...header, ...page], ResultSetMetadata: { ColumnInfo: info } }, ...next } };
      }
      default:
        return jsonError(400, 'InvalidRequestException', `unexpected ${req.operation}`);
    }
  };
}

function lakeHandler(rows: Row[]) {
  return (req: RecordedRequest): EndpointReply => {
    switch (req.operation) {
      case 'StartQuery':
        return { body: { QueryId: 'lq-e2e' } };
      case 'DescribeQuery':
        return { body: { QueryId: 'lq-e2e', QueryStatus: 'FINISHED', QueryStatistics: { BytesScanned: 42_000 } } };
      case 'GetQueryResults': {
        const start = Number(req.body.NextToken ?? 0);
        const size = 5;
        const page = rows.slice(start, start + size).map((r) => OUT_COLUMNS.filter((c) => r[c] !== null).map((c) => ({ [c]: r[c] as string })));
        return { body: { QueryStatus: 'FINISHED', QueryResultRows: page, ...(start + size < rows.length ? { NextToken: String(start + size) } : {}) } };
      }
      default:
        return jsonError(400, 'InvalidParameterException', `unexpected ${req.operation}`);
    }
  };
}

async function generate(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'cbiam-athena-e2e-'));
  try {
    await run(process.execPath, [CLI, 'generate', ...args, '--out', out, '--quiet'], { env, encoding: 'utf8' });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`generate ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
  return readFileSync(join(out, 'policy.json'), 'utf8');
}

let ep: AwsEndpoint | undefined;
afterEach(async () => {
  await ep?.close();
  ep = undefined;
});

const trails: Array<{ name: string; dir: () => string; role: string; present: boolean }> = [
  { name: 'the mini trail', dir: miniTrail, role: MINI_ROLE, present: true },
  { name: 'the demo trail (fixtures/demo)', dir: () => DEMO, role: DEMO_ROLE, present: existsSync(DEMO) },
  // Any other trail, e.g. the shared bench corpus: CBIAM_E2E_TRAIL=<dir> CBIAM_E2E_ROLE=<role> npx vitest run test/cli/athena-e2e.test.ts
  ...(process.env.CBIAM_E2E_TRAIL && process.env.CBIAM_E2E_ROLE
    ? [{ name: process.env.CBIAM_E2E_TRAIL, dir: () => process.env.CBIAM_E2E_TRAIL as string, role: process.env.CBIAM_E2E_ROLE, present: true }]
    : []),
];

describe.skipIf(!existsSync(CLI))('--source athena / lake vs --logs (needs `npm run build`)', () => {
  for (const t of trails) {
    describe.skipIf(!t.present)(t.name, () => {
      it('athena and lake give the same policy.json as the files source', async () => {
        const dir = t.dir();
        const records = trailRecords(dir);
        const times = records.map((r) => r.eventTime as string).filter(Boolean).sort();
        const since = times[0];
        const until = times[times.length - 1];
        const role = parseRoleSpec(t.role);
        const fromFiles = await generate(['--logs', dir, '--role', t.role, '--since', since, '--until', until]);

        const athenaRows = aggregateRows(records, role, 'athena');
        // Aggregation really happened (fewer rows than matched events) and is not trivial.
        const matched = athenaRows.reduce((n, r) => n + Number(r.events), 0);
        expect(athenaRows.length).toBeGreaterThan(0);
        expect(athenaRows.length).toBeLessThanOrEqual(matched);

        ep = await startAwsEndpoint(athenaHandler(athenaRows));
        const fromAthena = await generate(['--source', 'athena', '--athena-table', 'db.trail', '--role', t.role, '--since', since, '--until', until], endpointEnv(ep.url));
        expect(fromAthena).toBe(fromFiles);
        const sql = ep.requests.find((q) => q.operation === 'StartQueryExecution')?.body.QueryString as string;
        expect(sql).toContain('"timestamp"');
        expect(sql).toContain(role.path && role.path !== '/' ? `sessionissuer.arn = '${t.role}'` : `role/${role.name}'`);
        expect(ep.requests.filter((q) => q.operation === 'GetQueryResults').length).toBe(Math.max(1, Math.ceil(athenaRows.length / 7)));
        await ep.close();

        ep = await startAwsEndpoint(lakeHandler(aggregateRows(records, role, 'lake')));
        const fromLake = await generate(['--source', 'lake', '--event-data-store', 'EXAMPLE-f852-4e8f', '--role', t.role, '--since', since, '--until', until], endpointEnv(ep.url));
        expect(fromLake).toBe(fromFiles);
      });
    });
  }
});
