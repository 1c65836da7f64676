// Synthesis: generalization of per-build identifiers, denied calls never granted, --min-builds, statement
// grouping and Sids, size splitting, boundary and trust documents.
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/model.js';
import { evidence as evidenceOf, fact } from '../support/facts.js';
import { buildBoundary, ESCALATION_ACTIONS } from '../../src/synthesis/boundary.js';
import { resourceCovers as covers } from '../../src/iam/glob.js';
import { generalizeBuildIds, generalizeUses } from '../../src/synthesis/generalize.js';
import { checkSafety } from '../../src/synthesis/safety.js';
import { policySize, splitBySize } from '../../src/synthesis/size.js';
import { synthesize, WILDCARD_ONLY_SID } from '../../src/synthesis/synthesize.js';
import { buildTrust, projectsFromLogGroups } from '../../src/synthesis/trust.js';
import { renderEvidence } from '../../src/rendering/evidence.js';

const B1 = '11111111-1111-1111-1111-111111111111';
const B2 = '22222222-2222-2222-2222-222222222222';
const B3 = '33333333-3333-3333-3333-333333333333';
const evidence = (facts: Fact[]): ReturnType<typeof evidenceOf> => evidenceOf(facts, [B1, B2, B3]);


const stream = (b: string): string => `arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app:log-stream:${b}`;

describe('generalization', () => {
  const gen = (uses: { action?: string; resource: string; builds: string[] }[]): Map<string, string> =>
    generalizeUses(uses.map((u) => ({ action: u.action ?? 's3:PutObject', ...u }))).patterns;

  it('a log stream named by the build becomes log-stream:*, never log-group:*', () => {
    expect(generalizeBuildIds('logs:CreateLogStream', stream(B1), new Set([B1]))).toBe('arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app:log-stream:*');
  });

  it('a timestamp used by one build whose run time is unknown stays literal; bucket names and KMS keys stay literal', () => {
    expect(gen([{ resource: 'arn:aws:s3:::b/tmp/out-20240301T120000Z.tar', builds: [B1] }]).size).toBe(0);
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1f0e4c2a-7a9b-4d3e-9c1b-2a3b4c5d6e7f';
    expect(generalizeBuildIds('kms:Decrypt', key, new Set([B1]))).toBe(key);
    expect(generalizeBuildIds('s3:PutObject', `arn:aws:s3:::bucket-${B1}/x`, new Set([B1]))).toBe(`arn:aws:s3:::bucket-${B1}/x`);
  });

  it('a token that differs per build keeps what the values share', () => {
    const g = gen([
      { resource: 'arn:aws:s3:::art/app/build-41/app.zip', builds: [B1] },
      { resource: 'arn:aws:s3:::art/app/build-42/app.zip', builds: [B2] },
    ]);
    expect([...new Set(g.values())]).toEqual(['arn:aws:s3:::art/app/build-*/app.zip']);
  });

  it('values from a single build are not generalized', () => {
    expect(
      gen([
        { resource: 'arn:aws:s3:::art/41.zip', builds: [B1] },
        { resource: 'arn:aws:s3:::art/42.zip', builds: [B1] },
      ]).size,
    ).toBe(0);
  });

  it('covers() treats escaped characters as literals', () => {
    expect(covers('arn:aws:s3:::b/*', 'arn:aws:s3:::b/x/y')).toBe(true);
    expect(covers('arn:aws:s3:::${*}/k', 'arn:aws:s3:::other/k')).toBe(false);
  });
});

