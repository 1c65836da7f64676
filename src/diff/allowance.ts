// "What a document set allows": for every action, the grants under which it is allowed, after the
// boundary caps the identity policies and Deny statements take their share.
import type { PolicyDocument, PolicyStatement, StringOrList } from '../model.js';
import { expandActions, type ActionUniverse } from './action-universe.js';
import { conditionEntries, conditionsImply, conditionText, sortEntries, type ConditionEntry } from './conditions.js';
import { resourceCovers, resourcesMayOverlap } from '../iam/glob.js';
import { resourceMatches } from '../verification/evaluator/index.js';

export interface NamedDocument {
  name: string;
  document: PolicyDocument;
}

/** The documents that decide what a role may do. */
export interface DocumentSet {
  identity: NamedDocument[];
  boundary?: NamedDocument;
  trust?: PolicyDocument;
}

/** A Deny with conditions: it removes the grant only when its conditions hold, so it stays attached. */
export interface ConditionalDeny {
  /** The deny's content (conditions and resources), so the same Deny in two documents compares equal. */
  key: string;
  resources: string[];
  notResources: string[];
  /** The statement it came from, for the report. */
  from: string;
}

/** One way an action is allowed. */
export interface Grant {
  /** Patterns the resource must all match (the identity's and the boundary's); ["*"] for any resource. */
  resources: string[];
  /** Patterns the resource must not match (NotResource, or an unconditional Deny). */
  except: string[];
  /** All must hold. */
  conditions: ConditionEntry[];
  unlessDenied: ConditionalDeny[];
  /** Statements it came from, e.g. "policy.json#0". */
  from: string[];
}

export type Allowance = Map<string, Grant[]>;

