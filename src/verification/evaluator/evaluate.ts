// The decision for identity policies, a permissions boundary and service control policies: an explicit
// Deny in any document wins; otherwise the identity policies must allow, and so must the boundary when
// there is one (intersection). SCPs are read as Deny-only guardrails: their Allow statements are ignored
// (as if FullAWSAccess were attached), their Deny statements deny.
//
// With `request.unknownKeys`, a statement that reads a key the request cannot tell is undecided: the
// decision then says which statements and keys could change it, rather than reading the key as absent.

import type { AuthRequest, PolicyDocument } from '../../model.js';
import { splitArn } from '../../iam/arn.js';
import type { UnknownKeys } from './condition.js';
import { requestContext, unknownKeysOf } from './context.js';
import { cachedPolicy, candidates, compilePolicy, statementAppliesToResource, statementState } from './statement.js';
import type { ContextValues, Decision, PendingRef, PolicyKind, StatementRef, Verdict } from './types.js';

export interface PolicySet {
  identity: PolicyDocument[];
  /** The permissions boundary; undefined or empty means the role has none. */
  boundary?: PolicyDocument[];
  /** Service control policies, evaluated as Deny-only guardrails; undefined or empty means none. */
  scp?: PolicyDocument[];
}

function verdict(
  docs: PolicyDocument[],
  label: string,
  action: string,
  resource: string,
  parts: string[] | undefined,
  context: ContextValues,
  unknown: UnknownKeys | undefined,
  denyOnly = false,
): Verdict {
  const allowedBy: StatementRef[] = [];
  const deniedBy: StatementRef[] = [];
  let undecided: PendingRef[] | undefined;
  for (let document = 0; document < docs.length; document++) {
    const doc = docs[document];
    // The label is built only when a document is compiled for the first time.
    const policy = cachedPolicy(doc) ?? compilePolicy(doc, { where: `${label} document ${document}` });
    for (const s of candidates(policy, action)) {
      if (denyOnly && s.effect !== 'Deny') continue;
      const ref: StatementRef = s.sid !== undefined ? { document, statement: s.index, sid: s.sid } : { document, statement: s.index };
      if (unknown === undefined) {
        if (!statementAppliesToResource(s, resource, parts, context)) continue;
      } else {
        const state = statementState(s, resource, parts, context, unknown);
        if (state.holds === false) continue;
        if (state.holds === 'unknown') {
          (undecided ??= []).push({ ...ref, effect: s.effect, keys: state.keys });
          continue;
        }
      }
      (s.effect === 'Deny' ? deniedBy : allowedBy).push(ref);
    }
  }
  const result = deniedBy.length > 0 ? 'ExplicitDeny' : allowedBy.length > 0 || denyOnly ? 'Allow' : 'ImplicitDeny';
  return undecided ? { result, allowedBy, deniedBy, undecided } : { result, allowedBy, deniedBy };
}

/** Decides a request. Throws InvalidInput when a document is malformed. */
export function evaluate(request: AuthRequest, policies: PolicySet): Decision {
  const context = requestContext(request);
  const unknown = request.unknownKeys && request.unknownKeys.length > 0 ? unknownKeysOf(request) : undefined;
  const parts = splitArn(request.resource);
  const side = (docs: PolicyDocument[] | undefined, label: PolicyKind, denyOnly = false): Verdict | undefined =>
    docs && docs.length > 0 ? verdict(docs, label, request.action, request.resource, parts, context, unknown, denyOnly) : undefined;
  const identity = side(policies.identity, 'identity') ?? { result: 'ImplicitDeny', allowedBy: [], deniedBy: [] };
  const boundary = side(policies.boundary, 'boundary');
  const scp = side(policies.scp, 'scp', true);
  const verdicts: Array<[PolicyKind, Verdict | undefined]> = [['identity', identity], ['boundary', boundary], ['scp', scp]];
  let decision: Decision['decision'];
  if (verdicts.some(([, v]) => v?.result === 'ExplicitDeny')) decision = 'ExplicitDeny';
  else if (identity.result === 'Allow' && (boundary === undefined || boundary.result === 'Allow')) decision = 'Allow';
  else decision = 'ImplicitDeny';
  const out: Decision = { decision, identity };
  if (boundary) out.boundary = boundary;
  if (scp) out.scp = scp;
  if (unknown) {
    const pending = pendingStatements(decision, verdicts);
    if (pending.length > 0) out.undecided = { keys: [...new Set(pending.flatMap((p) => p.keys))].sort(), statements: pending };
  }
  return out;
}

/**
 * The undecided statements that could change the decision. A definite ExplicitDeny stays; a request
 * that a side cannot allow even with every undecided Allow stays denied; otherwise an undecided Deny could
 * deny it, and an undecided Allow is needed where a side has no definite one.
 */
function pendingStatements(decision: Decision['decision'], verdicts: Array<[PolicyKind, Verdict | undefined]>): Array<PendingRef & { policy: PolicyKind }> {
  if (decision === 'ExplicitDeny') return [];
  const allowSides = verdicts.filter(([kind, v]) => v !== undefined && kind !== 'scp') as Array<[PolicyKind, Verdict]>;
  // A side without any Allow, definite or undecided, denies whatever the unknown keys are.
  if (allowSides.some(([, v]) => v.allowedBy.length === 0 && !(v.undecided ?? []).some((p) => p.effect === 'Allow'))) return [];
  const out: Array<PendingRef & { policy: PolicyKind }> = [];
  for (const [policy, v] of verdicts) {
    for (const p of v?.undecided ?? []) {
      if (p.effect === 'Deny' || (policy !== 'scp' && v!.allowedBy.length === 0)) out.push({ ...p, policy });
    }
  }
  return out;
}

function refText(kind: string, ref: StatementRef): string {
  return `${kind} document ${ref.document} statement ${ref.statement}${ref.sid !== undefined ? ` (Sid "${ref.sid}")` : ''}`;
}

/** One sentence saying why: "denied by boundary document 0 statement 2 (Sid "X")", "no identity statement allows it". */
export function explainDecision(d: Decision): string {
  if (d.undecided) {
    const which = d.undecided.statements.map((p) => `${p.effect} ${refText(p.policy, p)} reads ${p.keys.join(', ')}`);
    return `undecided: the records cannot tell ${d.undecided.keys.join(', ')} (${which.join('; ')})`;
  }
  if (d.decision === 'ExplicitDeny') {
    const refs = [
      ...d.identity.deniedBy.map((r) => refText('identity', r)),
      ...(d.boundary?.deniedBy ?? []).map((r) => refText('boundary', r)),
      ...(d.scp?.deniedBy ?? []).map((r) => refText('scp', r)),
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
