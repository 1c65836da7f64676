// The LookupEvents source with the real CloudTrail client against the local endpoint: pagination, the
// queries made (attribute, window, regions), the minimum number of calls, throttling, expired credentials,
// malformed events, fallback to a window scan, dedupe, and the per-region rate.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsFailure, InvalidInput, type CodebuildIamError } from '../../src/errors.js';
import { EXIT_OF } from '../../cli/report-error.js';
import type { BuildInfo, WeightedRecord } from '../../src/model.js';
import { LOOKUP_EVENTS_LIMIT, RegionLimiters } from '../../src/sources/rate-limit.js';
import { DATA_EVENTS_WARNING, openLookup, type LookupOptions } from '../../src/sources/lookup/lookup-source.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import { jsonError, startAwsEndpoint, type AwsEndpoint, type RecordedRequest } from '../support/aws-endpoint.js';
import { assumedRoleRecord, FakeClock, lookupHandler, storedFromRecord, type LookupServerOptions, type StoredEvent } from '../support/lookup-server.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-service-role';

let endpoint: AwsEndpoint | undefined;
const allClients: CloudTrailClient[] = [];
afterEach(async () => {
  for (const c of allClients.splice(0)) c.destroy();
  await endpoint?.close();
  endpoint = undefined;
});

function build(uuid: string, startMs: number, endMs: number | undefined, status = 'SUCCEEDED'): BuildInfo {
  return {
    id: `demo:${uuid}`,
    projectName: 'demo',
    uuid,
    startTime: new Date(startMs).toISOString(),
    endTime: endMs === undefined ? undefined : new Date(endMs).toISOString(),
    status,
    region: 'eu-west-1',
  };
}

const B1 = build('11111111-1111-4111-8111-111111111111', NOW - 3 * 3600e3, NOW - 3 * 3600e3 + 10 * 60e3);
const B2 = build('22222222-2222-4222-8222-222222222222', NOW - 2 * 3600e3, NOW - 2 * 3600e3 + 8 * 60e3);

/** n events of a build's session in a region, spread over its run. */
function sessionEvents(b: BuildInfo, region: string, n: number, opts: { role?: string; prefix?: string; session?: string } = {}): StoredEvent[] {
  const start = Date.parse(b.startTime as string);
  const session = opts.session ?? `AWSCodeBuild-${b.uuid}`;
  return Array.from({ length: n }, (_, i) =>
    storedFromRecord(
      assumedRoleRecord({
        role: opts.role,
        session,
        eventName: i % 2 ? 'GetParameters' : 'GetAuthorizationToken',
        eventSource: i % 2 ? 'ssm.amazonaws.com' : 'ecr.amazonaws.com',
        timeMs: start + 1000 * (i + 1),
        region,
        eventId: `${opts.prefix ?? b.uuid.slice(0, 4)}-${region}-${String(i).padStart(4, '0')}`,
      }),
      session,
    ),
  );
}

async function serve(o: LookupServerOptions): Promise<AwsEndpoint> {
  endpoint = await startAwsEndpoint(lookupHandler(o));
  return endpoint;
}