describe('evidence.json: one action over many facts', () => {
  it('sums events, counts distinct builds, takes the first and last time and the three smallest distinct event IDs', () => {
    const facts = [
      fact('s3:GetObject', 'arn:aws:s3:::b/k-1', [B1], { count: 4, firstSeen: '2024-03-02T00:00:00Z', lastSeen: '2024-03-05T00:00:00Z', sampleEventIds: ['e9', 'e2', 'e7'] }),
      fact('s3:GetObject', 'arn:aws:s3:::b/k-2', [B2, B1], { count: 2, firstSeen: '', lastSeen: '2024-03-09T00:00:00Z', sampleEventIds: ['e2', 'e6'], regions: ['us-west-2'] }),
      fact('s3:GetObject', 'arn:aws:s3:::b/k-3', [B3], { count: 1, firstSeen: '2024-03-01T00:00:00Z', lastSeen: '', sampleEventIds: ['e5', 'e8'], origin: 'inferred' }),
      fact('s3:PutObject', 'arn:aws:s3:::b/k-1', [B1], { sampleEventIds: ['e1'] }),
    ];
    const ev = evidence(facts);
    const rendered = JSON.parse(renderEvidence(ev, synthesize(ev, { resources: 'exact' }), { boundaryWarnings: [], trustWarnings: [], projects: [] })) as {
      statements: { actions: Record<string, unknown>[] }[];
    };
    const get = rendered.statements.flatMap((s) => s.actions).find((a) => a.action === 's3:GetObject');
    expect(get).toMatchObject({
      origin: ['inferred', 'observed'],
      events: 7,
      builds: 3,
      firstSeen: '2024-03-01T00:00:00Z',
      lastSeen: '2024-03-09T00:00:00Z',
      regions: ['us-east-1', 'us-west-2'],
      sampleEventIds: ['e2', 'e5', 'e6'],
    });
    expect((get?.observed as unknown[]).length).toBe(3);
  });
});

describe('synthesize', () => {
  it('never grants a call that only failed, even when generalization would cover it', () => {
    const facts = [
      fact('s3:GetObject', 'arn:aws:s3:::b/k-1', [B1]),
      fact('s3:GetObject', 'arn:aws:s3:::b/k-2', [B2]),
      fact('s3:GetObject', 'arn:aws:s3:::b/k-9', [B3], { outcome: 'denied' }),
      fact('s3:PutObject', 'arn:aws:s3:::prod/index.html', [B3], { outcome: 'denied' }),
    ];
    const s = synthesize(evidence(facts), { resources: 'generalize' });
    const resources = s.statements.flatMap((x) => x.resources);
    expect(resources).toEqual(['arn:aws:s3:::b/k-1', 'arn:aws:s3:::b/k-2']);
    expect(s.statements.flatMap((x) => x.actions)).not.toContain('s3:PutObject');
    expect(s.denied.map((d) => d.resource).sort()).toEqual(['arn:aws:s3:::b/k-9', 'arn:aws:s3:::prod/index.html']);
  });

  it('groups actions with the same resources, names statements by what they grant, puts wildcard-only actions apart', () => {
    const facts = [
      fact('logs:CreateLogStream', stream(B1), [B1]),
      fact('logs:CreateLogStream', stream(B2), [B2]),
      fact('ecr:GetAuthorizationToken', '*', [B1]),
      fact('ec2:DescribeSubnets', '*', [B1]),
      fact('s3:GetBucketAcl', 'arn:aws:s3:::art', [B1]),
      fact('s3:GetBucketLocation', 'arn:aws:s3:::art', [B1]),
    ];
    const s = synthesize(evidence(facts), { resources: 'generalize' });
    expect(s.statements.map((x) => [x.sid, x.actions])).toEqual([
      ['LogsCreateLogStreamApp', ['logs:CreateLogStream']],
      ['S3ReadArt', ['s3:GetBucketAcl', 's3:GetBucketLocation']],
      [WILDCARD_ONLY_SID, ['ec2:DescribeSubnets', 'ecr:GetAuthorizationToken']],
    ]);
    expect(s.generalized[0]?.to).toMatch(/log-stream:\*$/);
    expect(checkSafety(s.policies, facts, s.justifiedPatterns)).toEqual([]);
    // Without the proof, the same pattern is a widening the gate refuses.
    expect(checkSafety(s.policies, facts).map((p) => p.problem)).toEqual([expect.stringMatching(/on arn:aws:logs:.*:log-stream:\* *, a pattern that matches names no build used/)]);
  });

  it('keeps kms:ViaService as a condition only when every use carried it', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/k1';
    const via = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };
    const only = synthesize(evidence([fact('kms:GenerateDataKey', key, [B1], { context: via })]), { resources: 'exact' });
    expect(only.policies[0].Statement[0].Condition).toEqual({ StringEquals: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com'] } });
    const mixed = synthesize(evidence([fact('kms:Decrypt', key, [B1], { context: via }), fact('kms:Decrypt', key, [B2])]), { resources: 'exact' });
    expect(mixed.policies[0].Statement.some((s) => s.Condition === undefined && (s.Action as string[]).includes('kms:Decrypt'))).toBe(true);
  });

  it('--min-builds lists, not grants, what fewer builds used', () => {
    const facts = [fact('s3:GetObject', 'arn:aws:s3:::b/a', [B1, B2]), fact('s3:PutObject', 'arn:aws:s3:::b/rare', [B3])];
    const s = synthesize(evidence(facts), { resources: 'exact', minBuilds: 2 });
    expect(s.statements.flatMap((x) => x.actions)).toEqual(['s3:GetObject']);
    expect(s.notGranted).toEqual([{ action: 's3:PutObject', resource: 'arn:aws:s3:::b/rare', builds: 1, observed: ['arn:aws:s3:::b/rare'], reason: expect.stringMatching(/fewer than --min-builds 2/) }]);
  });

  it('the same evidence in any order gives the same bytes', () => {
    const facts = [fact('s3:GetObject', 'arn:aws:s3:::b/a', [B1]), fact('logs:CreateLogGroup', 'arn:aws:logs:us-east-1:123456789012:log-group:g', [B2]), fact('ecr:GetAuthorizationToken', '*', [B1])];
    const a = JSON.stringify(synthesize(evidence(facts), { resources: 'generalize' }).policies);
    const b = JSON.stringify(synthesize(evidence([...facts].reverse()), { resources: 'generalize' }).policies);
    expect(b).toBe(a);
  });
});

