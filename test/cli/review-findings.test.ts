// Adversarial review of the merged product (issues 16-23): each case is a small trail that broke generate or
// verify where two merged features meet.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MINI_ROLE, rec } from '../support/mini-trail.js';
import { runCli } from '../support/run-cli.js';

const ROLE = MINI_ROLE;

function trail(records: Record<string, unknown>[]): string {
  const d = mkdtempSync(join(tmpdir(), 'cbiam-review-'));
  writeFileSync(join(d, '123456789012_CloudTrail_us-east-1_20240301T1010Z_abcdefghijklmnop.json'), JSON.stringify({ Records: records }));
  return d;
}

const bucketEntry = (bucket: string, account: string): Record<string, unknown> => ({
  resources: [{ ARN: `arn:aws:s3:::${bucket}/app.zip`, type: 'AWS::S3::Object' }, { ARN: `arn:aws:s3:::${bucket}`, accountId: account, type: 'AWS::S3::Bucket' }],
});

describe('a bucket the trail shows under two owners (deleted and re-created by another account)', () => {
  const logs = trail([
    rec(1, 's3.amazonaws.com', 'PutObject', { bucketName: 'drop', key: 'app.zip' }, bucketEntry('drop', '123456789012')),
    rec(2, 's3.amazonaws.com', 'PutObject', { bucketName: 'drop', key: 'app.zip' }, bucketEntry('drop', '666666666666')),
  ]);

  it('generate writes a boundary capped to both owners, and verify replays the request in each owner', () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-review-out-'));
    const g = runCli(['generate', '--logs', logs, '--role', ROLE, '--out', out, '--quiet']);
    expect(g.code, g.stderr).toBe(0);
    const boundary = readFileSync(join(out, 'boundary.json'), 'utf8');
    expect(boundary).toContain('666666666666');
    const v = runCli(['verify', '--logs', logs, '--role', ROLE, '--policy', out]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    // A boundary capped to the first owner only denies the request made to the second.
    const narrowed = JSON.parse(boundary) as { Statement: Array<{ Condition?: { StringEquals?: Record<string, string[]> } }> };
    for (const s of narrowed.Statement) {
      const c = s.Condition?.StringEquals?.['aws:ResourceAccount'];
      if (c) s.Condition!.StringEquals!['aws:ResourceAccount'] = ['123456789012'];
    }
    writeFileSync(join(out, 'narrow-boundary.json'), JSON.stringify(narrowed));
    const n = runCli(['verify', '--logs', logs, '--role', ROLE, '--policy', join(out, 'policy.json'), '--boundary', join(out, 'narrow-boundary.json')]);
    expect(n.code, n.stdout + n.stderr).toBe(1);
    expect(n.stdout).toContain('DENIED s3:PutObject');
  });
});

describe('an implied companion is never granted wider than the call that implies it', () => {
  it('PutLogEvents stays on the streams CreateLogStream is granted when a denied CreateLogStream keeps those exact', () => {
    const stream = (b: number): Record<string, unknown> => ({ logGroupName: '/aws/codebuild/app', logStreamName: `${String(b).padStart(8, '0')}-1111-2222-3333-444444444444` });
    const logs = trail([
      rec(1, 'logs.amazonaws.com', 'CreateLogStream', stream(1), { errorCode: 'AccessDenied' }),
      rec(2, 'logs.amazonaws.com', 'CreateLogStream', stream(2)),
      rec(3, 'logs.amazonaws.com', 'CreateLogStream', stream(3)),
    ]);
    const g = runCli(['generate', '--logs', logs, '--role', ROLE, '--quiet']);
    expect(g.code, g.stderr).toBe(0);
    const policy = JSON.parse(g.stdout) as { Statement: Array<{ Action: string[]; Resource: string[] }> };
    const on = (action: string): string[] => policy.Statement.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource).sort();
    expect(on('logs:CreateLogStream').length).toBe(2);
    expect(on('logs:PutLogEvents')).toEqual(on('logs:CreateLogStream'));
  });
});

describe('verify names the calls it cannot replay', () => {
  it('a successful call that maps to no IAM action is listed as NOT REPLAYED, hostile names withheld', () => {
    const logs = trail([
      rec(1, 's3.amazonaws.com', 'PutObject', { bucketName: 'b', key: 'k' }),
      rec(1, 's3.amazonaws.com', 'GetBucketFrobnicate', { bucketName: 'b' }),
      rec(1, 's3.amazonaws.com', 'Get<script>x</script>', { bucketName: 'b' }),
    ]);
    const out = mkdtempSync(join(tmpdir(), 'cbiam-review-out-'));
    expect(runCli(['generate', '--logs', logs, '--role', ROLE, '--out', out, '--quiet']).code).toBe(0);
    const v = runCli(['verify', '--logs', logs, '--role', ROLE, '--policy', out]);
    expect(v.stdout).toContain('NOT REPLAYED s3.amazonaws.com GetBucketFrobnicate (1 event(s)');
    expect(v.stdout).toContain('NOT REPLAYED s3.amazonaws.com (value withheld)');
    expect(v.stdout).not.toContain('<script>');
  });
});
