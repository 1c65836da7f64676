// Per-build identifiers -> wildcards, and nothing else. A wildcard is a claim: the token it replaces is a value
// each build makes for itself, so the next build will use another one. The claim needs three things: the token
// sits where builds leave such values (resource-slots.ts: object keys, log stream names, report IDs, ...), it
// has an identifier's shape (identifiers.ts), and the trail shows it is per-build: it is the build's own ID,
// or it differs between builds at the same place, or it is a value that is per-build elsewhere in the same
// build (a commit SHA in several keys). Names of resources are never generalized. Every generalization keeps
// the builds and tokens that justify it, for evidence.json and report.md.
import { resourceCovers } from '../iam/glob.js';
import { identifierSpans, timestampMillis, type IdentifierKind } from './identifiers.js';
import { perBuildSlots } from './resource-slots.js';

export interface Justification {
  build: string;
  token: string;
  /** "the build's ID", "differs between builds" or "per-build elsewhere in the build". */
  reason: string;
}

export interface Generalization {
  from: string[];
  to: string;
  why: string;
  because: Justification[];
}

/** One observed use of a resource: the action, the ARN and the builds that used it. */
export interface ObservedUse {
  action: string;
  resource: string;
  builds: string[];
  /** ISO times of the first and last call, when known: they bound the build's own run. */
  firstSeen?: string;
  lastSeen?: string;
}

// A build's own time: from an hour before its first recorded call (queueing and provisioning come first)
// to its last one.
const BUILD_LEAD_MS = 60 * 60 * 1000;

interface Token {
  start: number;
  end: number;
  kind: IdentifierKind;
  value: string;
  where: string;
}

const REASON_ID = "the build's ID";
const REASON_DIFFERS = 'differs between builds';
const REASON_ELSEWHERE = 'per-build elsewhere in the build';
const REASON_TIME = "a time during the build's own run";

function collapseStars(s: string): string {
  return s.replace(/\*{2,}/g, '*');
}

