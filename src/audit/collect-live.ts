// The snapshot from AWS, read-only: the project (and the account's other projects, for role sharing), its
// VPC's subnets, route tables, security groups and endpoints, the service role, the trails, the image's ECR
// repository and the failed-build alarms. The clients are made by the caller (the CLI edge).
import type { CloudWatchClient, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CodeBuildClient, Project } from '@aws-sdk/client-codebuild';
import type { EC2Client, RouteTable, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { IAMClient } from '@aws-sdk/client-iam';
import { AwsFailure, CodebuildIamError, NotFound, opt, say } from '../errors.js';
import { readRole } from '../role/read-role.js';
import type { SELF_ACTIONS } from '../self-policy/self-policy.js';
import { imageOrigin } from './checks/common.js';
import { parseProjectArn } from './load-offline.js';
import type { ProjectSnapshot, TrailInfo } from './model.js';

/** The SDK's command classes, loaded when a live audit runs (the library's entry point stays light). */
async function loadSdk() {
  const [cw, ct, cb, ec2, ecr] = await Promise.all([
    import('@aws-sdk/client-cloudwatch'),
    import('@aws-sdk/client-cloudtrail'),
    import('@aws-sdk/client-codebuild'),
    import('@aws-sdk/client-ec2'),
    import('@aws-sdk/client-ecr'),
  ]);
  return {
    DescribeAlarmsForMetricCommand: cw.DescribeAlarmsForMetricCommand,
    DescribeTrailsCommand: ct.DescribeTrailsCommand,
    GetEventSelectorsCommand: ct.GetEventSelectorsCommand,
    GetTrailStatusCommand: ct.GetTrailStatusCommand,
    BatchGetProjectsCommand: cb.BatchGetProjectsCommand,
    ListProjectsCommand: cb.ListProjectsCommand,
    DescribeRouteTablesCommand: ec2.DescribeRouteTablesCommand,
    DescribeSecurityGroupsCommand: ec2.DescribeSecurityGroupsCommand,
    DescribeSubnetsCommand: ec2.DescribeSubnetsCommand,
    DescribeVpcEndpointsCommand: ec2.DescribeVpcEndpointsCommand,
    DescribeRepositoriesCommand: ecr.DescribeRepositoriesCommand,
    GetRegistryScanningConfigurationCommand: ecr.GetRegistryScanningConfigurationCommand,
  };
}
type Sdk = Awaited<ReturnType<typeof loadSdk>>;

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
    if (err instanceof CodebuildIamError) throw err;
    const name = errorName(err);
    if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name)) {
      throw new AwsFailure(say`AWS denied ${permission} while reading ${what}; grant it (see \`codebuild-iam self-policy ${opt('for')} audit\`)`, { operation: permission, code: name });
    }
    throw new AwsFailure(`${permission} failed while reading ${what}: ${name || 'error'}: ${err instanceof Error ? err.message : String(err)}`, { operation: permission, code: name });
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
    if (next === token) throw new AwsFailure(`AWS repeated the same page token while reading ${what}`);
    token = next;
  }
  throw new AwsFailure(`more than ${MAX_PAGES} pages while reading ${what}`);
}

async function readProjects(sdk: Sdk, codebuild: CodeBuildClient, names: string[]): Promise<Project[]> {
  const out: Project[] = [];
  for (let i = 0; i < names.length; i += 100) {
    const chunk = names.slice(i, i + 100);
    const got = await call('codebuild:BatchGetProjects', `projects ${chunk[0]}…`, () => codebuild.send(new sdk.BatchGetProjectsCommand({ names: chunk })));
    out.push(...(got.projects ?? []));
  }
  return out;
}

async function readNetwork(sdk: Sdk, ec2: EC2Client, vpc: NonNullable<Project['vpcConfig']>): Promise<NonNullable<ProjectSnapshot['network']>> {
  const vpcFilter = [{ Name: 'vpc-id', Values: [vpc.vpcId!] }];
  const subnets = vpc.subnets?.length
    ? (await call('ec2:DescribeSubnets', `the subnets of ${vpc.vpcId}`, () => ec2.send(new sdk.DescribeSubnetsCommand({ SubnetIds: vpc.subnets })))).Subnets ?? []
    : [];
  const routeTables = await pages<RouteTable>(`the route tables of ${vpc.vpcId}`, async (NextToken) => {
    const r = await call('ec2:DescribeRouteTables', `the route tables of ${vpc.vpcId}`, () => ec2.send(new sdk.DescribeRouteTablesCommand({ Filters: vpcFilter, NextToken })));
    return { items: r.RouteTables ?? [], next: r.NextToken };
  });
  const securityGroups = vpc.securityGroupIds?.length
    ? (await call('ec2:DescribeSecurityGroups', `the security groups of ${vpc.vpcId}`, () => ec2.send(new sdk.DescribeSecurityGroupsCommand({ GroupIds: vpc.securityGroupIds })))).SecurityGroups ?? []
    : [];
  const vpcEndpoints = await pages<VpcEndpoint>(`the VPC endpoints of ${vpc.vpcId}`, async (NextToken) => {
    const r = await call('ec2:DescribeVpcEndpoints', `the VPC endpoints of ${vpc.vpcId}`, () => ec2.send(new sdk.DescribeVpcEndpointsCommand({ Filters: vpcFilter, NextToken })));
    return { items: r.VpcEndpoints ?? [], next: r.NextToken };
  });
  return { subnets, routeTables, securityGroups, vpcEndpoints };
}

