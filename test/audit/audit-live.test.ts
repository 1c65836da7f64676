// `audit --project` against local endpoints that speak each service's wire protocol, reached only through
// the per-service AWS_ENDPOINT_URL_<SERVICE> variables: CodeBuild, CloudTrail and ECR (JSON 1.1), CloudWatch
// (JSON 1.0, the protocol of the SDK version in package.json), EC2 (EC2 query, XML) and IAM (query, XML).
// The account is the "hardened" golden case with two changes (open egress, an unanchored actor pattern).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELF_ACTIONS } from '../../src/self-policy/self-policy.js';
import { endpointEnv, escapeXml, jsonError, startAwsEndpoint, type AwsEndpoint, type EndpointReply, type RecordedRequest } from '../support/aws-endpoint.js';
import { runCliAsync } from '../support/run-cli.js';
import { iamHandler } from '../cases/diff/support/fake-iam.js';
import { repoPath } from '../support/paths.js';

const hardened = JSON.parse(readFileSync(repoPath('test/cases/audit/hardened.json'), 'utf8'));
const project = structuredClone(hardened.project.projects[0]);
project.webhook.filterGroups[0][1].pattern = '1234567';
const projects = [project, ...hardened.project.projects.slice(1), { name: 'third', arn: 'arn:aws:codebuild:us-east-1:111122223333:project/third' }];
const d = hardened.describe;

const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const ec2Ok = (op: string, inner: string): EndpointReply => ({ body: `<${op}Response xmlns="${EC2_NS}"><requestId>r</requestId>${inner}</${op}Response>` });
const x = (tag: string, v: unknown): string => (v === undefined ? '' : `<${tag}>${escapeXml(String(v))}</${tag}>`);
const items = <T>(tag: string, list: T[] | undefined, f: (t: T) => string): string => `<${tag}>${(list ?? []).map((i) => `<item>${f(i)}</item>`).join('')}</${tag}>`;

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
function ec2Handler(req: RecordedRequest): EndpointReply {
  switch (req.operation) {
    case 'DescribeSubnets':
      return ec2Ok('DescribeSubnets', items('subnetSet', d['describe-subnets'].Subnets, (s: J) => x('subnetId', s.SubnetId) + x('vpcId', s.VpcId) + x('cidrBlock', s.CidrBlock)));
    case 'DescribeRouteTables':
      return ec2Ok(
        'DescribeRouteTables',
        items('routeTableSet', d['describe-route-tables'].RouteTables, (t: J) =>
          x('routeTableId', t.RouteTableId) +
          x('vpcId', t.VpcId) +
          items('routeSet', t.Routes, (r: J) => x('destinationCidrBlock', r.DestinationCidrBlock) + x('gatewayId', r.GatewayId) + x('natGatewayId', r.NatGatewayId)) +
          items('associationSet', t.Associations, (a: J) => x('routeTableId', a.RouteTableId) + x('subnetId', a.SubnetId) + x('main', a.Main)),
        ),
      );
    case 'DescribeSecurityGroups':
      // Egress open to the internet: the one network finding this account has.
      return ec2Ok(
        'DescribeSecurityGroups',
        items('securityGroupInfo', [{ GroupId: 'sg-build', VpcId: 'vpc-0a1' }], (g: J) =>
          x('groupId', g.GroupId) + x('vpcId', g.VpcId) + items('ipPermissionsEgress', [{}], () => x('ipProtocol', '-1') + items('ipRanges', [{}], () => x('cidrIp', '0.0.0.0/0'))),
        ),
      );
    case 'DescribeVpcEndpoints':
      return ec2Ok(
        'DescribeVpcEndpoints',
        items('vpcEndpointSet', d['describe-vpc-endpoints'].VpcEndpoints, (e: J) => x('vpcEndpointId', e.VpcEndpointId) + x('vpcEndpointType', e.VpcEndpointType) + x('vpcId', e.VpcId) + x('serviceName', e.ServiceName) + x('state', 'available')),
      );
    default:
      return { status: 400, body: `<Response><Errors><Error><Code>InvalidAction</Code><Message>unexpected ${req.operation}</Message></Error></Errors><RequestID>r</RequestID></Response>` };
  }
}

