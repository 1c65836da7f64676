// Folds translated records into facts: one per (action, resource, origin, outcome, context), with counts,
// builds, times, regions and sample event IDs. Memory grows with distinct facts, not with records. Two
// aggregates merge exactly (reader workers each keep one), and the result does not depend on record order.
import { partitionOf } from '../iam/arn.js';
import type { Evidence, Fact, ReadStats, Translation, WeightedRecord } from '../model.js';
import { addSample } from '../sample-ids.js';
import { isAccountId, isRegionName } from './arn-template.js';
import { addSeen, mergeSeen, newSeen, recordEntries, seenOf, serviceEntry, type SeenAcc } from '../verification/seen.js';
import { isAccountless, ownerOf } from './resource-owner.js';

interface FactAcc {
  fact: Omit<Fact, 'builds' | 'regions' | 'accounts' | 'sampleEventIds'>;
  builds: Set<string>;
  regions: Set<string>;
  accounts: Set<string>;
  /** Owners of an account-less resource, as resources[] names them (see resource-owner.ts). */
  owners: Set<string>;
  samples: string[];
  /** The condition-key values the records showed, for verify (../verification/seen.ts), when collected. */
  seen?: SeenAcc;
}

export interface AggregateState {
  facts: Map<string, FactAcc>;
  unobserved: Map<string, { action: string; resource: string; reason: string; count: number }>;
  untranslatable: Map<string, { eventSource: string; eventName: string; reason: string; count: number; samples: string[] }>;
  ignored: Map<string, { eventSource: string; eventName: string; reason: string; count: number }>;
  refused: Map<string, { value: string; eventName: string; count: number }>;
  builds: Set<string>;
  /** Per build: the first and last event time and the number of events (the report's timeline). */
  buildSpans: Map<string, BuildSpan>;
  accounts: Set<string>;
  regions: Set<string>;
  partitions: Set<string>;
  /** Whether facts keep the condition-key values of their records (for verify; costs time and memory). */
  context: boolean;
  /** Session issuer ARNs of the records taken as the role's: more than one means --role was ambiguous. */
  roles: Set<string>;
}

export interface BuildSpan {
  firstSeen: string;
  lastSeen: string;
  events: number;
}

export function newAggregate(options: { context?: boolean } = {}): AggregateState {
  return {
    context: options.context === true,
    facts: new Map(),
    unobserved: new Map(),
    untranslatable: new Map(),
    ignored: new Map(),
    refused: new Map(),
    builds: new Set(),
    buildSpans: new Map(),
    accounts: new Set(),
    regions: new Set(),
    partitions: new Set(),
    roles: new Set(),
  };
}

const CODEBUILD_SESSION = /\/AWSCodeBuild-([0-9a-fA-F-]{36})$/;

/** The build's UUID from the CodeBuild session name (assumed-role/<role>/AWSCodeBuild-<uuid>), if any. */
export function buildOf(userArn: unknown): string | undefined {
  return typeof userArn === 'string' ? CODEBUILD_SESSION.exec(userArn)?.[1]?.toLowerCase() : undefined;
}

const minIso = (a: string, b: string): string => (a === '' ? b : b === '' ? a : a < b ? a : b);
const maxIso = (a: string, b: string): string => (a > b ? a : b);

export function addTranslation(agg: AggregateState, w: WeightedRecord, t: Translation): void {
  const r = w.record;
  const issuer = r.userIdentity?.sessionContext?.sessionIssuer?.arn;
  if (typeof issuer === 'string') agg.roles.add(issuer);
  const source = typeof r.eventSource === 'string' ? r.eventSource : '';
  const name = typeof r.eventName === 'string' ? r.eventName : '';
  if (t.kind === 'ignored') {
    const k = `${source}\u0000${name}\u0000${t.reason}`;
    const e = agg.ignored.get(k) ?? { eventSource: source, eventName: name, reason: t.reason, count: 0 };
    e.count += w.count;
    agg.ignored.set(k, e);
    return;
  }
  if (t.kind === 'untranslatable') {
    const k = `${source}\u0000${name}\u0000${t.reason}`;
    const e = agg.untranslatable.get(k) ?? { eventSource: source, eventName: name, reason: t.reason, count: 0, samples: [] };
    e.count += w.count;
    if (typeof r.eventID === 'string') addSample(e.samples, r.eventID);
    agg.untranslatable.set(k, e);
    return;
  }
  const build = buildOf(r.userIdentity?.arn);
  // Regions and accounts feed the boundary's region list and the trust policy's ArnLike: log values that are
  // not a region or an account ID (a "*", say) must not reach them.
  const region = isRegionName(r.awsRegion) ? r.awsRegion : '';
  const account = isAccountId(r.recipientAccountId) ? r.recipientAccountId : isAccountId(r.userIdentity?.accountId) ? r.userIdentity.accountId : '';
  if (build) {
    agg.builds.add(build);
    addSpan(agg.buildSpans, build, { firstSeen: w.firstSeen, lastSeen: w.lastSeen, events: w.count });
  }
  if (region) agg.regions.add(region);
  if (account) agg.accounts.add(account);
  const partition = partitionOf(String(r.userIdentity?.arn ?? ''));
  if (partition) agg.partitions.add(partition);
  const seenEntries = agg.context && t.permissions.length > 0 ? recordEntries(r) : undefined;
  for (const p of t.permissions) {
    const ctx = p.context ?? {};
    const ctxKey = Object.keys(ctx).sort().map((k) => `${k}=${ctx[k]}`).join('&');
    const k = `${p.action}\u0000${p.resource}\u0000${p.origin}\u0000${t.outcome}${t.error ? `/${t.error}` : ''}\u0000${ctxKey}`;
    let acc = agg.facts.get(k);
    if (!acc) {
      acc = {
        fact: {
          action: p.action,
          resource: p.resource,
          resourceKnown: p.resourceKnown,
          origin: p.origin,
          context: ctx,
          outcome: t.outcome,
          ...(t.error ? { error: t.error } : {}),
          count: 0,
          firstSeen: '',
          lastSeen: '',
          ...(p.because ? { because: p.because } : {}),
        },
        builds: new Set(),
        regions: new Set(),
        accounts: new Set(),
        owners: new Set(),
        samples: [],
        ...(seenEntries ? { seen: newSeen() } : {}),
      };
      agg.facts.set(k, acc);
    }
    acc.fact.count += w.count;
    acc.fact.firstSeen = minIso(acc.fact.firstSeen, w.firstSeen);
    acc.fact.lastSeen = maxIso(acc.fact.lastSeen, w.lastSeen);
    if (build) acc.builds.add(build);
    if (region) acc.regions.add(region);
    if (account) acc.accounts.add(account);
    if (isAccountless(p.resource)) {
      const owner = ownerOf(p.resource, r.resources);
      if (owner) acc.owners.add(owner);
    }
    if (typeof r.eventID === 'string') addSample(acc.samples, r.eventID);
    if (seenEntries) addSeen((acc.seen ??= newSeen()), seenEntries, serviceEntry(p.action, r));
  }
  for (const u of t.unobserved) {
    const k = `${u.action}\u0000${u.resource}\u0000${u.reason}`;
    const e = agg.unobserved.get(k) ?? { ...u, count: 0 };
    e.count += w.count;
    agg.unobserved.set(k, e);
  }
  for (const value of t.refused) {
    const k = `${value}\u0000${name}`;
    const e = agg.refused.get(k) ?? { value, eventName: name, count: 0 };
    e.count += w.count;
    agg.refused.set(k, e);
  }
}