/** A pattern written by us or escaped from a log: never generalized again. */
const hasWildcard = (r: string): boolean => /(^|[^{])[*?]/.test(r);

/** The identifier-shaped tokens of `resource` that sit in a per-build slot of `action`'s resource types. */
export function slotTokens(action: string, resource: string): Token[] {
  if (!resource.startsWith('arn:') || hasWildcard(resource)) return [];
  const out: Token[] = [];
  for (const slot of perBuildSlots(action, resource)) {
    for (const x of identifierSpans(resource.slice(slot.start, slot.end))) {
      out.push({ start: slot.start + x.start, end: slot.start + x.end, kind: x.kind, value: x.value, where: slot.where });
    }
  }
  return out;
}

function replaceTokens(resource: string, tokens: Token[]): string {
  let s = resource;
  for (const t of [...tokens].sort((a, b) => b.start - a.start)) s = `${s.slice(0, t.start)}*${s.slice(t.end)}`;
  return collapseStars(s);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Maps each observed use to the pattern to grant (`${action}\u0000${resource}` -> pattern; absent = exact)
 * and lists the generalizations with their justification.
 */
export function generalizeUses(uses: ObservedUse[]): { patterns: Map<string, string>; generalizations: Generalization[] } {
  // Builds per resource, over every action: a resource two builds used holds no per-build value.
  const buildsOf = new Map<string, Set<string>>();
  for (const u of uses) {
    const set = buildsOf.get(u.resource) ?? new Set<string>();
    for (const b of u.builds) set.add(b.toLowerCase());
    buildsOf.set(u.resource, set);
  }
  const parsed: Array<{ u: ObservedUse; tokens: Token[] }> = [];
  const occurs = new Map<string, Set<string>>();
  for (const u of uses) {
    const tokens = slotTokens(u.action, u.resource);
    if (tokens.length === 0) continue;
    parsed.push({ u, tokens });
    for (const t of tokens) {
      const set = occurs.get(t.value) ?? new Set<string>();
      for (const b of buildsOf.get(u.resource) ?? []) set.add(b);
      occurs.set(t.value, set);
    }
  }
  const soleBuild = (resource: string): string | undefined => {
    const b = buildsOf.get(resource);
    return b && b.size === 1 ? [...b][0] : undefined;
  };
  // Each build's run, from the calls only it made.
  const runs = new Map<string, { from: number; to: number }>();
  for (const u of uses) {
    const build = u.builds.length === 1 ? u.builds[0].toLowerCase() : undefined;
    const from = Date.parse(u.firstSeen ?? '');
    const to = Date.parse(u.lastSeen ?? '');
    if (build === undefined || Number.isNaN(from) || Number.isNaN(to)) continue;
    const r = runs.get(build);
    runs.set(build, r ? { from: Math.min(r.from, from), to: Math.max(r.to, to) } : { from, to });
  }
  const duringRun = (build: string, token: string): boolean => {
    const t = timestampMillis(token);
    const r = runs.get(build);
    return t !== undefined && r !== undefined && t >= r.from - BUILD_LEAD_MS && t <= r.to;
  };
  // Tokens proven per-build, per build: token -> reason. A token seen in more than one build is never one.
  const perBuild = new Map<string, Map<string, string>>();
  const prove = (build: string, token: string, reason: string): void => {
    if ((occurs.get(token)?.size ?? 0) !== 1) return;
    const m = perBuild.get(build) ?? new Map<string, string>();
    if (!m.has(token) || reason === REASON_ID) m.set(token, reason);
    perBuild.set(build, m);
  };
  // Same place, different value in each build: the resources that are equal but for one token.
  const places = new Map<string, Map<string, string>>();
  const provedAt = new Map<string, Set<string>>();
  for (const { u, tokens } of parsed) {
    const build = soleBuild(u.resource);
    for (const t of tokens) {
      if (build !== undefined && t.kind === 'uuid' && t.value.toLowerCase() === build) prove(build, t.value, REASON_ID);
      if (build !== undefined && t.kind === 'timestamp' && duringRun(build, t.value)) prove(build, t.value, REASON_TIME);
      const place = `${u.resource.slice(0, t.start)}\u0000${u.resource.slice(t.end)}`;
      const m = places.get(place) ?? new Map<string, string>();
      m.set(u.resource, t.value);
      places.set(place, m);
    }
  }
  for (const members of places.values()) {
    if (members.size < 2) continue;
    const builds = [...members.keys()].map(soleBuild);
    if (builds.some((b) => b === undefined) || new Set(builds).size < 2) continue;
    // A value that another build also used anywhere makes the place not per-build.
    if ([...members.values()].some((token) => (occurs.get(token)?.size ?? 0) !== 1)) continue;
    [...members.entries()].forEach(([resource, token], k) => {
      prove(builds[k] as string, token, REASON_DIFFERS);
      const at = provedAt.get(token) ?? new Set<string>();
      provedAt.set(token, at.add(resource));
    });
  }
  // Every slot token of a one-build resource that is per-build in that build becomes a wildcard.
  const patterns = new Map<string, string>();
  const byTo = new Map<string, { from: Set<string>; because: Map<string, Justification>; whys: Set<string> }>();
  for (const { u, tokens } of parsed) {
    const build = soleBuild(u.resource);
    const proven = build === undefined ? undefined : perBuild.get(build);
    if (!proven) continue;
    // A number proven per-build at one place says nothing about the same digits at another ("1" in art/1/ and
    // in vault/1): only a distinctive token (a SHA, a UUID, a timestamp) is per-build wherever the build used it.
    const elsewhere = (t: Token): boolean => proven.get(t.value) === REASON_DIFFERS && !provedAt.get(t.value)?.has(u.resource);
    const hits = tokens.filter((t) => proven.has(t.value) && !(t.kind === 'number' && elsewhere(t)));
    if (hits.length === 0) continue;
    const to = replaceTokens(u.resource, hits);
    patterns.set(`${u.action}\u0000${u.resource}`, to);
    const g = byTo.get(to) ?? { from: new Set<string>(), because: new Map<string, Justification>(), whys: new Set<string>() };
    g.from.add(u.resource);
    for (const t of hits) {
      const proof = proven.get(t.value) as string;
      const reason = proof === REASON_DIFFERS && !provedAt.get(t.value)?.has(u.resource) ? REASON_ELSEWHERE : proof;
      g.because.set(`${build}\u0000${t.value}`, { build: build as string, token: t.value, reason });
      g.whys.add(`${t.kind} in ${t.where}`);
    }
    byTo.set(to, g);
  }
  const generalizations = [...byTo.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([to, g]) => {
      const because = [...g.because.values()].sort((a, b) => cmp(`${a.build}\u0000${a.token}`, `${b.build}\u0000${b.token}`));
      const builds = new Set(because.map((j) => j.build)).size;
      const reasons = [...new Set(because.map((j) => j.reason))].sort();
      return { from: [...g.from].sort(), to, why: `per-build identifier (${[...g.whys].sort().join('; ')}): ${reasons.join(', ')}; ${builds} build(s)`, because };
    });
  return { patterns, generalizations };
}

/** A resource with its build IDs (in per-build slots) generalized: for listings such as the unlogged needs. */
export function generalizeBuildIds(action: string, resource: string, buildIds: ReadonlySet<string>): string {
  const hits = slotTokens(action, resource).filter((t) => t.kind === 'uuid' && buildIds.has(t.value.toLowerCase()));
  return hits.length ? replaceTokens(resource, hits) : resource;
}

/** Drops patterns that another pattern of the list already covers (of two that cover each other, the first stays). */
export function minimizePatterns(patterns: string[]): string[] {
  const uniq = [...new Set(patterns)].sort();
  // Only a pattern with a wildcard can cover another: compare against those, not every pair.
  const wild = uniq.filter((q) => /[*?]/.test(q.replace(/\$\{[*?$]\}/g, '')));
  return uniq.filter((p) => !wild.some((q) => q !== p && resourceCovers(q, p) && !(q > p && resourceCovers(p, q))));
}
