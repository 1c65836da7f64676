// Adapter around @cloud-copilot/iam-simulate (AGPL: used by tests only, never by src/ or cli/). It answers
// the same question as our evaluator: the decision for identity policies plus an optional permissions
// boundary, and the verdict of each side on its own.
import {
  isConditionKeyArray,
  runSimulation,
  runUnsafeSimulation,
  typeForContextKey,
  type Simulation,
} from '@cloud-copilot/iam-simulate';
import type { AuthRequest, PolicyDocument } from '../../src/model.js';
import type { EvaluationResult } from '../../src/verification/evaluator/index.js';

export const ORACLE_PRINCIPAL = 'arn:aws:iam::111122223333:role/build';
export const ORACLE_ACCOUNT = '111122223333';

export interface OracleVerdicts {
  decision: EvaluationResult;
  identity: EvaluationResult;
  boundary?: EvaluationResult;
}

const RESULT: Record<string, EvaluationResult> = {
  Allowed: 'Allow',
  ImplicitlyDenied: 'ImplicitDeny',
  ExplicitlyDenied: 'ExplicitDeny',
};

const keyIsArray = new Map<string, boolean>();

/**
 * The context both sides must see. The oracle turns a string into a one-element array for keys it types as
 * multivalued (and keeps only the first element of an array for single-valued keys); we apply the same
 * reading up front so that our evaluator gets identical input.
 */
export async function adaptContext(context: Record<string, string | string[]>): Promise<Record<string, string | string[]>> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(context)) {
    const lower = key.toLowerCase();
    let isArray = keyIsArray.get(lower);
    if (isArray === undefined) {
      isArray = isConditionKeyArray(await typeForContextKey(lower));
      keyIsArray.set(lower, isArray);
    }
    out[key] = isArray ? [value].flat() : Array.isArray(value) ? value[0] : value;
  }
  return out;
}

function simulation(request: AuthRequest, identity: PolicyDocument[], boundary: PolicyDocument[] | undefined, scp: PolicyDocument[] = []): Simulation {
  const sim: Simulation = {
    request: {
      principal: ORACLE_PRINCIPAL,
      action: request.action,
      resource: { resource: request.resource, accountId: ORACLE_ACCOUNT },
      contextVariables: request.context,
    },
    identityPolicies: identity.map((policy, k) => ({ name: `identity-${k}`, policy })),
    // Our SCPs are Deny-only guardrails; the oracle reads them as real SCPs, which agree when each carries an Allow of everything.
    serviceControlPolicies: scp.length ? [{ orgIdentifier: 'r-root', policies: scp.map((policy, k) => ({ name: `scp-${k}`, policy })) }] : [],
    resourceControlPolicies: [],
  };
  if (boundary && boundary.length > 0) sim.permissionBoundaryPolicies = boundary.map((policy, k) => ({ name: `boundary-${k}`, policy }));
  return sim;
}

/**
 * One oracle run. Requests for resource "*" go through the validating `runSimulation`, which knows that
 * the action takes no resource (only then does a specific ARN in a policy not match "*"); the rest go
 * through `runUnsafeSimulation`, five times faster, which skips validation and context-key filtering.
 */
async function run(request: AuthRequest, identity: PolicyDocument[], boundary?: PolicyDocument[], scp?: PolicyDocument[]): Promise<EvaluationResult> {
  const sim = simulation(request, identity, boundary, scp);
  if (request.resource !== '*') return RESULT[runUnsafeSimulation(sim, {})];
  const r = await runSimulation(sim, {});
  if (r.resultType === 'error') throw new Error(`oracle refused the simulation: ${JSON.stringify(r.errors)}`);
  if (r.resultType !== 'single') throw new Error(`oracle ran a ${r.resultType} simulation for resource "*"`);
  const ignored = r.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) throw new Error(`oracle ignored context keys ${ignored.join(', ')}; use keys valid for ${request.action}`);
  return RESULT[r.overallResult];
}

/** The oracle's decision and, separately, the verdict of the identity policies and of the boundary. */
export async function oracleVerdicts(request: AuthRequest, identity: PolicyDocument[], boundary?: PolicyDocument[], scp?: PolicyDocument[]): Promise<OracleVerdicts> {
  const identityOnly = await run(request, identity);
  if (!boundary || boundary.length === 0) return { decision: scp?.length ? await run(request, identity, undefined, scp) : identityOnly, identity: identityOnly };
  return {
    decision: await run(request, identity, boundary, scp),
    identity: identityOnly,
    // A boundary is read like an identity policy; evaluated alone it gives the boundary's own verdict.
    boundary: await run(request, boundary),
  };
}
