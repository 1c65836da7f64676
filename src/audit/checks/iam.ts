// Layer 2, IAM: the service role is not an administrator, has a permissions boundary, can only be assumed
// by CodeBuild for this account, is not shared, and grants little beyond what the build used.
import type { PolicyStatement } from '../../model.js';
import type { RoleDocuments } from '../../role/read-role.js';
import type { AuditInput } from '../model.js';
import { DOCS, prowler } from '../sources.js';
import { projectName, roleKey } from './common.js';
import { given, layerChecks, type Outcome, type Problem } from './define.js';

/** The service role's documents, or why a role check cannot run. */
const serviceRole = (input: AuditInput): RoleDocuments | { skipped: string } =>
  input.snapshot.role ?? { skipped: 'the service role\'s documents were not given (--iam-file, or live)' };
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** AWS managed policies that make a build an administrator or close to one. */
const BROAD_MANAGED = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess', 'AWSCodeBuildAdminAccess'];

function isAllowAll(st: PolicyStatement): string | undefined {
  if (st.Effect !== 'Allow') return undefined;
  if (st.NotAction !== undefined) return `NotAction ${JSON.stringify(st.NotAction)} (allows every other action)`;
  const star = list(st.Action).find((a) => a === '*' || a === '*:*');
  return star ? `Action "${star}"` : undefined;
}

function broadPolicyCheck(role: RoleDocuments): Outcome {
  const problems: Problem[] = [];
  for (const m of role.managed) {
    const name = m.arn.replace(/^.*:policy\/(?:.*\/)?/, '');
    if (/^arn:[\w-]+:iam::aws:policy\//.test(m.arn) && BROAD_MANAGED.includes(name)) {
      problems.push({
        resource: role.roleArn,
        key: name,
        message: `The service role has the AWS managed policy ${name}.`,
        evidence: [`attached: ${m.arn}`],
        fix: 'Detach it and attach the policy `codebuild-iam generate` writes from what the build did.',
      });
    }
  }
  const docs = [...role.inline.map((p) => ({ name: `inline policy ${p.name}`, document: p.document })), ...role.managed.map((p) => ({ name: p.arn, document: p.document }))];
  for (const d of docs) {
    d.document.Statement.forEach((st, i) => {
      const why = isAllowAll(st);
      if (!why) return;
      const resources = list(st.Resource);
      problems.push({
        resource: role.roleArn,
        key: `${d.name}#${i}`,
        message: `${d.name} allows every action${resources.includes('*') ? ' on every resource' : ''}.`,
        evidence: [`${d.name}, statement ${st.Sid ? JSON.stringify(st.Sid) : i}: ${why}`],
        fix: 'Replace the statement with the actions the build uses (`codebuild-iam generate`).',
      });
    });
  }
  return dedupe(problems);
}

/** The first problem of each key (a managed policy's name can equal an inline policy's "name#i"). */
function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string | undefined>();
  return problems.filter((p) => !seen.has(p.key) && seen.add(p.key));
}

function boundaryCheck(role: RoleDocuments): Outcome {
  if (role.boundary) return [];
  return [{
    resource: role.roleArn,
    message: 'The service role has no permissions boundary: nothing caps what a later policy change can grant it.',
    evidence: ['PermissionsBoundary is not set'],
    fix: 'Attach the boundary `codebuild-iam generate` writes (boundary.json) with `aws iam put-role-permissions-boundary`.',
  }];
}

const SOURCE_KEYS = ['aws:sourceaccount', 'aws:sourcearn'];

