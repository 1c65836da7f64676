// Issue 16: a wildcard is a claim that needs evidence. Distinct names used by different builds stay distinct
// (roles, keys, buckets, functions, secrets, parameters, whatever their shape); only per-build identifiers in the
// places builds leave them (object keys, log streams, report IDs, ENIs) become wildcards, and each wildcard
// names the builds and tokens that justify it.
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/model.js';
import { evidence, fact } from '../support/facts.js';
import { checkSafety } from '../../src/synthesis/safety.js';
import { synthesize, type Synthesis } from '../../src/synthesis/synthesize.js';
import { resourceCovers as covers } from '../../src/iam/glob.js';

const A = '123456789012';
const B1 = '11111111-1111-4111-8111-111111111111';
const B2 = '22222222-2222-4222-8222-222222222222';
const B3 = '33333333-3333-4333-8333-333333333333';


const granted = (s: Synthesis, action: string): string[] => s.statements.filter((x) => x.actions.includes(action)).flatMap((x) => x.resources).sort();

describe('distinct names used by different builds are never generalized (issue 16, item 1)', () => {
  // [action, resource used by build 1, resource used by build 2]
  const cases: Array<[string, string, string, string]> = [
    ['PassRole on two roles', 'iam:PassRole', `arn:aws:iam::${A}:role/svc-a`, `arn:aws:iam::${A}:role/x-b`],
    ['Decrypt with two KMS keys (UUID-shaped names)', 'kms:Decrypt', `arn:aws:kms:us-east-1:${A}:key/1f0e4c2a-7a9b-4d3e-9c1b-2a3b4c5d6e7f`, `arn:aws:kms:us-east-1:${A}:key/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b`],
    ['PutObject to two buckets', 's3:PutObject', 'arn:aws:s3:::prod-artifacts/a', 'arn:aws:s3:::staging-artifacts/a'],
    ['AssumeRole on two roles', 'sts:AssumeRole', `arn:aws:iam::${A}:role/deployer`, `arn:aws:iam::${A}:role/reader`],
    ['two functions', 'lambda:UpdateFunctionCode', `arn:aws:lambda:us-east-1:${A}:function:alpha`, `arn:aws:lambda:us-east-1:${A}:function:beta`],
    ['two secrets', 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:us-east-1:${A}:secret:prod/db-password-AbCdEf`, `arn:aws:secretsmanager:us-east-1:${A}:secret:prod/github-token-XyZ123`],
    ['two parameters', 'ssm:GetParameter', `arn:aws:ssm:us-east-1:${A}:parameter/app/alpha`, `arn:aws:ssm:us-east-1:${A}:parameter/app/beta`],
    ['two digit-only role names', 'iam:PassRole', `arn:aws:iam::${A}:role/1700000000`, `arn:aws:iam::${A}:role/1700000001`],
    ['two words in an object key', 's3:GetObject', 'arn:aws:s3:::art/config/alpha.json', 'arn:aws:s3:::art/config/beta.json'],
  ];
  for (const [name, action, one, two] of cases) {
    it(`${name}: both exact, nothing generalized`, () => {
      const s = synthesize(evidence([fact(action, one, [B1]), fact(action, two, [B2])]), { resources: 'generalize' });
      expect(granted(s, action)).toEqual([one, two].sort());
      expect(s.generalized).toEqual([]);
    });
  }

  it('a digit-only role name (an epoch time in shape) used by one build stays exact', () => {
    const role = `arn:aws:iam::${A}:role/1700000000`;
    expect(granted(synthesize(evidence([fact('iam:PassRole', role, [B1])]), { resources: 'generalize' }), 'iam:PassRole')).toEqual([role]);
  });

  it('a name that contains the build ID stays exact when it names a resource (a bucket, a role)', () => {
    const bucket = `arn:aws:s3:::bucket-${B1}/x`;
    const role = `arn:aws:iam::${A}:role/tmp-${B1}`;
    const s = synthesize(evidence([fact('s3:PutObject', bucket, [B1]), fact('iam:PassRole', role, [B1])]), { resources: 'generalize' });
    expect(granted(s, 's3:PutObject')).toEqual([bucket]);
    expect(granted(s, 'iam:PassRole')).toEqual([role]);
  });

  it('--min-builds 2 drops each of them: every name was used by one build', () => {
    const facts = cases.flatMap(([, action, one, two]) => [fact(action, one, [B1]), fact(action, two, [B2])]);
    const s = synthesize(evidence(facts), { resources: 'generalize', minBuilds: 2 });
    expect(s.statements).toEqual([]);
    expect(s.notGranted.length).toBe(facts.length);
    for (const n of s.notGranted) expect(n.builds).toBe(1);
  });
});

describe('per-build identifiers become wildcards, with the builds and tokens that justify them', () => {
  const stream = (b: string): string => `arn:aws:logs:us-east-1:${A}:log-group:/aws/codebuild/app:log-stream:${b}`;

  it("a log stream named by the build's own ID, even from one build", () => {
    const s = synthesize(evidence([fact('logs:CreateLogStream', stream(B1), [B1])]), { resources: 'generalize' });
    expect(granted(s, 'logs:CreateLogStream')).toEqual([stream('*')]);
    expect(s.generalized).toEqual([{ from: [stream(B1)], to: stream('*'), why: expect.stringMatching(/uuid in logs log-stream LogStreamName/), because: [{ build: B1, token: B1, reason: "the build's ID" }] }]);
  });

  it('a build number in an artifact key that differs between builds', () => {
    const key = (n: number): string => `arn:aws:s3:::art/app/build-${n}/app.zip`;
    const s = synthesize(evidence([fact('s3:PutObject', key(41), [B1]), fact('s3:PutObject', key(42), [B2])]), { resources: 'generalize' });
    expect(granted(s, 's3:PutObject')).toEqual(['arn:aws:s3:::art/app/build-*/app.zip']);
    expect(s.generalized[0].because).toEqual([
      { build: B1, token: '41', reason: 'differs between builds' },
      { build: B2, token: '42', reason: 'differs between builds' },
    ]);
  });

  it('a commit SHA that is per-build in one place is per-build wherever that build used it, even in a bucket only it wrote to', () => {
    const sha1 = '3f9a1c27b0d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8';
    const sha2 = '8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5';
    const facts = [
      fact('s3:PutObject', `arn:aws:s3:::staging-deploy/releases/${sha1}/app.zip`, [B1]),
      fact('s3:PutObject', `arn:aws:s3:::staging-deploy/releases/${sha2}/app.zip`, [B2]),
      fact('s3:PutObject', `arn:aws:s3:::prod-deploy/releases/${sha2}/app.zip`, [B2]),
    ];
    const s = synthesize(evidence(facts), { resources: 'generalize' });
    expect(granted(s, 's3:PutObject')).toEqual(['arn:aws:s3:::prod-deploy/releases/*/app.zip', 'arn:aws:s3:::staging-deploy/releases/*/app.zip']);
    const prod = s.generalized.find((g) => g.to.startsWith('arn:aws:s3:::prod-deploy'));
    expect(prod?.because).toEqual([{ build: B2, token: sha2, reason: 'per-build elsewhere in the build' }]);
    // The bucket is still a name: no other bucket is reachable.
    expect(covers(prod?.to ?? '', `arn:aws:s3:::staging-deploy/releases/${sha2}/app.zip`)).toBe(false);
  });

  it('a short number per-build in one key does not open every key of that build that holds the same digits', () => {
    // Builds 1 and 2 write art/1/ and art/2/: "1" is per-build there. Build 1 also reads vault/1, team/1/keys.pem
    // and us-east-1/creds once: "1" says nothing about those keys (a SHA would), so they stay exact.
    const facts = [
      fact('s3:PutObject', 'arn:aws:s3:::art/1/app.zip', [B1]),
      fact('s3:PutObject', 'arn:aws:s3:::art/2/app.zip', [B2]),
      fact('s3:GetObject', 'arn:aws:s3:::vault/1', [B1]),
      fact('s3:GetObject', 'arn:aws:s3:::vault2/team/1/keys.pem', [B1]),
      fact('s3:GetObject', 'arn:aws:s3:::vault3/us-east-1/creds', [B1]),
    ];
    const s = synthesize(evidence(facts), { resources: 'generalize' });
    expect(granted(s, 's3:PutObject')).toEqual(['arn:aws:s3:::art/*/app.zip']);
    expect(granted(s, 's3:GetObject')).toEqual(['arn:aws:s3:::vault/1', 'arn:aws:s3:::vault2/team/1/keys.pem', 'arn:aws:s3:::vault3/us-east-1/creds']);
  });

  it('timestamps that differ between builds; the same word in every build stays literal', () => {
    const key = (t: string): string => `arn:aws:s3:::scratch/tmp/run-${t}/output.parquet`;
    const s = synthesize(evidence([fact('s3:PutObject', key('20240304T100227Z'), [B1]), fact('s3:PutObject', key('20240305T082119Z'), [B2])]), { resources: 'generalize' });
    expect(granted(s, 's3:PutObject')).toEqual([key('*')]);
  });

  it("a timestamp from one build's own run is per-build; a date outside the run or no date at all is not", () => {
    // The fact's calls ran 10:00-11:00 on 2024-03-01.
    const key = (t: string): string => `arn:aws:s3:::scratch/tmp/out-${t}.tar`;
    const one = (t: string): string[] => granted(synthesize(evidence([fact('s3:PutObject', key(t), [B1])]), { resources: 'generalize' }), 's3:PutObject');
    expect(one('20240301T103000Z')).toEqual([key('*')]);
    expect(one('2024-03-01T09-15-00')).toEqual([key('*')]);
    expect(one('1709287200')).toEqual([key('*')]);
    expect(one('20230301T103000Z')).toEqual([key('20230301T103000Z')]);
    expect(one('20240230T103000Z')).toEqual([key('20240230T103000Z')]);
    const s = synthesize(evidence([fact('s3:PutObject', key('20240301T103000Z'), [B1])]), { resources: 'generalize' });
    expect(s.generalized[0].because).toEqual([{ build: B1, token: '20240301T103000Z', reason: "a time during the build's own run" }]);
  });

  it('a token also used by another build is not per-build', () => {
    const facts = [
      fact('s3:PutObject', 'arn:aws:s3:::art/41/a.zip', [B1]),
      fact('s3:PutObject', 'arn:aws:s3:::art/42/a.zip', [B2]),
      fact('s3:GetObject', 'arn:aws:s3:::art/41/b.zip', [B3]),
    ];
    const s = synthesize(evidence(facts), { resources: 'generalize' });
    expect(granted(s, 's3:PutObject')).toEqual(['arn:aws:s3:::art/41/a.zip', 'arn:aws:s3:::art/42/a.zip']);
  });

  it('network interfaces a VPC build creates and deletes, one per build', () => {
    const eni = (id: string): string => `arn:aws:ec2:us-east-1:${A}:network-interface/eni-${id}`;
    const s = synthesize(evidence([fact('ec2:DeleteNetworkInterface', eni('47aeb4e6952dc5c8f'), [B1]), fact('ec2:DeleteNetworkInterface', eni('93aa8a23522e9ba26'), [B2])]), {
      resources: 'generalize',
    });
    expect(granted(s, 'ec2:DeleteNetworkInterface')).toEqual([eni('*')]);
  });
});

describe('the safety gate checks widening, not only "*"', () => {
  const doc = (resources: string[]): PolicyDocument[] => [{ Version: '2012-10-17', Statement: [{ Sid: 'S3Write', Effect: 'Allow', Action: ['s3:PutObject'], Resource: resources }] }];
  const used = [fact('s3:PutObject', 'arn:aws:s3:::prod-artifacts/a', [B1]), fact('s3:PutObject', 'arn:aws:s3:::staging-artifacts/a', [B2])];

  it('refuses a pattern that matches names no build used, naming the statement and the pattern', () => {
    expect(checkSafety(doc(['arn:aws:s3:::*-artifacts/a']), used)).toEqual([
      { sid: 'S3Write', problem: 'grants s3:PutObject on arn:aws:s3:::*-artifacts/a, a pattern that matches names no build used and that is not a proven per-build identifier' },
    ]);
    expect(checkSafety(doc([`arn:aws:iam::${A}:role/*er`]), used)).toHaveLength(1);
  });

  it('lets through exact names, escaped literals, proven per-build patterns and the patterns facts carry', () => {
    expect(checkSafety(doc(['arn:aws:s3:::prod-artifacts/a', 'arn:aws:s3:::cache/${*}']), used)).toEqual([]);
    const s = synthesize(evidence([fact('s3:PutObject', 'arn:aws:s3:::art/build-41/a', [B1]), fact('s3:PutObject', 'arn:aws:s3:::art/build-42/a', [B2])]), { resources: 'generalize' });
    expect(s.justifiedPatterns).toEqual(['arn:aws:s3:::art/build-*/a']);
    expect(checkSafety(s.policies, [], s.justifiedPatterns)).toEqual([]);
    const inferred = fact('s3:GetObject', 'arn:aws:s3:::src/app/*', [], { origin: 'inferred' });
    expect(checkSafety(doc(['arn:aws:s3:::src/app/*']), [inferred])).toEqual([]);
  });

  it('every pattern synthesize writes passes the gate with its own justification', () => {
    const facts = [
      fact('logs:CreateLogGroup', `arn:aws:logs:us-east-1:${A}:log-group:/aws/codebuild/app`, [B1, B2]),
      fact('logs:CreateLogStream', `arn:aws:logs:us-east-1:${A}:log-group:/aws/codebuild/app:log-stream:${B1}`, [B1]),
      fact('s3:PutObject', `arn:aws:s3:::art/${B2}/x`, [B2]),
    ];
    const s = synthesize(evidence(facts), { resources: 'generalize' });
    expect(s.policies.flatMap((p) => p.Statement.flatMap((x) => x.Resource as string[])).filter((r) => r.includes('*')).length).toBeGreaterThan(2);
    expect(checkSafety(s.policies, facts, s.justifiedPatterns)).toEqual([]);
  });
});

