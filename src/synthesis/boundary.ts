// The permissions boundary: a cap on what the role can ever do, even if its policy is widened later. It
// allows an envelope around what the build uses and explicitly denies privilege escalation, audit tampering,
// leaving the organization, and regions the build never used.
import { formatArn, parseArn } from '../iam/arn.js';
import type { PolicyDocument, PolicyStatement } from '../model.js';
import { isAccountless } from '../translation/resource-owner.js';
import { addToPerimeter, newPerimeter, type ResourceOwners } from './data-perimeter.js';
import { boundaryAllowSid } from './sids.js';

export interface BoundaryInput {
  /** The identity policy's statements (Allow only). */
  statements: Array<{ actions: string[]; resources: string[] }>;
  /** Roles the build was seen passing (iam:PassRole resources). */
  passedRoles: string[];
  regions: string[];
  scope: 'services' | 'actions';
  /**
   * The account-less resources the build used (S3) and their owners as the trail shows them: their
   * envelope is capped with aws:ResourceAccount (see data-perimeter.ts). Without it, every account-less
   * resource is allowed by its own name.
   */
  owners?: ResourceOwners[];
}

export const ESCALATION_ACTIONS = [
  'iam:AddUserToGroup',
  'iam:AttachGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreatePolicyVersion',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteUserPermissionsBoundary',
  'iam:PutGroupPolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:PutUserPermissionsBoundary',
  'iam:PutUserPolicy',
  'iam:SetDefaultPolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateLoginProfile',
];
export const AUDIT_ACTIONS = ['cloudtrail:DeleteTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail'];
export const ORGANIZATION_ACTIONS = ['organizations:LeaveOrganization'];
/** Services with one global endpoint: their calls are not bound to a region the build chose. */
export const GLOBAL_SERVICES = ['cloudfront:*', 'globalaccelerator:*', 'iam:*', 'organizations:*', 'route53:*', 'sts:*', 'support:*', 'waf:*'];

/** The envelope of a resource pattern: its service, any region, its account. */
function scopeOf(resource: string): string {
  const arn = resource === '*' ? undefined : parseArn(resource);
  return arn ? formatArn({ ...arn, region: arn.region === '' ? '' : '*', resource: '*' }) : '*';
}