function codebuildHandler(req: RecordedRequest): EndpointReply {
  const b = req.body as J;
  if (req.operation === 'BatchGetProjects') return { body: { projects: projects.filter((p) => b.names.includes(p.name)), projectsNotFound: b.names.filter((n: string) => !projects.some((p) => p.name === n)) } };
  // Two pages, to show the collector follows nextToken.
  if (req.operation === 'ListProjects') return b.nextToken === 'p2' ? { body: { projects: projects.slice(2).map((p) => p.name) } } : { body: { projects: projects.slice(0, 2).map((p) => p.name), nextToken: 'p2' } };
  return jsonError(400, 'InvalidInputException', `unexpected ${req.operation}`);
}

function cloudtrailHandler(req: RecordedRequest): EndpointReply {
  if (req.operation === 'DescribeTrails') return { body: d['describe-trails'] };
  if (req.operation === 'GetEventSelectors') return { body: d['get-event-selectors'] };
  if (req.operation === 'GetTrailStatus') return { body: { IsLogging: true } };
  return jsonError(400, 'InvalidRequest', `unexpected ${req.operation}`);
}

function ecrHandler(req: RecordedRequest): EndpointReply {
  if (req.operation === 'DescribeRepositories') return { body: d['describe-repositories'] };
  if (req.operation === 'GetRegistryScanningConfiguration') return { body: { registryId: '111122223333', scanningConfiguration: { scanType: 'BASIC', rules: [] } } };
  return jsonError(400, 'InvalidRequest', `unexpected ${req.operation}`);
}

function cloudwatchHandler(req: RecordedRequest): EndpointReply {
  if (req.operation !== 'DescribeAlarmsForMetric') return jsonError(400, 'InvalidAction', `unexpected ${req.operation}`);
  const dims = ((req.body as J).Dimensions ?? []) as J[];
  return { body: { MetricAlarms: dims.length ? d['describe-alarms'].MetricAlarms : [] } };
}

const auth = d['get-account-authorization-details'];
const roleDetail = auth.RoleDetailList[0];
const boundary = auth.Policies[0];
const account = {
  roles: [
    {
      name: roleDetail.RoleName,
      arn: roleDetail.Arn,
      trust: roleDetail.AssumeRolePolicyDocument,
      inline: Object.fromEntries(roleDetail.RolePolicyList.map((p: J) => [p.PolicyName, p.PolicyDocument])),
      managed: {},
      boundaryArn: boundary.Arn,
    },
  ],
  policies: { [boundary.Arn]: { name: boundary.PolicyName, defaultVersion: 'v1', versions: { v1: boundary.PolicyVersionList[0].Document } } },
};

const SERVICES = ['CODEBUILD', 'EC2', 'IAM', 'CLOUDTRAIL', 'ECR', 'CLOUDWATCH'] as const;
let endpoints: Record<(typeof SERVICES)[number], AwsEndpoint>;
let dir: string;

function env(overrides: Partial<Record<(typeof SERVICES)[number], string>> = {}): NodeJS.ProcessEnv {
  const e = endpointEnv('http://127.0.0.1:9', Object.fromEntries(SERVICES.map((s) => [`AWS_ENDPOINT_URL_${s}`, overrides[s] ?? endpoints[s].url])));
  // Only the per-service variables: a client that ignored them would hit the dead generic endpoint.
  delete e.AWS_ENDPOINT_URL;
  return e;
}