describe('evidence.json and report.md name the justification, the dropped needs and the broad grants', () => {
  it('lists builds and tokens per generalization, needs below --min-builds with counts, and --allow-broad grants', async () => {
    const { renderEvidence } = await import('../../src/rendering/evidence.js');
    const { renderReport } = await import('../../src/rendering/report.js');
    const facts = [
      fact('s3:PutObject', 'arn:aws:s3:::art/app/build-41/app.zip', [B1]),
      fact('s3:PutObject', 'arn:aws:s3:::art/app/build-42/app.zip', [B2]),
      fact('iam:PassRole', `arn:aws:iam::${A}:role/svc-a`, [B1]),
    ];
    const ev = evidence(facts);
    const s = synthesize(ev, { resources: 'generalize', minBuilds: 2 });
    const extras = { boundaryWarnings: [], trustWarnings: [], projects: [], broad: ['S3Write grants s3:PutObject on arn:aws:s3:::*-artifacts/a, a pattern that matches names no build used'] };
    const json = JSON.parse(renderEvidence(ev, s, extras)) as Record<string, unknown>;
    expect(json.generalized).toEqual([
      expect.objectContaining({
        to: 'arn:aws:s3:::art/app/build-*/app.zip',
        because: [
          { build: B1, token: '41', reason: 'differs between builds' },
          { build: B2, token: '42', reason: 'differs between builds' },
        ],
      }),
    ]);
    expect(json.minBuilds).toBe(2);
    expect(json.notGranted).toEqual([expect.objectContaining({ action: 'iam:PassRole', builds: 1, observed: [`arn:aws:iam::${A}:role/svc-a`] })]);
    expect(json.broad).toEqual(extras.broad);
    const trust: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: {} }] };
    const report = renderReport(ev, s, extras, { Version: '2012-10-17', Statement: [] }, trust);
    expect(report).toContain(`\`${B1}\`: \`41\` (differs between builds)<br>\`${B2}\`: \`42\` (differs between builds)`);
    expect(report).toContain(`| \`iam:PassRole\` | \`arn:aws:iam::${A}:role/svc-a\` | 1 |`);
    // Prose is escaped for markdown (the wildcard and dash backslashed, the scheme-like "aws:" broken).
    expect(report).toContain('**`--allow-broad`**: the policy is broader than the evidence (the safety gate refused these):\n  - S3Write grants s3:PutObject on arn:');
    expect(report).toContain('s3:::\\*\\-artifacts/a, a pattern that matches names no build used');
  });
});
