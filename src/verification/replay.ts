// Proof: every request the role was seen making successfully, and every need implied or inferred, is
// replayed against the identity policies, the boundary and any SCPs with the project's evaluator, in the
// request context AWS would have evaluated (./request-context.ts). Needs with the same action, resource,
// region and request values decide alike, so each distinct one is evaluated once and weighted by its events.
import { parseArn } from '../iam/arn.js';
import type { AuthRequest, Evidence, Fact, PolicyDocument } from '../model.js';
import { addSample } from '../sample-ids.js';
import { ownerLookup } from '../synthesis/data-perimeter.js';
import { isAccountless } from '../translation/resource-owner.js';
import { addResourceConditions } from '../synthesis/resource-conditions.js';
import { evaluate, explainDecision, type Decision } from './evaluator/index.js';
import { buildVariants, policyReads, safeValue, timeThresholds, type LabelledDocument, type Need, type NeedKind } from './request-context.js';

export interface DeniedRequest {
  action: string;
  resource: string;
  region: string;
  kind: NeedKind;
  /** The values of the keys the policies read, as the denied variant had them (unsafe values withheld). */
  context: Record<string, string>;
  events: number;
  sampleEventIds: string[];
  why: string;
}

export interface UndecidedRequest extends DeniedRequest {
  /** Keys the records cannot tell and that decide the request; give them with --assume. */
  keys: string[];
}

export interface ReplayReport {
  /** Distinct requests evaluated (observed, inferred and implied). */
  requests: number;
  /** Events they stand for. */
  events: number;
  /** Distinct requests per kind. */
  byKind: Record<NeedKind, number>;
  /** Observed, inferred and granted implied requests that would be denied. */
  denied: DeniedRequest[];
  /** Implied needs that generate listed without granting them (--no-infer) and that would be denied. */
  impliedDenied: DeniedRequest[];
  /** Requests whose decision depends on keys the records cannot tell. */
  undecided: UndecidedRequest[];
  /** The union of those keys, canonical spelling, sorted. */
  undecidedKeys: string[];
}

export interface ReplayOptions {
  boundary?: PolicyDocument;
  /** Service control policies: Deny-only guardrails. */
  scp?: PolicyDocument[];
  /** Values for keys the records cannot tell (--assume); never override a value a record shows. */
  assume?: Record<string, string[]>;
  /** Needs inferred from project configuration. */
  inferred?: Fact[];
  /** Replay ev.unobserved (implied needs) too. Default true. */
  implied?: boolean;
  /** Only the observed facts, as generate's self-check has always replayed them. */
  observedOnly?: boolean;
}

/** A concrete resource for a pattern: log values were escaped; our own wildcards stand for unknown parts. */
export function requestResource(pattern: string): string {
  if (pattern === '*') return '*';
  return pattern.replace(/\$\{([*?$])\}|\*|\?/g, (m, lit: string | undefined) => (lit !== undefined ? lit : m === '*' ? '' : 'X'));
}

