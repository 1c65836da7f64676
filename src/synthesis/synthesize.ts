// Evidence -> the identity policy: grants only what succeeded, generalizes per-build identifiers, groups
// actions that share resources and conditions into statements, orders and names them stably, and splits the
// document when it would pass the managed-policy size limit.
import type { ConditionBlock, Evidence, Fact, PolicyDocument, PolicyStatement } from '../model.js';
import { compileTemplate } from '../translation/arn-template.js';
import { lookupAction, resourceTypeArn } from '../translation/iam-reference.js';
import { resourceCovers as covers } from '../iam/glob.js';
import { ARN_VARIABLES } from '../translation/tables.js';
import { grantedOnSameResource, impliedBy as implyingActions } from '../translation/unlogged-table.js';
import { generalizeUses, minimizePatterns, type Generalization } from './generalize.js';
import { statementSid, uniqueSids } from './sids.js';
import { splitBySize, MANAGED_POLICY_LIMIT } from './size.js';

export interface SynthesisOptions {
  resources: 'generalize' | 'exact';
  /** Grant only (action, resource) pairs seen in at least this many builds. */
  minBuilds?: number;
}

export interface StatementEvidence {
  sid: string;
  actions: string[];
  resources: string[];
  condition?: ConditionBlock;
  facts: Fact[];
}

export interface Synthesis {
  policies: PolicyDocument[];
  statements: StatementEvidence[];
  generalized: Generalization[];
  /** Seen, but not granted (fewer builds than --min-builds): the grant, its builds and its observed ARNs. */
  notGranted: Array<{ action: string; resource: string; builds: number; observed: string[]; reason: string }>;
  /** The --min-builds threshold, when one was given. */
  minBuilds?: number;
  /** Wildcard patterns with a stated reason: proven per-build identifiers and the reference's companions (log-group:X:*). */
  justifiedPatterns: string[];
  /** Calls that were only ever denied: listed, never granted. */
  denied: Fact[];
  /** Calls that failed before authorization (expired token, throttling...): not proven, never granted. */
  unproven: Fact[];
  /** Facts with a resource that could not be named: granted on a wider resource. */
  unknownResource: Fact[];
  sizes: number[];
}

export const WILDCARD_ONLY_SID = 'ActionsWithoutResourceLevelPermissions';
export const UNKNOWN_RESOURCE_SID = 'ResourceNotRecordedInTrail';

const grantAlso = [...ARN_VARIABLES.entries()].flatMap(
  ([service, v]) =>
    Object.entries(v.grantAlso ?? {}).flatMap(([type, suffixes]) => {
      const tpl = resourceTypeArn(service, type);
      return tpl ? [{ regex: compileTemplate(tpl).regex, suffixes }] : [];
    }),
);

function isWildcardOnly(action: string): boolean {
  const i = action.indexOf(':');
  const ref = lookupAction(action.slice(0, i), action.slice(i + 1));
  return !ref || ref.resourceTypes.every((t) => !t.arn);
}

function accessLevel(action: string): string {
  const i = action.indexOf(':');
  return lookupAction(action.slice(0, i), action.slice(i + 1))?.accessLevel ?? 'Write';
}

interface Grant {
  action: string;
  pattern: string;
  facts: Fact[];
  builds: Set<string>;
}

function conditionOf(facts: Fact[]): ConditionBlock | undefined {
  // A key becomes a condition only when every use of the grant carried it: one call without it needs none.
  if (facts.length === 0) return undefined;
  const keys = Object.keys(facts[0].context).filter((k) => facts.every((f) => f.context[k] !== undefined)).sort();
  if (keys.length === 0) return undefined;
  const block: ConditionBlock = {};
  for (const k of keys) {
    const values = [...new Set(facts.map((f) => f.context[k]))].sort();
    const op = values.every((v) => v.startsWith('arn:')) ? 'ArnEquals' : 'StringEquals';
    block[op] = { ...(block[op] ?? {}), [k]: values };
  }
  return block;
}

// Companion action -> the actions that imply it on their own resources (data/unlogged.json, resource "same").
const impliedBy = grantedOnSameResource();

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Facts sorted by action, then resource (stable); each key is built once, not once per comparison. */
function byActionAndResource(facts: Fact[]): Fact[] {
  return facts
    .map((f, i) => ({ f, i, k: `${f.action}\u0000${f.resource}` }))
    .sort((a, b) => cmp(a.k, b.k) || a.i - b.i)
    .map((x) => x.f);
}

