// IAM counts a policy's characters without whitespace: 6,144 for a managed policy, 10,240 for an inline one.
// A document that would pass the limit is split into several, statement by statement, never widened.
import type { PolicyDocument, PolicyStatement } from '../model.js';

export const MANAGED_POLICY_LIMIT = 6144;

/** The size IAM checks: the compact JSON, whitespace outside strings not counted. */
export function policySize(doc: PolicyDocument): number {
  return JSON.stringify(doc).length;
}

function doc(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** Splits one statement's resources when the statement alone is too big. */
function splitStatement(s: PolicyStatement, limit: number): PolicyStatement[] {
  if (policySize(doc([s])) <= limit || !Array.isArray(s.Resource) || s.Resource.length < 2) return [s];
  const out: PolicyStatement[] = [];
  let cur: string[] = [];
  for (const r of s.Resource) {
    const next = { ...s, Resource: [...cur, r] };
    if (cur.length > 0 && policySize(doc([next])) > limit) {
      out.push({ ...s, Resource: cur });
      cur = [r];
    } else cur.push(r);
  }
  out.push({ ...s, Resource: cur });
  return out.map((x, i) => (i === 0 ? x : { ...x, Sid: `${x.Sid ?? 'Part'}Part${i + 1}` }));
}

export function splitBySize(statements: PolicyStatement[], limit: number): { documents: PolicyDocument[]; sizes: number[] } {
  const pieces = statements.flatMap((s) => splitStatement(s, limit));
  const documents: PolicyDocument[] = [];
  let cur: PolicyStatement[] = [];
  for (const s of pieces) {
    if (cur.length > 0 && policySize(doc([...cur, s])) > limit) {
      documents.push(doc(cur));
      cur = [];
    }
    cur.push(s);
  }
  documents.push(doc(cur));
  return { documents, sizes: documents.map(policySize) };
}
