// The snapshot from AWS, read-only: the project (and the account's other projects, for role sharing), its
// VPC's subnets, route tables, security groups and endpoints, the service role, the trails, the image's ECR
// repository and the failed-build alarms. The clients are made by the caller (the CLI edge).
import { DescribeAlarmsForMetricCommand, type CloudWatchClient, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { BatchGetProjectsCommand, ListProjectsCommand, type CodeBuildClient, type Project } from '@aws-sdk/client-codebuild';
import {
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  type EC2Client,
  type RouteTable,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand, GetRegistryScanningConfigurationCommand, type ECRClient } from '@aws-sdk/client-ecr';
import type { IAMClient } from '@aws-sdk/client-iam';
import { InputError, RuntimeFailure } from '../errors.js';
import { readRole } from '../role/read-role.js';
import type { SELF_ACTIONS } from '../synthesis/self-policy.js';
import { imageOrigin } from './checks/common.js';
import { parseProjectArn } from './load-offline.js';
import type { ProjectSnapshot, TrailInfo } from './model.js';

export interface AuditClients {
  codebuild: CodeBuildClient;
  ec2: EC2Client;
  iam: IAMClient;
  cloudtrail: CloudTrailClient;
  ecr: ECRClient;
  cloudwatch: CloudWatchClient;
}


const errorName = (err: unknown): string => String((err as { name?: unknown })?.name ?? '');

async function call<T>(permission: (typeof SELF_ACTIONS.audit)[number], what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (err instanceof RuntimeFailure || err instanceof InputError) throw err;
    const name = errorName(err);
    if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name)) {
      throw new RuntimeFailure(`AWS denied ${permission} while reading ${what}; grant it (see \`codebuild-iam self-policy --for audit\`)`);
    }
    throw new RuntimeFailure(`${permission} failed while reading ${what}: ${name || 'error'}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const MAX_PAGES = 200;

async function pages<T>(what: string, fetch: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const { items, next } = await fetch(token);
    out.push(...items);
    if (!next) return out;
    if (next === token) throw new RuntimeFailure(`AWS repeated the same page token while reading ${what}`);
    token = next;
  }
  throw new RuntimeFailure(`more than ${MAX_PAGES} pages while reading ${what}`);
}

async function readProjects(codebuild: CodeBuildClient, names: string[]): Promise<Project[]> {
  const out: Project[] = [];
  for (let i = 0; i < names.length; i += 100) {
    const chunk = names.slice(i, i + 100);
    const got = await call('codebuild:BatchGetProjects', `projects ${chunk[0]}…`, () => codebuild.send(new BatchGetProjectsCommand({ names: chunk })));
    out.push(...(got.projects ?? []));
  }
  return out;
}

async function readNetwork(ec2: EC2Client, vpc: NonNullable<Project['vpcConfig']>): Promise<NonNullable<ProjectSnapshot['network']>> {
  const vpcFilter = [{ Name: 'vpc-id', Values: [vpc.vpcId!] }];
  const subnets = vpc.subnets?.length
    ? (await call('ec2:DescribeSubnets', `the subnets of ${vpc.vpcId}`, () => ec2.send(new DescribeSubnetsCommand({ SubnetIds: vpc.subnets })))).Subnets ?? []
    : [];
  const routeTables = await pages<RouteTable>(`the route tables of ${vpc.vpcId}`, async (NextToken) => {
    const r = await call('ec2:DescribeRouteTables', `the route tables of ${vpc.vpcId}`, () => ec2.send(new DescribeRouteTablesCommand({ Filters: vpcFilter, NextToken })));
    return { items: r.RouteTables ?? [], next: r.NextToken };
  });
  const securityGroups = vpc.securityGroupIds?.length
    ? (await call('ec2:DescribeSecurityGroups', `the security groups of ${vpc.vpcId}`, () => ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: vpc.securityGroupIds })))).SecurityGroups ?? []
    : [];
  const vpcEndpoints = await pages<VpcEndpoint>(`the VPC endpoints of ${vpc.vpcId}`, async (NextToken) => {
    const r = await call('ec2:DescribeVpcEndpoints', `the VPC endpoints of ${vpc.vpcId}`, () => ec2.send(new DescribeVpcEndpointsCommand({ Filters: vpcFilter, NextToken })));
    return { items: r.VpcEndpoints ?? [], next: r.NextToken };
  });
  return { subnets, routeTables, securityGroups, vpcEndpoints };
}

async function readTrails(cloudtrail: CloudTrailClient): Promise<TrailInfo[]> {
  const list = (await call('cloudtrail:DescribeTrails', 'the trails', () => cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: true })))).trailList ?? [];
  const out: TrailInfo[] = [];
  for (const trail of list) {
    const name = trail.TrailARN ?? trail.Name ?? '';
    const info: TrailInfo = { trail };
    // An organization trail seen from a member account may refuse these reads: its selectors stay unknown.
    try {
      const s = await cloudtrail.send(new GetEventSelectorsCommand({ TrailName: name }));
      if (s.EventSelectors) info.eventSelectors = s.EventSelectors;
      if (s.AdvancedEventSelectors) info.advancedEventSelectors = s.AdvancedEventSelectors;
      const st = await cloudtrail.send(new GetTrailStatusCommand({ Name: name }));
      if (st.IsLogging !== undefined) info.isLogging = st.IsLogging;
    } catch (err) {
      if (!/AccessDenied|TrailNotFound|NotAuthorized|Unsupported|InvalidTrailName/i.test(errorName(err))) {
        throw new RuntimeFailure(`cloudtrail:GetEventSelectors or GetTrailStatus failed for ${name}: ${errorName(err) || 'error'}`);
      }
    }
    out.push(info);
  }
  return out;
}

async function readEcr(ecr: ECRClient, repository: string): Promise<NonNullable<ProjectSnapshot['ecr']>> {
  let repositories: NonNullable<ProjectSnapshot['ecr']>['repositories'] = [];
  try {
    repositories = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }))).repositories ?? [];
  } catch (err) {
    if (errorName(err) !== 'RepositoryNotFoundException') await call('ecr:DescribeRepositories', `repository ${repository}`, () => Promise.reject(err));
  }
  const reg = await call('ecr:GetRegistryScanningConfiguration', 'the registry scanning configuration', () => ecr.send(new GetRegistryScanningConfigurationCommand({})));
  return { repositories, ...(reg.scanningConfiguration ? { registryScanning: reg.scanningConfiguration } : {}) };
}

async function readAlarms(cloudwatch: CloudWatchClient, project: string): Promise<MetricAlarm[]> {
  const out: MetricAlarm[] = [];
  // The project's metric, and the account-wide one (no dimension) that includes it.
  for (const Dimensions of [[{ Name: 'ProjectName', Value: project }], []]) {
    const r = await call('cloudwatch:DescribeAlarmsForMetric', `the alarms on FailedBuilds for ${project}`, () =>
      cloudwatch.send(new DescribeAlarmsForMetricCommand({ Namespace: 'AWS/CodeBuild', MetricName: 'FailedBuilds', Dimensions })),
    );
    out.push(...(r.MetricAlarms ?? []));
  }
  return out;
}

export async function collectSnapshot(clients: AuditClients, projectName: string): Promise<ProjectSnapshot> {
  const [project] = await readProjects(clients.codebuild, [projectName]);
  if (!project) throw new InputError(`CodeBuild has no project ${JSON.stringify(projectName)} in this account and region; check --project and --region`);
  const snapshot: ProjectSnapshot = { project, ...parseProjectArn(project.arn, `project ${projectName}`) };

  const names = await pages<string>('the project list', async (nextToken) => {
    const r = await call('codebuild:ListProjects', 'the project list', () => clients.codebuild.send(new ListProjectsCommand({ nextToken })));
    return { items: r.projects ?? [], next: r.nextToken };
  });
  const others = await readProjects(clients.codebuild, names.filter((n) => n !== project.name).sort());
  snapshot.allProjects = [project, ...others].map((p) => ({ name: p.name ?? '', ...(p.serviceRole ? { serviceRole: p.serviceRole } : {}) }));

  if (project.vpcConfig?.vpcId) snapshot.network = await readNetwork(clients.ec2, project.vpcConfig);
  if (project.serviceRole) snapshot.role = await readRole(clients.iam, project.serviceRole);
  snapshot.trails = await readTrails(clients.cloudtrail);
  const image = project.environment?.image;
  if (image) {
    const o = imageOrigin(image, snapshot.account);
    if (o.origin === 'own-ecr') snapshot.ecr = await readEcr(clients.ecr, o.repository);
  }
  snapshot.alarms = await readAlarms(clients.cloudwatch, project.name ?? projectName);
  return snapshot;
}
