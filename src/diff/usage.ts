// cloudtracker's four states, from the evidence `generate` wrote: used and allowed, used but not allowed,
// allowed but unused, allowed but unknown (CloudTrail cannot show the action).
import { InvalidInput, opt, say } from '../errors.js';
import type { Evidence } from '../model.js';
import type { ActionUniverse } from './action-universe.js';
import { grantAllowsResource, type Allowance } from './allowance.js';
import { neverLoggedReason } from './never-logged.js';
import type { ActionUsage, DiffReport, UsageCounts } from './report.js';

/** The part of the evidence the diff reads. */
export type UsageEvidence = Pick<Evidence, 'facts' | 'unobserved'>;

interface Observed {
  resource?: unknown;
}
/** The parts of the evidence.json that `generate` writes (src/rendering/evidence.ts) the diff needs. */
interface Rendered {
  statements?: { actions?: { action?: unknown; observed?: Observed[] }[] }[];
  denied?: { action?: unknown; resource?: unknown }[];
  unknownResource?: { action?: unknown; resource?: unknown }[];
  unobserved?: unknown;
}

const isStr = (v: unknown): v is string => typeof v === 'string';

/**
 * Checks the shape of a parsed evidence file; `where` names the file in messages. Takes the evidence.json that
 * `generate --out` writes (statements with their observed resources, denied calls) or the library's Evidence
 * value (a "facts" list).
 */
export function parseEvidence(value: unknown, where: string): UsageEvidence {
  const e = value as (Partial<Evidence> & Rendered) | null;
  const hint = say`pass the evidence.json written by \`generate ${opt('out')}\``;
  if (typeof e !== 'object' || e === null || (!Array.isArray(e.facts) && !Array.isArray(e.statements))) {
    throw new InvalidInput(say`${where} is not an evidence file (no "statements" or "facts" list); ${hint}`, { where });
  }
  const unobserved = Array.isArray(e.unobserved) ? (e.unobserved as Evidence['unobserved']).filter((u) => isStr(u?.action) && isStr(u?.resource)) : [];
  if (Array.isArray(e.facts)) {
    const bad = e.facts.findIndex((f) => !isStr(f?.action) || !isStr(f?.resource));
    if (bad >= 0) throw new InvalidInput(say`${where}: facts[${bad}] has no action or resource; ${hint}`, { where, record: bad });
    return { facts: e.facts, unobserved };
  }
  // A resource the trail did not record was granted on a wider pattern: it is listed in unknownResource.
  const unknown = new Set((e.unknownResource ?? []).map((u) => `${String(u?.action)}\u0000${String(u?.resource)}`));
  const facts: UsageEvidence['facts'] = [];
  const use = (action: unknown, resource: unknown, at: string): void => {
    if (!isStr(action) || !isStr(resource)) throw new InvalidInput(say`${where}: ${at} has no action or resource; ${hint}`, { where: `${where}: ${at}` });
    facts.push({ action, resource, resourceKnown: !unknown.has(`${action}\u0000${resource}`) } as Evidence['facts'][number]);
  };
  (e.statements ?? []).forEach((s, i) =>
    (s?.actions ?? []).forEach((a, j) => (a?.observed ?? []).forEach((o, k) => use(a?.action, o?.resource, `statements[${i}].actions[${j}].observed[${k}]`))),
  );
  // Calls that were only denied were still made: the role used the action.
  (e.denied ?? []).forEach((d, i) => use(d?.action, d?.resource, `denied[${i}]`));
  return { facts, unobserved };
}

interface Use {
  resource: string;
  resourceKnown: boolean;
}

function allows(allowance: Allowance, action: string, uses: Use[]): boolean {
  const grants = allowance.get(action);
  if (!grants) return false;
  return uses.some((u) => !u.resourceKnown || u.resource === '*' || grants.some((g) => grantAllowsResource(g, u.resource)));
}

function counts(allowance: Allowance, used: Map<string, Use[]>): UsageCounts {
  const c: UsageCounts = { usedAndAllowed: 0, usedNotAllowed: 0, allowedUnused: 0, allowedUnknown: 0 };
  for (const [action, uses] of used) {
    if (allows(allowance, action, uses)) c.usedAndAllowed++;
    else c.usedNotAllowed++;
  }
  for (const action of allowance.keys()) {
    if (used.has(action)) continue;
    if (neverLoggedReason(action)) c.allowedUnknown++;
    else c.allowedUnused++;
  }
  return c;
}

export function classifyUsage(
  evidence: UsageEvidence,
  universe: ActionUniverse,
  current: Allowance,
  proposed: Allowance,
): NonNullable<DiffReport['usage']> {
  const used = new Map<string, Use[]>();
  const add = (action: string, use: Use): void => {
    const name = universe.canonical.get(action.toLowerCase()) ?? action;
    const uses = used.get(name);
    if (uses) uses.push(use);
    else used.set(name, [use]);
  };
  for (const f of evidence.facts) add(f.action, { resource: f.resource, resourceKnown: f.resourceKnown !== false });
  for (const u of evidence.unobserved) add(u.action, { resource: u.resource, resourceKnown: u.resource !== '*' });

  const listed = [...new Set([...used.keys(), ...proposed.keys()])].sort();
  const actions: ActionUsage[] = listed.map((action) => {
    const uses = used.get(action);
    const reason = neverLoggedReason(action);
    const usage = uses ? 'used' : reason ? 'unknown' : 'unused';
    return {
      action,
      usage,
      allowedNow: uses ? allows(current, action, uses) : current.has(action),
      allowedProposed: uses ? allows(proposed, action, uses) : proposed.has(action),
      ...(usage === 'unknown' && reason ? { reason } : {}),
    };
  });
  return { used: used.size, current: counts(current, used), proposed: counts(proposed, used), actions };
}
