// The local-files source: every input shape, every kind of bad input, role and window filtering.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../src/errors.js';
import { readFiles } from '../../src/sources/files/read-files.js';
import { inflateLimit, outputChunk } from '../../src/sources/files/scan-file.js';
import { deliveryTime, fileMayHoldWindow } from '../../src/sources/files/walk.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import { toEvidence } from '../../src/translation/aggregate.js';

const ACCT = '123456789012';
const ROLE = `arn:aws:iam::${ACCT}:role/service-role/cb-role`;

function rec(i: number, over: Record<string, unknown> = {}, roleArn = ROLE, acct = ACCT): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${acct}:assumed-role/cb-role/AWSCodeBuild-0000000${i % 10}-1111-2222-3333-444444444444`,
      accountId: acct,
      sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn, accountId: acct } },
    },
    eventTime: `2024-03-01T10:${String(i % 60).padStart(2, '0')}:00Z`,
    eventSource: 'logs.amazonaws.com',
    eventName: 'CreateLogGroup',
    awsRegion: 'us-east-1',
    requestParameters: { logGroupName: `/aws/codebuild/app${i % 3}` },
    eventID: `ev-${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: acct,
    ...over,
  };
}

function dir(files: Record<string, string | Buffer>): string {
  const d = mkdtempSync(join(tmpdir(), 'cbiam-reader-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), content);
  }
  return d;
}

async function read(paths: string[], role = ROLE, extra: { since?: Date; until?: Date; strict?: boolean; workers?: number; flushFacts?: number } = {}) {
  const r = await readFiles({ paths, role: parseRoleSpec(role), workers: extra.workers ?? 2, ...extra });
  return { ...r, ev: toEvidence(r.agg, role, {}, r.stats, r.warnings) };
}

const skippedTotal = (s: Record<string, number | undefined>): number => Object.values(s).reduce((a: number, b) => a + (b ?? 0), 0);

describe('file reader: shapes', () => {
  it('reads {"Records":[...]} gz, a bare array, one record, and NDJSON; skips and counts digests', async () => {
    const d = dir({
      'AWSLogs/123456789012/CloudTrail/us-east-1/2024/03/01/123456789012_CloudTrail_us-east-1_20240301T1010Z_abc.json.gz': gzipSync(JSON.stringify({ Records: [rec(1), rec(2)] })),
      'array.json': JSON.stringify([rec(3)]),
      'single.json': JSON.stringify(rec(4)),
      'lines.jsonl': `${JSON.stringify(rec(5))}\n${JSON.stringify(rec(6))}\n`,
      'AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2024/03/01/123456789012_CloudTrail-Digest_us-east-1_x.json.gz': gzipSync('{}'),
    });
    const { stats } = await read([d]);
    expect(stats.records).toBe(6);
    expect(stats.matched).toBe(6);
    expect(stats.digestFiles).toBe(1);
    expect(stats.files).toBe(4);
  });

  it('gzip whose trailer size is wrong (several members, or tampered) inflates whole all the same', async () => {
    const records = Array.from({ length: 400 }, (_, i) => rec(i));
    const text = Buffer.from(JSON.stringify({ Records: records }));
    const half = text.length >> 1;
    // Two gzip members: the trailer at the end records only the second one's size.
    const members = Buffer.concat([gzipSync(text.subarray(0, half)), gzipSync(text.subarray(half))]);
    const tampered = gzipSync(text);
    tampered.writeUInt32LE(3, tampered.length - 4); // far too small; zlib checks it only after inflating
    const huge = gzipSync(text);
    huge.writeUInt32LE(0xfffffff0, huge.length - 4); // far too big
    expect(outputChunk(members)).toBeLessThan(text.length);
    // A claimed size beyond what the file may inflate to (inflateLimit) is not allocated.
    expect(outputChunk(huge)).toBeLessThanOrEqual(inflateLimit(huge.length) + 64);
    const { stats } = await read([dir({ 'members.json.gz': members })]);
    expect(stats).toMatchObject({ records: 400, matched: 400 });
    // A size that does not match the data fails zlib's own check: the file is reported, not misread.
    const bad = await read([dir({ 'small.json.gz': tampered, 'big.json.gz': huge })]);
    expect(bad.stats.fileProblems).toEqual({ 'unreadable-file': 2 });
    expect(bad.stats.records).toBe(0);
  });

  it('accepts the Logstash @timestamp when eventTime is missing', async () => {
    const r = rec(1);
    delete r.eventTime;
    (r as Record<string, unknown>)['@timestamp'] = '2024-03-01T10:00:00.000Z';
    const { stats } = await read([dir({ 'a.json': JSON.stringify({ Records: [r] }) })]);
    expect(stats.matched).toBe(1);
  });
});

describe('file reader: bad input is skipped, counted and located', () => {
  it('truncated gzip, non-JSON, wrong shape, missing fields: the rest of the run goes on', async () => {
    const good = gzipSync(JSON.stringify({ Records: [rec(1)] }));
    const noTime = rec(2);
    delete noTime.eventTime;
    const noIdentity = rec(3);
    delete noIdentity.userIdentity;
    const d = dir({
      'good.json.gz': good,
      'truncated.json.gz': good.subarray(0, good.length - 10),
      'notjson.json': 'this is not json cb-role',
      'shape.json': JSON.stringify({ hello: 'cb-role' }),
      'fields.json': JSON.stringify({ Records: [noTime, noIdentity, 'cb-role', rec(4, { eventTime: 12 })] }),
    });
    const { stats, ev } = await read([d]);
    expect(stats.matched).toBe(1);
    expect(stats.fileProblems['unreadable-file']).toBe(1);
    expect(stats.fileProblems['not-json']).toBe(1);
    expect(stats.fileProblems['wrong-shape']).toBe(1);
    expect(stats.skipped['wrong-shape']).toBe(1);
    expect(stats.skipped['missing-event-time']).toBe(1);
    expect(stats.skipped['missing-user-identity']).toBe(1);
    expect(stats.skipped['bad-event-time']).toBe(1);
    expect(stats.notes.find((n) => n.reason === 'missing-event-time')?.where).toMatch(/fields\.json record 0$/);
    expect(stats.notes.find((n) => n.reason === 'unreadable-file')?.where).toMatch(/truncated\.json\.gz$/);
    // Accounting: every parsed record is matched or skipped for a reason.
    expect(ev.read.records).toBe(5);
    expect(ev.read.records).toBe(ev.read.matched + skippedTotal(ev.read.skipped));
  });

  it('--strict turns the first bad input into an input error naming the file', async () => {
    const d = dir({ 'bad.json': 'nope cb-role' });
    await expect(read([d], ROLE, { strict: true })).rejects.toThrow(/bad\.json: the file is not JSON/);
    await expect(read([d], ROLE, { strict: true })).rejects.toBeInstanceOf(InvalidInput);
  });

  it('a --logs path that does not exist is an input error', async () => {
    await expect(read(['/nonexistent/trail'])).rejects.toThrow(/does not exist/);
  });
});

describe('role and window filtering', () => {
  const decoy = `arn:aws:iam::210987654321:role/service-role/cb-role`;
  const d = dir({
    'a.json': JSON.stringify({ Records: [rec(1), rec(2), rec(3, {}, decoy, '210987654321'), rec(4, {}, `arn:aws:iam::${ACCT}:role/other`)] }),
  });

  it('a full ARN never matches another account role of the same name', async () => {
    const { stats } = await read([d], ROLE);
    expect(stats.matched).toBe(2);
    expect(stats.skipped['other-principal']).toBe(2);
  });

  it('a name alone matches the role in any account; an ARN without its path matches the path', async () => {
    expect((await read([d], 'cb-role')).stats.matched).toBe(3);
    expect((await read([d], `arn:aws:iam::${ACCT}:role/cb-role`)).stats.matched).toBe(2);
    expect((await read([d], `arn:aws:iam::${ACCT}:role/other-path/cb-role`)).stats.matched).toBe(0);
  });

  it('records just outside the window are skipped as outside-window', async () => {
    const w = dir({
      'w.json': JSON.stringify({
        Records: [rec(1, { eventTime: '2024-03-01T09:59:59Z' }), rec(2, { eventTime: '2024-03-01T10:00:00Z' }), rec(3, { eventTime: '2024-03-01T11:00:00Z' }), rec(4, { eventTime: '2024-03-01T11:00:01Z' })],
      }),
    });
    const { stats } = await read([w], ROLE, { since: new Date('2024-03-01T10:00:00Z'), until: new Date('2024-03-01T11:00:00Z') });
    expect(stats.matched).toBe(2);
    expect(stats.skipped['outside-window']).toBe(2);
  });

  it('files delivered outside the window (with the late-delivery margin) are not opened', () => {
    const t = deliveryTime('/x/123456789012_CloudTrail_us-east-1_20240301T1205Z_abc.json.gz');
    expect(t).toBe(Date.UTC(2024, 2, 1, 12, 5));
    const since = Date.UTC(2024, 2, 1, 13);
    expect(fileMayHoldWindow(t, since)).toBe(false);
    expect(fileMayHoldWindow(t, undefined, Date.UTC(2024, 2, 1, 11, 30))).toBe(true); // events arrive late
    expect(fileMayHoldWindow(t, undefined, Date.UTC(2024, 2, 1, 10, 0))).toBe(false);
  });
});

describe('translation inside the reader', () => {
  it('keeps denied calls apart and counts builds', async () => {
    const d = dir({ 'a.json': JSON.stringify({ Records: [rec(1), rec(2, { errorCode: 'AccessDenied', requestParameters: { logGroupName: '/prod' } })] }) });
    const { ev } = await read([d]);
    expect(ev.facts.filter((f) => f.outcome === 'denied').map((f) => f.resource)).toEqual(['arn:aws:logs:us-east-1:123456789012:log-group:/prod']);
    expect(ev.builds.length).toBe(2);
  });

  it('facts handed over file by file (flushFacts 1) merge into the same evidence as one hand-over at the end', async () => {
    // Every file has its own log groups, one shared one, and a denied call: parts overlap and differ.
    const files: Record<string, string> = {};
    for (let f = 0; f < 12; f++) {
      const records = Array.from({ length: 30 }, (_, i) =>
        rec(f * 100 + i, { requestParameters: { logGroupName: i % 3 === 0 ? '/shared' : `/g${f}-${i % 7}` }, ...(i === 5 ? { errorCode: 'AccessDenied' } : {}) }),
      );
      files[`f${String(f).padStart(2, '0')}.json`] = JSON.stringify({ Records: records });
    }
    const d = dir(files);
    const once = (await read([d], ROLE, { workers: 1 })).ev;
    const perFile = (await read([d], ROLE, { workers: 3, flushFacts: 1 })).ev;
    // Per file 7 allowed log groups and 1 denied call (its own fact), and the shared group.
    expect(once.facts.length).toBe(12 * 8 + 1);
    expect(once.facts.find((f) => f.resource.endsWith(':/shared'))?.count).toBe(12 * 10);
    expect(perFile).toEqual(once);
  });
});

describe('file reader: interrupted', () => {
  // Workers terminated while they are still starting can exit with code 0; the reader must still settle
  // (an unsettled read made the process exit 13, or hang, instead of "interrupted").
  it.each([0, 1, 5, 20, 60])('an abort %d ms after the start rejects with "interrupted", never hangs', async (ms) => {
    const dir = mkdtempSync(join(tmpdir(), 'cbiam-abort-'));
    for (let i = 0; i < 8; i++) writeFileSync(join(dir, `f${i}.json`), JSON.stringify({ Records: [] }));
    const controller = new AbortController();
    const read = readFiles({ paths: [dir], role: parseRoleSpec('cb-role'), workers: 2, signal: controller.signal });
    setTimeout(() => controller.abort(), ms);
    // Either it finished before the abort landed, or it says it was interrupted: both settle.
    const outcome = await read.then(
      () => 'finished',
      (e: Error) => e.message,
    );
    expect(['finished', 'interrupted; nothing was written']).toContain(outcome);
  });
});
