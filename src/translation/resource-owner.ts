// The account that owns a resource whose ARN names none (S3 buckets and objects above all). CloudTrail
// writes it in resources[]: S3 data and bucket events list {type: AWS::S3::Bucket, ARN, accountId}. It is
// left out when the bucket belongs to another account that does not log data events, and then the owner is
// unknown; recipientAccountId is the account the copy was delivered to, not the owner, and is never used.
import { formatArn, parseArn } from '../iam/arn.js';
import type { TrailResource } from '../model.js';

/** Whether an ARN has an empty account field (arn:partition:service:region::resource). */
export function isAccountless(resource: string): boolean {
  return parseArn(resource)?.account === '';
}

/** An S3 ARN (arn:partition:s3:::bucket[/key]) as its bucket's ARN and the key, if any; else undefined. */
export function s3Location(resource: string): { bucketArn: string; key?: string } | undefined {
  const arn = parseArn(resource);
  if (arn?.service !== 's3' || arn.partition === '' || arn.region !== '' || arn.account !== '') return undefined;
  const slash = arn.resource.indexOf('/');
  if (slash === 0 || arn.resource === '') return undefined;
  if (slash === -1) return { bucketArn: resource };
  return { bucketArn: formatArn({ ...arn, resource: arn.resource.slice(0, slash) }), key: arn.resource.slice(slash + 1) };
}

/** The resource whose owner an ARN shares: an S3 object's bucket; any other ARN stands for itself. */
export function containerOf(resource: string): string {
  const s3 = s3Location(resource);
  return s3?.key !== undefined ? s3.bucketArn : resource;
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
