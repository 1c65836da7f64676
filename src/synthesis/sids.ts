// Statement IDs that say what a statement grants: service, what it does, and on what, e.g. EcrPushDemoApp,
// KmsDecryptViaSecretsManager, LogsWriteDemoApp; boundary statements AllowEcr, AllowCodeBuildLogs. They are
// made from the statement alone, so they are stable across reruns, and numbered only on a collision.
// Resource names come from trails: only their letters and digits reach a Sid (IAM allows [A-Za-z0-9]).
import { parseArn } from '../iam/arn.js';
import type { ConditionBlock } from '../model.js';

const SERVICE_NAMES: Record<string, string> = {
  s3: 'S3', logs: 'Logs', ecr: 'Ecr', kms: 'Kms', ssm: 'Ssm', secretsmanager: 'SecretsManager', codebuild: 'CodeBuild',
  codecommit: 'CodeCommit', codeartifact: 'CodeArtifact', ec2: 'Ec2', iam: 'Iam', sts: 'Sts', lambda: 'Lambda',
  cloudformation: 'CloudFormation', dynamodb: 'DynamoDb', sqs: 'Sqs', sns: 'Sns', ecs: 'Ecs', eks: 'Eks',
  cloudwatch: 'CloudWatch', cloudfront: 'CloudFront', apigateway: 'ApiGateway', states: 'StepFunctions', events: 'Events',
  route53: 'Route53', elasticloadbalancing: 'Elb', autoscaling: 'AutoScaling', rds: 'Rds', cloudtrail: 'CloudTrail',
  organizations: 'Organizations', 'ecr-public': 'EcrPublic', codepipeline: 'CodePipeline', codedeploy: 'CodeDeploy',
};

const words = (s: string): string[] => s.split(/[^A-Za-z0-9]+/).filter(Boolean);
const title = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

export function serviceLabel(service: string): string {
  return SERVICE_NAMES[service] ?? words(service).map((w) => title(w.toLowerCase())).join('');
}

const LEVEL_ORDER = ['List', 'Read', 'Tagging', 'Write', 'Permissions management'];

/** "Read", "Write", or a combination such as "ReadWrite" for a statement that mixes levels. */
export function levelLabel(levels: Iterable<string>): string {
  const set = new Set([...levels].flatMap((l) => l.split(',').map((x) => x.trim())));
  const parts = LEVEL_ORDER.filter((l) => set.has(l)).map((l) => (l === 'Permissions management' ? 'Permissions' : l));
  return parts.join('') || 'Access';
}

