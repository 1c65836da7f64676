// Log values are attacker-controlled: a bucket named "*" must stay a bucket named "*". The policies generated
// from fixtures/hostile/wildcards.json and region-account.json are checked with the project's evaluator:
// the literal resource the log named is allowed, a resource it did not name is not.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_DIR, generate, readJson } from '../../fixtures/hostile/cli.js';
import type { PolicyDocument } from '../../src/model.js';
import { evaluate } from '../../src/verification/evaluator/index.js';

const GOOD = join(HOSTILE_DIR, 'good.json');
const A = '123456789012';

function decide(policy: PolicyDocument, action: string, resource: string, context: Record<string, string> = {}): string {
  return evaluate({ action, resource, context }, { identity: [policy] }).decision;
}

describe('wildcard characters from the log never widen a grant', () => {
  // [action, the literal resource the log named, a resource the log did not name]
  const pairs: Array<[string, string, string]> = [
    ['s3:PutObject', 'arn:aws:s3:::*/*', 'arn:aws:s3:::victim/secret'],
    ['s3:PutObject', 'arn:aws:s3:::?/a?b', 'arn:aws:s3:::x/ayb'],
    ['s3:PutObject', 'arn:aws:s3:::cache/$', 'arn:aws:s3:::cache/x'],
    ['s3:PutObject', 'arn:aws:s3:::cache/${aws:username}/x', 'arn:aws:s3:::cache/alice/x'],
    ['s3:PutObject', 'arn:aws:s3:::art*/build-?/*', 'arn:aws:s3:::artifacts/build-1/app.zip'],
    ['s3:GetObject', 'arn:aws:s3:::*/*', 'arn:aws:s3:::victim/secret'],
    ['logs:CreateLogStream', `arn:aws:logs:us-east-1:${A}:log-group:*:log-stream:*`, `arn:aws:logs:us-east-1:${A}:log-group:prod:log-stream:x`],
    ['ssm:GetParameter', `arn:aws:ssm:us-east-1:${A}:parameter/app/*`, `arn:aws:ssm:us-east-1:${A}:parameter/app/db-password`],
    ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:us-east-1:${A}:secret:*-AbCdEf`, `arn:aws:secretsmanager:us-east-1:${A}:secret:prod-AbCdEf`],
    ['iam:PassRole', `arn:aws:iam::${A}:role/*`, `arn:aws:iam::${A}:role/admin`],
    ['ecr:BatchGetImage', `arn:aws:ecr:us-east-1:${A}:repository/*`, `arn:aws:ecr:us-east-1:${A}:repository/prod`],
  ];

  it('allows what the log named, literally, and nothing else', async () => {
    const r = await generate([GOOD, join(HOSTILE_DIR, 'wildcards.json')]);
    expect(r.code, r.stderr).toBe(0);
    const policy = readJson<PolicyDocument>(r.out, 'policy.json') as PolicyDocument;
    const ctx = { 'aws:username': 'alice' };
    for (const [action, literal, other] of pairs) {
      expect(decide(policy, action, literal, ctx), `${action} ${literal}`).toBe('Allow');
      expect(decide(policy, action, other, ctx), `${action} ${other}`).not.toBe('Allow');
    }
    // KeyId "*" names no key: refused, so no kms grant at all rather than key/*.
    expect(decide(policy, 'kms:Decrypt', `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`)).not.toBe('Allow');
  });

  it('region and account fields that are not a region or an account reach no ARN, boundary or trust policy', async () => {
    const r = await generate([GOOD, join(HOSTILE_DIR, 'region-account.json')]);
    expect(r.code, r.stderr).toBe(0);
    const policy = readJson<PolicyDocument>(r.out, 'policy.json') as PolicyDocument;
    const resources = policy.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource ?? '']));
    for (const arn of resources) {
      const [, , , region, account] = arn.split(':');
      expect(region, arn).toBe('us-east-1');
      expect(account, arn).toBe(A);
    }
    expect(decide(policy, 'logs:CreateLogStream', `arn:aws:logs:eu-west-1:${A}:log-group:/aws/codebuild/app:log-stream:x`)).not.toBe('Allow');
    expect(decide(policy, 'logs:CreateLogStream', `arn:aws:logs:us-east-1:999999999999:log-group:/aws/codebuild/app:log-stream:x`)).not.toBe('Allow');
    const trust = JSON.stringify(readJson(r.out, 'trust.json'));
    expect(trust).not.toMatch(/codebuild:\*|:\*:project|"\*"|12345678901\?/);
    const boundary = readJson<PolicyDocument>(r.out, 'boundary.json') as PolicyDocument;
    const regionDeny = boundary.Statement.find((s) => JSON.stringify(s.Condition ?? {}).includes('aws:RequestedRegion'));
    expect(regionDeny?.Condition).toEqual({ StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] } });
  });
});
