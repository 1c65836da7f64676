// What `generate` exports for one role: its identity policies, boundary and trust policy, and the names and
// checks both the Terraform and the CloudFormation renderers use (./export-files.ts picks the renderers).
import { InvalidInput } from '../errors.js';
import { policyStem } from '../iam/document-names.js';
import type { PolicyDocument } from '../model.js';

export interface RoleBundle {
  roleName: string;
  /** The identity policies in order: policy.json, policy-2.json, ... */
  policies: PolicyDocument[];
  boundary?: PolicyDocument;
  trust: PolicyDocument;
  description?: string;
  /** The role's path, e.g. "/service-role/"; omitted means "/". */
  path?: string;
}

/**
 * How the identity policies reach the role: `inline` role policies, or customer `managed` policies attached
 * to it. The default is inline for one document and managed once the policy was split, because the split
 * exists to respect the managed-policy size limit and inline policies share one smaller per-role quota.
 */
export type PolicyAttachment = 'inline' | 'managed';

export interface BundleOptions {
  attach?: PolicyAttachment;
}

/** Refuses names IAM would refuse, before they reach a file (and a comment or a label in it). */
export function checkBundle(b: RoleBundle): void {
  if (!/^[\w+=,.@-]{1,64}$/.test(b.roleName)) {
    throw new InvalidInput(`"${b.roleName}" is not a valid IAM role name; use up to 64 letters, digits and +=,.@_-`);
  }
  if (b.path !== undefined && !/^(\/|\/[\u0021-\u007E]{1,510}\/)$/.test(b.path)) {
    throw new InvalidInput(`"${b.path}" is not a valid IAM path; use "/" or "/text/" such as "/service-role/"`);
  }
}

export function attachmentOf(b: RoleBundle, options: BundleOptions = {}): PolicyAttachment {
  return options.attach ?? (b.policies.length > 1 ? 'managed' : 'inline');
}

/** Default names: "<role>-policy", "<role>-policy-2", ... and "<role>-boundary", as the file names go. */
export function policyName(b: RoleBundle, index: number): string {
  return `${b.roleName}-${policyStem(index)}`;
}

export function boundaryName(b: RoleBundle): string {
  return `${b.roleName}-boundary`;
}