/** Named sets of actions that read better than their list (ECR pull and push). */
const NAMED_SETS: Array<{ name: string; actions: Set<string> }> = [
  { name: 'Pull', actions: new Set(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']) },
  {
    name: 'Push',
    actions: new Set(['ecr:BatchCheckLayerAvailability', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart']),
  },
];

const MAX_VERB = 24;

/** What the actions do: a named set, one action's name, two short ones, or the access level. */
function verbOf(actions: string[], levels: string[]): string {
  const names = actions.map((a) => a.slice(a.indexOf(':') + 1));
  if (actions.length > 1) {
    const set = NAMED_SETS.find((s) => actions.every((a) => s.actions.has(a)));
    if (set) return set.name;
  }
  const joined = names.map((n) => words(n).map(title).join('')).join('');
  return names.length === 1 || (names.length === 2 && joined.length <= MAX_VERB) ? joined : levelLabel(levels);
}

/** Words that name nothing: account IDs, regions' parts, IDs, the AWS-managed prefixes of log groups. */
const NOISE = new Set(['aws', 'codebuild', 'service', 'role']);
const isNameWord = (w: string): boolean => !/^\d{12}$/.test(w) && !(/^[0-9a-f]{4,}$/i.test(w) && /\d/.test(w)) && !NOISE.has(w.toLowerCase());

/** The name words of one resource ARN: the bucket of an S3 ARN, else the resource name after its type. */
function nameWords(arn: string): string[] {
  const parsed = parseArn(arn);
  if (!parsed) return [];
  const { service, resource } = parsed;
  let name: string;
  if (service === 's3') name = resource.split('/')[0];
  else {
    const slash = resource.indexOf('/');
    const colon = resource.indexOf(':');
    // type/name or type:name; a log group's ":log-stream:..." or ":*" tail names no more than its group.
    const cut = slash >= 0 && (colon < 0 || slash < colon) ? slash : colon;
    // A secret's ARN ends in "-" and six random characters (or the "-??????" that matches them).
    name = (cut >= 0 ? resource.slice(cut + 1).replace(/:(log-stream:.*|\*)$/, '') : resource).replace(/-(\?{6}|[A-Za-z0-9]{6})$/, service === 'secretsmanager' ? '' : '$&');
  }
  // Wildcard parts are not names.
  return name.split(/[/:]/).filter((seg) => !/[*?$]/.test(seg)).flatMap(words).filter(isNameWord);
}

/** The words every resource's name starts with, at most the last four of them. */
function qualifierOf(resources: string[]): string {
  const lists = resources.map(nameWords);
  if (lists.length === 0) return '';
  const common: string[] = [];
  for (let i = 0; i < lists[0].length && lists.every((l) => l[i]?.toLowerCase() === lists[0][i].toLowerCase()); i++) common.push(lists[0][i]);
  return common.slice(-4).map((w) => title(w.toLowerCase())).join('');
}

/** "ViaSecretsManager" for a kms:ViaService condition whose values all name one service. */
function viaOf(condition: ConditionBlock | undefined): string {
  const values = Object.values(condition ?? {}).flatMap((keys) =>
    Object.entries(keys).flatMap(([k, v]) => (k.toLowerCase() === 'kms:viaservice' ? (Array.isArray(v) ? v : [v]).map(String) : [])),
  );
  const services = [...new Set(values.map((v) => v.split('.')[0]))];
  return services.length === 1 ? `Via${serviceLabel(services[0])}` : '';
}

export interface SidInput {
  actions: string[];
  resources: string[];
  condition?: ConditionBlock;
  /** The IAM access level of each action. */
  levels: string[];
  /** "wildcard": actions that take no resource; "unknown": the trail did not name the resource. */
  kind: 'scoped' | 'wildcard' | 'unknown';
}

/** The Sid of an identity-policy statement, before collisions are numbered (see uniqueSids). */
export function statementSid(s: SidInput, fallback: string): string {
  const services = [...new Set(s.actions.map((a) => a.split(':')[0]))];
  if (services.length !== 1) return fallback;
  const base = `${serviceLabel(services[0])}${verbOf(s.actions, s.levels)}`;
  if (s.kind === 'wildcard') return base;
  if (s.kind === 'unknown') return `${base}AnyResource`;
  return `${base}${qualifierOf(s.resources)}${viaOf(s.condition)}`;
}

/** A boundary Allow statement's Sid from the services it allows: AllowEcr, AllowCodeBuildLogs, AllowEcrKmsLogsAnd3More. */
export function boundaryAllowSid(actions: string[]): string {
  const labels = [...new Set(actions.map((a) => serviceLabel(a.split(':')[0])))].sort();
  return labels.length > 4 ? `Allow${labels.slice(0, 3).join('')}And${labels.length - 3}More` : `Allow${labels.join('')}`;
}

/** Gives each statement a unique Sid, numbering repeats in statement order (LogsWrite, LogsWrite2). */
export function uniqueSids(bases: string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(bases);
  return bases.map((b) => {
    let n = seen.get(b) ?? 0;
    let sid: string;
    do {
      n++;
      sid = n === 1 ? b : `${b}${n}`;
    } while (n > 1 && taken.has(sid));
    seen.set(b, n);
    taken.add(sid);
    return sid;
  });
}
