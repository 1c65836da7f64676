// The snapshot from files: `aws codebuild batch-get-projects` output plus any of the describe outputs the
// audit reads, each recognised by its top-level key. Messages name the file, never its content.
import type { Project } from '@aws-sdk/client-codebuild';
import { InvalidInput, NotFound, opt, say } from '../errors.js';
import type { PolicyDocument } from '../model.js';
import { decodePolicyDocument, type RoleDocuments } from '../role/read-role.js';
import { roleKey } from './checks/common.js';
import type { ProjectSnapshot, TrailInfo } from './model.js';

export interface NamedJson {
  /** File name, for messages. */
  name: string;
  value: unknown;
}

export const DESCRIBE_KINDS = {
  Subnets: 'aws ec2 describe-subnets',
  RouteTables: 'aws ec2 describe-route-tables',
  SecurityGroups: 'aws ec2 describe-security-groups',
  VpcEndpoints: 'aws ec2 describe-vpc-endpoints',
  RoleDetailList: 'aws iam get-account-authorization-details',
  trailList: 'aws cloudtrail describe-trails',
  TrailARN: 'aws cloudtrail get-event-selectors --trail-name <trail>',
  repositories: 'aws ecr describe-repositories',
  scanningConfiguration: 'aws ecr get-registry-scanning-configuration',
  MetricAlarms: 'aws cloudwatch describe-alarms',
} as const;

/** The EC2 describe outputs and the list of the snapshot's network each one fills. */
const NETWORK_LISTS = { Subnets: 'subnets', RouteTables: 'routeTables', SecurityGroups: 'securityGroups', VpcEndpoints: 'vpcEndpoints' } as const;

const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function arr<T>(doc: Record<string, unknown>, key: string, where: string): T[] {
  const v = doc[key];
  if (!Array.isArray(v)) throw new InvalidInput(`${where}: "${key}" is not a list; expected the output of \`${DESCRIBE_KINDS[key as keyof typeof DESCRIBE_KINDS] ?? 'the AWS CLI'}\``, { where });
  return v as T[];
}

/** The project's partition, region and account from its ARN. */
export function parseProjectArn(arn: string | undefined, where: string): { partition: string; region: string; account: string } {
  const m = /^arn:(aws[\w-]*):codebuild:([a-z0-9-]+):(\d{12}):project\/.+$/.exec(arn ?? '');
  if (!m) throw new InvalidInput(`${where}: the project has no valid "arn" (arn:aws:codebuild:<region>:<account>:project/<name>)`, { where });
  return { partition: m[1], region: m[2], account: m[3] };
}

/** Picks the project from a batch-get-projects document; several projects also tell which roles are shared. */
export function projectsFrom(file: NamedJson, name?: string): { project: Project; all: Project[] } {
  const doc = file.value;
  const how = 'expected the output of `aws codebuild batch-get-projects --names <name>`';
  const list: unknown[] = obj(doc) && Array.isArray(doc.projects) ? doc.projects : obj(doc) && 'arn' in doc ? [doc] : [];
  if (!list.length) throw new InvalidInput(`${file.name} lists no projects; ${how}`, { file: file.name });
  if (list.some((p) => !obj(p) || typeof p.name !== 'string')) throw new InvalidInput(`${file.name}: a project has no name; ${how}`, { file: file.name });
  const projects = list as Project[];
  if (!name && projects.length > 1) throw new InvalidInput(say`${file.name} lists ${projects.length} projects; pick one with ${opt('project')} <name>`, { file: file.name, option: 'project' });
  const project = name ? projects.find((p) => p.name === name || p.arn === name) : projects[0];
  if (!project) throw new NotFound(`${file.name} has no project named ${JSON.stringify(name)}`, { file: file.name, missing: 'project', option: 'project', value: name });
  return { project, all: projects };
}

function policyDoc(v: unknown, where: string): PolicyDocument {
  if (typeof v === 'string') return decodePolicyDocument(v, where);
  if (obj(v) && v.Statement !== undefined) {
    const d = v as unknown as PolicyDocument;
    return { ...d, Statement: Array.isArray(d.Statement) ? d.Statement : [d.Statement] };
  }
  throw new InvalidInput(`${where} is not a policy document`, { where });
}

interface AuthRole {
  Arn?: string;
  RoleName?: string;
  AssumeRolePolicyDocument?: unknown;
  RolePolicyList?: Array<{ PolicyName?: string; PolicyDocument?: unknown }>;
  AttachedManagedPolicies?: Array<{ PolicyName?: string; PolicyArn?: string }>;
  PermissionsBoundary?: { PermissionsBoundaryArn?: string };
}
interface AuthPolicy {
  Arn?: string;
  DefaultVersionId?: string;
  PolicyVersionList?: Array<{ Document?: unknown; VersionId?: string; IsDefaultVersion?: boolean }>;
}

