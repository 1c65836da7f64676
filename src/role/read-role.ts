// Reads everything that decides what a live IAM role may do: its trust policy, inline policies, attached
// managed policies (default version) and permissions boundary. The client is created by the caller.
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type IAMClient,
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

async function paginate<T>(
  fetch: (marker: string | undefined) => Promise<{ items: T[]; isTruncated?: boolean; marker?: string }>,
  what: string,
): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, isTruncated, marker: next } = await fetch(marker);
    all.push(...items);
    if (!isTruncated) return all;
    if (!next || next === marker) throw new AwsFailure(`IAM said ${what} continues but gave no new Marker`);
    marker = next;
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

  const inlineNames = await paginate(async (Marker) => {
    const out = await call(
      () => iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker })),
      'iam:ListRolePolicies',
      `the inline policies of ${roleArn}`,
      roleName,
    );
    return { items: out.PolicyNames ?? [], isTruncated: out.IsTruncated, marker: out.Marker };
  }, `the inline policies of ${roleArn}`);

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

  const attached = await paginate(async (Marker) => {
    const out = await call(
      () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker })),
      'iam:ListAttachedRolePolicies',
      `the managed policies of ${roleArn}`,
      roleName,
    );
    return { items: out.AttachedPolicies ?? [], isTruncated: out.IsTruncated, marker: out.Marker };
  }, `the managed policies of ${roleArn}`);

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
