// Reads everything that decides what a live IAM role may do: its trust policy, inline policies, attached
// managed policies (default version) and permissions boundary. The client is created by the caller.
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type AttachedPolicy,
  type IAMClient,
  type ListAttachedRolePoliciesCommandOutput,
  type ListRolePoliciesCommandOutput,
} from '@aws-sdk/client-iam';
import { AwsFailure, InvalidInput, NotFound, opt, say } from '../errors.js';
import type { PolicyDocument } from '../model.js';

export interface RoleDocuments {
  roleArn: string;
  trust: PolicyDocument;
  inline: Array<{ name: string; document: PolicyDocument }>;
  managed: Array<{ arn: string; name: string; versionId: string; document: PolicyDocument }>;
  boundary?: { arn: string; document: PolicyDocument };
}

/** The role name from a name or an ARN (`arn:aws:iam::123456789012:role/path/name` -> `name`). */
export function roleNameOf(role: string): string {
  const trimmed = role.trim();
  if (!trimmed.startsWith('arn:')) return trimmed;
  const match = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(trimmed);
  if (!match) throw new InvalidInput(`"${role}" is not a role ARN; pass a role name or an ARN like arn:aws:iam::123456789012:role/name`, { option: 'role', value: role });
  return match[1];
}

/**
 * IAM returns policy documents URL-encoded (RFC 3986). Some local emulators return them plain, so a
 * document that already looks like JSON is parsed as is.
 */
export function decodePolicyDocument(raw: string | undefined, where: string): PolicyDocument {
  if (raw === undefined || raw === '') throw new AwsFailure(`IAM returned no policy document for ${where}`, { where });
  let text = raw.trim();
  if (!text.startsWith('{')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      throw new AwsFailure(`IAM returned a policy document for ${where} that is not URL-encoded JSON`, { where });
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsFailure(`IAM returned a policy document for ${where} that is not valid JSON`, { where });
  }
  const doc = parsed as PolicyDocument;
  if (typeof parsed !== 'object' || parsed === null || doc.Statement === undefined) {
    throw new AwsFailure(`IAM returned a policy document for ${where} without a Statement`, { where });
  }
  // A single statement may be written as an object rather than a list.
  return { ...doc, Statement: Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement] };
}

function errorName(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const e = err as { name?: unknown; Code?: unknown };
  return String(e.name ?? e.Code ?? '');
}

/** Turns an SDK failure into the tool's error: what failed, which permission is missing, what to do. */
function failure(err: unknown, permission: string, what: string, roleName: string): Error {
  const name = errorName(err);
  if (/^NoSuchEntity/.test(name) && permission === 'iam:GetRole') {
    return new NotFound(say`role "${roleName}" does not exist in this account; check ${opt('role')} (a role name or ARN) and the AWS profile`, { missing: 'role', option: 'role', value: roleName, operation: permission, code: name });
  }
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name)) {
    return new AwsFailure(
      `AWS denied ${permission} while reading ${what}; grant the caller ${permission} on the role, or use a profile that has it`,
      { operation: permission, code: name },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AwsFailure(`IAM ${permission} failed while reading ${what}: ${name || 'error'}: ${message}`, { operation: permission, code: name });
}

async function call<T>(send: () => Promise<T>, permission: string, what: string, roleName: string): Promise<T> {
  try {
    return await send();
  } catch (err) {
    throw failure(err, permission, what, roleName);
  }
}

// A page limit guards against an endpoint that keeps saying IsTruncated with the same marker.
const MAX_PAGES = 1000;

/** One of the role's list calls: the permission it needs, one page of it, and the page's items. */
interface RoleList<O extends { IsTruncated?: boolean; Marker?: string }, T> {
  permission: string;
  page(iam: IAMClient, input: { RoleName: string; Marker?: string }): Promise<O>;
  items(out: O): T[] | undefined;
}

const INLINE_POLICIES: RoleList<ListRolePoliciesCommandOutput, string> = {
  permission: 'iam:ListRolePolicies',
  page: (iam, input) => iam.send(new ListRolePoliciesCommand(input)),
  items: (out) => out.PolicyNames,
};

const ATTACHED_POLICIES: RoleList<ListAttachedRolePoliciesCommandOutput, AttachedPolicy> = {
  permission: 'iam:ListAttachedRolePolicies',
  page: (iam, input) => iam.send(new ListAttachedRolePoliciesCommand(input)),
  items: (out) => out.AttachedPolicies,
};

/** Every item of one of the role's lists, following its Marker. */
async function listAll<O extends { IsTruncated?: boolean; Marker?: string }, T>(iam: IAMClient, list: RoleList<O, T>, roleName: string, what: string): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await call(() => list.page(iam, { RoleName: roleName, Marker: marker }), list.permission, what, roleName);
    all.push(...(list.items(out) ?? []));
    if (!out.IsTruncated) return all;
    if (!out.Marker || out.Marker === marker) throw new AwsFailure(`IAM said ${what} continues but gave no new Marker`);
    marker = out.Marker;
  }
  throw new AwsFailure(`IAM returned more than ${MAX_PAGES} pages for ${what}`);
}