/** The service role's documents from `aws iam get-account-authorization-details`. */
export function roleFromAuthorizationDetails(file: NamedJson, serviceRole: string): RoleDocuments | undefined {
  const doc = file.value as Record<string, unknown>;
  const roles = arr<AuthRole>(doc, 'RoleDetailList', file.name);
  const policies = Array.isArray(doc.Policies) ? (doc.Policies as AuthPolicy[]) : [];
  const r = roles.find((x) => x.Arn === serviceRole) ?? roles.find((x) => x.RoleName && x.RoleName.toLowerCase() === roleKey(serviceRole));
  if (!r) return undefined;
  const where = (what: string): string => `${file.name}: role ${r.RoleName ?? '?'} ${what}`;
  const managedDoc = (arn: string): { versionId: string; document: PolicyDocument } => {
    const p = policies.find((x) => x.Arn === arn);
    const v = p?.PolicyVersionList?.find((x) => x.IsDefaultVersion || x.VersionId === p.DefaultVersionId);
    // A policy the file does not describe (e.g. exported with --filter Role only) still counts by its ARN.
    if (!v) return { versionId: '?', document: { Version: '2012-10-17', Statement: [] } };
    return { versionId: v.VersionId ?? '?', document: policyDoc(v.Document, where(`managed policy ${arn}`)) };
  };
  const boundaryArn = r.PermissionsBoundary?.PermissionsBoundaryArn;
  return {
    roleArn: r.Arn ?? serviceRole,
    trust: policyDoc(r.AssumeRolePolicyDocument, where('trust policy')),
    inline: (r.RolePolicyList ?? []).map((p, i) => ({ name: p.PolicyName ?? `#${i}`, document: policyDoc(p.PolicyDocument, where(`inline policy ${p.PolicyName ?? i}`)) })),
    managed: (r.AttachedManagedPolicies ?? [])
      .filter((m) => m.PolicyArn)
      .map((m) => ({ arn: m.PolicyArn!, name: m.PolicyName ?? m.PolicyArn!.replace(/^.*\//, ''), ...managedDoc(m.PolicyArn!) })),
    ...(boundaryArn ? { boundary: { arn: boundaryArn, document: managedDoc(boundaryArn).document } } : {}),
  };
}

/** Builds the snapshot from the project file and the describe files (any order, any subset). */
export function loadSnapshot(projectFile: NamedJson, describes: NamedJson[], projectName?: string): ProjectSnapshot {
  const { project, all } = projectsFrom(projectFile, projectName);
  const snapshot: ProjectSnapshot = { project, ...parseProjectArn(project.arn, projectFile.name) };
  if (all.length > 1) snapshot.allProjects = all.map((p) => ({ name: p.name ?? '', ...(p.serviceRole ? { serviceRole: p.serviceRole } : {}) }));
  const net = (): NonNullable<ProjectSnapshot['network']> => (snapshot.network ??= { subnets: [], routeTables: [], securityGroups: [], vpcEndpoints: [] });
  const selectors: Array<{ arn: string; info: Omit<TrailInfo, 'trail'> }> = [];
  for (const file of describes) {
    const doc = file.value;
    const kind = obj(doc) ? (Object.keys(DESCRIBE_KINDS) as Array<keyof typeof DESCRIBE_KINDS>).find((k) => k in doc) : undefined;
    if (!obj(doc) || !kind) {
      throw new InvalidInput(`${file.name} is not one of the describe outputs audit reads (${Object.values(DESCRIBE_KINDS).join('; ')})`, { file: file.name });
    }
    switch (kind) {
      case 'Subnets':
      case 'RouteTables':
      case 'SecurityGroups':
      case 'VpcEndpoints':
        net()[NETWORK_LISTS[kind]].push(...arr<never>(doc, kind, file.name));
        break;
      case 'RoleDetailList': {
        if (!project.serviceRole) break;
        const role = roleFromAuthorizationDetails(file, project.serviceRole);
        if (!role) throw new InvalidInput(`${file.name} does not describe the project's service role ${project.serviceRole}`, { file: file.name });
        snapshot.role = role;
        break;
      }
      case 'trailList':
        (snapshot.trails ??= []).push(...arr<never>(doc, kind, file.name).map((trail) => ({ trail })));
        break;
      case 'TrailARN':
        selectors.push({
          arn: String(doc.TrailARN),
          info: {
            ...(Array.isArray(doc.EventSelectors) ? { eventSelectors: doc.EventSelectors } : {}),
            ...(Array.isArray(doc.AdvancedEventSelectors) ? { advancedEventSelectors: doc.AdvancedEventSelectors } : {}),
          },
        });
        break;
      case 'repositories':
        (snapshot.ecr ??= { repositories: [] }).repositories.push(...arr<never>(doc, kind, file.name));
        break;
      case 'scanningConfiguration':
        (snapshot.ecr ??= { repositories: [] }).registryScanning = doc.scanningConfiguration as never;
        break;
      case 'MetricAlarms':
        (snapshot.alarms ??= []).push(...arr<never>(doc, kind, file.name));
        break;
    }
  }
  for (const s of selectors) {
    const t = snapshot.trails?.find((x) => x.trail.TrailARN === s.arn || x.trail.Name === s.arn);
    if (!t) throw new InvalidInput(`event selectors for ${s.arn} were given, but describe-trails does not list that trail`);
    Object.assign(t, s.info);
  }
  return snapshot;
}
