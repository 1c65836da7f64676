// --min-builds as a user runs it (issue 20 item 1, issue 16): it counts builds per concrete resource, drops
// exactly the needs seen in fewer builds, lists them in the report with their counts, leaves them out of the
// self-check (no "this is a bug", exit 3), and names the threshold when nothing is left.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/model.js';
import { runCli } from '../support/run-cli.js';

const A = '123456789012';
const ROLE = `arn:aws:iam::${A}:role/service-role/cb-role`;
const build = (i: number): string => `${String(i).padStart(8, '0')}-aaaa-4bbb-8ccc-dddddddddddd`;

function rec(i: number, n: number, source: string, name: string, req: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${A}:assumed-role/cb-role/AWSCodeBuild-${build(i)}`,
      accountId: A,
      sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: A } },
    },
    eventTime: `2024-03-0${i}T10:${String(n).padStart(2, '0')}:00Z`,
    eventSource: source,
    eventName: name,
    awsRegion: 'us-east-1',
    requestParameters: req,
    eventID: `ev-${i}-${n}`,
    eventType: 'AwsApiCall',
    recipientAccountId: A,
  };
}

/** Three builds: each its log stream and artifact; builds 1 and 2 read one shared object; each assumes its own role; build 3 reads a function. */
function trail(): string {
  const d = mkdtempSync(join(tmpdir(), 'cbiam-minb-'));
  const records = [1, 2, 3].flatMap((i) => [
    rec(i, 1, 'logs.amazonaws.com', 'CreateLogStream', { logGroupName: '/aws/codebuild/app', logStreamName: build(i) }),
    rec(i, 2, 's3.amazonaws.com', 'PutObject', { bucketName: 'artifacts', key: `app/build-${i}/app.zip` }),
    ...(i < 3 ? [rec(i, 3, 's3.amazonaws.com', 'GetObject', { bucketName: 'artifacts', key: 'shared/tools.tar' })] : []),
    rec(i, 4, 'sts.amazonaws.com', 'AssumeRole', { roleArn: `arn:aws:iam::${A}:role/${['deployer', 'reader', 'auditor'][i - 1]}`, roleSessionName: 's' }),
    ...(i === 3 ? [rec(i, 5, 'lambda.amazonaws.com', 'GetFunction', { functionName: 'gamma' })] : []),
  ]);
  writeFileSync(join(d, 'trail.json'), JSON.stringify({ Records: records }));
  return d;
}

const resources = (out: string): string[] =>
  (JSON.parse(readFileSync(join(out, 'policy.json'), 'utf8')) as PolicyDocument).Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource ?? '']));

describe('generate --min-builds', () => {
  const logs = trail();

  it('drops exactly the needs seen in fewer builds, lists them with their counts, and the self-check passes', () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-minb-out-'));
    const r = runCli(['generate', '--logs', logs, '--role', ROLE, '--min-builds', '2', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const granted = resources(out);
    // Per-build resources are the same need in every build; the shared object was used by two builds.
    expect(granted).toContain(`arn:aws:logs:us-east-1:${A}:log-group:/aws/codebuild/app:log-stream:*`);
    expect(granted).toContain('arn:aws:s3:::artifacts/app/build-*/app.zip');
    expect(granted).toContain('arn:aws:s3:::artifacts/shared/tools.tar');
    // Three roles, one build each: not a role/* used by three builds.
    expect(granted.filter((g) => g.includes(':role/'))).toEqual([]);
    expect(granted.filter((g) => g.includes(':function:'))).toEqual([]);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('--min-builds 2');
    for (const name of ['role/deployer', 'role/reader', 'role/auditor', 'function:gamma']) expect(report).toMatch(new RegExp(`${name}\` \\| 1 \\|`));
    expect(report).toMatch(/Verification: \d+ distinct requests? \(\d+ events?\) replayed against policy and boundary: 0 denied/);
    const evidence = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8')) as { minBuilds: number; notGranted: Array<{ action: string; builds: number }> };
    expect(evidence.minBuilds).toBe(2);
    expect(evidence.notGranted.map((n) => `${n.action} ${n.builds}`).sort()).toEqual(['lambda:GetFunction 1', 'sts:AssumeRole 1', 'sts:AssumeRole 1', 'sts:AssumeRole 1']);
  });

  it('a threshold that changes nothing says so in the report', () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-minb-out-'));
    const r = runCli(['generate', '--logs', logs, '--role', ROLE, '--min-builds', '1', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('`--min-builds` left the policy unchanged');
  });

  it('above every count: exit 2, one line naming the threshold and the highest count, not "all denied"', () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-minb-out-'));
    const r = runCli(['generate', '--logs', logs, '--role', ROLE, '--min-builds', '4', '--out', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^codebuild-iam: nothing to grant: --min-builds 4 dropped every need .*seen in is 3/);
    expect(r.stderr).not.toMatch(/denied/);
  });
});
