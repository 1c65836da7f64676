// Synthesis: generalization of per-build identifiers, denied calls never granted, --min-builds, statement
// grouping and Sids, size splitting, boundary and trust documents.
import { describe, expect, it } from 'vitest';
import type { Evidence, Fact } from '../src/model.js';
import { buildBoundary, ESCALATION_ACTIONS } from '../src/synthesis/boundary.js';
import { covers, generalizeAcrossBuilds, generalizeShape } from '../src/synthesis/generalize.js';
import { checkSafety } from '../src/synthesis/safety.js';
import { policySize, splitBySize } from '../src/synthesis/size.js';
import { synthesize, WILDCARD_ONLY_SID } from '../src/synthesis/synthesize.js';
import { buildTrust, projectsFromLogGroups } from '../src/synthesis/trust.js';
import { renderEvidence } from '../src/rendering/evidence.js';

const B1 = '11111111-1111-1111-1111-111111111111';
const B2 = '22222222-2222-2222-2222-222222222222';
const B3 = '33333333-3333-3333-3333-333333333333';

function fact(action: string, resource: string, builds: string[], over: Partial<Fact> = {}): Fact {
  return {
    action,
    resource,
    resourceKnown: resource !== '*',
    origin: 'observed',
    context: {},
    outcome: 'allowed',
    count: builds.length || 1,
    builds,
    firstSeen: '2024-03-01T10:00:00Z',
    lastSeen: '2024-03-01T11:00:00Z',
    regions: ['us-east-1'],
    accounts: ['123456789012'],
    sampleEventIds: ['e1'],
    ...over,
  };
}

function evidence(facts: Fact[]): Evidence {
  return {
    role: 'cb',
    window: {},
    facts,
    unobserved: [],
    untranslatable: [],
    ignored: [],
    refused: [],
    builds: [B1, B2, B3],
    accounts: ['123456789012'],
    regions: ['us-east-1'],
    partition: 'aws',
    read: { files: 1, filesSkippedByName: 0, filesSkippedByContent: 0, digestFiles: 0, records: 1, matched: 1, skipped: {}, fileProblems: {}, notes: [] },
    warnings: [],
  };
}

const stream = (b: string): string => `arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app:log-stream:${b}`;