export function synthesize(evidence: Evidence, options: SynthesisOptions): Synthesis {
  const granted = evidence.facts.filter((f) => f.outcome !== 'denied' && f.outcome !== 'unproven');
  const deniedFacts = evidence.facts.filter((f) => f.outcome === 'denied');
  const { grants, generalized } = grantPatterns(granted, deniedFacts, options.resources);
  const { kept, notGranted } = applyMinBuilds(grants, options.minBuilds);
  const { perAction, derived } = resourcesPerAction(kept);
  const statements = shareStatements(perAction);
  const { documents, sizes } = splitBySize(statements.map(policyStatement), MANAGED_POLICY_LIMIT);

  const grantedKeys = new Set(granted.map((f) => `${f.action}\u0000${f.resource}`));
  return {
    policies: documents,
    statements,
    generalized: generalized.sort((a, b) => cmp(a.to, b.to)),
    notGranted: notGranted.sort((a, b) => cmp(`${a.action}${a.resource}`, `${b.action}${b.resource}`)),
    ...(options.minBuilds !== undefined ? { minBuilds: options.minBuilds } : {}),
    justifiedPatterns: [...new Set([...generalized.map((g) => g.to), ...derived])].sort(),
    denied: deniedFacts.filter((d) => !grantedKeys.has(`${d.action}\u0000${d.resource}`)),
    unproven: evidence.facts.filter((f) => f.outcome === 'unproven' && !grantedKeys.has(`${f.action}\u0000${f.resource}`)),
    unknownResource: granted.filter((f) => !f.resourceKnown && !isWildcardOnly(f.action)),
    sizes,
  };
}

/**
 * 1. Per action, maps each observed resource to the pattern that will be granted, and groups the facts by
 * (action, pattern). Returns the grants in action order and the generalizations some grant uses.
 */
function grantPatterns(granted: Fact[], deniedFacts: Fact[], resources: SynthesisOptions['resources']): { grants: Grant[]; generalized: Generalization[] } {
  const usedPatterns = new Set<string>();
  const byAction = new Map<string, Fact[]>();
  for (const f of granted) {
    const list = byAction.get(f.action);
    if (list) list.push(f);
    else byAction.set(f.action, [f]);
  }
  // Per-build identifiers are found over every action at once: a commit SHA that is per-build in one key of a
  // build is per-build in every key of that build. Inferred resources are exact or deliberate patterns already.
  const { patterns, generalizations } =
    resources === 'generalize'
      ? generalizeUses(granted.filter((f) => f.resource !== '*' && f.origin !== 'inferred').map((f) => ({ action: f.action, resource: f.resource, builds: f.builds, firstSeen: f.firstSeen, lastSeen: f.lastSeen })))
      : { patterns: new Map<string, string>(), generalizations: [] as Generalization[] };
  const grants = new Map<string, Grant>();
  for (const [action, facts] of [...byAction.entries()].sort(([a], [b]) => cmp(a, b))) {
    let mapping = new Map<string, string>(facts.map((f) => [f.resource, f.origin === 'inferred' ? f.resource : (patterns.get(`${action}\u0000${f.resource}`) ?? f.resource)]));
    // Never widen onto a call that was only denied: then this action keeps its exact resources. A companion
    // granted on its call's resources (PutLogEvents with CreateLogStream) follows its call's denials too, so it
    // is never wider than the call.
    const parents = impliedBy.get(action) ?? [];
    const deniedHere = deniedFacts.filter((d) => (d.action === action || parents.includes(d.action)) && !facts.some((f) => f.resource === d.resource));
    const widened = [...mapping.entries()].filter(([from, to]) => from !== to).map(([, to]) => to);
    if (deniedHere.some((d) => widened.some((p) => p !== d.resource && covers(p, d.resource)))) mapping = new Map(facts.map((f) => [f.resource, f.resource]));
    for (const f of facts) {
      const pattern = mapping.get(f.resource) ?? f.resource;
      if (pattern !== f.resource) usedPatterns.add(pattern);
      const key = `${action}\u0000${pattern}`;
      const g = grants.get(key) ?? { action, pattern, facts: [], builds: new Set<string>() };
      g.facts.push(f);
      for (const b of f.builds) g.builds.add(b);
      grants.set(key, g);
    }
  }
  return { grants: [...grants.values()], generalized: generalizations.filter((g) => usedPatterns.has(g.to)) };
}

/**
 * 2. --min-builds counts builds per concrete resource: an exact ARN, or one whose only wildcards stand for
 * proven per-build identifiers (each build's log stream is the same need). What too few builds used is
 * listed with its count, not granted, and left out of self-verification.
 */
function applyMinBuilds(grants: Grant[], minBuilds: number | undefined): { kept: Grant[]; notGranted: Synthesis['notGranted'] } {
  const notGranted: Synthesis['notGranted'] = [];
  const kept = grants.filter((g) => {
    if (minBuilds === undefined || minBuilds <= 1 || g.facts.some((f) => f.origin === 'inferred')) return true;
    if (g.builds.size >= minBuilds) return true;
    notGranted.push({
      action: g.action,
      resource: g.pattern,
      builds: g.builds.size,
      observed: [...new Set(g.facts.map((f) => f.resource))].sort(),
      reason: `seen in ${g.builds.size} build(s), fewer than --min-builds ${minBuilds}`,
    });
    return false;
  });
  return orphanedCompanions(kept, notGranted, minBuilds);
}

