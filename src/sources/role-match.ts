// Which records belong to the role. `--role` may be a name, a full role ARN (with its path), or the ARN
// without its path; it is compared with userIdentity.sessionContext.sessionIssuer.arn.
import { InvalidInput, opt, say } from '../errors.js';
import type { TrailRecord } from '../model.js';

export interface RoleSpec {
  /** What the user typed. */
  input: string;
  /** The role name (last path segment). */
  name: string;
  /** Set when an ARN was given: then the account (and partition) must match too. */
  account?: string;
  partition?: string;
  /** The path, e.g. "/service-role/", when a full ARN with a path was given; undefined when unknown. */
  path?: string;
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)?([\w+=,.@-]{1,64})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export function parseRoleSpec(input: string): RoleSpec {
  const trimmed = input.trim();
  const m = ROLE_ARN.exec(trimmed);
  if (m) {
    const pathPart = m[3] ?? '/';
    return { input: trimmed, name: m[4], account: m[2], partition: m[1], path: pathPart };
  }
  if (trimmed.startsWith('arn:')) {
    throw new InvalidInput(
      say`${opt('role')} ${JSON.stringify(input)} is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/[path/]<name>`,
      { option: 'role', value: input },
    );
  }
  if (!ROLE_NAME.test(trimmed)) {
    throw new InvalidInput(say`${opt('role')} ${JSON.stringify(input)} is not a valid IAM role name (letters, digits and +=,.@_- only, at most 64)`, { option: 'role', value: input });
  }
  return { input: trimmed, name: trimmed };
}

/** Splits a session issuer ARN into its parts, or undefined if it is not a role ARN. */
export function splitRoleArn(arn: string): { partition: string; account: string; path: string; name: string } | undefined {
  const m = ROLE_ARN.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], account: m[2], path: m[3] ?? '/', name: m[4] };
}

/** Whether an issuer ARN is the role. A name alone matches any account; an ARN pins the account. */
export function issuerMatches(spec: RoleSpec, issuerArn: string): boolean {
  // Cheap rejections first: this runs on every record of every file.
  if (!issuerArn.endsWith(spec.name)) return false;
  const parts = splitRoleArn(issuerArn);
  if (!parts || parts.name !== spec.name) return false;
  if (spec.account !== undefined && (parts.account !== spec.account || parts.partition !== spec.partition)) return false;
  // An ARN given with a path must have the same path; one given without a path ("role/name") matches any path.
  if (spec.path !== undefined && spec.path !== '/' && parts.path !== spec.path) return false;
  return true;
}

export function recordIssuerArn(record: TrailRecord): string | undefined {
  const arn = record.userIdentity?.sessionContext?.sessionIssuer?.arn;
  return typeof arn === 'string' ? arn : undefined;
}


/**
 * The role's records must come from one role: a name (or an ARN without its path) that matched roles of
 * several accounts or paths would merge their permissions, builds and projects. Decided over every
 * record read, so call it once the source is drained (the file reader's workers each report the issuers
 * they matched, and their union is checked).
 */
export function assertOneRole(spec: RoleSpec, issuers: readonly string[]): void {
  const distinct = [...new Set(issuers)].sort();
  if (distinct.length <= 1) return;
  const shown = distinct.slice(0, 10).join(', ');
  const more = distinct.length > 10 ? ` and ${distinct.length - 10} more` : '';
  throw new InvalidInput(
    say`${opt('role')} ${JSON.stringify(spec.input)} matches ${distinct.length} roles in the trail (${shown}${more}); give the full ARN, with its path, of the one to read`,
    { option: 'role', value: spec.input },
  );
}
