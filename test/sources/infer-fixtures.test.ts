// The fixture trails that the demo, inference and the next-build tests use: they regenerate byte-identically
// from fixtures/make-trails.ts, and they look like real CloudTrail deliveries (S3 layout, gzip, delivery times,
// late events, digests) with the builds, failures and decoys the tests rely on.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAllFixtures } from '../../fixtures/lib/write-all.js';
import { compileTemplate } from '../../src/translation/arn-template.js';
import { lookupAction } from '../../src/translation/iam-reference.js';
import { FIXTURES } from '../support/paths.js';

const root = FIXTURES;
const trails = ['demo/trail', ...['docker-ecr', 'lambda-deploy', 's3-data-kms', 'vpc-reports-secrets'].flatMap((s) => [`scenarios/${s}/builds-1-3`, `scenarios/${s}/build-4`])];

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

type Rec = Record<string, any>;

interface TrailFile {
  path: string;
  rel: string;
  bytes: Buffer;
  records: Rec[];
}

function readTrail(dir: string): { logs: TrailFile[]; digests: TrailFile[] } {
  const logs: TrailFile[] = [];
  const digests: TrailFile[] = [];
  for (const path of walk(join(root, dir))) {
    const bytes = readFileSync(path);
    const rel = relative(join(root, dir), path).split(sep).join('/');
    const doc = JSON.parse(gunzipSync(bytes).toString('utf8'));
    (rel.includes('/CloudTrail-Digest/') ? digests : logs).push({ path, rel, bytes, records: doc.Records ?? [] });
  }
  return { logs, digests };
}

const LOG_NAME = /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{4}Z)_[A-Za-z0-9]{16}\.json\.gz$/;
const DIGEST_NAME = /^AWSLogs\/(\d{12})\/CloudTrail-Digest\/([a-z0-9-]+)\/\d{4}\/\d{2}\/\d{2}\/\d{12}_CloudTrail-Digest_[a-z0-9-]+_[A-Za-z0-9-]+_[a-z0-9-]+_\d{8}T\d{6}Z\.json\.gz$/;