export function buildBoundary(input: BoundaryInput): { document: PolicyDocument; warnings: string[] } {
  const warnings: string[] = [];
  const used = new Set(input.statements.flatMap((s) => s.actions));
  const statements: PolicyStatement[] = [];
  // Resources whose ARN names no account are kept inside the accounts that own them, in either scope.
  const perimeter = newPerimeter();
  const owners = input.owners ?? [];
  const envelopeAction = (a: string): string => (input.scope === 'actions' ? a : `${a.split(':')[0]}:*`);
  const inPerimeter = new Set<string>();
  for (const s of input.statements) {
    for (const a of s.actions) {
      for (const r of s.resources) {
        if (r === '*' || !isAccountless(r)) continue;
        addToPerimeter(perimeter, owners, envelopeAction(a), r, scopeOf(r));
        inPerimeter.add(`${a}\u0000${r}`);
      }
    }
  }
  const perimeterStatements: PolicyStatement[] = [];
  const capped = [...perimeter.capped.values()].sort((a, b) => (a.accounts.join() < b.accounts.join() ? -1 : 1));
  capped.forEach((c, i) => {
    perimeterStatements.push({
      Sid: `${input.scope === 'actions' ? 'AllowActionsTheBuildUses' : 'AllowServicesTheBuildUses'}InTheirAccounts${i === 0 ? '' : i + 1}`,
      Effect: 'Allow',
      Action: [...c.actions].sort(),
      Resource: [...c.scopes].sort(),
      Condition: { StringEquals: { 'aws:ResourceAccount': c.accounts } },
    });
  });
  if (perimeter.named.resources.size) {
    const named = [...perimeter.named.resources].sort();
    perimeterStatements.push({ Sid: 'AllowResourcesWhoseAccountTheTrailDoesNotShow', Effect: 'Allow', Action: [...perimeter.named.actions].sort(), Resource: named });
    const shown = named.filter((r) => !r.endsWith('/*'));
    warnings.push(
      `the trail does not show which account owns ${shown.slice(0, 5).join(', ')}${shown.length > 5 ? ` and ${shown.length - 5} more` : ''}, so the boundary allows ${shown.length === 1 ? 'it' : 'them'} by name, not by account`,
    );
  }
  if (input.scope === 'actions') {
    // An action used only on account-less resources is allowed through the perimeter alone.
    const elsewhere = new Set(input.statements.flatMap((s) => s.actions.filter((a) => s.resources.some((r) => !inPerimeter.has(`${a}\u0000${r}`)))));
    if (elsewhere.size) statements.push({ Sid: 'AllowActionsTheBuildUses', Effect: 'Allow', Action: [...elsewhere].sort(), Resource: '*' });
    statements.push(...perimeterStatements);
  } else {
    // Per service: every action of the service, on the accounts' resources of that service (or "*" for
    // actions the service cannot scope).
    const scoped = new Map<string, Set<string>>();
    const unscoped = new Set<string>();
    for (const s of input.statements) {
      for (const a of s.actions) {
        const svc = a.split(':')[0];
        for (const r of s.resources) {
          if (r === '*') unscoped.add(a);
          else if (!isAccountless(r)) scoped.set(svc, (scoped.get(svc) ?? new Set()).add(scopeOf(r)));
        }
      }
    }
    const byScope = new Map<string, string[]>();
    for (const [svc, scopes] of scoped) {
      const key = [...scopes].sort().join('\u0000');
      byScope.set(key, [...(byScope.get(key) ?? []), `${svc}:*`]);
    }
    for (const [key, actions] of [...byScope.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      statements.push({ Effect: 'Allow', Action: actions.sort(), Resource: key.split('\u0000') });
    }
    for (const s of statements) if (!s.Sid) s.Sid = boundaryAllowSid(s.Action as string[]);
    statements.push(...perimeterStatements);
    if (unscoped.size) statements.push({ Sid: 'AllowUnscopedActionsTheBuildUses', Effect: 'Allow', Action: [...unscoped].sort(), Resource: '*' });
  }
  // A guardrail cannot deny what the build was seen doing (the boundary would break the build): those are
  // left out with a warning, and a statement left with no action is not written (IAM rejects an empty Action).
  const guard = (sid: string, actions: string[]): void => {
    for (const a of actions) if (used.has(a)) warnings.push(`the build uses ${a}, so the boundary cannot deny it; review why a build needs it`);
    const denied = actions.filter((a) => !used.has(a));
    if (denied.length) statements.push({ Sid: sid, Effect: 'Deny', Action: denied, Resource: '*' });
  };
  guard('DenyPrivilegeEscalation', ESCALATION_ACTIONS);
  const passed = [...new Set(input.passedRoles)].sort();
  if (passed.includes('*')) {
    // The policy grants PassRole on "*" because the trail does not name the role; a boundary that denied it
    // would break the build. Say so instead, and let the user name the role.
    warnings.push(
      'the build passes a role whose name CloudTrail does not record, so the boundary does not cap iam:PassRole; name the role in policy.json (iam:PassRole) and rerun to have every other role denied',
    );
  } else {
    statements.push(
      passed.length
        ? { Sid: 'DenyPassRoleExceptRolesTheBuildPasses', Effect: 'Deny', Action: 'iam:PassRole', NotResource: passed }
        : { Sid: 'DenyPassRole', Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' },
    );
  }
  guard('DenyAuditTampering', AUDIT_ACTIONS);
  guard('DenyLeavingOrganization', ORGANIZATION_ACTIONS);
  if (input.regions.length) {
    statements.push({
      Sid: 'DenyRegionsTheBuildDoesNotUse',
      Effect: 'Deny',
      NotAction: GLOBAL_SERVICES,
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': [...input.regions].sort() } },
    });
  }
  return { document: { Version: '2012-10-17', Statement: statements }, warnings };
}