function addSpan(spans: Map<string, BuildSpan>, build: string, span: BuildSpan): void {
  const s = spans.get(build);
  if (!s) spans.set(build, { ...span });
  else {
    s.firstSeen = minIso(s.firstSeen, span.firstSeen);
    s.lastSeen = maxIso(s.lastSeen, span.lastSeen);
    s.events += span.events;
  }
}

/** Merges `from` into `into` (both may come from different workers). */
export function mergeAggregates(into: AggregateState, from: AggregateState): void {
  for (const [k, a] of from.facts) {
    const b = into.facts.get(k);
    if (!b) {
      into.facts.set(k, a);
      continue;
    }
    b.fact.count += a.fact.count;
    b.fact.firstSeen = minIso(b.fact.firstSeen, a.fact.firstSeen);
    b.fact.lastSeen = maxIso(b.fact.lastSeen, a.fact.lastSeen);
    for (const x of a.builds) b.builds.add(x);
    for (const x of a.regions) b.regions.add(x);
    for (const x of a.accounts) b.accounts.add(x);
    for (const x of a.owners) b.owners.add(x);
    for (const s of a.samples) addSample(b.samples, s);
    if (a.seen) mergeSeen((b.seen ??= newSeen()), a.seen);
  }
  const mergeCounts = <T extends { count: number }>(dst: Map<string, T>, src: Map<string, T>): void => {
    for (const [k, v] of src) {
      const d = dst.get(k);
      if (d) d.count += v.count;
      else dst.set(k, v);
    }
  };
  mergeCounts(into.unobserved, from.unobserved);
  mergeCounts(into.ignored, from.ignored);
  mergeCounts(into.refused, from.refused);
  for (const [k, v] of from.untranslatable) {
    const d = into.untranslatable.get(k);
    if (!d) into.untranslatable.set(k, v);
    else {
      d.count += v.count;
      for (const s of v.samples) addSample(d.samples, s);
    }
  }
  for (const s of ['builds', 'accounts', 'regions', 'partitions', 'roles'] as const) for (const x of from[s]) into[s].add(x);
  into.context ||= from.context;
  for (const [b, span] of from.buildSpans) addSpan(into.buildSpans, b, span);
}

const sorted = <T>(xs: Iterable<T>): T[] => [...xs].sort();
// Keys are unique, so sorting them alone gives the order; then one lookup each.
const byKey = <T>(m: Map<string, T>): T[] => [...m.keys()].sort().map((k) => m.get(k) as T);

/** The aggregate as the sorted, plain Evidence value that synthesis and rendering take. */
export function toEvidence(agg: AggregateState, role: string, window: Evidence['window'], read: ReadStats, warnings: string[]): Evidence {
  return {
    role,
    window,
    facts: byKey(agg.facts).map((a) => ({
      ...a.fact,
      builds: sorted(a.builds),
      regions: sorted(a.regions),
      accounts: sorted(a.accounts),
      ...(a.owners.size ? { resourceAccounts: sorted(a.owners) } : {}),
      sampleEventIds: [...a.samples],
      ...(a.seen ? { seen: seenOf(a.seen) } : {}),
    })),
    unobserved: byKey(agg.unobserved),
    untranslatable: byKey(agg.untranslatable).map((u) => ({
      eventSource: u.eventSource,
      eventName: u.eventName,
      reason: u.reason,
      count: u.count,
      sampleEventIds: [...u.samples],
    })),
    ignored: byKey(agg.ignored),
    refused: byKey(agg.refused),
    builds: sorted(agg.builds),
    buildSpans: sorted(agg.buildSpans.keys()).map((build) => ({ build, ...(agg.buildSpans.get(build) as BuildSpan) })),
    accounts: sorted(agg.accounts),
    regions: sorted(agg.regions),
    partition: sorted(agg.partitions)[0] ?? 'aws',
    roles: sorted(agg.roles),
    read,
    warnings,
  };
}

