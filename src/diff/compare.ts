// Compares two allowances action by action and groups the result per service.
import { serviceOf } from './action-universe.js';
import { grantsCover, grantText, type Allowance, type Grant } from './allowance.js';
import { conditionText } from './conditions.js';
import type { ConditionChange, ServiceDiff, Widening } from './report.js';

export interface Comparison {
  services: ServiceDiff[];
  widening: Widening[];
}

const texts = (grants: Grant[]): string[] => grants.map(grantText).sort();

function conditionSet(grants: Grant[]): Set<string> {
  return new Set(grants.flatMap((g) => g.conditions.map(conditionText)));
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

export function compareAllowances(current: Allowance, proposed: Allowance): Comparison {
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
    const broader = next.filter((g) => !grantsCover(now, g));
    const lost = now.filter((g) => !grantsCover(next, g));
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