function clients(url: string): (region: string) => CloudTrailClient {
  const made = new Map<string, CloudTrailClient>();
  return (region) => {
    let c = made.get(region);
    if (!c) {
      c = new CloudTrailClient({ region, endpoint: url, maxAttempts: 1, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
      made.set(region, c);
      allClients.push(c);
    }
    return c;
  };
}

async function drain(records: AsyncIterable<WeightedRecord>): Promise<WeightedRecord[]> {
  const out: WeightedRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

interface Run {
  records: WeightedRecord[];
  warnings: string[];
  stats: ReturnType<typeof openLookup>['stats'];
  grants: Map<string, number[]>;
  clock: FakeClock;
  lookups: RecordedRequest[];
}

async function run(url: string, o: Partial<LookupOptions> & { builds?: BuildInfo[] }): Promise<Run> {
  const clock = new FakeClock(NOW);
  const grants = new Map<string, number[]>();
  const limiters = new RegionLimiters({ ...LOOKUP_EVENTS_LIMIT, clock }, (region, at) => grants.set(region, [...(grants.get(region) ?? []), at]));
  const out = openLookup({
    role: parseRoleSpec(ROLE),
    clientFor: clients(url),
    regions: ['eu-west-1'],
    clock,
    limiters,
    retry: { random: () => 0.5 },
    ...o,
  });
  const records = await drain(out.records);
  return { records, warnings: out.warnings, stats: out.stats, grants, clock, lookups: (endpoint as AwsEndpoint).requests.filter((r) => r.operation === 'LookupEvents') };
}

/** The fewest LookupEvents calls that can return these events: per (session, region), one page per 50, at least one. */
function minimumCalls(counts: number[]): number {
  return counts.reduce((sum, n) => sum + Math.max(1, Math.ceil(n / 50)), 0);
}

function attr(r: RecordedRequest): string | undefined {
  const a = r.body.LookupAttributes as Array<{ AttributeKey: string; AttributeValue: string }> | undefined;
  return a?.length ? `${a[0].AttributeKey}=${a[0].AttributeValue}` : undefined;
}

describe('LookupEvents by build session', () => {
  it('pages with NextToken under identical parameters and makes the minimum number of calls', async () => {
    // B1: 120 events in eu-west-1 (3 pages), 7 in us-east-1; B2: 50 in eu-west-1 (exactly one page), none in us-east-1.
    const events = [...sessionEvents(B1, 'eu-west-1', 120), ...sessionEvents(B1, 'us-east-1', 7), ...sessionEvents(B2, 'eu-west-1', 50)];
    const ep = await serve({ events });
    const lines: string[] = [];
    const r = await run(ep.url, { builds: [B1, B2], progress: (l) => lines.push(l) });

    expect(r.records).toHaveLength(177);
    // Progress counts events, pages, regions and queries; the last line is the total.
    expect(lines.at(-1)).toBe('lookup: 177 events in 6 pages from 2/2 regions, 4/4 queries, 177 of the role');
    expect(r.stats.records).toBe(177);
    expect(r.stats.matched).toBe(177);
    const expected = minimumCalls([120, 7, 50, 0]);
    expect(expected).toBe(6);
    expect(r.lookups).toHaveLength(expected);

    // Every request: one Username attribute, the build's window (start - 5 min .. end + 15 min), 50 a page.
    for (const q of r.lookups) {
      const b = attr(q)?.endsWith(B1.uuid) ? B1 : B2;
      expect(attr(q)).toBe(`Username=AWSCodeBuild-${b.uuid}`);
      expect(q.body.StartTime).toBe((Date.parse(b.startTime as string) - 5 * 60e3) / 1000);
      expect(q.body.EndTime).toBe((Date.parse(b.endTime as string) + 15 * 60e3) / 1000);
      expect(q.body.MaxResults).toBe(50);
    }
    expect([...new Set(r.lookups.map((q) => q.region))].sort()).toEqual(['eu-west-1', 'us-east-1']);
    // Follow-up pages repeat the first request's parameters exactly (the server refuses the token otherwise).
    const follow = r.lookups.filter((q) => q.body.NextToken !== undefined);
    expect(follow).toHaveLength(2);
    for (const f of follow) {
      const { NextToken: _n, ...rest } = f.body;
      const first = r.lookups.find((q) => q.body.NextToken === undefined && attr(q) === attr(f) && q.region === f.region);
      expect(first?.body).toEqual(rest);
    }
    // Same records as the file reader would give: parsed CloudTrailEvent, sorted by time, origin names the region.
    expect(r.records[0].record.userIdentity?.sessionContext?.sessionIssuer?.arn).toBe(ROLE);
    expect(r.records.map((x) => x.record.eventTime)).toEqual([...r.records.map((x) => x.record.eventTime)].sort());
    expect(r.records.filter((x) => x.origin === 'lookup:us-east-1')).toHaveLength(7);
    expect(r.warnings).toContain(DATA_EVENTS_WARNING);
    expect(r.warnings.join('\n')).not.toMatch(/instead/);
  });

  it('skips malformed CloudTrailEvent strings with their EventId, and stops on them with strict', async () => {
    const good = sessionEvents(B1, 'eu-west-1', 3);
    const bad: StoredEvent[] = [
      { ...good[0], eventId: 'bad-json-1', cloudTrailEvent: '{"eventVersion": "1.08", "userIdent' },
      { ...good[0], eventId: 'bad-shape-2', cloudTrailEvent: '[1,2,3]' },
      { ...good[0], eventId: 'no-time-3', cloudTrailEvent: JSON.stringify({ userIdentity: {}, eventName: 'X' }) },
    ];
    // Two events without any ID are two events, not a duplicate.
    const noIds = good.slice(1).map((e) => ({ ...e, eventId: undefined as unknown as string, cloudTrailEvent: e.cloudTrailEvent.replace(/"eventID":"[^"]+",?/, '') }));
    const ep = await serve({ events: [good[0], ...noIds, ...bad] });
    const r = await run(ep.url, { builds: [B1] });
    expect(r.records).toHaveLength(3);
    expect(r.stats.records).toBe(6);
    expect(r.stats.skipped).toEqual({ 'not-json': 1, 'wrong-shape': 1, 'missing-event-time': 1 });
    expect(r.stats.matched + Object.values(r.stats.skipped).reduce((a, b) => a + (b ?? 0), 0)).toBe(r.stats.records);
    expect(r.stats.notes.find((n) => n.reason === 'not-json')?.where).toBe('lookup:eu-west-1 event bad-json-1');

    for (const c of allClients.splice(0)) c.destroy();
    await endpoint?.close();
    const ep2 = await serve({ events: [...good, ...bad] });
    await expect(run(ep2.url, { builds: [B1], strict: true })).rejects.toThrow(InvalidInput);
  });

  it('keeps only the role and the window client-side, and counts what it dropped', async () => {
    const mine = sessionEvents(B1, 'eu-west-1', 4);
    const otherRole = sessionEvents(B1, 'eu-west-1', 2, { role: 'someone-else', prefix: 'oth' });
    const ep = await serve({ events: [...mine, ...otherRole] });
    // The user's window cuts the build's span: only events up to start + 2.5 s remain.
    const r = await run(ep.url, { builds: [B1], since: new Date(Date.parse(B1.startTime as string) - 60e3), until: new Date(Date.parse(B1.startTime as string) + 2500) });
    expect(r.records.map((x) => x.record.eventID)).toEqual(mine.slice(0, 2).map((e) => e.eventId));
    expect(r.stats.skipped['other-principal']).toBe(2);
    // The request window is already narrowed to the user's window.
    expect(r.lookups[0].body.EndTime).toBe((Date.parse(B1.startTime as string) + 2500) / 1000);
  });
});

describe('fallback, dedupe, regions', () => {
  it('reads the build window with no attribute when the session name finds nothing, and says so', async () => {
    // The session name is not AWSCodeBuild-<uuid> here; another principal's events share the window.
    const odd = sessionEvents(B1, 'eu-west-1', 60, { session: 'some-other-session', prefix: 'odd' });
    const noise = sessionEvents(B1, 'eu-west-1', 30, { role: 'another-role', prefix: 'noise' });
    const ep = await serve({ events: [...odd, ...noise] });
    const r = await run(ep.url, { builds: [B1] });
    expect(r.records).toHaveLength(60);
    expect(r.stats.skipped['other-principal']).toBe(30);
    const scans = r.lookups.filter((q) => attr(q) === undefined);
    // 90 events in eu-west-1 (2 pages) + an empty us-east-1: 3 scan calls after 2 empty session probes and
    // 2 empty AssumeRole probes (ResourceName = the role ARN).
    expect(r.lookups.filter((q) => attr(q)?.startsWith('Username='))).toHaveLength(2);
    expect(r.lookups.filter((q) => attr(q) === `ResourceName=${ROLE}`)).toHaveLength(2);
    expect(scans).toHaveLength(3);
    expect(scans.every((q) => q.body.StartTime === (Date.parse(B1.startTime as string) - 5 * 60e3) / 1000)).toBe(true);
    expect(r.warnings.some((w) => w.includes(B1.id) && /read every event/.test(w) && w.includes('60 found'))).toBe(true);
  });

  it('follows the session name of the role\'s AssumeRole when it is not AWSCodeBuild-<uuid>, without a scan', async () => {
    const session = 'codebuild-custom-session';
    const odd = sessionEvents(B1, 'eu-west-1', 60, { session, prefix: 'odd' });
    const noise = sessionEvents(B1, 'eu-west-1', 30, { role: 'another-role', prefix: 'noise', session: 'another-session' });
    const assume = {
      eventVersion: '1.08',
      userIdentity: { type: 'AWSService', invokedBy: 'codebuild.amazonaws.com' },
      eventTime: new Date(Date.parse(B1.startTime as string) - 30e3).toISOString(),
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      awsRegion: 'us-east-1',
      requestParameters: { roleArn: ROLE, roleSessionName: session },
      resources: [{ ARN: ROLE, type: 'AWS::IAM::Role' }],
      eventID: 'assume-1',
    };
    const ev: StoredEvent = { ...storedFromRecord(assume, ''), resourceNames: [ROLE] };
    const ep = await serve({ events: [...odd, ...noise, ev] });
    const r = await run(ep.url, { builds: [B1] });
    expect(r.records).toHaveLength(60);
    expect(r.lookups.filter((q) => attr(q) === undefined)).toHaveLength(0);
    expect(r.lookups.map((q) => `${q.region} ${attr(q)}`).sort()).toEqual(
      [
        `eu-west-1 Username=AWSCodeBuild-${B1.uuid}`,
        `us-east-1 Username=AWSCodeBuild-${B1.uuid}`,
        `eu-west-1 ResourceName=${ROLE}`,
        `us-east-1 ResourceName=${ROLE}`,
        `eu-west-1 Username=${session}`,
        `eu-west-1 Username=${session}`,
        `us-east-1 Username=${session}`,
      ].sort(),
    );
    expect(r.warnings.some((w) => w.includes(`${B1.id} (session ${session})`))).toBe(true);
    // The AssumeRole itself is CodeBuild's call, not the role's.
    expect(r.stats.skipped['other-principal']).toBe(1);
  });

  it('merges overlapping build windows into one scan and counts events seen twice once', async () => {
    const b3 = build('33333333-3333-4333-8333-333333333333', Date.parse(B1.startTime as string) + 60e3, Date.parse(B1.endTime as string) + 60e3);
    const odd = sessionEvents(B1, 'eu-west-1', 5, { session: 'x-session', prefix: 'x' });
    const ep = await serve({ events: odd });
    const r = await run(ep.url, { builds: [B1, b3], regions: ['eu-west-1'] });
    const scans = r.lookups.filter((q) => attr(q) === undefined);
    expect(scans).toHaveLength(2); // one merged window per region
    expect(r.records).toHaveLength(5);
    expect(new Set(r.records.map((x) => x.record.eventID)).size).toBe(5);
  });

  it('dedupes an event returned by two queries by eventID', async () => {
    const ev = sessionEvents(B1, 'eu-west-1', 2);
    // The same event appears under two builds' session names (a replayed record).
    const twin = { ...ev[0], username: `AWSCodeBuild-${B2.uuid}`, timeMs: Date.parse(B2.startTime as string) + 1000 };
    const ep = await serve({ events: [...ev, twin] });
    const r = await run(ep.url, { builds: [B1, B2] });
    expect(r.records.filter((x) => x.record.eventID === ev[0].eventId)).toHaveLength(1);
    expect(r.warnings.some((w) => /counted once/.test(w))).toBe(true);
  });

  it('queries every region given plus us-east-1, and the partition global region elsewhere', async () => {
    const ep = await serve({ events: sessionEvents(B1, 'ap-south-1', 1) });
    const r = await run(ep.url, { builds: [B1], regions: ['eu-west-1', 'ap-south-1'] });
    expect([...new Set(r.lookups.map((q) => q.region))].sort()).toEqual(['ap-south-1', 'eu-west-1', 'us-east-1']);
    expect(r.records).toHaveLength(1);
    for (const c of allClients.splice(0)) c.destroy();
    await endpoint?.close();
    const ep2 = await serve({ events: [] });
    const cn = await run(ep2.url, { builds: [{ ...B1, region: 'cn-northwest-1' }], regions: ['cn-northwest-1'], partition: 'aws-cn', role: parseRoleSpec('codebuild-demo-service-role') });
    expect([...new Set(cn.lookups.map((q) => q.region))].sort()).toEqual(['cn-north-1', 'cn-northwest-1']);
  });

  it('without builds reads the --since window with no attribute, and refuses an unbounded one', async () => {
    const ep = await serve({ events: sessionEvents(B1, 'eu-west-1', 3) });
    const r = await run(ep.url, { since: new Date(NOW - 6 * 3600e3) });
    expect(r.records).toHaveLength(3);
    expect(r.lookups.every((q) => attr(q) === undefined && q.body.EndTime === NOW / 1000)).toBe(true);
    expect(r.warnings.some((w) => /no builds to look up/.test(w))).toBe(true);
    expect(() => openLookup({ role: parseRoleSpec(ROLE), clientFor: clients(ep.url), regions: ['eu-west-1'] })).toThrow(/without project or build would read every event/);
  });

  it('looks up a running build up to now', async () => {
    const running = build('44444444-4444-4444-8444-444444444444', NOW - 10 * 60e3, undefined, 'IN_PROGRESS');
    const ep = await serve({ events: sessionEvents(running, 'eu-west-1', 2) });
    const r = await run(ep.url, { builds: [running] });
    expect(r.records).toHaveLength(2);
    expect(r.lookups[0].body.EndTime).toBe(NOW / 1000);
  });
});

describe('throttling, failures and rate', () => {
  it('retries a ThrottlingException burst with growing backoff, each retry behind the bucket', async () => {
    const events = sessionEvents(B1, 'eu-west-1', 75);
    const ep = await serve({
      events,
      intercept: (req, n) => (req.region === 'eu-west-1' && n <= 4 ? jsonError(400, 'ThrottlingException', 'Rate exceeded') : undefined),
    });
    const r = await run(ep.url, { builds: [B1] });
    expect(r.records).toHaveLength(75);
    const eu = r.lookups.filter((q) => q.region === 'eu-west-1');
    expect(eu).toHaveLength(4 + 2); // 4 throttled, then 2 pages
    // Backoff sleeps of 375, 750, 1500, 3000 ms (half plus half of a doubling step, random fixed at 0.5).
    for (const d of [375, 750, 1500, 3000]) expect(r.clock.sleeps).toContain(d);
    // Every attempt took a token: grants equal requests, per region.
    for (const region of ['eu-west-1', 'us-east-1']) expect(r.grants.get(region)?.length).toBe(r.lookups.filter((q) => q.region === region).length);
  });

  it('gives up on throttling that never ends with a one-line failure', async () => {
    const ep = await serve({ events: [], intercept: () => jsonError(400, 'ThrottlingException', 'Rate exceeded') });
    const err = await run(ep.url, { builds: [B1], retry: { random: () => 0, maxAttempts: 3 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsFailure);
    expect(EXIT_OF[(err as CodebuildIamError).kind]).toBe(3);
    expect((err as Error).message).toMatch(/throttling cloudtrail:LookupEvents/);
  });

  it('turns an expired token into an exit-3 failure naming the call and region, without retrying', async () => {
    const ep = await serve({ events: [], intercept: () => jsonError(400, 'ExpiredTokenException', 'The security token included in the request is expired') });
    const err = await run(ep.url, { builds: [B1], regions: ['eu-west-1'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsFailure);
    expect(EXIT_OF[(err as CodebuildIamError).kind]).toBe(3);
    expect((err as Error).message).toMatch(/expired.*cloudtrail:LookupEvents in (eu-west-1|us-east-1)/);
    expect((err as Error).message).not.toMatch(/\n/);
    expect(ep.requests.length).toBeLessThanOrEqual(2);
  });

  it('AccessDenied names the permission', async () => {
    const ep = await serve({ events: [], intercept: () => jsonError(400, 'AccessDeniedException', 'not authorized') });
    await expect(run(ep.url, { builds: [B1], regions: ['us-east-1'] })).rejects.toThrow(/denied cloudtrail:LookupEvents in us-east-1/);
  });

  it('never grants more than 2 requests per second per region, across concurrent builds (injected clock)', async () => {
    const builds = [B1, B2, build('55555555-5555-4555-8555-555555555555', NOW - 3600e3, NOW - 3000e3)];
    const events = builds.flatMap((b, i) => [...sessionEvents(b, 'eu-west-1', 60 + i * 20), ...sessionEvents(b, 'us-east-1', 51)]);
    const ep = await serve({ events });
    const r = await run(ep.url, { builds, concurrency: 8 });
    expect(r.records).toHaveLength(events.length);
    for (const [region, at] of r.grants) {
      expect(at.length).toBe(r.lookups.filter((q) => q.region === region).length);
      for (let i = 2; i < at.length; i++) expect(at[i] - at[i - 2]).toBeGreaterThanOrEqual(1000);
    }
    expect(r.lookups).toHaveLength(minimumCalls([60, 80, 100, 51, 51, 51]));
  });

  it('keeps the rate on a real clock, as seen by the endpoint', async () => {
    const now = Date.now();
    const recent = build('66666666-6666-4666-8666-666666666666', now - 3600e3, now - 3000e3);
    const ep = await serve({ events: sessionEvents(recent, 'eu-west-1', 160) });
    const out = openLookup({ role: parseRoleSpec(ROLE), clientFor: clients(ep.url), regions: ['eu-west-1'], builds: [recent] });
    await drain(out.records);
    const at = ep.requests.filter((q) => q.region === 'eu-west-1').map((q) => q.at);
    expect(at).toHaveLength(4);
    for (let i = 2; i < at.length; i++) expect(at[i] - at[i - 2]).toBeGreaterThanOrEqual(1000);
  });
});
