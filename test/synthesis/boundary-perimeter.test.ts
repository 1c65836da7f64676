// The boundary keeps a data perimeter (issue 16): S3 ARNs name no account, so an envelope of s3:* on
// arn:aws:s3:::* let a compromised build copy artifacts or secrets to anyone's bucket. The envelope of an
// account-less service is capped with aws:ResourceAccount to the owners the trail shows (resources[]); a
// bucket whose owner the trail does not show is allowed by name only. Checked with iam-simulate as oracle.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuthRequest, PolicyDocument } from '../../src/model.js';
import { readFiles } from '../../src/sources/files/read-files.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import { buildBoundary } from '../../src/synthesis/boundary.js';
import { toEvidence } from '../../src/translation/aggregate.js';
import { ownerOf } from '../../src/translation/resource-owner.js';
import { distinctNeeds } from '../../src/verification/replay.js';
import { oracleVerdicts } from '../support/oracle.js';
import { runCli } from '../support/run-cli.js';
import { repoPath } from '../support/paths.js';

const OWN = '123456789012';
const OTHER = '999988887777';

function s3(action: string, resource: string, account?: string): AuthRequest {
  return { action, resource, context: { 'aws:RequestedRegion': 'eu-west-1', ...(account ? { 'aws:ResourceAccount': account } : {}) } };
}

describe('buildBoundary: data perimeter', () => {
  const statements = [
    { actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::artifacts/app/*', 'arn:aws:s3:::tools/bin/*'] },
    { actions: ['logs:CreateLogStream'], resources: [`arn:aws:logs:eu-west-1:${OWN}:log-group:/aws/codebuild/app:*`] },
    { actions: ['s3:ListAllMyBuckets'], resources: ['*'] },
  ];
  const owners = [
    { resource: 'arn:aws:s3:::artifacts', accounts: [OWN] },
    // The owner of "tools" is not in the trail (a bucket of another account that logs no data events).
    { resource: 'arn:aws:s3:::tools', accounts: [] },
  ];
  const { document: boundary, warnings } = buildBoundary({ statements, passedRoles: [], regions: ['eu-west-1'], scope: 'services', owners });
  const identity: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };

  it('denies a write to another account\'s bucket, allows the owner\'s buckets and the named unknown one', async () => {
    const cases: Array<[AuthRequest, boolean]> = [
      [s3('s3:PutObject', 'arn:aws:s3:::attacker-drop/loot.tar', OTHER), false],
      [s3('s3:PutObject', 'arn:aws:s3:::attacker-drop/loot.tar'), false],
      [s3('s3:PutObject', 'arn:aws:s3:::artifacts/app/2.zip', OWN), true],
      // Another bucket of the owner's account: the envelope is per account, not per bucket.
      [s3('s3:GetObject', 'arn:aws:s3:::other-of-ours/x', OWN), true],
      [s3('s3:GetObject', 'arn:aws:s3:::tools/bin/y', OTHER), true],
      [s3('s3:GetObject', 'arn:aws:s3:::tools2/bin/y', OTHER), false],
      [{ action: 's3:ListAllMyBuckets', resource: '*', context: { 'aws:RequestedRegion': 'eu-west-1' } }, true],
    ];
    for (const [request, allowed] of cases) {
      const v = await oracleVerdicts(request, [identity], [boundary]);
      expect(v.decision === 'Allow', `${request.action} ${request.resource} ${JSON.stringify(request.context)}`).toBe(allowed);
    }
  });

  it('names the bucket whose owner the trail does not show', () => {
    expect(warnings.join('\n')).toContain('arn:aws:s3:::tools');
  });

  it('the actions scope keeps the perimeter too', async () => {
    const b = buildBoundary({ statements, passedRoles: [], regions: ['eu-west-1'], scope: 'actions', owners }).document;
    expect((await oracleVerdicts(s3('s3:PutObject', 'arn:aws:s3:::attacker-drop/loot.tar', OTHER), [identity], [b])).decision).not.toBe('Allow');
    expect((await oracleVerdicts(s3('s3:PutObject', 'arn:aws:s3:::artifacts/app/2.zip', OWN), [identity], [b])).decision).toBe('Allow');
  });
});

describe('generate: the boundary allows every observed request and keeps other accounts\' buckets out', () => {
  const DIR = repoPath('fixtures/scenarios/s3-data-kms/');
  const project = JSON.parse(readFileSync(join(DIR, 'project.json'), 'utf8')) as { projects: Array<{ serviceRole: string }> };
  const role = project.projects[0].serviceRole;

  it('iam-simulate allows each observed request under policy and boundary, and denies the same write to another account', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-perimeter-'));
    const g = runCli(['generate', '--logs', join(DIR, 'builds-1-3'), '--role', role, '--project-file', join(DIR, 'project.json'), '--out', out, '--quiet']);
    expect(g.code, g.stderr).toBe(0);
    const identity = readdirSync(out).filter((f) => /^policy(-\d+)?\.json$/.test(f)).map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')) as PolicyDocument);
    const boundary = JSON.parse(readFileSync(join(out, 'boundary.json'), 'utf8')) as PolicyDocument;
    expect(JSON.stringify(boundary)).toContain('aws:ResourceAccount');

    const r = await readFiles({ paths: [join(DIR, 'builds-1-3')], role: parseRoleSpec(role), workers: 1 });
    // The observed needs as verify replays them (the owner of each bucket as aws:ResourceAccount).
    const requests = distinctNeeds(toEvidence(r.agg, role, {}, r.stats, r.warnings), { observedOnly: true }).map((n) => ({
      request: { action: n.action, resource: n.resource, context: { ...n.context, ...(n.region ? { 'aws:RequestedRegion': n.region } : {}) } as Record<string, string> },
    }));
    const s3Requests = requests.filter((q) => q.request.action.startsWith('s3:') && q.request.resource !== '*');
    expect(s3Requests.length).toBeGreaterThan(3);
    for (const q of s3Requests) {
      expect(q.request.context['aws:ResourceAccount'], q.request.resource).toBe(OWN);
      const v = await oracleVerdicts(q.request, identity, [boundary]);
      expect(v.boundary, `${q.request.action} ${q.request.resource}`).toBe('Allow');
      // The same request to a bucket of another account: the boundary alone refuses it.
      const moved = { ...q.request, context: { ...q.request.context, 'aws:ResourceAccount': OTHER } };
      expect((await oracleVerdicts(moved, identity, [boundary])).boundary, `${q.request.action} ${q.request.resource} in ${OTHER}`).not.toBe('Allow');
    }
  });
});

describe('ownerOf: the owner only from the bucket entry of resources[]', () => {
  const object = 'arn:aws:s3:::artifacts/app/1.zip';
  it('takes the accountId of the bucket entry, never a wildcard, a look-alike bucket, or a missing one', () => {
    expect(ownerOf(object, [{ type: 'AWS::S3::Object', ARN: object }, { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::artifacts', accountId: OWN }])).toBe(OWN);
    expect(ownerOf(object, [{ type: 'AWS::S3::Bucket', arn: 'arn:aws:s3:::artifacts', accountId: OWN }])).toBe(OWN);
    expect(ownerOf(object, [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::artifacts', accountId: '*' }])).toBeUndefined();
    expect(ownerOf(object, [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::artifacts-evil', accountId: OTHER }])).toBeUndefined();
    expect(ownerOf(object, [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::artifacts' }])).toBeUndefined();
    expect(ownerOf(object, { ARN: 'arn:aws:s3:::artifacts', accountId: OWN })).toBeUndefined();
  });
});
