// Issue 16, item 2, end to end: ARNs in data fields (an S3 metadata header, Lambda environment variables and
// tags, a KMS encryption context) reach no output of `generate`, and the resources the calls really named are
// granted (the policy still allows the next build).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_DIR, generate, readJson } from '../../fixtures/hostile/cli.js';
import type { PolicyDocument } from '../../src/model.js';
import { evaluate } from '../../src/verification/evaluator/index.js';
import { repoPath } from '../support/paths.js';

const A = '123456789012';

describe('data fields never become resources', () => {
  it('no output names a victim; the named resources are allowed', async () => {
    const r = await generate([join(HOSTILE_DIR, 'good.json'), repoPath('fixtures/data-fields/records.json')]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of readdirSync(r.out)) expect(readFileSync(join(r.out, f), 'utf8'), f).not.toMatch(/victim|meta-secret-value/);
    const policy = readJson<PolicyDocument>(r.out, 'policy.json') as PolicyDocument;
    const allow = (action: string, resource: string) => evaluate({ action, resource, context: {} }, { identity: [policy] }).decision;
    expect(allow('s3:PutObject', 'arn:aws:s3:::artifacts-bucket/app/build.zip')).toBe('Allow');
    expect(allow('lambda:CreateFunction', `arn:aws:lambda:us-east-1:${A}:function:deploy-hook`)).toBe('Allow');
    expect(allow('iam:PassRole', `arn:aws:iam::${A}:role/deploy-hook-exec`)).toBe('Allow');
    expect(allow('kms:Decrypt', `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`)).toBe('Allow');
  });
});
