// cloudtracker's four states, from the evidence `generate` wrote: used and allowed, used but not allowed,
// allowed but unused, allowed but unknown (CloudTrail cannot show the action).
import { InputError } from '../errors.js';
import type { Evidence } from '../model.js';
import type { ActionUniverse } from './action-universe.js';
import { grantAllowsResource, type Allowance } from './allowance.js';
import { neverLoggedReason } from './never-logged.js';
import type { ActionUsage, DiffReport, UsageCounts } from './report.js';

/** The part of the evidence the diff reads. */
export type UsageEvidence = Pick<Evidence, 'facts' | 'unobserved'>;

/** Checks the shape of a parsed evidence.json; `where` names the file in messages. */
export function parseEvidence(value: unknown, where: string): UsageEvidence {
  const e = value as Partial<Evidence> | null;
  if (typeof e !== 'object' || e === null || !Array.isArray(e.facts)) {
    throw new InputError(`${where} is not an evidence file (no "facts" list); pass the evidence.json written by \`generate --out\``);
  }
  const bad = e.facts.findIndex((f) => typeof f?.action !== 'string' || typeof f?.resource !== 'string');
  if (bad >= 0) throw new InputError(`${where}: facts[${bad}] has no action or resource; pass the evidence.json written by \`generate --out\``);
  const unobserved = Array.isArray(e.unobserved) ? e.unobserved.filter((u) => typeof u?.action === 'string') : [];
  return { facts: e.facts, unobserved };
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
    used.set(name, [...(used.get(name) ?? []), use]);
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
