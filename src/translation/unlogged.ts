// Needs that no single record implies but the evidence as a whole does: a role that touches S3 buckets while
// the trail holds no S3 object events almost certainly reads and writes objects the trail did not record
// (data events are off by default and never in event history).
import type { Evidence } from '../model.js';

const OBJECT_ACTIONS = new Set(['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion']);
const BUCKET = /^arn:([^:]+):s3:::([^/]+)$/;

export function addUnloggedNeeds(ev: Evidence): Evidence {
  const seesObjects = ev.facts.some((f) => OBJECT_ACTIONS.has(f.action));
  if (seesObjects) return ev;
  const buckets = [...new Set(ev.facts.filter((f) => f.outcome === 'allowed' || f.outcome === 'failed').map((f) => BUCKET.exec(f.resource)).filter((m): m is RegExpExecArray => m !== null).map((m) => `arn:${m[1]}:s3:::${m[2]}/*`))].sort();
  if (buckets.length === 0) return ev;
  const reason = 'the trail has no S3 object (data) events, but the role uses this bucket; object reads and writes are not recorded';
  const extra = buckets.flatMap((b) => ['s3:GetObject', 's3:PutObject'].map((action) => ({ action, resource: b, reason, count: 0 })));
  return { ...ev, unobserved: [...ev.unobserved, ...extra], warnings: [...ev.warnings, 'no S3 data events for the role: S3 object access is listed as unobserved; use --project-file to grant it with exact prefixes'] };
}
