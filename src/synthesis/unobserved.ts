// The unlogged needs, listed the way the policy would grant them: per-build identifiers generalized, so the
// report shows one PutLogEvents line for the project's streams rather than one per build.
import type { Evidence } from '../model.js';
import { generalizeBuildIds } from './generalize.js';

export function generalizeUnobserved(ev: Evidence): Evidence['unobserved'] {
  const builds = new Set(ev.builds.map((b) => b.toLowerCase()));
  const merged = new Map<string, Evidence['unobserved'][number]>();
  for (const u of ev.unobserved) {
    const resource = generalizeBuildIds(u.action, u.resource, builds);
    const key = `${u.action}\u0000${resource}\u0000${u.reason}`;
    const e = merged.get(key);
    if (e) e.count += u.count;
    else merged.set(key, { ...u, resource });
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}
