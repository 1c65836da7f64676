// Proof: every request the role was seen making successfully is replayed against the identity policy AND the
// boundary with the project's evaluator. Requests with the same action, resource, region and condition values
// decide alike, so each distinct one is evaluated once and weighted by its events.
import type { AuthRequest, Evidence, PolicyDocument } from '../model.js';
import { ownerLookup } from '../synthesis/data-perimeter.js';
import { addResourceConditions } from '../synthesis/resource-conditions.js';
import { evaluate, explainDecision } from './evaluator/index.js';

export interface DeniedRequest {
  action: string;
  resource: string;
  region: string;
  context: Record<string, string>;
  events: number;
  sampleEventIds: string[];
  why: string;
}

export interface ReplayReport {
  /** Distinct requests evaluated. */
  requests: number;
  /** Events they stand for. */
  events: number;
  denied: DeniedRequest[];
}

/** A concrete resource for a pattern: log values were escaped; our own wildcards stand for unknown parts. */
export function requestResource(pattern: string): string {
  if (pattern === '*') return '*';
  return pattern.replace(/\$\{([*?$])\}|\*|\?/g, (m, lit: string | undefined) => (lit !== undefined ? lit : m === '*' ? '' : 'X'));
}

export function observedRequests(ev: Evidence): Array<{ request: AuthRequest; events: number; sampleEventIds: string[]; region: string }> {
  const out: Array<{ request: AuthRequest; events: number; sampleEventIds: string[]; region: string }> = [];
  const ownerOf = ownerLookup(ev.facts);
  // A request carries the conditions its resource implies (an ENI's subnet) though its record does not.
  for (const f of addResourceConditions(ev.facts).facts) {
    if (f.outcome === 'denied' || f.origin === 'inferred') continue;
    const regions = f.regions.length ? f.regions : [''];
    for (const region of regions) {
      const context: Record<string, string> = { ...f.context };
      if (region) context['aws:RequestedRegion'] = region;
      // The owner of a resource whose ARN names none (an S3 bucket), as a record's resources[] named it.
      const owner = ownerOf(f.resource);
      if (owner) context['aws:ResourceAccount'] = owner;
      out.push({
        request: { action: f.action, resource: requestResource(f.resource), context, accountId: f.accounts[0] },
        events: f.count,
        sampleEventIds: f.sampleEventIds,
        region,
      });
    }
  }
  return out;
}

export function replay(ev: Evidence, identity: PolicyDocument[], boundary?: PolicyDocument): ReplayReport {
  const denied: DeniedRequest[] = [];
  let events = 0;
  const requests = observedRequests(ev);
  for (const r of requests) {
    events += r.events;
    const d = evaluate(r.request, { identity, boundary: boundary ? [boundary] : undefined });
    if (d.decision !== 'Allow') {
      const ctx = Object.fromEntries(Object.entries(r.request.context).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
      denied.push({ action: r.request.action, resource: r.request.resource, region: r.region, context: ctx, events: r.events, sampleEventIds: r.sampleEventIds, why: explainDecision(d) });
    }
  }
  denied.sort((a, b) => (`${a.action} ${a.resource} ${a.region}` < `${b.action} ${b.resource} ${b.region}` ? -1 : 1));
  return { requests: requests.length, events, denied };
}