const stampMs = (s: string): number => Date.parse(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:00Z`);
const sessionOf = (r: Rec): string | undefined => /\/(AWSCodeBuild-[0-9a-f-]{36})$/.exec(r.userIdentity?.arn ?? '')?.[1];

describe('fixture trails regenerate byte-identically', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'fixtures-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes the same files with the same bytes as the committed fixtures', () => {
    writeAllFixtures(tmp);
    const made = walk(tmp).map((p) => relative(tmp, p));
    const committed = [...trails.flatMap((t) => walk(join(root, t))), ...walk(join(root, 'scenarios')).filter((p) => p.endsWith('.json')), join(root, 'demo', 'project.json')]
      .map((p) => relative(root, p))
      .sort();
    expect(made.sort()).toEqual([...new Set(committed)]);
    for (const rel of made) {
      const a = createHash('sha256').update(readFileSync(join(tmp, rel))).digest('hex');
      const b = createHash('sha256').update(readFileSync(join(root, rel))).digest('hex');
      expect(a, `${rel} differs: run npx tsx fixtures/make-trails.ts`).toBe(b);
    }
  });
});

describe('fixture trails look like CloudTrail deliveries', () => {
  for (const dir of trails) {
    it(`${dir}: S3 layout, gzip with mtime 0, compact JSON, delivery after every event, digests that hash the files`, () => {
      const { logs, digests } = readTrail(dir);
      expect(logs.length).toBeGreaterThan(0);
      expect(digests.length).toBeGreaterThan(0);
      for (const f of logs) {
        const m = LOG_NAME.exec(f.rel);
        expect(m, f.rel).not.toBeNull();
        const [, acct, region, y, mo, d, acct2, region2, stamp] = m as RegExpExecArray;
        expect([acct2, region2]).toEqual([acct, region]);
        expect(stamp.slice(0, 8)).toBe(`${y}${mo}${d}`);
        expect(f.bytes.readUInt32LE(4), 'gzip mtime').toBe(0);
        const text = gunzipSync(f.bytes).toString('utf8');
        expect(text.startsWith('{"Records":[{"eventVersion":"')).toBe(true);
        expect(text).toBe(JSON.stringify(JSON.parse(text)));
        const delivered = stampMs(stamp);
        const times = f.records.map((r) => Date.parse(r.eventTime));
        for (const r of f.records) {
          expect(r.recipientAccountId).toBe(acct);
          expect(r.awsRegion).toBe(region);
        }
        expect(Math.max(...times)).toBeLessThan(delivered);
        expect(delivered - Math.min(...times)).toBeLessThan(20 * 60_000);
      }
      for (const f of digests) {
        expect(DIGEST_NAME.exec(f.rel), f.rel).not.toBeNull();
        const body = JSON.parse(gunzipSync(f.bytes).toString('utf8'));
        expect(body.logFiles.length).toBeGreaterThan(0);
        for (const lf of body.logFiles) {
          const file = logs.find((l) => l.rel === lf.s3Object);
          expect(file, lf.s3Object).toBeDefined();
          expect(lf.hashValue).toBe(createHash('sha256').update((file as TrailFile).bytes).digest('hex'));
        }
      }
    });
  }

  it('has events delivered 5 to 15 minutes late, and files on both sides of midnight', () => {
    const { logs } = readTrail('demo/trail');
    const late = logs.flatMap((f) => {
      const delivered = stampMs((LOG_NAME.exec(f.rel) as RegExpExecArray)[8]);
      return f.records.filter((r) => delivered - Date.parse(r.eventTime) > 5 * 60_000);
    });
    expect(late.length).toBeGreaterThan(0);
    expect(new Set(logs.map((f) => f.rel.split('/').slice(4, 7).join('-'))).size).toBeGreaterThanOrEqual(2);
    expect(new Set(logs.map((f) => f.rel.split('/')[3]))).toEqual(new Set(['eu-west-1', 'us-east-1']));
  });

  it('has unique event IDs and well-formed records everywhere', () => {
    const ids = new Set<string>();
    for (const dir of trails) {
      for (const r of readTrail(dir).logs.flatMap((f) => f.records)) {
        expect(ids.has(r.eventID), r.eventID).toBe(false);
        ids.add(r.eventID);
        expect(r.eventID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(typeof r.requestID).toBe('string');
        expect(r.eventType).toBe('AwsApiCall');
        expect(r.managementEvent).toBe(r.eventCategory === 'Management');
        if (r.eventCategory === 'Data') expect(r.resources.map((x: Rec) => x.type)).toContain('AWS::S3::Bucket');
        if (r.eventSource === 'kms.amazonaws.com') expect(r.resources[0].type).toBe('AWS::KMS::Key');
        if (r.userIdentity.invokedBy) expect(r.sourceIPAddress).toBe(r.userIdentity.invokedBy);
      }
    }
  });
});

describe('the demo trail', () => {
  const records = readTrail('demo/trail').logs.flatMap((f) => f.records);
  const role = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role';
  const mine = records.filter((r) => r.userIdentity?.sessionContext?.sessionIssuer?.arn === role);

  it('holds three builds of demo-app, each with its own session and log stream', () => {
    const sessions = [...new Set(mine.map(sessionOf))];
    expect(sessions).toHaveLength(3);
    const streams = mine.filter((r) => r.eventName === 'CreateLogStream').map((r) => `AWSCodeBuild-${r.requestParameters.logStreamName}`);
    expect(streams.sort()).toEqual([...sessions].sort());
    const groups = mine.filter((r) => r.eventName === 'CreateLogGroup').sort((a, b) => a.eventTime.localeCompare(b.eventTime));
    expect(groups.map((r) => r.errorCode ?? 'ok')).toEqual(['ok', 'ResourceAlreadyExistsException', 'ResourceAlreadyExistsException']);
    const assumes = records.filter((r) => r.eventName === 'AssumeRole' && r.requestParameters?.roleArn === role);
    expect(assumes.map((r) => r.requestParameters.roleSessionName).sort()).toEqual([...sessions].sort());
    expect(assumes.every((r) => r.userIdentity.type === 'AWSService' && r.userIdentity.invokedBy === 'codebuild.amazonaws.com')).toBe(true);
  });

  it('has exactly the two denied calls, service calls made through S3 and Secrets Manager, and GetCallerIdentity', () => {
    expect(mine.filter((r) => /AccessDenied/.test(r.errorCode ?? '')).map((r) => `${r.eventSource} ${r.eventName}`).sort()).toEqual([
      's3.amazonaws.com PutObject',
      'ssm.amazonaws.com GetParameters',
    ]);
    expect(new Set(mine.filter((r) => r.userIdentity.invokedBy).map((r) => r.userIdentity.invokedBy))).toEqual(new Set(['s3.amazonaws.com', 'secretsmanager.amazonaws.com']));
    expect(mine.filter((r) => r.eventName === 'GetCallerIdentity')).toHaveLength(3);
  });

  it('mixes in other principals and a role of the same name in another account', () => {
    const others = records.filter((r) => !mine.includes(r));
    expect(others.length).toBeGreaterThan(30);
    const decoy = records.filter((r) => r.userIdentity?.sessionContext?.sessionIssuer?.arn === role.replace('123456789012', '210987654321'));
    expect(decoy.length).toBeGreaterThan(0);
    expect(decoy.some((r) => r.recipientAccountId === '123456789012')).toBe(true);
    expect(new Set(others.map((r) => r.userIdentity.type))).toEqual(new Set(['IAMUser', 'AssumedRole', 'AWSService']));
  });
});

describe('the next-build scenarios', () => {
  for (const name of ['docker-ecr', 'lambda-deploy', 's3-data-kms', 'vpc-reports-secrets']) {
    it(`${name}: three trial builds, a fourth of its own, and siblings that name real actions and ARNs`, () => {
      const project = JSON.parse(readFileSync(join(root, 'scenarios', name, 'project.json'), 'utf8')).projects[0];
      const of = (dir: string) => readTrail(`scenarios/${name}/${dir}`).logs.flatMap((f) => f.records).filter((r) => r.userIdentity?.sessionContext?.sessionIssuer?.arn === project.serviceRole);
      const trial = new Set(of('builds-1-3').map(sessionOf));
      const next = new Set(of('build-4').map(sessionOf));
      expect(trial.size).toBe(3);
      expect(next.size).toBe(1);
      for (const s of next) expect(trial.has(s)).toBe(false);
      const failed = of('builds-1-3').filter((r) => /AccessDenied/.test(r.errorCode ?? ''));
      expect(failed.length).toBeGreaterThan(0);
      const siblings = JSON.parse(readFileSync(join(root, 'scenarios', name, 'siblings.json'), 'utf8')) as Array<{ action: string; resource: string }>;
      expect(siblings.length).toBeGreaterThanOrEqual(5);
      for (const s of siblings) {
        const [svc, act] = s.action.split(':');
        const ref = lookupAction(svc, act);
        expect(ref, s.action).toBeDefined();
        const templates = (ref?.resourceTypes ?? []).map((t) => t.arn).filter((t): t is string => !!t);
        expect(templates.some((t) => compileTemplate(t).regex.test(s.resource)), `${s.action} ${s.resource}`).toBe(true);
      }
    });
  }
});