const minIso = (a: string, b: string): string => (a === '' ? b : b === '' ? a : a < b ? a : b);
const maxIso = (a: string, b: string): string => (a > b ? a : b);
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/** The distinct needs: facts that differ only in outcome, origin or derivation are one request. */
export function distinctNeeds(ev: Evidence, opts: ReplayOptions = {}): Need[] {
  const byKey = new Map<string, Need>();
  const add = (n: Omit<Need, 'seen' | 'more'> & { seen?: readonly string[]; more?: boolean }): void => {
    const ctx = Object.keys(n.context).sort().map((k) => `${k}=${n.context[k]}`).join('&');
    const key = `${n.action}\u0000${n.resource}\u0000${n.region}\u0000${ctx}`;
    const had = byKey.get(key);
    if (!had) {
      byKey.set(key, { ...n, seen: new Set(n.seen ?? []), more: n.more === true, sampleEventIds: [...n.sampleEventIds] });
      return;
    }
    had.events += n.events;
    for (const s of n.sampleEventIds) addSample(had.sampleEventIds, s);
    for (const e of n.seen ?? []) had.seen.add(e);
    had.more ||= n.more === true;
    had.firstSeen = minIso(had.firstSeen, n.firstSeen);
    had.lastSeen = maxIso(had.lastSeen, n.lastSeen);
    // Observed evidence outranks inferred, which outranks implied.
    const rank: Record<NeedKind, number> = { observed: 0, inferred: 1, implied: 2 };
    if (rank[n.kind] < rank[had.kind]) had.kind = n.kind;
    // A need that is granted anywhere must be allowed: listed-only is kept only while every source is.
    if (!n.listedOnly) had.listedOnly = undefined;
  };
  // A request carries the conditions its resource implies (an ENI's subnet) though its record does not.
  const facts = addResourceConditions(opts.observedOnly ? ev.facts.filter((f) => f.origin !== 'inferred') : [...ev.facts, ...(opts.inferred ?? [])]).facts;
  // The owner of a resource whose ARN names none (an S3 bucket), as a record's resources[] named it: the
  // boundary's data perimeter reads it as aws:ResourceAccount, also where the facts carry no record context.
  const ownerOf = ownerLookup(ev.facts);
  let first = '';
  let last = '';
  for (const f of ev.facts) {
    first = minIso(first, f.firstSeen);
    last = maxIso(last, f.lastSeen);
  }
  for (const f of facts) {
    // Calls that were denied, or never passed authorization, are not needs.
    if (f.outcome === 'denied' || f.outcome === 'unproven') continue;
    if (f.origin === 'implied' && opts.implied === false) continue;
    // Companions granted as implied (PutLogEvents after CreateLogStream) are facts too, never seen in a record.
    const kind: NeedKind = f.origin === 'inferred' ? 'inferred' : f.origin === 'implied' ? 'implied' : 'observed';
    const regions = f.regions.length ? f.regions : kind === 'inferred' ? regionsFor(f.resource, ev.regions) : [''];
    // The owners this fact's records named, else every owner the trail shows for its bucket: the request was
    // made to one of them, so it must be allowed in each.
    const owners = f.resourceAccounts?.length && isAccountless(f.resource) ? f.resourceAccounts : ownerOf(f.resource);
    for (const region of regions) for (const owner of owners.length ? owners : [undefined]) {
      add({
        action: f.action,
        resource: requestResource(f.resource),
        region,
        context: withOwner(f.context, owner),
        kind,
        events: f.count,
        sampleEventIds: f.sampleEventIds,
        firstSeen: f.firstSeen || first,
        lastSeen: f.lastSeen || last,
        seen: f.seen?.entries,
        more: f.seen?.more === true,
        recordless: f.seen === undefined,
      });
    }
  }
  if (!opts.observedOnly && opts.implied !== false) {
    for (const u of ev.unobserved) {
      for (const region of regionsFor(u.resource, ev.regions)) {
        add({ action: u.action, resource: requestResource(u.resource), region, context: {}, kind: 'implied', events: u.count, sampleEventIds: [], firstSeen: first, lastSeen: last, recordless: true, listedOnly: true });
      }
    }
  }
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

function withOwner(context: Record<string, string>, owner: string | undefined): Record<string, string> {
  return owner && context['aws:ResourceAccount'] === undefined ? { ...context, 'aws:ResourceAccount': owner } : context;
}

/** A need without records of its own runs in the region its ARN names, else in each region the role used. */
function regionsFor(resource: string, regions: string[]): string[] {
  const region = parseArn(resource)?.region;
  if (region !== undefined && REGION.test(region)) return [region];
  return regions.length ? regions : [''];
}

function contextShown(request: AuthRequest, reads: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const lower = new Map(Object.entries(request.context).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [k, name] of reads) {
    const v = lower.get(k);
    if (v === undefined) continue;
    out[name] = safeValue(Array.isArray(v) ? v.join(',') : v);
  }
  return out;
}

/** "undecided: the records cannot tell aws:PrincipalOrgID (Deny identity document 0 statement 4 reads aws:PrincipalOrgID)". */
function undecidedWhy(d: Decision, reads: ReadonlyMap<string, string>): string {
  const name = (k: string): string => reads.get(k) ?? k;
  const u = d.undecided!;
  const which = u.statements.map(
    (p) => `${p.effect} ${p.policy} document ${p.document} statement ${p.statement}${p.sid !== undefined ? ` (Sid "${safeValue(p.sid)}")` : ''} reads ${p.keys.map(name).join(', ')}`,
  );
  return `undecided: the records cannot tell ${u.keys.map(name).join(', ')} (${which.join('; ')})`;
}

/** Replays the evidence; the third argument is the boundary alone (as before) or the options. */
export function replay(ev: Evidence, identity: PolicyDocument[], boundaryOrOptions?: PolicyDocument | ReplayOptions): ReplayReport {
  const opts: ReplayOptions = boundaryOrOptions && 'Statement' in boundaryOrOptions ? { boundary: boundaryOrOptions } : (boundaryOrOptions ?? {});
  const policies = { identity, boundary: opts.boundary ? [opts.boundary] : undefined, scp: opts.scp };
  // Compiled (and validated) up front, with the names the evaluator gives them in messages.
  const docs: LabelledDocument[] = [
    ...identity.map((doc, k) => ({ doc, where: `identity document ${k}` })),
    ...(opts.boundary ? [{ doc: opts.boundary, where: 'boundary document 0' }] : []),
    ...(opts.scp ?? []).map((doc, k) => ({ doc, where: `scp document ${k}` })),
  ];
  const reads = policyReads(docs);
  const thresholds = timeThresholds(docs);
  const needs = distinctNeeds(ev, opts);
  const principals = new Set(ev.facts.flatMap((f) => (f.seen?.entries ?? []).filter((e) => e.startsWith('principal\u0000'))));
  const report: ReplayReport = { requests: needs.length, events: 0, byKind: { observed: 0, inferred: 0, implied: 0 }, denied: [], impliedDenied: [], undecided: [], undecidedKeys: [] };
  const allKeys = new Set<string>();
  for (const need of needs) {
    report.events += need.events;
    report.byKind[need.kind]++;
    const variants = buildVariants(need, reads, thresholds, principals, opts.assume ?? {});
    let denied: { request: AuthRequest; d: Decision } | undefined;
    let undecided: { request: AuthRequest; d: Decision; keys: Set<string> } | undefined;
    for (const request of variants.requests) {
      const d = evaluate(request, policies);
      if (d.undecided) {
        undecided ??= { request, d, keys: new Set() };
        for (const k of d.undecided.keys) undecided.keys.add(reads.get(k) ?? k);
      } else if (d.decision !== 'Allow') {
        denied = { request, d };
        break;
      }
    }
    if (!denied && !undecided && variants.tooMany) {
      undecided = { request: variants.requests[0], d: evaluate(variants.requests[0], policies), keys: new Set(variants.tooMany) };
    }
    const base = { action: need.action, resource: need.resource, region: need.region, kind: need.kind, events: need.events, sampleEventIds: need.sampleEventIds };
    if (denied) {
      const entry: DeniedRequest = { ...base, context: contextShown(denied.request, reads), why: explainDecision(denied.d) };
      (need.listedOnly ? report.impliedDenied : report.denied).push(entry);
    } else if (undecided) {
      const keys = [...undecided.keys].sort();
      const why = variants.tooMany && !undecided.d.undecided ? `undecided: more distinct values of ${keys.join(', ')} than verify replays` : undecidedWhy(undecided.d, reads);
      const entry = { ...base, context: contextShown(undecided.request, reads), why, keys };
      // Implied needs that generate listed without granting: undecided ones are reported, not failed.
      if (need.listedOnly) report.impliedDenied.push(entry);
      else {
        for (const k of keys) allKeys.add(k);
        report.undecided.push(entry);
      }
    }
  }
  const order = (a: DeniedRequest, b: DeniedRequest): number => {
    const x = `${a.action} ${a.resource} ${a.region}`;
    const y = `${b.action} ${b.resource} ${b.region}`;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  report.denied.sort(order);
  report.impliedDenied.sort(order);
  report.undecided.sort(order);
  report.undecidedKeys = [...allKeys].sort();
  return report;
}
