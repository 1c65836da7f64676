// IAM attaches at most 10 managed policies to a role by default (a quota that can be raised to 20): a policy
// split into more documents cannot be attached as written, so say so and what to do, before anyone tries.
import { printWarning } from '../report-error.js';

export const MANAGED_POLICIES_PER_ROLE = 10;

export function warnAttachmentQuota(documents: number): void {
  if (documents <= MANAGED_POLICIES_PER_ROLE) return;
  printWarning(
    `the policy needs ${documents} managed-policy documents, more than the ${MANAGED_POLICIES_PER_ROLE} IAM attaches to a role by default; ` +
      'drop rarely used permissions with --min-builds <n>, split the work into several roles (one per project), ' +
      'put part of it in an inline policy, or ask AWS to raise the quota "Managed policies attached to an IAM role"',
  );
}
