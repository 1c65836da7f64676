// Turns a policy document into statements whose elements are all lists. What IAM would refuse is refused by
// the one policy parser (src/iam/policy-document.ts), so the evaluator never guesses what a malformed
// statement means and accepts exactly what diff and export accept.

import { toPolicyDocument } from '../../iam/policy-document.js';
import type { PolicyDocument, StringOrList } from '../../model.js';
import type { NormalizedStatement } from './types.js';

export interface NormalizeOptions {
  /** Names the document in messages, e.g. a file path or "boundary document 1". */
  where?: string;
  /**
   * `identity` (default): identity policies and permissions boundaries, which need Resource or NotResource
   * and may not name a Principal. `resource`: resource-based and trust policies, which need a Principal.
   */
  kind?: 'identity' | 'resource';
}

const list = (v: StringOrList | undefined): string[] | undefined => (v === undefined ? undefined : typeof v === 'string' ? [v] : [...v]);

/** The statements of a document, validated, with string-or-list elements as lists and condition values as strings. */
export function normalizeStatements(doc: PolicyDocument | unknown, options: NormalizeOptions = {}): NormalizedStatement[] {
  const checked = toPolicyDocument(doc, options.where ?? 'the policy document', options.kind ?? 'identity');
  return checked.Statement.map((s, index) => {
    const out: NormalizedStatement = { index, effect: s.Effect, conditions: [] };
    if (s.Sid !== undefined) out.sid = s.Sid;
    const elements = { action: list(s.Action), notAction: list(s.NotAction), resource: list(s.Resource), notResource: list(s.NotResource) };
    for (const [k, v] of Object.entries(elements)) if (v !== undefined) out[k as keyof typeof elements] = v;
    if (s.Principal !== undefined) out.principal = s.Principal;
    if (s.NotPrincipal !== undefined) out.notPrincipal = s.NotPrincipal;
    for (const [operator, block] of Object.entries(s.Condition ?? {})) {
      for (const [key, value] of Object.entries(block)) {
        out.conditions.push({ operator, key, values: (Array.isArray(value) ? value : [value]).map((v) => String(v)) });
      }
    }
    return out;
  });
}