export async function readRole(iam: IAMClient, role: string): Promise<RoleDocuments> {
  const roleName = roleNameOf(role);
  const got = await call(() => iam.send(new GetRoleCommand({ RoleName: roleName })), 'iam:GetRole', `role ${roleName}`, roleName);
  const r = got.Role;
  if (!r?.Arn) throw new AwsFailure(`IAM GetRole returned no role for ${roleName}`, { operation: 'iam:GetRole' });
  const roleArn = r.Arn;
  const trust = decodePolicyDocument(r.AssumeRolePolicyDocument, `the trust policy of ${roleArn}`);

  const inlineNames = await listAll(iam, INLINE_POLICIES, roleName, `the inline policies of ${roleArn}`);

  const inline: RoleDocuments['inline'] = [];
  for (const name of inlineNames) {
    const out = await call(
      () => iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name })),
      'iam:GetRolePolicy',
      `inline policy ${name} of ${roleArn}`,
      roleName,
    );
    inline.push({ name, document: decodePolicyDocument(out.PolicyDocument, `inline policy ${name} of ${roleArn}`) });
  }

  const attached = await listAll(iam, ATTACHED_POLICIES, roleName, `the managed policies of ${roleArn}`);

  const managed: RoleDocuments['managed'] = [];
  for (const p of attached) {
    if (!p.PolicyArn) continue;
    const { versionId, document, name } = await readManagedPolicy(iam, p.PolicyArn, roleName);
    managed.push({ arn: p.PolicyArn, name: p.PolicyName ?? name, versionId, document });
  }

  let boundary: RoleDocuments['boundary'];
  const boundaryArn = r.PermissionsBoundary?.PermissionsBoundaryArn;
  if (boundaryArn) {
    const { document } = await readManagedPolicy(iam, boundaryArn, roleName);
    boundary = { arn: boundaryArn, document };
  }

  return {
    roleArn,
    trust,
    inline: inline.sort((a, b) => a.name.localeCompare(b.name)),
    managed: managed.sort((a, b) => a.arn.localeCompare(b.arn)),
    ...(boundary ? { boundary } : {}),
  };
}

/** A managed policy's default version: GetPolicy names it, GetPolicyVersion returns its document. */
async function readManagedPolicy(
  iam: IAMClient,
  arn: string,
  roleName: string,
): Promise<{ name: string; versionId: string; document: PolicyDocument }> {
  const got = await call(() => iam.send(new GetPolicyCommand({ PolicyArn: arn })), 'iam:GetPolicy', `managed policy ${arn}`, roleName);
  const versionId = got.Policy?.DefaultVersionId;
  if (!versionId) throw new AwsFailure(`IAM GetPolicy returned no default version for ${arn}`, { operation: 'iam:GetPolicy' });
  const version = await call(
    () => iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })),
    'iam:GetPolicyVersion',
    `version ${versionId} of ${arn}`,
    roleName,
  );
  const name = got.Policy?.PolicyName ?? arn.slice(arn.lastIndexOf('/') + 1);
  return { name, versionId, document: decodePolicyDocument(version.PolicyVersion?.Document, `version ${versionId} of ${arn}`) };
}
