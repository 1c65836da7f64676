// Project configuration -> what a build needs that CloudTrail does not show (logs:PutLogEvents, S3 object calls
// without data events, the image pull, environment variables resolved before the build starts...). Every fact is
// origin "inferred", with exact ARNs and a `because` naming the project field that implies it. Values of PLAINTEXT
// environment variables are never read. Which actions each setting needs, and why, is the table of what CloudTrail
// cannot show (translation/data/unlogged.json, "projectNeeds"); this file builds their resources.
import { parseArn } from '../iam/arn.js';
import type { ConditionContext, Fact, ProjectConfig } from '../model.js';
import { projectNeed, type ProjectNeedName } from '../translation/unlogged-table.js';
import {
  kmsKeyArn,
  literal,
  parameterArn,
  parseCodeCommitUrl,
  parseEcrImage,
  parseS3Location,
  reportGroupArn,
  secretArn,
  type Scope,
} from './infer-locations.js';

interface Need {
  action: string;
  resource: string;
  because: string;
  context?: ConditionContext;
}

const ENABLED = (status: string | undefined): boolean => status === undefined || status.toUpperCase() === 'ENABLED';
const s3 = (partition: string, path: string): string => `arn:${partition}:s3:::${path}`;

/** The needs of setting `name` on `resource`, because of `field` ("<field>: <the table's because>"). */
function needs(name: ProjectNeedName, resource: string, field: string, context?: ConditionContext): Need[] {
  const n = projectNeed(name);
  const because = n.because ? `${field}: ${n.because}` : field;
  return n.actions.map((action) => ({ action, resource, because, ...(context ? { context } : {}) }));
}

function bucketIdentity(scope: Scope, bucket: string, because: string): Need[] {
  return needs('bucketIdentity', s3(scope.partition, bucket), because);
}