describe('size limits', () => {
  it('splits a document that would pass 6,144 characters, without losing a resource', () => {
    const resources = Array.from({ length: 300 }, (_, i) => `arn:aws:s3:::bucket-${i}/some/long/prefix/${i}`);
    const { documents, sizes } = splitBySize([{ Sid: 'S3Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: resources }], 6144);
    expect(documents.length).toBeGreaterThan(1);
    for (const s of sizes) expect(s).toBeLessThanOrEqual(6144);
    expect(documents.flatMap((d) => d.Statement.flatMap((s) => s.Resource as string[]))).toEqual(resources);
    expect(policySize(documents[0])).toBe(sizes[0]);
  });
});

describe('boundary and trust', () => {
  it('denies escalation, audit tampering and leaving the organization, and caps regions', () => {
    const { document } = buildBoundary({
      statements: [{ actions: ['logs:CreateLogGroup'], resources: ['arn:aws:logs:us-east-1:123456789012:log-group:g'] }],
      passedRoles: [],
      regions: ['us-east-1'],
      scope: 'services',
    });
    const deny = document.Statement.filter((s) => s.Effect === 'Deny');
    const denied = deny.flatMap((s) => (Array.isArray(s.Action) ? s.Action : s.Action ? [s.Action] : []));
    for (const a of [...ESCALATION_ACTIONS, 'cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'organizations:LeaveOrganization', 'iam:PassRole']) {
      expect(denied, a).toContain(a);
    }
    const region = deny.find((s) => s.Sid === 'DenyRegionsTheBuildDoesNotUse');
    expect(region?.Condition).toEqual({ StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] } });
    expect(document.Statement[0]).toMatchObject({ Effect: 'Allow', Action: ['logs:*'], Resource: ['arn:aws:logs:*:123456789012:*'] });
  });

  it('allows passing only the roles the build passed', () => {
    const role = 'arn:aws:iam::123456789012:role/app-exec';
    const { document } = buildBoundary({ statements: [{ actions: ['iam:PassRole'], resources: [role] }], passedRoles: [role], regions: [], scope: 'actions' });
    expect(document.Statement.find((s) => s.Sid === 'DenyPassRoleExceptRolesTheBuildPasses')?.NotResource).toEqual([role]);
  });

  it('trust: CodeBuild only, with aws:SourceAccount and aws:SourceArn of the projects', () => {
    const projects = projectsFromLogGroups(['arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app:log-stream:*']);
    expect(projects).toEqual(['arn:aws:codebuild:us-east-1:123456789012:project/app']);
    const { document, warnings } = buildTrust({ accounts: ['123456789012'], partition: 'aws', projectArns: projects, regions: ['us-east-1'] });
    expect(warnings).toEqual([]);
    expect(document.Statement[0]).toEqual({
      Sid: 'CodeBuildAssumesRoleForItsProjects',
      Effect: 'Allow',
      Principal: { Service: 'codebuild.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:codebuild:us-east-1:123456789012:project/app' } },
    });
    const unknown = buildTrust({ accounts: ['123456789012'], partition: 'aws', projectArns: [], regions: ['us-east-1'] });
    expect(unknown.warnings[0]).toMatch(/projects .* are unknown/);
    expect(JSON.stringify(unknown.document)).toContain('project/*');
  });

  it('the safety gate refuses wildcard actions and resource-scoped actions on "*"', () => {
    const problems = checkSafety(
      [{ Version: '2012-10-17', Statement: [{ Sid: 'X', Effect: 'Allow', Action: ['s3:*', 'logs:CreateLogGroup'], Resource: '*' }] }],
      [fact('logs:CreateLogGroup', 'arn:aws:logs:us-east-1:123456789012:log-group:g', [B1])],
    );
    expect(problems.map((p) => p.problem)).toEqual(['allows the wildcard action s3:*', 'grants logs:CreateLogGroup on "*" although the trail named its resources']);
  });
});

describe('needs the trail cannot show', () => {
  it('S3 buckets used without any object events are named as unobserved object access', async () => {
    const { addUnloggedNeeds } = await import('../../src/translation/unlogged.js');
    const ev = addUnloggedNeeds(evidence([fact('s3:GetBucketLocation', 'arn:aws:s3:::art', [B1])]));
    expect(ev.unobserved.map((u) => `${u.action} ${u.resource}`)).toEqual(['s3:GetObject arn:aws:s3:::art/*', 's3:PutObject arn:aws:s3:::art/*']);
    const withData = addUnloggedNeeds(evidence([fact('s3:GetBucketLocation', 'arn:aws:s3:::art', [B1]), fact('s3:GetObject', 'arn:aws:s3:::art/k', [B1])]));
    expect(withData.unobserved).toEqual([]);
  });
});

describe('current trust policy gaps', () => {
  it('names missing confused-deputy conditions and extra principals', async () => {
    const { trustGaps } = await import('../../src/synthesis/trust.js');
    expect(
      trustGaps({
        Version: '2012-10-17',
        Statement: [{ Sid: 'Old', Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com', AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }],
      }),
    ).toEqual([
      'statement Old also trusts AWS:arn:aws:iam::999999999999:root',
      'statement Old lets CodeBuild assume the role without an aws:SourceAccount condition',
      'statement Old lets CodeBuild assume the role for any project (no aws:SourceArn condition)',
    ]);
    const generated = buildTrust({ accounts: ['123456789012'], partition: 'aws', projectArns: ['arn:aws:codebuild:us-east-1:123456789012:project/app'], regions: [] }).document;
    expect(trustGaps(generated)).toEqual([]);
  });
});

describe('boundary when the passed role is unknown', () => {
  it('does not deny the PassRole the policy grants, and says why', () => {
    const { document, warnings } = buildBoundary({ statements: [{ actions: ['iam:PassRole'], resources: ['*'] }], passedRoles: ['*'], regions: ['us-east-1'], scope: 'actions' });
    expect(document.Statement.some((s) => (s.Sid ?? '').startsWith('DenyPassRole'))).toBe(false);
    expect(warnings.join(' ')).toMatch(/does not cap iam:PassRole/);
  });
});