const list = (v: StringOrList | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const uniqSorted = (xs: string[]): string[] => [...new Set(xs)].sort();

/** Keeps the narrowest patterns of an intersection; undefined when two of them cannot overlap. */
function intersectPatterns(patterns: string[]): string[] | undefined {
  const uniq = uniqSorted(patterns);
  const kept = uniq.filter((p, i) => !uniq.some((q, j) => j !== i && resourceCovers(p, q) && !(resourceCovers(q, p) && j > i)));
  for (let i = 0; i < kept.length; i++) for (let j = i + 1; j < kept.length; j++) if (!resourcesMayOverlap(kept[i], kept[j])) return undefined;
  return kept.length > 1 ? kept.filter((p) => p !== '*') : kept;
}

function finish(g: Grant): Grant | undefined {
  const resources = intersectPatterns(g.resources);
  if (!resources) return undefined;
  // An excluded pattern that covers a required one leaves nothing.
  if (g.except.some((e) => resources.some((r) => resourceCovers(e, r)))) return undefined;
  // Exclusions that cannot touch the resources say nothing.
  const except = uniqSorted(g.except).filter((e) => resources.every((r) => resourcesMayOverlap(r, e)));
  const seen = new Set<string>();
  const unlessDenied = g.unlessDenied
    .filter((d) => !seen.has(d.key) && seen.add(d.key))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  return { resources, except, conditions: sortEntries(g.conditions), unlessDenied, from: uniqSorted(g.from) };
}

function statementActions(universe: ActionUniverse, st: PolicyStatement): Set<string> {
  if (st.NotAction !== undefined) return expandActions(universe, list(st.NotAction), true);
  return expandActions(universe, list(st.Action), false);
}

/** The grants one Allow statement gives each of its actions. A statement without Resource counts as "*". */
function statementGrants(st: PolicyStatement, from: string): Grant[] {
  const conditions = conditionEntries(st.Condition);
  if (st.NotResource !== undefined) return [{ resources: ['*'], except: list(st.NotResource), conditions, unlessDenied: [], from: [from] }];
  const resources = st.Resource === undefined ? ['*'] : list(st.Resource);
  return resources.map((r) => ({ resources: [r], except: [], conditions, unlessDenied: [], from: [from] }));
}

/** A statement with where it came from and the actions it names. */
interface Source {
  st: PolicyStatement;
  from: string;
  actions: Set<string>;
}

function sources(universe: ActionUniverse, docs: NamedDocument[], effect: 'Allow' | 'Deny'): Source[] {
  const out: Source[] = [];
  for (const { name, document } of docs) {
    document.Statement.forEach((st, i) => {
      if (st.Effect === effect) out.push({ st, from: `${name}#${st.Sid ? st.Sid : i}`, actions: statementActions(universe, st) });
    });
  }
  return out;
}

function applyDeny(g: Grant, st: PolicyStatement, from: string): Grant[] {
  const conditional = st.Condition !== undefined && Object.keys(st.Condition).length > 0;
  const denied = st.NotResource === undefined ? (st.Resource === undefined ? ['*'] : list(st.Resource)) : undefined;
  if (conditional) {
    const touches = denied === undefined || denied.some((d) => g.resources.every((r) => resourcesMayOverlap(r, d)));
    if (!touches) return [g];
    const resources = uniqSorted(denied ?? []);
    const notResources = denied ? [] : uniqSorted(list(st.NotResource));
    const when = conditionEntries(st.Condition).map(conditionText).join(' and ');
    const where = resources.length ? resources.join(', ') : `all but ${notResources.join(', ')}`;
    const key = `${when} on ${where}`;
    return [{ ...g, unlessDenied: [...g.unlessDenied, { key, resources, notResources, from }] }];
  }
  if (denied) {
    if (denied.some((d) => g.resources.some((r) => resourceCovers(d, r)))) return [];
    return [{ ...g, except: [...g.except, ...denied] }];
  }
  // Deny everything except NotResource: what survives lies inside one of those patterns.
  return list(st.NotResource).map((keep) => ({ ...g, resources: [...g.resources, keep] }));
}

/** The grants that a given combination of identity Allow, boundary Allow and Deny statements leaves. */
function grantsFor(allows: Source[], caps: Source[] | undefined, denies: Source[]): Grant[] {
  let grants = allows.flatMap((a) => statementGrants(a.st, a.from));
  if (caps) {
    const capGrants = caps.flatMap((c) => statementGrants(c.st, c.from));
    grants = grants.flatMap((g) =>
      capGrants.map((b) => ({
        resources: [...g.resources, ...b.resources],
        except: [...g.except, ...b.except],
        conditions: [...g.conditions, ...b.conditions],
        unlessDenied: [],
        from: [...g.from, ...b.from],
      })),
    );
  }
  grants = grants.map(finish).filter((g): g is Grant => g !== undefined);
  for (const d of denies) grants = grants.flatMap((g) => applyDeny(g, d.st, d.from)).map(finish).filter((g): g is Grant => g !== undefined);
  return simplify(grants);
}

/**
 * Per action, the grants under which `set` allows it: identity Allow, capped by the boundary's Allow when
 * there is a boundary, minus every Deny of either. Actions with no grant are absent. Actions named by the
 * same statements share one (read-only) grant list, computed once: `*` is 22,000 actions but one list.
 */
export function computeAllowance(universe: ActionUniverse, set: DocumentSet): Allowance {
  const allows = sources(universe, set.identity, 'Allow');
  const caps = set.boundary ? sources(universe, [set.boundary], 'Allow') : undefined;
  const denies = sources(universe, [...set.identity, ...(set.boundary ? [set.boundary] : [])], 'Deny');
  // Which statements name each action, as index lists (built by walking each statement's actions once).
  const index = (list: Source[]): Map<string, number[]> => {
    const out = new Map<string, number[]>();
    list.forEach((src, i) => {
      for (const action of src.actions) {
        const have = out.get(action);
        if (have) have.push(i);
        else out.set(action, [i]);
      }
    });
    return out;
  };
  const allowIndex = index(allows);
  const capIndex = caps ? index(caps) : undefined;
  const denyIndex = index(denies);
  const memo = new Map<string, Grant[]>();
  const effective: Allowance = new Map();
  for (const action of [...allowIndex.keys()].sort()) {
    const a = allowIndex.get(action)!;
    const c = capIndex?.get(action);
    if (capIndex && !c) continue;
    const d = denyIndex.get(action) ?? [];
    const key = `${a.join(',')}|${c ? c.join(',') : '-'}|${d.join(',')}`;
    let grants = memo.get(key);
    if (!grants) {
      grants = grantsFor(
        a.map((i) => allows[i]),
        c?.map((i) => caps![i]),
        d.map((i) => denies[i]),
      );
      memo.set(key, grants);
    }
    if (grants.length) effective.set(action, grants);
  }
  return effective;
}

/** Drops grants that another grant of the same action already covers, and duplicates. */
function simplify(grants: Grant[]): Grant[] {
  const sorted = [...grants].sort((a, b) => (grantText(a) < grantText(b) ? -1 : grantText(a) > grantText(b) ? 1 : 0));
  const kept: Grant[] = [];
  sorted.forEach((g, i) => {
    const coveredBy = sorted.findIndex((o, j) => j !== i && grantCovers(o, g) && !(grantCovers(g, o) && j > i));
    if (coveredBy === -1) kept.push(g);
    else {
      // Keep the provenance of the merged duplicate.
      const winner = sorted[coveredBy];
      if (grantCovers(g, winner)) winner.from = uniqSorted([...winner.from, ...g.from]);
    }
  });
  return kept;
}

/** Whether grant `outer` allows every request that grant `inner` allows (sound, not complete). */
export function grantCovers(outer: Grant, inner: Grant): boolean {
  if (!outer.resources.every((o) => inner.resources.some((i) => resourceCovers(o, i)))) return false;
  const excluded = (e: string): boolean =>
    inner.except.some((x) => resourceCovers(x, e)) || inner.resources.some((r) => !resourcesMayOverlap(r, e));
  if (!outer.except.every(excluded)) return false;
  if (!conditionsImply(inner.conditions, outer.conditions)) return false;
  const innerDenies = new Set(inner.unlessDenied.map((d) => d.key));
  return outer.unlessDenied.every(
    (d) =>
      innerDenies.has(d.key) ||
      (d.resources.length > 0 && d.resources.every((r) => inner.resources.some((i) => !resourcesMayOverlap(i, r)))),
  );
}

export function grantsCover(outer: Grant[], inner: Grant): boolean {
  return outer.some((o) => grantCovers(o, inner));
}

/** Whether a grant may allow one concrete resource (conditions aside; without a request context, policy variables never match). */
export function grantAllowsResource(g: Grant, resource: string): boolean {
  return g.resources.every((r) => resourceMatches(r, resource)) && !g.except.some((e) => resourceMatches(e, resource));
}

/** A one-line description: `arn:...:bucket/* except arn:.../secret/* if StringEquals aws:SourceAccount 1`. */
export function grantText(g: Grant): string {
  let s = g.resources.join(' ∩ ');
  if (g.except.length) s += ` except ${g.except.join(', ')}`;
  if (g.conditions.length) s += ` if ${g.conditions.map(conditionText).join(' and ')}`;
  if (g.unlessDenied.length) s += ` unless denied (${g.unlessDenied.map((d) => d.key).join('; ')})`;
  return s;
}