function trustCheck(role: RoleDocuments, input: AuditInput): Outcome {
  const problems: Problem[] = [];
  role.trust.Statement.forEach((st, i) => {
    if (st.Effect !== 'Allow' || typeof st.Principal !== 'object') return;
    const services = list((st.Principal as Record<string, unknown>).Service);
    if (!services.some((s) => /^codebuild\.amazonaws\.com(\.cn)?$/.test(s))) return;
    const keys = Object.values(st.Condition ?? {}).flatMap((block) => Object.keys(block).map((k) => k.toLowerCase()));
    if (keys.some((k) => SOURCE_KEYS.includes(k))) return;
    problems.push({
      resource: role.roleArn,
      key: String(i),
      message: 'CodeBuild may assume the role on behalf of any account\'s project: the trust policy has no aws:SourceAccount or aws:SourceArn condition.',
      evidence: [`trust statement ${st.Sid ? JSON.stringify(st.Sid) : i} trusts codebuild.amazonaws.com without a source condition`],
      fix: `Add "Condition": {"StringEquals": {"aws:SourceAccount": "${input.snapshot.account}"}, "ArnLike": {"aws:SourceArn": "arn:${input.snapshot.partition}:codebuild:${input.snapshot.region}:${input.snapshot.account}:project/${projectName(input)}"}} (the trust.json of \`codebuild-iam generate\`).`,
    });
  });
  return problems;
}

function sharedRoleCheck(input: AuditInput): Outcome {
  const all = input.snapshot.allProjects;
  const mine = input.snapshot.project.serviceRole;
  if (!all) return { skipped: 'the account\'s other projects were not given (a --project-file listing them all, or live)' };
  if (!mine) return { skipped: 'the project names no service role' };
  const others = all.filter((p) => p.name !== projectName(input) && p.serviceRole && roleKey(p.serviceRole) === roleKey(mine)).map((p) => p.name).sort();
  if (!others.length) return [];
  return [{
    resource: mine,
    message: `The service role is shared with ${others.length} other project(s): each can do what any of them needs, and a pull-request build can reach the deploy project's permissions.`,
    evidence: [`also used by: ${others.join(', ')}`],
    fix: 'Give each project its own role, generated from its own builds (`codebuild-iam generate --project <name>`).',
  }];
}

function unusedCheck(role: RoleDocuments, input: AuditInput): Outcome {
  if (!input.evidence) return { skipped: 'no evidence of what the build did (--evidence evidence.json from `generate`)' };
  const a = input.role;
  if (!a?.unusedCount) return { problems: [], note: a?.unknown ? `${a.unknown} allowed action(s) are never logged by CloudTrail and cannot be judged` : undefined };
  return [{
    resource: role.roleArn,
    message: `The role allows ${a.unusedCount} action(s) the build never used (of ${a.allowed} allowed; ${a.used ?? 0} used).`,
    evidence: [`unused: ${a.unusedSample!.join(', ')}${a.unusedCount > a.unusedSample!.length ? `, and ${a.unusedCount - a.unusedSample!.length} more` : ''}`],
    fix: 'Replace the role\'s policies with what `codebuild-iam generate` wrote; check the change with `codebuild-iam diff --role`.',
  }];
}

/** The IAM checks, in report order. */
export const IAM_CHECKS = layerChecks('iam', [
  { id: 'IAM-BROAD-POLICY', title: 'No administrator-level policy (AdministratorAccess, PowerUserAccess, Action "*") on the service role', severity: 'critical', sources: [DOCS.serviceRole, DOCS.leastPrivilege], run: given(serviceRole, broadPolicyCheck) },
  { id: 'IAM-NO-BOUNDARY', title: 'The service role has a permissions boundary', severity: 'medium', sources: [DOCS.boundary], run: given(serviceRole, boundaryCheck) },
  { id: 'IAM-TRUST-CONFUSED-DEPUTY', title: 'The trust policy limits CodeBuild with aws:SourceAccount or aws:SourceArn', severity: 'medium', sources: [DOCS.confusedDeputy, prowler('iam_role_cross_service_confused_deputy_prevention')], run: given(serviceRole, trustCheck) },
  { id: 'IAM-SHARED-ROLE', title: 'The service role is used by this project only', severity: 'medium', sources: [DOCS.webhooks, DOCS.leastPrivilege], run: sharedRoleCheck },
  { id: 'IAM-UNUSED-GRANTS', title: 'The role grants no action the build never used', severity: 'low', sources: [DOCS.leastPrivilege], run: given(serviceRole, unusedCheck) },
]);
