// Parsers for the resource references a CodeBuild project holds (S3 locations, clone URLs, image URIs,
// environment variable references, key ARNs) -> the pieces of the ARNs a build needs. Project files are user
// input: every literal is checked and IAM-escaped before it goes into an ARN, and anything odd is refused.
import { formatArn, parseArn, type Arn } from '../iam/arn.js';
import { escapeIamLiteral, isUnsafeValue } from '../translation/arn-template.js';

/**
 * An ARN a project names, when its fields have AWS's shapes: a partition and service of lower-case letters,
 * digits and hyphens, a 12-digit or no account, and a resource on one line. Anything else is refused.
 */
function projectArn(value: string): Arn | undefined {
  const arn = parseArn(value);
  if (!arn || !/^[a-z-]+$/.test(arn.partition) || !/^[a-z0-9-]+$/.test(arn.service) || !/^[a-z0-9-]*$/.test(arn.region)) return undefined;
  return /^(\d{12})?$/.test(arn.account) && /^.+$/.test(arn.resource) ? arn : undefined;
}

/** A literal safe to put into an ARN, or undefined when the value has no place in one. */
export function literal(value: string | undefined): string | undefined {
  if (value === undefined || value === '' || isUnsafeValue(value) || /\s/.test(value)) return undefined;
  return escapeIamLiteral(value);
}

export interface S3Location {
  bucket: string;
  /** The key or prefix after the bucket (IAM-escaped), without leading or trailing slashes; '' for the whole bucket. */
  path: string;
  /** The location ended with "/" (a folder rather than an object). */
  folder: boolean;
}

// S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens (older buckets may have upper case and _).
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;

/** "bucket/prefix/key", "s3://bucket/key" or an S3 ARN -> bucket and path. */
export function parseS3Location(location: string | undefined): S3Location | undefined {
  if (!location) return undefined;
  let rest = location.trim();
  rest = rest.replace(/^s3:\/\//i, '');
  const arn = parseArn(rest);
  if (arn && /^[a-z-]+$/.test(arn.partition) && arn.service === 's3' && arn.region === '' && arn.account === '') rest = arn.resource;
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const raw = slash < 0 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket) || literal(bucket) !== bucket) return undefined;
  const trimmed = raw.replace(/^\/+/, '').replace(/\/+$/, '');
  // Keys may hold "*" or "?": escaped, they stay literal in the policy.
  const path = trimmed === '' ? '' : literal(trimmed);
  if (path === undefined) return undefined;
  return { bucket, path, folder: raw.endsWith('/') };
}

/** The repository name of a CodeCommit clone URL (HTTPS, SSH, or git-remote-codecommit), with its region if given. */
export function parseCodeCommitUrl(location: string | undefined): { repo: string; region?: string } | undefined {
  if (!location) return undefined;
  const http = /^(?:https|ssh):\/\/(?:[^@/]+@)?git-codecommit(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?::\d+)?\/v1\/repos\/([A-Za-z0-9._-]+)\/?$/.exec(location);
  if (http) return { repo: http[2], region: http[1] };
  const grc = /^codecommit:(?::([a-z0-9-]+))?:\/\/(?:[^@/]+@)?([A-Za-z0-9._-]+)$/.exec(location);
  if (grc) return { repo: grc[2], region: grc[1] };
  return undefined;
}

/** An ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]) -> registry, region, repo. */
export function parseEcrImage(image: string | undefined): { account: string; region: string; repo: string } | undefined {
  if (!image) return undefined;
  const m = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*?)(?::[A-Za-z0-9_.-]+|@sha256:[a-f0-9]{64})?$/.exec(image);
  return m ? { account: m[1], region: m[2], repo: m[3] } : undefined;
}

export interface Scope {
  partition: string;
  region: string;
  account: string;
}

// The characters the services allow in names; anything else is refused rather than escaped.
const PARAMETER_NAME = /^[A-Za-z0-9_.\-/]+$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]+$/;

/** The ARN of a PARAMETER_STORE variable's parameter (a name, with or without a leading slash, or an ARN). */
export function parameterArn(value: string, scope: Scope): string | undefined {
  const arn = projectArn(value);
  if (arn) {
    if (arn.service !== 'ssm' || !arn.resource.startsWith('parameter/')) return undefined;
    const name = arn.resource.slice('parameter/'.length).replace(/:[^:/]+$/, '').replace(/^\/+/, '');
    const lit = PARAMETER_NAME.test(name) ? literal(name) : undefined;
    return lit && formatArn({ ...arn, resource: `parameter/${lit}` });
  }
  // A trailing ":<version>" or ":<label>" selects a version of the same parameter.
  const name = value.replace(/:[^:/]+$/, '').replace(/^\/+/, '');
  const lit = PARAMETER_NAME.test(name) ? literal(name) : undefined;
  return lit && `arn:${scope.partition}:ssm:${scope.region}:${scope.account}:parameter/${lit}`;
}

/**
 * The ARN of a SECRETS_MANAGER variable's secret. The value is `<secret-id>[:json-key[:version-stage[:version-id]]]`,
 * where secret-id is a name or an ARN. A name (or an ARN without the six-character suffix Secrets Manager adds)
 * matches the secret's ARN only with "-??????" after it.
 */
export function secretArn(value: string, scope: Scope): string | undefined {
  // Checked like every project ARN: a wildcard in the partition or region would otherwise reach the grant.
  const arn = projectArn(value);
  if (value.startsWith('arn:')) {
    // The resource is secret:<name>, then the json-key and version fields of the reference.
    const [type, name] = arn?.resource.split(':') ?? [];
    if (arn?.service !== 'secretsmanager' || type !== 'secret' || name === undefined || !/^\d{12}$/.test(arn.account)) return undefined;
    const lit = SECRET_NAME.test(name) ? literal(name) : undefined;
    if (!lit) return undefined;
    const full = /-[A-Za-z0-9]{6}$/.test(name);
    return formatArn({ ...arn, resource: `secret:${lit}${full ? '' : '-??????'}` });
  }
  const name = value.split(':')[0];
  const lit = SECRET_NAME.test(name) ? literal(name) : undefined;
  return lit && `arn:${scope.partition}:secretsmanager:${scope.region}:${scope.account}:secret:${lit}-??????`;
}

/** A customer key's ARN from `encryptionKey` (key ARN or key ID); undefined for aliases, which name no key. */
export function kmsKeyArn(value: string | undefined, scope: Scope): string | undefined {
  if (!value) return undefined;
  const arn = projectArn(value);
  if (arn?.service === 'kms' && arn.region !== '' && arn.account !== '' && /^key\/(?:mrk-)?[A-Za-z0-9-]+$/.test(arn.resource)) return value;
  if (/^(?:mrk-[a-f0-9]{32}|[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})$/.test(value)) {
    return `arn:${scope.partition}:kms:${scope.region}:${scope.account}:key/${value}`;
  }
  return undefined;
}

/** A report group ARN as given (validated), or undefined. */
export function reportGroupArn(value: string): string | undefined {
  const arn = projectArn(value);
  return arn?.service === 'codebuild' && arn.region !== '' && arn.account !== '' && /^report-group\/[A-Za-z0-9_-]+$/.test(arn.resource) ? value : undefined;
}
