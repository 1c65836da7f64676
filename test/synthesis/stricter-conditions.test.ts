// No statement looser than another for the same need (issue 16, item 5). A VPC build's
// ec2:CreateNetworkInterfacePermission is inferred from --project-file with ec2:Subnet; the observed call
// (network-interface/eni-…, ec2:AuthorizedService only) must not be granted beside it without the subnet,
// or the union allows ENIs in any subnet. The observed call gets the subnets of its builds' ENIs: from the
// CreateNetworkInterface records of the same builds, or from --project-file.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuthRequest, Fact, PolicyDocument, PolicyStatement } from '../../src/model.js';
import { addResourceConditions } from '../../src/synthesis/resource-conditions.js';
import { evaluate } from '../../src/verification/evaluator/index.js';
import { oracleVerdicts } from '../support/oracle.js';
import { runCli } from '../support/run-cli.js';
import { repoPath } from '../support/paths.js';

const DIR = repoPath('fixtures/scenarios/vpc-reports-secrets/');
const project = JSON.parse(readFileSync(join(DIR, 'project.json'), 'utf8')) as { projects: Array<{ serviceRole: string; vpcConfig: { subnets: string[] } }> };
const ROLE = project.projects[0].serviceRole;
const subnet = (id: string): string => `arn:aws:ec2:us-east-1:123456789012:subnet/${id}`;
const ACTION = 'ec2:CreateNetworkInterfacePermission';

function generate(withProject: boolean): { policies: PolicyDocument[]; boundary: PolicyDocument } {
  const out = mkdtempSync(join(tmpdir(), 'cbiam-stricter-'));
  const args = ['generate', '--logs', join(DIR, 'builds-1-3'), '--role', ROLE, '--out', out, '--quiet'];
  const r = runCli(withProject ? [...args, '--project-file', join(DIR, 'project.json')] : [...args, '--no-infer']);
  expect(r.code, r.stderr).toBe(0);
  const policies = readdirSync(out)
    .filter((f) => /^policy(-\d+)?\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')) as PolicyDocument);
  return { policies, boundary: JSON.parse(readFileSync(join(out, 'boundary.json'), 'utf8')) as PolicyDocument };
}

const grantsOf = (policies: PolicyDocument[]): PolicyStatement[] =>
  policies.flatMap((p) => p.Statement).filter((s) => [s.Action].flat().includes(ACTION));

function request(eni: string, subnetId: string): AuthRequest {
  return {
    action: ACTION,
    resource: `arn:aws:ec2:us-east-1:123456789012:network-interface/${eni}`,
    context: { 'ec2:AuthorizedService': 'codebuild.amazonaws.com', 'ec2:Subnet': subnet(subnetId), 'aws:RequestedRegion': 'us-east-1' },
  };
}

describe('observed and inferred CreateNetworkInterfacePermission', () => {
  for (const withProject of [true, false]) {
    it(`every grant carries ec2:Subnet, and a subnet no build used is denied (${withProject ? 'with' : 'without'} --project-file)`, async () => {
      const { policies } = generate(withProject);
      const grants = grantsOf(policies);
      expect(grants.length).toBeGreaterThan(0);
      for (const s of grants) {
        const subnets = [s.Condition?.ArnEquals?.['ec2:Subnet']].flat();
        expect(subnets.sort(), JSON.stringify(s)).toEqual(project.projects[0].vpcConfig.subnets.map(subnet).sort());
      }
      // The project's evaluator and iam-simulate agree: an ENI in a subnet the builds never used is refused,
      // one in a build's subnet is allowed.
      const foreign = request('eni-0fedcba9876543210', 'subnet-0ffffffffffffffff');
      const own = request('eni-0fedcba9876543210', project.projects[0].vpcConfig.subnets[0]);
      expect(evaluate(foreign, { identity: policies }).decision).not.toBe('Allow');
      expect(evaluate(own, { identity: policies }).decision).toBe('Allow');
      expect((await oracleVerdicts(foreign, policies)).decision).not.toBe('Allow');
      expect((await oracleVerdicts(own, policies)).decision).toBe('Allow');
    });
  }

  it('the build-4 trail still verifies against the tightened documents (its ENI subnet comes from its own records)', () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-stricter-v-'));
    const g = runCli(['generate', '--logs', join(DIR, 'builds-1-3'), '--role', ROLE, '--project-file', join(DIR, 'project.json'), '--out', out, '--quiet']);
    expect(g.code, g.stderr).toBe(0);
    const v = runCli(['verify', '--policy', out, '--logs', join(DIR, 'build-4'), '--role', ROLE]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});

describe('addResourceConditions', () => {
  const fact = (over: Partial<Fact>): Fact => ({
    action: ACTION,
    resource: 'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-0aaaaaaaaaaaaaaaa',
    resourceKnown: true,
    origin: 'observed',
    context: { 'ec2:AuthorizedService': 'codebuild.amazonaws.com' },
    outcome: 'allowed',
    count: 1,
    builds: ['b1'],
    firstSeen: '2024-03-01T00:00:00Z',
    lastSeen: '2024-03-01T00:00:00Z',
    regions: ['us-east-1'],
    accounts: ['123456789012'],
    sampleEventIds: [],
    ...over,
  });
  const eniIn = (id: string, builds: string[], account = '123456789012'): Fact =>
    fact({ action: 'ec2:CreateNetworkInterface', resource: `arn:aws:ec2:us-east-1:${account}:subnet/${id}`, context: {}, builds });
  const subnetsOf = (facts: Fact[]): string[] => facts.filter((f) => f.action === ACTION).map((f) => f.context['ec2:Subnet']);

  it('takes the subnets of the same builds only, in the same account and region', () => {
    const r = addResourceConditions([fact({}), eniIn('subnet-01', ['b1']), eniIn('subnet-02', ['b2']), eniIn('subnet-03', ['b1'], '999999999999')]);
    expect(subnetsOf(r.facts)).toEqual([subnet('subnet-01')]);
    expect(r.unresolved).toEqual([]);
  });

  it("falls back to the project's subnets, and leaves the call as it is (named) when nothing names one", () => {
    const inferred = fact({ origin: 'inferred', resource: 'arn:aws:ec2:us-east-1:123456789012:network-interface/*', builds: [], context: { 'ec2:Subnet': subnet('subnet-09') } });
    expect(subnetsOf(addResourceConditions([fact({}), inferred, eniIn('subnet-02', ['b2'])]).facts).sort()).toEqual([subnet('subnet-09'), subnet('subnet-09')]);
    const alone = addResourceConditions([fact({ builds: [] }), eniIn('subnet-02', [])]);
    expect(subnetsOf(alone.facts)).toEqual([undefined]);
    expect(alone.unresolved).toHaveLength(1);
  });
});