/**
 * An implied companion (never in the trail) is needed only with a call that implies it. Its own build count can
 * pass --min-builds when several calls' companions merge on one resource ("*"), so it is kept only while a kept
 * grant of an implying action shares one of its builds.
 */
function orphanedCompanions(grants: Grant[], notGranted: Synthesis['notGranted'], minBuilds: number | undefined): { kept: Grant[]; notGranted: Synthesis['notGranted'] } {
  if (minBuilds === undefined || minBuilds <= 1) return { kept: grants, notGranted };
  const kept = grants.filter((g) => {
    if (!g.facts.every((f) => f.origin === 'implied')) return true;
    const parents = new Set(implyingActions(g.action));
    if (grants.some((p) => parents.has(p.action) && !p.facts.every((f) => f.origin === 'implied') && [...p.builds].some((b) => g.builds.has(b)))) return true;
    notGranted.push({
      action: g.action,
      resource: g.pattern,
      builds: g.builds.size,
      observed: [...new Set(g.facts.map((f) => f.resource))].sort(),
      reason: `implied only by calls left out by --min-builds ${minBuilds}`,
    });
    return false;
  });
  return { kept, notGranted };
}

/** One action's resources under one condition (step 3), before they are minimized and shared. */
interface ActionResources {
  action: string;
  condition?: ConditionBlock;
  resources: string[];
  facts: Fact[];
}

/**
 * 3. Per (action, condition): the resource list, with the resources the reference's companions add
 * (`derived`, e.g. log-group:X:*).
 */
function resourcesPerAction(kept: Grant[]): { perAction: ActionResources[]; derived: Set<string> } {
  const derived = new Set<string>();
  const perAction = new Map<string, ActionResources>();
  for (const g of kept) {
    const condition = conditionOf(g.facts);
    const key = `${g.action}\u0000${JSON.stringify(condition ?? null)}`;
    const e = perAction.get(key) ?? { action: g.action, condition, resources: [], facts: [] };
    const pats = [g.pattern];
    for (const ga of grantAlso) if (ga.regex.test(g.pattern)) for (const s of ga.suffixes) pats.push(`${g.pattern}${s}`);
    for (const p of pats.slice(1)) derived.add(p);
    e.resources.push(...pats);
    e.facts.push(...g.facts);
    perAction.set(key, e);
  }
  return { perAction: [...perAction.values()], derived };
}

/** 4. Actions with the same (minimal) resources and condition share a statement; statements are ordered and named stably. */
function shareStatements(perAction: ActionResources[]): StatementEvidence[] {
  const groups = new Map<string, { actions: string[]; resources: string[]; condition?: ConditionBlock; facts: Fact[]; kind: 'scoped' | 'wildcard' | 'unknown' }>();
  for (const e of perAction) {
    const resources = e.resources.includes('*') ? ['*'] : minimizePatterns(e.resources);
    const kind = resources[0] === '*' ? (isWildcardOnly(e.action) ? 'wildcard' : 'unknown') : 'scoped';
    const key = `${kind}\u0000${resources.join('\u0001')}\u0000${JSON.stringify(e.condition ?? null)}`;
    const g = groups.get(key) ?? { actions: [], resources, condition: e.condition, facts: [], kind };
    g.actions.push(e.action);
    g.facts.push(...e.facts);
    groups.set(key, g);
  }
  const ordered = [...groups.values()]
    .map((g) => ({ ...g, actions: [...new Set(g.actions)].sort() }))
    .map((g) => {
      const service = g.actions[0].split(':')[0];
      const fallback = g.kind === 'wildcard' ? WILDCARD_ONLY_SID : g.kind === 'unknown' ? UNKNOWN_RESOURCE_SID : 'AllowMixedServices';
      const base = statementSid({ actions: g.actions, resources: g.resources, condition: g.condition, levels: g.actions.map(accessLevel), kind: g.kind }, fallback);
      const rank = g.kind === 'scoped' ? 0 : g.kind === 'unknown' ? 1 : 2;
      return { ...g, base, sortKey: `${rank}\u0000${service}\u0000${base}\u0000${g.resources.join(',')}\u0000${g.actions.join(',')}` };
    })
    .sort((a, b) => cmp(a.sortKey, b.sortKey));
  const sids = uniqueSids(ordered.map((g) => g.base));
  return ordered.map((g, i) => ({
    sid: sids[i],
    actions: g.actions,
    resources: g.resources,
    ...(g.condition ? { condition: g.condition } : {}),
    facts: byActionAndResource(g.facts),
  }));
}

function policyStatement(s: StatementEvidence): PolicyStatement {
  return {
    Sid: s.sid,
    Effect: 'Allow',
    Action: s.actions,
    Resource: s.resources,
    ...(s.condition ? { Condition: s.condition } : {}),
  };
}