async function readTrails(sdk: Sdk, cloudtrail: CloudTrailClient): Promise<TrailInfo[]> {
  const list = (await call('cloudtrail:DescribeTrails', 'the trails', () => cloudtrail.send(new sdk.DescribeTrailsCommand({ includeShadowTrails: true })))).trailList ?? [];
  const out: TrailInfo[] = [];
  for (const trail of list) {
    const name = trail.TrailARN ?? trail.Name ?? '';
    const info: TrailInfo = { trail };
    // An organization trail seen from a member account may refuse these reads: its selectors stay unknown.
    try {
      const s = await cloudtrail.send(new sdk.GetEventSelectorsCommand({ TrailName: name }));
      if (s.EventSelectors) info.eventSelectors = s.EventSelectors;
      if (s.AdvancedEventSelectors) info.advancedEventSelectors = s.AdvancedEventSelectors;
      const st = await cloudtrail.send(new sdk.GetTrailStatusCommand({ Name: name }));
      if (st.IsLogging !== undefined) info.isLogging = st.IsLogging;
    } catch (err) {
      if (!/AccessDenied|TrailNotFound|NotAuthorized|Unsupported|InvalidTrailName/i.test(errorName(err))) {
        throw new AwsFailure(`cloudtrail:GetEventSelectors or GetTrailStatus failed for ${name}: ${errorName(err) || 'error'}`, { operation: 'cloudtrail:GetEventSelectors', code: errorName(err) });
      }
    }
    out.push(info);
  }
  return out;
}

async function readEcr(sdk: Sdk, ecr: ECRClient, repository: string): Promise<NonNullable<ProjectSnapshot['ecr']>> {
  let repositories: NonNullable<ProjectSnapshot['ecr']>['repositories'] = [];
  try {
    repositories = (await ecr.send(new sdk.DescribeRepositoriesCommand({ repositoryNames: [repository] }))).repositories ?? [];
  } catch (err) {
    if (errorName(err) !== 'RepositoryNotFoundException') await call('ecr:DescribeRepositories', `repository ${repository}`, () => Promise.reject(err));
  }
  const reg = await call('ecr:GetRegistryScanningConfiguration', 'the registry scanning configuration', () => ecr.send(new sdk.GetRegistryScanningConfigurationCommand({})));
  return { repositories, ...(reg.scanningConfiguration ? { registryScanning: reg.scanningConfiguration } : {}) };
}

async function readAlarms(sdk: Sdk, cloudwatch: CloudWatchClient, project: string): Promise<MetricAlarm[]> {
  const out: MetricAlarm[] = [];
  // The project's metric, and the account-wide one (no dimension) that includes it.
  for (const Dimensions of [[{ Name: 'ProjectName', Value: project }], []]) {
    const r = await call('cloudwatch:DescribeAlarmsForMetric', `the alarms on FailedBuilds for ${project}`, () =>
      cloudwatch.send(new sdk.DescribeAlarmsForMetricCommand({ Namespace: 'AWS/CodeBuild', MetricName: 'FailedBuilds', Dimensions })),
    );
    out.push(...(r.MetricAlarms ?? []));
  }
  return out;
}

export async function collectSnapshot(clients: AuditClients, projectName: string): Promise<ProjectSnapshot> {
  const sdk = await loadSdk();
  const [project] = await readProjects(sdk, clients.codebuild, [projectName]);
  if (!project) throw new NotFound(say`CodeBuild has no project ${JSON.stringify(projectName)} in this account and region; check ${opt('project')} and ${opt('region')}`, { missing: 'project', option: 'project', value: projectName });
  const snapshot: ProjectSnapshot = { project, ...parseProjectArn(project.arn, `project ${projectName}`) };

  const names = await pages<string>('the project list', async (nextToken) => {
    const r = await call('codebuild:ListProjects', 'the project list', () => clients.codebuild.send(new sdk.ListProjectsCommand({ nextToken })));
    return { items: r.projects ?? [], next: r.nextToken };
  });
  const others = await readProjects(sdk, clients.codebuild, names.filter((n) => n !== project.name).sort());
  snapshot.allProjects = [project, ...others].map((p) => ({ name: p.name ?? '', ...(p.serviceRole ? { serviceRole: p.serviceRole } : {}) }));

  if (project.vpcConfig?.vpcId) snapshot.network = await readNetwork(sdk, clients.ec2, project.vpcConfig);
  if (project.serviceRole) snapshot.role = await readRole(clients.iam, project.serviceRole);
  snapshot.trails = await readTrails(sdk, clients.cloudtrail);
  const image = project.environment?.image;
  if (image) {
    const o = imageOrigin(image, snapshot.account);
    if (o.origin === 'own-ecr') snapshot.ecr = await readEcr(sdk, clients.ecr, o.repository);
  }
  snapshot.alarms = await readAlarms(sdk, clients.cloudwatch, project.name ?? projectName);
  return snapshot;
}
