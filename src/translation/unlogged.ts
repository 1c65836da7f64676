// Needs that no single record implies but the evidence as a whole does: a role that touches S3 buckets while
// the trail holds no S3 object events almost certainly reads and writes objects the trail did not record
// (data events are off by default and never in event history). Which calls count and what is listed come
// from data/unlogged.json ("objectAccess").
import type { Evidence } from '../model.js';
import { OBJECT_ACCESS } from './unlogged-table.js';

const OBJECT_ACTIONS = new Set(OBJECT_ACCESS.seen);
const BUCKET = /^arn:([^:]+):s3:::([^/]+)$/;

export function addUnloggedNeeds(ev: Evidence): Evidence {
  const seesObjects = ev.facts.some((f) => OBJECT_ACTIONS.has(f.action));
  if (seesObjects) return ev;
  const buckets = [...new Set(ev.facts.filter((f) => f.outcome === 'allowed' || f.outcome === 'failed').map((f) => BUCKET.exec(f.resource)).filter((m): m is RegExpExecArray => m !== null).map((m) => `arn:${m[1]}:s3:::${m[2]}/*`))].sort();
  if (buckets.length === 0) return ev;
  const reason = OBJECT_ACCESS.reason;
  const extra = buckets.flatMap((b) => OBJECT_ACCESS.needs.map((action) => ({ action, resource: b, reason, count: 0 })));
  return { ...ev, unobserved: [...ev.unobserved, ...extra], warnings: [...ev.warnings, OBJECT_ACCESS.warning] };
}
