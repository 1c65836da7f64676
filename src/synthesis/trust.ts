// The trust policy: only CodeBuild may assume the role, and only for the projects that used it in this
// account (aws:SourceAccount and aws:SourceArn guard against the confused deputy).
import { formatArn, parseArn } from '../iam/arn.js';
import type { PolicyDocument } from '../model.js';

export interface TrustInput {
  accounts: string[];
  partition: string;
  /** Project ARNs, when known. */
  projectArns: string[];
  /** Fallback scope when the projects are unknown. */
  regions: string[];
}

export function buildTrust(input: TrustInput): { document: PolicyDocument; warnings: string[] } {
  const warnings: string[] = [];
  const accounts = [...new Set(input.accounts)].sort();
  let arns = [...new Set(input.projectArns)].sort();
  if (arns.length === 0) {
    const regions = input.regions.length ? [...input.regions].sort() : ['*'];
    arns = accounts.flatMap((a) => regions.map((r) => `arn:${input.partition}:codebuild:${r}:${a}:project/*`));
    warnings.push('the CodeBuild projects that use the role are unknown (give --project-file or --project); the trust policy allows every project of the account');
  }
  const document: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CodeBuildAssumesRoleForItsProjects',
        Effect: 'Allow',
        Principal: { Service: 'codebuild.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': accounts.length === 1 ? accounts[0] : accounts },
          ArnLike: { 'aws:SourceArn': arns.length === 1 ? arns[0] : arns },
        },
      },
    ],
  };
  return { document, warnings };
}

/** The account an ARN names, when it names a 12-digit one. */
function accountOf(value: string): string | undefined {
  const arn = parseArn(value);
  return arn && arn.partition !== '' && /^\d{12}$/.test(arn.account) ? arn.account : undefined;
}

/**
 * The accounts that may be aws:SourceAccount: the role's own (from its session issuer ARN) and the known
 * projects'. Never the accounts of the records' recipients: an S3 data event delivered to the bucket owner
 * carries the owner's account, which is not where the build runs. Falls back to the given accounts only
 * when neither is known (evidence built by hand, without issuers).
 */
export function trustAccounts(roleArns: readonly string[], projectArns: readonly string[], fallback: readonly string[]): string[] {
  const out = new Set<string>();
  for (const arn of [...roleArns, ...projectArns]) {
    const account = accountOf(arn);
    if (account) out.add(account);
  }
  return out.size ? [...out].sort() : [...new Set(fallback)].sort();
}

/** Projects that can be read off the trail: CodeBuild writes a build's logs to /aws/codebuild/<project>. */
export function projectsFromLogGroups(resources: string[]): string[] {
  const out = new Set<string>();
  for (const r of resources) {
    const arn = parseArn(r);
    if (arn?.service !== 'logs' || arn.region === '' || accountOf(r) === undefined) continue;
    const project = /^log-group:\/aws\/codebuild\/([^:*$]+)(?::|$)/.exec(arn.resource)?.[1];
    if (project) out.add(formatArn({ ...arn, service: 'codebuild', resource: `project/${project}` }));
  }
  return [...out].sort();
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** What a role's current trust policy lacks next to the generated one: confused-deputy keys, extra principals. */
export function trustGaps(current: PolicyDocument): string[] {
  const gaps: string[] = [];
  const allows = current.Statement.filter((s) => s.Effect === 'Allow');
  for (const [i, s] of allows.entries()) {
    const where = s.Sid ? `statement ${s.Sid}` : `statement ${i + 1}`;
    const principal = s.Principal;
    const principals =
      principal === '*' ? ['*'] : Object.entries(principal ?? {}).flatMap(([type, ids]) => list(ids).map((id) => `${type}:${id}`));
    for (const p of principals) if (p !== 'Service:codebuild.amazonaws.com') gaps.push(`${where} also trusts ${p}`);
    if (!principals.includes('Service:codebuild.amazonaws.com')) continue;
    const keys = Object.values(s.Condition ?? {}).flatMap((block) => Object.keys(block).map((k) => k.toLowerCase()));
    if (!keys.includes('aws:sourceaccount')) gaps.push(`${where} lets CodeBuild assume the role without an aws:SourceAccount condition`);
    if (!keys.includes('aws:sourcearn')) gaps.push(`${where} lets CodeBuild assume the role for any project (no aws:SourceArn condition)`);
  }
  return gaps;
}
