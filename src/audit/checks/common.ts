// Small helpers the checks share: reading the project's fields.
import type { Project } from '@aws-sdk/client-codebuild';
import type { AuditInput } from '../model.js';

export const projectArn = (input: AuditInput): string =>
  input.snapshot.project.arn ?? `arn:${input.snapshot.partition}:codebuild:${input.snapshot.region}:${input.snapshot.account}:project/${input.snapshot.project.name ?? ''}`;

export const projectName = (input: AuditInput): string => input.snapshot.project.name ?? '';

/** The project's sources, primary first. */
export function sources(p: Project): Array<NonNullable<Project['source']>> {
  return [...(p.source ? [p.source] : []), ...(p.secondarySources ?? [])];
}

/** The project's S3 artifacts, primary first. */
export function artifacts(p: Project): Array<NonNullable<Project['artifacts']>> {
  return [...(p.artifacts ? [p.artifacts] : []), ...(p.secondaryArtifacts ?? [])];
}

/** The bucket of an S3 location as CodeBuild writes it ("bucket/prefix", "arn:aws:s3:::bucket/prefix"). */
export function bucketOf(location: string | undefined): string | undefined {
  if (!location) return undefined;
  const m = /^(?:arn:[\w-]+:s3:::|s3:\/\/)?([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/|$)/.exec(location);
  return m?.[1];
}

/** Buckets the project writes to: artifacts, S3 cache, S3 logs. */
export function projectBuckets(p: Project): Array<{ bucket: string; use: string }> {
  const out: Array<{ bucket: string; use: string }> = [];
  for (const a of artifacts(p)) if (a.type === 'S3') pushBucket(out, bucketOf(a.location), `artifacts ${a.artifactIdentifier ?? 'primary'}`);
  if (p.cache?.type === 'S3') pushBucket(out, bucketOf(p.cache.location), 'cache');
  if (p.logsConfig?.s3Logs?.status === 'ENABLED') pushBucket(out, bucketOf(p.logsConfig.s3Logs.location), 'S3 logs');
  return out;
}

function pushBucket(out: Array<{ bucket: string; use: string }>, bucket: string | undefined, use: string): void {
  if (bucket) out.push({ bucket, use });
}

type FilterGroup = NonNullable<NonNullable<Project['webhook']>['filterGroups']>[number];
const PR_EVENTS = ['PULL_REQUEST_CREATED', 'PULL_REQUEST_UPDATED', 'PULL_REQUEST_REOPENED'];

/**
 * Webhook filter groups that pull requests can trigger (index -1: a webhook without filter groups, which
 * builds on every event). An EVENT filter with excludeMatchedPattern admits every event it does not list.
 */
export function pullRequestGroups(p: Project): Array<{ index: number; group: FilterGroup }> {
  if (!p.webhook) return [];
  const groups = p.webhook.filterGroups ?? [];
  if (groups.length === 0) return [{ index: -1, group: [] }];
  return groups
    .map((group, index) => ({ group, index }))
    .filter(({ group }) => {
      const event = group.find((f) => f.type === 'EVENT');
      if (!event?.pattern) return true;
      const names = event.pattern.split(',').map((s) => s.trim().toUpperCase());
      if (event.excludeMatchedPattern) return !PR_EVENTS.every((n) => names.includes(n));
      return names.some((n) => PR_EVENTS.includes(n) || n.startsWith('MERGE_REQUEST_'));
    });
}

/** The image's origin, from its name. */
export type ImageOrigin = 'codebuild-managed' | 'own-ecr' | 'other-ecr' | 'public-ecr' | 'public-registry';

export function imageOrigin(image: string, account: string): { origin: ImageOrigin; registry: string; repository: string; digest: boolean } {
  const digest = /@sha256:[0-9a-f]{64}$/.test(image);
  const noRef = image.replace(/@sha256:[0-9a-f]+$/, '');
  const slash = noRef.indexOf('/');
  const first = slash > 0 ? noRef.slice(0, slash) : '';
  const hasRegistry = /[.:]/.test(first) || first === 'localhost';
  const registry = hasRegistry ? first : 'docker.io';
  const path = hasRegistry ? noRef.slice(slash + 1) : noRef;
  const repository = path.replace(/:[^/:]+$/, '');
  if (!hasRegistry && /^aws\/codebuild\//.test(path)) return { origin: 'codebuild-managed', registry: 'CodeBuild', repository, digest };
  const ecr = /^(\d{12})\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/.exec(registry);
  if (ecr) return { origin: ecr[1] === account ? 'own-ecr' : 'other-ecr', registry, repository, digest };
  if (registry === 'public.ecr.aws') return { origin: 'public-ecr', registry, repository, digest };
  return { origin: 'public-registry', registry, repository, digest };
}

/** AWS services (IAM prefixes) the build calls: from the evidence, and from what the configuration implies. */
export function servicesCalled(input: AuditInput): Map<string, string> {
  const out = new Map<string, string>();
  const add = (prefix: string, why: string): void => {
    if (!out.has(prefix)) out.set(prefix, why);
  };
  const counts = new Map<string, number>();
  for (const f of input.evidence?.facts ?? []) {
    const prefix = f.action.split(':')[0].toLowerCase();
    counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
  }
  for (const [prefix, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) add(prefix, `${n} call(s) in the evidence`);
  const p = input.snapshot.project;
  if (p.logsConfig?.cloudWatchLogs?.status !== 'DISABLED') add('logs', 'CloudWatch Logs are enabled');
  for (const { bucket, use } of projectBuckets(p)) add('s3', `${use} in bucket ${bucket}`);
  if (p.environment?.image) {
    const o = imageOrigin(p.environment.image, input.snapshot.account);
    if (o.origin === 'own-ecr' || o.origin === 'other-ecr') {
      add('ecr', 'the image is pulled from Amazon ECR');
      add('s3', 'ECR image layers are served from Amazon S3');
    }
  }
  for (const v of p.environment?.environmentVariables ?? []) {
    if (v.type === 'SECRETS_MANAGER') add('secretsmanager', `environment variable ${v.name ?? '?'} is a Secrets Manager reference`);
    if (v.type === 'PARAMETER_STORE') add('ssm', `environment variable ${v.name ?? '?'} is a Parameter Store reference`);
  }
  if (p.encryptionKey && !/alias\/aws\/s3$/.test(p.encryptionKey)) add('kms', 'the project encrypts with a KMS key');
  return out;
}

export interface ProjectImage { image: string; origin: ReturnType<typeof imageOrigin> }

/** The project's image and where it comes from, or why an image check cannot run. */
export function projectImage(input: AuditInput): ProjectImage | { skipped: string } {
  const image = input.snapshot.project.environment?.image;
  if (!image) return { skipped: 'the project names no image' };
  return { image, origin: imageOrigin(image, input.snapshot.account) };
}

/** A role's name from its name or ARN (any path), lower case, to compare two references to one role. */
export function roleKey(arnOrName: string): string {
  return arnOrName.replace(/^.*:role\/(?:.*\/)?/, '').toLowerCase();
}
