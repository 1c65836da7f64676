// The decision for identity policies and a permissions boundary: an explicit Deny in any document wins;
// otherwise the identity policies must allow, and so must the boundary when there is one (intersection).

import type { AuthRequest, PolicyDocument } from '../../model.js';
import { splitArn } from './arn.js';
import { requestContext } from './context.js';
import { cachedPolicy, candidates, compilePolicy, statementAppliesToResource } from './statement.js';
import type { ContextValues, Decision, StatementRef, Verdict } from './types.js';

export interface PolicySet {
  identity: PolicyDocument[];
  /** The permissions boundary; undefined or empty means the role has none. */
  boundary?: PolicyDocument[];
}

function verdict(
  docs: PolicyDocument[],
  label: string,
  action: string,
  resource: string,
  parts: string[] | undefined,
  context: ContextValues,
): Verdict {
  const allowedBy: StatementRef[] = [];
  const deniedBy: StatementRef[] = [];
  for (let document = 0; document < docs.length; document++) {
    const doc = docs[document];
    // The label is built only when a document is compiled for the first time.
    const policy = cachedPolicy(doc) ?? compilePolicy(doc, { where: `${label} document ${document}` });
    for (const s of candidates(policy, action)) {
      if (!statementAppliesToResource(s, resource, parts, context)) continue;
      const ref: StatementRef = s.sid !== undefined ? { document, statement: s.index, sid: s.sid } : { document, statement: s.index };
      (s.effect === 'Deny' ? deniedBy : allowedBy).push(ref);
    }
  }
  const result = deniedBy.length > 0 ? 'ExplicitDeny' : allowedBy.length > 0 ? 'Allow' : 'ImplicitDeny';
  return { result, allowedBy, deniedBy };
}

/** Decides a request. Throws InputError when a document is malformed. */
export function evaluate(request: AuthRequest, policies: PolicySet): Decision {
  const context = requestContext(request);
  const parts = splitArn(request.resource);
  const identity = verdict(policies.identity, 'identity', request.action, request.resource, parts, context);
  const hasBoundary = policies.boundary !== undefined && policies.boundary.length > 0;
  const boundary = hasBoundary ? verdict(policies.boundary!, 'boundary', request.action, request.resource, parts, context) : undefined;
  let decision: Decision['decision'];
  if (identity.result === 'ExplicitDeny' || boundary?.result === 'ExplicitDeny') decision = 'ExplicitDeny';
  else if (identity.result === 'Allow' && (boundary === undefined || boundary.result === 'Allow')) decision = 'Allow';
  else decision = 'ImplicitDeny';
  return boundary ? { decision, identity, boundary } : { decision, identity };
}

function refText(kind: string, ref: StatementRef): string {
  return `${kind} document ${ref.document} statement ${ref.statement}${ref.sid !== undefined ? ` (Sid "${ref.sid}")` : ''}`;
}

/** One sentence saying why: "denied by boundary document 0 statement 2 (Sid "X")", "no identity statement allows it". */
export function explainDecision(d: Decision): string {
  if (d.decision === 'ExplicitDeny') {
    const refs = [
      ...d.identity.deniedBy.map((r) => refText('identity', r)),
      ...(d.boundary?.deniedBy ?? []).map((r) => refText('boundary', r)),
    ];
    return `explicitly denied by ${refs.join(', ')}`;
  }
  if (d.decision === 'Allow') {
    const first = d.identity.allowedBy[0];
    return `allowed by ${refText('identity', first)}${d.boundary ? ` within ${refText('boundary', d.boundary.allowedBy[0])}` : ''}`;
  }
  if (d.identity.result !== 'Allow') return 'no identity statement allows it';
  return 'the permissions boundary does not allow it';
}
