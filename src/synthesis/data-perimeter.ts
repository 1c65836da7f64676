// The boundary's data perimeter. An ARN that names no account (S3 above all) cannot be scoped to an
// account by its text: an envelope of s3:* on arn:aws:s3:::* reaches every bucket of every account, so a
// compromised build could copy artifacts or secrets to a bucket of someone else's. Such resources are
// capped with aws:ResourceAccount to the owners the trail shows for them; a resource whose owner the trail
// does not show is allowed by its own name (an S3 bucket and its objects), never by a wider envelope.
import type { Fact } from '../model.js';
import { containerOf, isAccountless, s3Location } from '../translation/resource-owner.js';
import { resourceCovers } from '../iam/glob.js';

/** An account-less resource (an S3 bucket) the build used and its owners as resources[] named them (none: unknown). */
export interface ResourceOwners {
  resource: string;
  accounts: string[];
}

/**
 * Per bucket (or other account-less resource), the owners any granted use of it showed: a bucket has one
 * owner, so one record that names it is enough for all uses.
 */
export function resourceOwners(facts: Fact[]): ResourceOwners[] {
  const byContainer = new Map<string, Set<string>>();
  for (const f of facts) {
    if (f.outcome === 'denied' || !isAccountless(f.resource)) continue;
    const c = containerOf(f.resource);
    const set = byContainer.get(c) ?? new Set<string>();
    for (const a of f.resourceAccounts ?? []) set.add(a);
    byContainer.set(c, set);
  }
  return [...byContainer.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([resource, accounts]) => ({ resource, accounts: [...accounts].sort() }));
}

/**
 * The aws:ResourceAccount values a request on a resource may carry, as far as the trail shows them: the owners
 * of its bucket (or other account-less resource); empty for ARNs that name their account, or an unknown owner.
 * A bucket name can change hands (deleted, then created by another account), so a trail may show several.
 */
export function ownerLookup(facts: Fact[]): (resource: string) => string[] {
  const owners = new Map(resourceOwners(facts).map((o) => [o.resource, o.accounts]));
  return (resource) => (isAccountless(resource) ? owners.get(containerOf(resource)) ?? [] : []);
}

export interface PerimeterPart {
  /** Owner accounts -> the envelope scopes and actions capped to them. */
  capped: Map<string, { accounts: string[]; scopes: Set<string>; actions: Set<string> }>;
  /** Resources allowed by name because their owner is unknown, with the actions used on them. */
  named: { resources: Set<string>; actions: Set<string> };
}

export function newPerimeter(): PerimeterPart {
  return { capped: new Map(), named: { resources: new Set(), actions: new Set() } };
}

/** The names that allow a resource whose owner is unknown: an S3 bucket and everything in it. */
function namesFor(container: string): string[] {
  const s3 = s3Location(container);
  return s3 && s3.key === undefined ? [container, `${container}/*`] : [container];
}

/**
 * Adds one (action, account-less resource pattern) of the identity policy. `envelope` is the resource the
 * boundary would allow without a perimeter (e.g. arn:aws:s3:::*), `action` the boundary's action for it.
 */
export function addToPerimeter(part: PerimeterPart, owners: ResourceOwners[], action: string, pattern: string, envelope: string): void {
  const container = containerOf(pattern);
  const under = owners.filter((o) => resourceCovers(container, o.resource));
  const known = [...new Set(under.flatMap((o) => o.accounts))].sort();
  if (known.length) {
    const key = known.join(',');
    const e = part.capped.get(key) ?? { accounts: known, scopes: new Set<string>(), actions: new Set<string>() };
    e.scopes.add(envelope);
    e.actions.add(action);
    part.capped.set(key, e);
  }
  const unknown = under.filter((o) => o.accounts.length === 0).map((o) => o.resource);
  // A pattern no use of which shows an owner (inferred from the project, or derived) is allowed by name.
  if (under.length === 0) unknown.push(container);
  for (const c of unknown) {
    for (const n of namesFor(c)) part.named.resources.add(n);
    part.named.actions.add(action);
  }
}
