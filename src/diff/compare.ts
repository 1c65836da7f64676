// Compares two allowances action by action and groups the result per service.
import { serviceOf } from './action-universe.js';
import { grantsCover, grantText, type Allowance, type Grant } from './allowance.js';
import { conditionText } from './conditions.js';
import type { ConditionChange, ServiceDiff, Widening } from './report.js';

export interface Comparison {
  services: ServiceDiff[];
  widening: Widening[];
}

const textMemo = new WeakMap<Grant[], string[]>();
const texts = (grants: Grant[]): string[] => {
  let t = textMemo.get(grants);
  if (!t) {
    t = grants.map(grantText).sort();
    textMemo.set(grants, t);
  }
  return [...t];
};

const conditionMemo = new WeakMap<Grant[], Set<string>>();
function conditionSet(grants: Grant[]): Set<string> {
  let set = conditionMemo.get(grants);
  if (!set) {
    set = new Set(grants.flatMap((g) => g.conditions.map(conditionText)));
    conditionMemo.set(grants, set);
  }
  return set;
}

function emptyService(service: string): ServiceDiff {
  return {
    service,
    removed: [],
    added: [],
    kept: [],
    resourcesWidened: [],
    resourcesNarrowed: [],
    conditionsAdded: [],
    conditionsRemoved: [],
  };
}

function pushCondition(map: Map<string, Map<string, string[]>>, service: string, condition: string, action: string): void {
  const perService = map.get(service) ?? new Map<string, string[]>();
  map.set(service, perService);
  perService.set(condition, [...(perService.get(condition) ?? []), action]);
}

function conditionChanges(perService: Map<string, string[]> | undefined): ConditionChange[] {
  return [...(perService ?? new Map<string, string[]>()).entries()]
    .map(([condition, actions]) => ({ condition, actions: actions.sort() }))
    .sort((a, b) => (a.condition < b.condition ? -1 : 1));
}

/** Grants not covered by another list; memoized because actions share grant lists. */
function uncoveredBy(): (outer: Grant[], inner: Grant[]) => Grant[] {
  const memo = new Map<Grant[], Map<Grant[], Grant[]>>();
  return (outer, inner) => {
    const row = memo.get(outer) ?? new Map<Grant[], Grant[]>();
    memo.set(outer, row);
    let hit = row.get(inner);
    if (!hit) {
      hit = inner.filter((g) => !grantsCover(outer, g));
      row.set(inner, hit);
    }
    return hit;
  };
}

export function compareAllowances(current: Allowance, proposed: Allowance): Comparison {
  const uncovered = uncoveredBy();
  const services = new Map<string, ServiceDiff>();
  const widening: Widening[] = [];
  const added = new Map<string, Map<string, string[]>>();
  const removed = new Map<string, Map<string, string[]>>();
  const actions = [...new Set([...current.keys(), ...proposed.keys()])].sort();
  for (const action of actions) {
    const service = serviceOf(action);
    const s = services.get(service) ?? emptyService(service);
    services.set(service, s);
    const now = current.get(action);
    const next = proposed.get(action);
    if (now && !next) {
      s.removed.push(action);
      continue;
    }
    if (!now && next) {
      s.added.push(action);
      widening.push({ action, kind: 'added', grants: texts(next), current: [] });
      continue;
    }
    if (!now || !next) continue;
    s.kept.push(action);
    const broader = uncovered(now, next);
    const lost = uncovered(next, now);
    if (broader.length) {
      s.resourcesWidened.push({ action, current: texts(now), proposed: texts(next) });
      widening.push({ action, kind: 'broader', grants: texts(broader), current: texts(now) });
    }
    if (lost.length) s.resourcesNarrowed.push({ action, current: texts(now), proposed: texts(next) });
    const before = conditionSet(now);
    const after = conditionSet(next);
    for (const c of after) if (!before.has(c)) pushCondition(added, service, c, action);
    for (const c of before) if (!after.has(c)) pushCondition(removed, service, c, action);
  }
  for (const s of services.values()) {
    s.conditionsAdded = conditionChanges(added.get(s.service));
    s.conditionsRemoved = conditionChanges(removed.get(s.service));
  }
  return {
    services: [...services.values()].sort((a, b) => (a.service < b.service ? -1 : 1)),
    widening,
  };
}