describe('generalization', () => {
  it('a log stream named by the build becomes log-stream:*, never log-group:*', () => {
    expect(generalizeShape(stream(B1), [B1]).to).toBe('arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app:log-stream:*');
  });

  it('timestamps are generalized; bucket names and other UUIDs (KMS keys) stay literal', () => {
    expect(generalizeShape('arn:aws:s3:::b/tmp/out-20240301T120000Z.tar', []).to).toBe('arn:aws:s3:::b/tmp/out-*.tar');
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1f0e4c2a-7a9b-4d3e-9c1b-2a3b4c5d6e7f';
    expect(generalizeShape(key, [B1]).to).toBe(key);
    expect(generalizeShape(`arn:aws:s3:::bucket-${B1}/x`, [B1]).to).toBe(`arn:aws:s3:::bucket-${B1}/x`);
  });

  it('a resource with neither shape is returned as is, and a run of stars in it still collapses', () => {
    const plain = 'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-0a1b2c3d4e5f67890';
    expect(generalizeShape(plain, [B1])).toEqual({ to: plain });
    expect(generalizeShape('arn:aws:s3:::b/out/**/x', [B1]).to).toBe('arn:aws:s3:::b/out/*/x');
  });

  it('a token that differs per build keeps what the values share', () => {
    const g = generalizeAcrossBuilds([
      { resource: 'arn:aws:s3:::art/app/build-41/app.zip', builds: [B1] },
      { resource: 'arn:aws:s3:::art/app/build-42/app.zip', builds: [B2] },
    ]);
    expect(g.map((x) => x.to)).toEqual(['arn:aws:s3:::art/app/build-*/app.zip']);
  });

  it('values from a single build are not generalized', () => {
    expect(
      generalizeAcrossBuilds([
        { resource: 'arn:aws:s3:::art/a.zip', builds: [B1] },
        { resource: 'arn:aws:s3:::art/b.zip', builds: [B1] },
      ]),
    ).toEqual([]);
  });

  it('groups exactly as trying every token position of every resource would (the skipped positions change nothing)', () => {
    // The plain algorithm the function documents: every (shape, position) group, in key order, first come
    // first served. The function skips positions where a shape's token never varies; the groups must match.
    const reference = (rs: { resource: string; builds: string[] }[]): string[][] => {
      const groups = new Map<string, typeof rs>();
      for (const r of rs) {
        const parts = r.resource.split(':');
        const head = `${parts.slice(0, 5).join(':')}:`;
        const rest = parts.slice(5).join(':');
        const tokens = rest.split(/[/:]/);
        const seps = rest.replace(/[^/:]/g, '');
        tokens.forEach((_, i) => {
          const key = `${head}\u0000${seps}\u0000${i}\u0000${tokens.slice(0, i).map((t) => `${t}\u0000`).join('')}\u0001${tokens.slice(i + 1).map((t) => `\u0000${t}`).join('')}`;
          groups.set(key, [...(groups.get(key) ?? []), r]);
        });
      }
      const used = new Set<string>();
      const out: { key: string; from: string[] }[] = [];
      for (const [key, g] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (g.length < 2 || g.some((x) => used.has(x.resource))) continue;
        if (g.some((x) => x.builds.length !== 1) || new Set(g.map((x) => x.builds[0])).size < 2) continue;
        for (const x of g) used.add(x.resource);
        out.push({ key, from: g.map((x) => x.resource).sort() });
      }
      return out.map((o) => o.from);
    };
    // A seeded generator: small alphabets make tokens collide, so groups of every size and overlap occur.
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const seen = new Set<string>();
      const rs: { resource: string; builds: string[] }[] = [];
      for (let k = 0; k < 2 + rand(30); k++) {
        const depth = 1 + rand(4);
        const path = Array.from({ length: depth }, (_, d) => (d === 0 ? ['a', 'b'][rand(2)] : ['x', 'y', 'z', `n${rand(4)}`][rand(4)])).join(rand(5) === 0 ? ':' : '/');
        const resource = `arn:aws:s3:::bkt${rand(2)}/${path}`;
        if (seen.has(resource)) continue;
        seen.add(resource);
        rs.push({ resource, builds: rand(6) === 0 ? ['b1', 'b2'] : [`b${rand(5)}`] });
      }
      expect(generalizeAcrossBuilds(rs).map((g) => g.from), JSON.stringify(rs)).toEqual(reference(rs));
    }
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
    expect(checkSafety(s.policies, facts)).toEqual([]);
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
    expect(s.notGranted).toEqual([{ action: 's3:PutObject', resource: 'arn:aws:s3:::b/rare', reason: expect.stringMatching(/fewer than --min-builds 2/) }]);
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
    const { addUnloggedNeeds } = await import('../src/translation/unlogged.js');
    const ev = addUnloggedNeeds(evidence([fact('s3:GetBucketLocation', 'arn:aws:s3:::art', [B1])]));
    expect(ev.unobserved.map((u) => `${u.action} ${u.resource}`)).toEqual(['s3:GetObject arn:aws:s3:::art/*', 's3:PutObject arn:aws:s3:::art/*']);
    const withData = addUnloggedNeeds(evidence([fact('s3:GetBucketLocation', 'arn:aws:s3:::art', [B1]), fact('s3:GetObject', 'arn:aws:s3:::art/k', [B1])]));
    expect(withData.unobserved).toEqual([]);
  });
});

describe('current trust policy gaps', () => {
  it('names missing confused-deputy conditions and extra principals', async () => {
    const { trustGaps } = await import('../src/synthesis/trust.js');
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
