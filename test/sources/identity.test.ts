// Whose records are the role's, and whose accounts the trust policy names (issue 16, items 4 and 6): a bare
// name that matches roles in several accounts or paths is an input error listing them, never a silent
// merge; aws:SourceAccount and aws:SourceArn name the role's and the projects' accounts only; JSON that
// escapes "/" as "\/" hides none of the role's records.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readFiles } from '../../src/sources/files/read-files.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import { toEvidence } from '../../src/translation/aggregate.js';
import type { PolicyDocument } from '../../src/model.js';
import { runCli } from '../support/run-cli.js';

const A = '123456789012';
const B = '210987654321';
const roleArn = (acct: string, path = '/service-role/'): string => `arn:aws:iam::${acct}:role${path}cb-role`;

function rec(i: number, issuer: string, acct: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${acct}:assumed-role/cb-role/AWSCodeBuild-0000000${i % 10}-1111-2222-3333-44444444444${acct[0]}`,
      accountId: acct,
      sessionContext: { sessionIssuer: { type: 'Role', arn: issuer, accountId: acct } },
    },
    eventTime: `2024-03-01T10:${String(i % 60).padStart(2, '0')}:00Z`,
    eventSource: 'logs.amazonaws.com',
    eventName: 'CreateLogStream',
    awsRegion: 'us-east-1',
    requestParameters: { logGroupName: '/aws/codebuild/app', logStreamName: `s${i}` },
    eventID: `ev-${acct}-${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: acct,
    ...over,
  };
}

/** A trail folder; each entry is one S3-layout file (gzip'd JSON) with the given records. */
function trail(files: Array<Array<Record<string, unknown>>>, raw?: (json: string) => string): string {
  const d = mkdtempSync(join(tmpdir(), 'cbiam-identity-'));
  files.forEach((records, k) => {
    const dir = join(d, 'AWSLogs', A, 'CloudTrail', 'us-east-1', '2024', '03', '01');
    mkdirSync(dir, { recursive: true });
    const json = JSON.stringify({ Records: records });
    writeFileSync(join(dir, `${A}_CloudTrail_us-east-1_20240301T10${String(k).padStart(2, '0')}Z_file${k}abcdefghij.json.gz`), gzipSync(raw ? raw(json) : json));
  });
  return d;
}

describe('a role name that matches roles of several accounts or paths', () => {
  // The other account's role is in its own file: the files go to different workers, and the match set must
  // still be decided over all of them.
  const twoAccounts = trail([[rec(1, roleArn(A), A), rec(2, roleArn(A), A)], [rec(3, roleArn(B), B)], []]);

  it('is an input error (exit 2) that lists the matching ARNs, with any number of workers', () => {
    for (const workers of ['1', '2']) {
      const r = runCli(['generate', '--logs', twoAccounts, '--role', 'cb-role', '--workers', workers, '--quiet']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^codebuild-iam: /);
      expect(r.stderr).toContain(roleArn(A));
      expect(r.stderr).toContain(roleArn(B));
    }
  });

  it('the full ARN of one of them reads that role alone', () => {
    const r = runCli(['generate', '--logs', twoAccounts, '--role', roleArn(A), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const policy = JSON.parse(r.stdout) as PolicyDocument;
    expect(JSON.stringify(policy)).not.toContain(B);
  });

  it('an ARN without its path that matches two paths of one account is ambiguous too', () => {
    const d = trail([[rec(1, roleArn(A), A)], [rec(2, roleArn(A, '/'), A)]]);
    const r = runCli(['generate', '--logs', d, '--role', `arn:aws:iam::${A}:role/cb-role`, '--quiet']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(roleArn(A));
    expect(r.stderr).toContain(`arn:aws:iam::${A}:role/cb-role`);
    const ok = runCli(['generate', '--logs', d, '--role', roleArn(A), '--quiet']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('the reader reports every issuer it matched, merged across workers', async () => {
    const r = await readFiles({ paths: [twoAccounts], role: parseRoleSpec('cb-role'), workers: 2 });
    const ev = toEvidence(r.agg, 'cb-role', {}, r.stats, r.warnings);
    expect(ev.roles).toEqual([roleArn(B), roleArn(A)].sort());
  });
});

describe('trust.json names the role and project accounts only', () => {
  it('an S3 data event delivered with the bucket owner as recipient does not put the owner into aws:SourceAccount', () => {
    const s3 = (i: number): Record<string, unknown> =>
      rec(i, roleArn(A), A, {
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        eventCategory: 'Data',
        requestParameters: { bucketName: 'their-bucket', key: `in/${i}.zip` },
        resources: [
          { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::their-bucket/in/${i}.zip` },
          { accountId: B, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::their-bucket' },
        ],
        // The bucket owner's copy of the event (an organization trail holds both).
        recipientAccountId: B,
      });
    const d = trail([[rec(1, roleArn(A), A), s3(2), s3(3)]]);
    const out = mkdtempSync(join(tmpdir(), 'cbiam-identity-out-'));
    const r = runCli(['generate', '--logs', d, '--role', roleArn(A), '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const trust = JSON.parse(readFileSync(join(out, 'trust.json'), 'utf8')) as PolicyDocument;
    const cond = trust.Statement[0].Condition ?? {};
    expect(cond.StringEquals['aws:SourceAccount']).toBe(A);
    expect(JSON.stringify(cond.ArnLike['aws:SourceArn'])).not.toContain(B);
  });
});

describe('escaped slashes', () => {
  it('JSON that writes "/" as "\\/" hides none of the role\'s records, with the full ARN or the name', async () => {
    const d = trail([[rec(1, roleArn(A), A), rec(2, roleArn(A), A), rec(3, roleArn(B), B)]], (json) => json.replaceAll('/', '\\/'));
    for (const role of [roleArn(A), 'cb-role', `arn:aws:iam::${A}:role/cb-role`]) {
      const r = await readFiles({ paths: [d], role: parseRoleSpec(role), workers: 1 });
      expect(r.stats.matched, role).toBe(role === 'cb-role' ? 3 : 2);
    }
    const plain = trail([[rec(1, roleArn(A), A), rec(2, roleArn(A), A), rec(3, roleArn(B), B)]]);
    const r = await readFiles({ paths: [plain], role: parseRoleSpec(roleArn(A)), workers: 1 });
    expect(r.stats.matched).toBe(2);
  });
});
