// Companions granted by default (origin "implied"), end to end through the CLI: CodeArtifact's bearer token
// comes with its sts:AWSServiceName condition, verify replays it, and a denied call implies nothing granted.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const ROLE = 'arn:aws:iam::123456789012:role/service-role/cb-role';

function trail(records: Array<Record<string, unknown>>): string {
  const d = mkdtempSync(join(tmpdir(), 'cbiam-implied-'));
  writeFileSync(join(d, '123456789012_CloudTrail_us-east-1_20240301T1010Z_abcdefghijklmnop.json'), JSON.stringify({ Records: records }));
  return d;
}

function rec(i: number, eventSource: string, eventName: string, requestParameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::123456789012:assumed-role/cb-role/AWSCodeBuild-0000000${i}-1111-2222-3333-444444444444`,
      accountId: '123456789012',
      sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: '123456789012' } },
    },
    eventTime: `2024-03-01T10:0${i}:00Z`,
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    requestParameters,
    eventID: `ev-${eventName}-${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
    ...extra,
  };
}

describe('implied companions', () => {
  it('CodeArtifact GetAuthorizationToken grants sts:GetServiceBearerToken only for codeartifact.amazonaws.com; verify replays it', () => {
    const dir = trail([1, 2].map((i) => rec(i, 'codeartifact.amazonaws.com', 'GetAuthorizationToken', { domain: 'acme', domainOwner: '123456789012' })));
    const out = mkdtempSync(join(tmpdir(), 'cbiam-implied-out-'));
    const r = runCli(['generate', '--logs', dir, '--role', ROLE, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const policy = JSON.parse(readFileSync(join(out, 'policy.json'), 'utf8')) as { Statement: Array<{ Action: string[]; Resource: string[]; Condition?: Record<string, Record<string, string[]>> }> };
    const bearer = policy.Statement.find((s) => s.Action.includes('sts:GetServiceBearerToken'));
    expect(bearer?.Resource).toEqual(['*']);
    expect(bearer?.Condition).toEqual({ StringEquals: { 'sts:AWSServiceName': ['codeartifact.amazonaws.com'] } });
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| `sts:GetServiceBearerToken` \| `\*` \| implied \|/);
    expect(runCli(['verify', '--policy', join(out, 'policy.json'), '--logs', dir, '--role', ROLE]).code).toBe(0);
    // Without the bearer-token grant, the replay of the implied need is denied.
    const without = { ...policy, Statement: policy.Statement.filter((s) => !s.Action.includes('sts:GetServiceBearerToken')) };
    writeFileSync(join(out, 'without.json'), JSON.stringify(without));
    const v = runCli(['verify', '--policy', join(out, 'without.json'), '--logs', dir, '--role', ROLE]);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toContain('sts:GetServiceBearerToken');
  });

  it('a CreateLogStream that was only denied implies no PutLogEvents grant', () => {
    const dir = trail([
      rec(1, 'logs.amazonaws.com', 'CreateLogStream', { logGroupName: '/aws/codebuild/app', logStreamName: 'a' }, { errorCode: 'AccessDenied' }),
      rec(1, 's3.amazonaws.com', 'GetBucketLocation', { bucketName: 'b' }),
    ]);
    const r = runCli(['generate', '--logs', dir, '--role', ROLE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('logs:');
  });

  it('a denied or unproven CreateLogStream is reported as what it was, never as a denied PutLogEvents the trail does not show', () => {
    const dir = trail([
      rec(1, 'logs.amazonaws.com', 'CreateLogStream', { logGroupName: '/aws/codebuild/app', logStreamName: 'a' }, { errorCode: 'AccessDenied' }),
      rec(2, 'logs.amazonaws.com', 'CreateLogStream', { logGroupName: '/aws/codebuild/x', logStreamName: 'b' }, { errorCode: 'ThrottlingException' }),
      rec(1, 's3.amazonaws.com', 'GetBucketLocation', { bucketName: 'b' }),
    ]);
    const out = mkdtempSync(join(tmpdir(), 'cbiam-implied-out-'));
    const r = runCli(['generate', '--logs', dir, '--role', ROLE, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('`logs:CreateLogStream` on `arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app:log-stream:a`');
    expect(report).not.toContain('logs:PutLogEvents');
    const evidence = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8')) as { denied: unknown[]; notProven: unknown[] };
    expect(JSON.stringify([evidence.denied, evidence.notProven])).not.toContain('PutLogEvents');
  });
});
