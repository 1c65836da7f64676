// End to end: `node dist/cli.js diff` with files and with --role against a local IAM endpoint.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../support/run-cli.js';
import { endpointEnv, startAwsEndpoint, type AwsEndpoint } from '../support/aws-endpoint.js';
import { iamHandler, type FakeAccount } from '../cases/diff/support/fake-iam.js';
import { repoPath } from '../support/paths.js';
import { CLI } from '../support/paths.js';


const run = (args: string[], env: NodeJS.ProcessEnv = endpointEnv('http://127.0.0.1:9')) => runCliAsync(args, env);

const doc = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });
const logs = { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app:*' };
const s3get = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::artifacts/app/*' };
const trust = doc({ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' });

let dir: string;
let endpoint: AwsEndpoint;
const account: FakeAccount = {
  roles: [
    {
      name: 'cb-role',
      arn: 'arn:aws:iam::123456789012:role/service-role/cb-role',
      trust,
      inline: { base: doc(logs), s3: doc({ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::artifacts/*' }) },
      managed: {
        'arn:aws:iam::aws:policy/ReadOnlyish': { name: 'ReadOnlyish', defaultVersion: 'v3', versions: { v3: doc({ Effect: 'Allow', Action: 'ecr:Get*', Resource: '*' }) } },
      },
    },
  ],
  pageSize: 1,
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'diff-cli-'));
  // A `generate --out` directory that narrows the role, and one that widens it.
  mkdirSync(join(dir, 'narrow'));
  writeFileSync(join(dir, 'narrow', 'policy.json'), JSON.stringify(doc(logs)));
  writeFileSync(join(dir, 'narrow', 'policy-2.json'), JSON.stringify(doc(s3get)));
  writeFileSync(join(dir, 'narrow', 'trust.json'), JSON.stringify(trust));
  writeFileSync(join(dir, 'narrow', 'report.md'), 'ignored');
  mkdirSync(join(dir, 'wide'));
  writeFileSync(join(dir, 'wide', 'policy.json'), JSON.stringify(doc(logs, s3get, { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::artifacts/*' })));
  writeFileSync(join(dir, 'current.json'), JSON.stringify(doc(logs, { Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::artifacts/*' })));
  writeFileSync(join(dir, 'bad.json'), '{"Statement": [');
  writeFileSync(join(dir, 'evidence.json'), JSON.stringify({ facts: [{ action: 's3:GetObject', resource: 'arn:aws:s3:::artifacts/app/x', resourceKnown: true }], unobserved: [] }));
  endpoint = await startAwsEndpoint(iamHandler(account));
});

afterAll(async () => {
  await endpoint?.close();
});

describe.skipIf(!existsSync(CLI))('codebuild-iam diff (needs `npm run build`)', () => {
  it('prints help with examples', async () => {
    const r = await run(['diff', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--fail-on-widen');
    expect(r.stdout).toContain('Examples:');
  });

  it('exits 2 on bad flags and bad input', async () => {
    expect((await run(['diff', '--current', join(dir, 'current.json')])).code).toBe(2);
    const both = await run(['diff', '--proposed', join(dir, 'narrow'), '--current', join(dir, 'current.json'), '--role', 'cb-role']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --role');
    const bad = await run(['diff', '--proposed', join(dir, 'bad.json'), '--current', join(dir, 'current.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json');
    expect((await run(['diff', '--proposed', join(dir, 'missing'), '--current', join(dir, 'current.json')])).code).toBe(2);
    expect((await run(['diff', '--proposed', join(dir, 'narrow'), '--current', join(dir, 'current.json'), '--evidence', join(dir, 'current.json')])).code).toBe(2);
    expect((await run(['diff', '--proposed', join(dir, 'narrow'), '--current', join(dir, 'current.json'), '--format', 'yaml'])).code).toBe(2);
  });

  it('exits 0 for a narrowing proposal even with --fail-on-widen, and writes markdown to --out', async () => {
    const out = join(dir, 'comment.md');
    const r = await run(['diff', '--proposed', join(dir, 'narrow'), '--current', join(dir, 'current.json'), '--format', 'markdown', '--fail-on-widen', '--out', out, '--evidence', join(dir, 'evidence.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const md = readFileSync(out, 'utf8');
    expect(md.split('\n')[0]).toContain('safe');
    expect(md).toContain('the build used **1**');
    expect(md).toContain('<details>');
  });

  it('reads the evidence.json that generate writes: every action the build used is marked used', async () => {
    const out = join(dir, 'generated');
    const demo = repoPath('fixtures/demo/trail');
    const role = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role';
    const g = await run(['generate', '--logs', demo, '--role', role, '--quiet', '--out', out]);
    expect(g.code, g.stderr).toBe(0);
    const r = await run(['diff', '--proposed', out, '--current', join(out, 'policy.json'), '--evidence', join(out, 'evidence.json'), '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const usage = JSON.parse(r.stdout).usage as { used: number; actions: { action: string; usage: string; allowedProposed: boolean }[] };
    const evidence = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8')) as { statements: { actions: { action: string }[] }[]; unobserved: { action: string }[] };
    const granted = new Set(evidence.statements.flatMap((s) => s.actions.map((a) => a.action)));
    const needed = new Set([...granted, ...evidence.unobserved.map((u) => u.action)]);
    expect(usage.used).toBe(needed.size);
    for (const a of usage.actions.filter((x) => granted.has(x.action))) expect(a, a.action).toMatchObject({ usage: 'used', allowedProposed: true });
  });

  it('exits 1 with --fail-on-widen when the proposal widens, 0 without it', async () => {
    const args = ['diff', '--proposed', join(dir, 'wide'), '--current', join(dir, 'current.json'), '--format', 'json'];
    const plain = await run(args);
    expect(plain.code).toBe(0);
    const report = JSON.parse(plain.stdout);
    expect(report.schema).toBe('codebuild-iam/diff@1');
    expect(report.verdict).toBe('widens');
    expect(report.widening.map((w: { action: string }) => w.action)).toEqual(['s3:PutObject']);
    const strict = await run([...args, '--fail-on-widen']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe(plain.stdout);
    expect(strict.stderr).toContain('widens');
  });

  it('takes a `generate --out` directory as --current too, with its trust policy', async () => {
    const r = await run(['diff', '--proposed', join(dir, 'narrow'), '--current', join(dir, 'narrow'), '--format', 'json', '--fail-on-widen']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('unchanged');
    expect(report.trust).toEqual({ widened: [], narrowed: [] });
    expect(report.textDiff).toBe('');
    const back = await run(['diff', '--proposed', join(dir, 'wide'), '--current', join(dir, 'narrow'), '--fail-on-widen']);
    expect(back.code).toBe(1);
    expect(back.stdout.split('\n')[0]).toContain('WIDENS');
    expect(back.stdout).toContain('+ s3:PutObject on arn:aws:s3:::artifacts/*');
  });

  it('reads the live role with --role through AWS_ENDPOINT_URL', async () => {
    const before = endpoint.requests.length;
    const r = await run(['diff', '--proposed', join(dir, 'narrow'), '--role', 'arn:aws:iam::123456789012:role/service-role/cb-role', '--format', 'json', '--fail-on-widen'], endpointEnv(endpoint.url));
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.current.source).toBe('arn:aws:iam::123456789012:role/service-role/cb-role');
    expect(report.verdict).toBe('narrows');
    // ecr:Get* came from the managed policy's default version; the proposal drops it.
    expect(report.services.find((s: { service: string }) => s.service === 'ecr').removed).toContain('ecr:GetAuthorizationToken');
    expect(report.trust).toEqual({ widened: [], narrowed: [] });
    const ops = endpoint.requests.slice(before).map((q) => q.operation);
    expect(ops.filter((o) => o === 'ListRolePolicies')).toHaveLength(2);
    expect(ops).toContain('GetPolicyVersion');
  });

  it('exits 2 for a missing role and 3 when IAM denies the caller', async () => {
    const missing = await run(['diff', '--proposed', join(dir, 'narrow'), '--role', 'nope'], endpointEnv(endpoint.url));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('"nope"');
    const denied = await startAwsEndpoint(iamHandler({ ...account, deny: ['GetRole'] }));
    try {
      const r = await run(['diff', '--proposed', join(dir, 'narrow'), '--role', 'cb-role'], endpointEnv(denied.url));
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('iam:GetRole');
    } finally {
      await denied.close();
    }
  });
});
