// The account that owns a resource whose ARN names none (S3 buckets and objects above all). CloudTrail
// writes it in resources[]: S3 data and bucket events list {type: AWS::S3::Bucket, ARN, accountId}. It is
// left out when the bucket belongs to another account that does not log data events, and then the owner is
// unknown; recipientAccountId is the account the copy was delivered to, not the owner, and is never used.
import type { TrailResource } from '../model.js';

/** Whether an ARN has an empty account field (arn:partition:service:region::resource). */
export function isAccountless(resource: string): boolean {
  // Runs for every permission of every record: find the fifth field without splitting the string.
  if (!resource.startsWith('arn:')) return false;
  let at = 0;
  for (let k = 0; k < 4; k++) {
    at = resource.indexOf(':', at) + 1;
    if (at === 0) return false;
  }
  return resource.charCodeAt(at) === 0x3a;
}

/** The resource whose owner an ARN shares: an S3 object's bucket; any other ARN stands for itself. */
export function containerOf(resource: string): string {
  const m = /^(arn:[^:]+:s3:::[^/]+)\//.exec(resource);
  return m ? m[1] : resource;
}

/** The owner of an account-less resource as resources[] states it, or undefined. */
export function ownerOf(resource: string, resources: unknown): string | undefined {
  if (!Array.isArray(resources)) return undefined;
  const container = containerOf(resource);
  for (const e of resources as TrailResource[]) {
    if (e === null || typeof e !== 'object') continue;
    const arn = e.ARN ?? e.arn;
    const account = e.accountId;
    if (typeof arn !== 'string' || typeof account !== 'string' || !/^\d{12}$/.test(account)) continue;
    if (arn === resource || arn === container) return account;
  }
  return undefined;
}