beforeAll(async () => {
  const [codebuild, ec2, iam, cloudtrail, ecr, cloudwatch] = await Promise.all([
    startAwsEndpoint(codebuildHandler),
    startAwsEndpoint(ec2Handler),
    startAwsEndpoint(iamHandler(account)),
    startAwsEndpoint(cloudtrailHandler),
    startAwsEndpoint(ecrHandler),
    startAwsEndpoint(cloudwatchHandler),
  ]);
  endpoints = { CODEBUILD: codebuild, EC2: ec2, IAM: iam, CLOUDTRAIL: cloudtrail, ECR: ecr, CLOUDWATCH: cloudwatch };
  dir = mkdtempSync(join(tmpdir(), 'cbiam-audit-live-'));
  writeFileSync(join(dir, 'evidence.json'), JSON.stringify(hardened.evidence));
});
afterAll(async () => Promise.all(Object.values(endpoints).map((e) => e.close())));

describe('audit --project (live, read-only)', () => {
  it('reads every layer through its own endpoint and finds exactly the two changes', async () => {
    const r = await runCliAsync(
      ['audit', '--project', 'api-build', '--region', 'us-east-1', '--evidence', join(dir, 'evidence.json'), '--require-cmk', '--allowed-github-org', 'acme', '--format', 'json', '--fail-on', 'critical'],
      env(),
    );
    expect(r.stderr).toBe('codebuild-iam: 1 finding(s) at or above critical; see the report\n');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const status = Object.fromEntries(report.results.map((x: J) => [x.check.id, x.status]));
    const failed = Object.entries(status).filter(([, s]) => s !== 'pass').map(([id]) => id);
    expect(failed.sort()).toEqual(['HOOK-UNANCHORED-PATTERN', 'NET-SG-EGRESS']);
    // Role sharing was judged with all three projects from both ListProjects pages.
    expect(endpoints.CODEBUILD.requests.filter((q) => q.operation === 'ListProjects').map((q) => q.body.nextToken ?? null)).toEqual([null, 'p2']);
    expect(endpoints.CODEBUILD.requests.filter((q) => q.operation === 'BatchGetProjects').flatMap((q) => q.body.names as string[]).sort()).toEqual(['api-build', 'docs-build', 'third']);
  });

  it('makes only the read-only calls self-policy --for audit grants, signed for the region', () => {
    const prefix = { CODEBUILD: 'codebuild', EC2: 'ec2', IAM: 'iam', CLOUDTRAIL: 'cloudtrail', ECR: 'ecr', CLOUDWATCH: 'cloudwatch' } as const;
    const granted = new Set<string>(SELF_ACTIONS.audit);
    for (const s of SERVICES) {
      const reqs = endpoints[s].requests;
      expect(reqs.length, s).toBeGreaterThan(0);
      for (const q of reqs) {
        expect(granted.has(`${prefix[s]}:${q.operation}`), `${s} ${q.operation}`).toBe(true);
        expect(q.region, `${s} ${q.operation}`).toBe('us-east-1');
        expect(q.operation).toMatch(/^(Get|List|Describe|BatchGet)/);
      }
    }
    // CloudWatch speaks JSON 1.0 in this SDK version.
    expect(endpoints.CLOUDWATCH.requests[0].headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(endpoints.EC2.requests[0].service).toBe('query');
  });

  it('a denied read is a one-line AWS failure (exit 3) naming the permission', async () => {
    const denied = await startAwsEndpoint((req) => (req.operation === 'DescribeTrails' ? jsonError(400, 'AccessDeniedException', 'User is not authorized') : cloudtrailHandler(req)));
    try {
      const r = await runCliAsync(['audit', '--project', 'api-build', '--region', 'us-east-1'], env({ CLOUDTRAIL: denied.url }));
      expect(r.code).toBe(3);
      expect(r.stderr).toBe('codebuild-iam: AWS denied cloudtrail:DescribeTrails while reading the trails; grant it (see `codebuild-iam self-policy --for audit`)\n');
    } finally {
      await denied.close();
    }
  });

  it('an unknown project is an input error (exit 2)', async () => {
    const r = await runCliAsync(['audit', '--project', 'nope', '--region', 'us-east-1'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^codebuild-iam: CodeBuild has no project "nope"/);
  });
});