function logNeeds(p: ProjectConfig, scope: Scope): Need[] {
  const out: Need[] = [];
  const cw = p.logsConfig?.cloudWatchLogs;
  if (ENABLED(cw?.status)) {
    // CloudWatch Logs allows only these characters in group names, and no ":" or "*" in stream names.
    const rawGroup = cw?.groupName ?? `/aws/codebuild/${p.name}`;
    const group = /^[.\-_/#A-Za-z0-9]{1,512}$/.test(rawGroup) ? rawGroup : undefined;
    const rawPrefix = cw?.streamName?.replace(/\/+$/, '');
    const prefix = rawPrefix === undefined ? '' : /^[^:*]{1,512}$/.test(rawPrefix) ? literal(rawPrefix) : undefined;
    if (group && prefix !== undefined) {
      const why = cw?.groupName ? 'logsConfig.cloudWatchLogs.groupName' : 'CloudWatch Logs are on (default group /aws/codebuild/<project>)';
      const base = `arn:${scope.partition}:logs:${scope.region}:${scope.account}:log-group:${group}`;
      // The stream is the build UUID, under streamName/ when the project sets one.
      const streams = `${base}:log-stream:${prefix ? `${prefix}/` : ''}*`;
      out.push(...needs('logGroup', base, why), ...needs('logStream', streams, why), ...needs('logWrite', streams, why));
    }
  }
  const s3Logs = p.logsConfig?.s3Logs;
  // S3 logs are off unless the project turns them on.
  if (s3Logs?.status?.toUpperCase() === 'ENABLED') {
    const loc = parseS3Location(s3Logs.location);
    if (loc) {
      const why = 'logsConfig.s3Logs.location';
      out.push(...needs('s3Logs', s3(scope.partition, `${loc.path ? `${loc.bucket}/${loc.path}` : loc.bucket}/*`), why));
      out.push(...bucketIdentity(scope, loc.bucket, why));
    }
  }
  return out;
}

function sourceNeeds(source: { type?: string; location?: string } | undefined, field: string, scope: Scope): Need[] {
  if (!source?.type) return [];
  const type = source.type.toUpperCase();
  if (type === 'S3') {
    const loc = parseS3Location(source.location);
    if (!loc) return [];
    const object = loc.folder || loc.path === '' ? `${loc.path ? `${loc.bucket}/${loc.path}` : loc.bucket}/*` : `${loc.bucket}/${loc.path}`;
    return [...needs('s3Source', s3(scope.partition, object), `${field}.location`), ...bucketIdentity(scope, loc.bucket, `${field}.location`)];
  }
  if (type === 'CODECOMMIT') {
    const repo = parseCodeCommitUrl(source.location);
    const name = repo && literal(repo.repo);
    if (!repo || !name) return [];
    return needs('codeCommitSource', `arn:${scope.partition}:codecommit:${repo.region ?? scope.region}:${scope.account}:${name}`, `${field}.location`);
  }
  return [];
}

function artifactNeeds(a: { type?: string; location?: string; path?: string } | undefined, field: string, scope: Scope): Need[] {
  if (a?.type?.toUpperCase() !== 'S3') return [];
  const loc = parseS3Location(a.location);
  if (!loc) return [];
  const extra = a.path ? literal(a.path.replace(/^\/+|\/+$/g, '')) : '';
  if (extra === undefined) return [];
  const prefix = [loc.bucket, loc.path, extra].filter((x) => x).join('/');
  return [
    ...needs('s3Artifacts', s3(scope.partition, `${prefix}/*`), `${field}.location${a.path ? ' and path' : ''}`),
    ...bucketIdentity(scope, loc.bucket, `${field}.location`),
  ];
}

function cacheNeeds(p: ProjectConfig, scope: Scope): Need[] {
  if (p.cache?.type?.toUpperCase() !== 'S3') return [];
  const loc = parseS3Location(p.cache.location);
  if (!loc) return [];
  const objects = s3(scope.partition, `${loc.path ? `${loc.bucket}/${loc.path}` : loc.bucket}/*`);
  return [
    ...needs('cacheRestore', objects, 'cache.location'),
    ...needs('cacheSave', objects, 'cache.location'),
    ...bucketIdentity(scope, loc.bucket, 'cache.location'),
  ];
}

function imageNeeds(p: ProjectConfig, scope: Scope): Need[] {
  const env = p.environment;
  if (env?.imagePullCredentialsType?.toUpperCase() !== 'SERVICE_ROLE') return [];
  const image = parseEcrImage(env.image);
  const repo = image && literal(image.repo);
  if (!image || !repo) return [];
  const arn = `arn:${scope.partition}:ecr:${image.region}:${image.account}:repository/${repo}`;
  const field = 'environment.image with imagePullCredentialsType SERVICE_ROLE';
  return [...needs('imageToken', '*', field), ...needs('imagePull', arn, field)];
}

function envNeeds(p: ProjectConfig, scope: Scope): Need[] {
  const out: Need[] = [];
  for (const v of p.environment?.environmentVariables ?? []) {
    const type = (v.type ?? 'PLAINTEXT').toUpperCase();
    // PLAINTEXT values are the values themselves (possibly secrets): never looked at.
    if (type === 'PARAMETER_STORE') {
      const arn = parameterArn(v.value, scope);
      if (arn) out.push(...needs('parameterVariable', arn, `environment variable ${v.name} (PARAMETER_STORE)`));
    } else if (type === 'SECRETS_MANAGER') {
      const arn = secretArn(v.value, scope);
      if (arn) out.push(...needs('secretVariable', arn, `environment variable ${v.name} (SECRETS_MANAGER)`));
    }
  }
  return out;
}

function vpcNeeds(p: ProjectConfig, scope: Scope): Need[] {
  const vpc = p.vpcConfig;
  const subnets = (vpc?.subnets ?? []).map(literal).filter((s): s is string => !!s && /^subnet-[a-z0-9]+$/.test(s));
  if (!vpc?.vpcId || subnets.length === 0) return [];
  const groups = (vpc.securityGroupIds ?? []).map(literal).filter((s): s is string => !!s && /^sg-[a-z0-9]+$/.test(s));
  const field = 'vpcConfig';
  const ec2 = (type: string, id: string) => `arn:${scope.partition}:ec2:${scope.region}:${scope.account}:${type}/${id}`;
  const out: Need[] = needs('vpcDescribe', '*', field);
  // These two take resources, so they are scoped instead of granted on "*" like the AWS sample policy does.
  const created = [ec2('network-interface', '*'), ...subnets.map((s) => ec2('subnet', s)), ...groups.map((g) => ec2('security-group', g))];
  for (const resource of created) out.push(...needs('vpcInterface', resource, field));
  out.push(...needs('vpcDeleteInterface', ec2('network-interface', '*'), field));
  for (const s of subnets) {
    const context = { 'ec2:AuthorizedService': 'codebuild.amazonaws.com', 'ec2:Subnet': ec2('subnet', s) };
    out.push(...needs('vpcInterfacePermission', ec2('network-interface', '*'), field, context).map((n) => ({ ...n, because: `${n.because} (only for CodeBuild, only in subnet ${s})` })));
  }
  return out;
}

function keyNeeds(p: ProjectConfig, scope: Scope): Need[] {
  const key = kmsKeyArn(p.encryptionKey, scope);
  if (!key) return [];
  const region = parseArn(key)?.region;
  // The key protects what CodeBuild writes to and reads from S3, so S3 is the service that uses it.
  return needs('encryptionKey', key, 'encryptionKey', { 'kms:ViaService': `s3.${region}.amazonaws.com` });
}

function reportNeeds(p: ProjectConfig): Need[] {
  const out: Need[] = [];
  for (const raw of p.reportGroupArns ?? []) {
    const arn = reportGroupArn(raw);
    if (!arn) continue;
    out.push(...needs('reportGroup', arn, "report group of the project's builds"));
  }
  return out;
}

function projectNeeds(p: ProjectConfig, partition: string): Need[] {
  const scope: Scope = { partition, region: p.region, account: p.account };
  return [
    ...logNeeds(p, scope),
    ...sourceNeeds(p.source, 'source', scope),
    ...(p.secondarySources ?? []).flatMap((s, i) => sourceNeeds(s, `secondarySources[${i}]`, scope)),
    ...artifactNeeds(p.artifacts, 'artifacts', scope),
    ...(p.secondaryArtifacts ?? []).flatMap((a, i) => artifactNeeds(a, `secondaryArtifacts[${i}]`, scope)),
    ...cacheNeeds(p, scope),
    ...imageNeeds(p, scope),
    ...envNeeds(p, scope),
    ...vpcNeeds(p, scope),
    ...keyNeeds(p, scope),
    ...reportNeeds(p),
  ];
}

function contextKey(c: ConditionContext): string {
  return JSON.stringify(Object.keys(c).sort().map((k) => [k, c[k]]));
}

/**
 * Facts a build of each project needs but CloudTrail does not show, derived from the project configuration.
 * One fact per (action, resource, context); a need implied by several projects or fields names all of them.
 */
export function inferFromProjects(projects: ProjectConfig[], partition: string): Fact[] {
  const facts = new Map<string, Fact & { reasons: Set<string> }>();
  for (const p of projects) {
    for (const n of projectNeeds(p, partition)) {
      const context = n.context ?? {};
      const key = `${n.action}\u0000${n.resource}\u0000${contextKey(context)}`;
      let f = facts.get(key);
      if (!f) {
        f = {
          action: n.action,
          resource: n.resource,
          resourceKnown: true,
          origin: 'inferred',
          context,
          outcome: 'allowed',
          count: 0,
          builds: [],
          firstSeen: '',
          lastSeen: '',
          regions: [],
          accounts: [],
          sampleEventIds: [],
          reasons: new Set(),
        };
        facts.set(key, f);
      }
      f.reasons.add(`project ${p.name}: ${n.because}`);
      if (!f.regions.includes(p.region)) f.regions.push(p.region);
      if (!f.accounts.includes(p.account)) f.accounts.push(p.account);
    }
  }
  return [...facts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { reasons, ...f }]) => ({ ...f, because: [...reasons].sort().join('; '), regions: f.regions.sort(), accounts: f.accounts.sort() }));
}
