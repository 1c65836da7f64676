// The request contexts a need is replayed in. Only the keys the policies read matter; for each, the table in
// ./context-keys.ts says where its value comes from. Keys that vary between a need's events (the session,
// the source address, the time) give several variants: one per distinct combination of what the records
// showed, and one per stretch of time between the policies' own dates. A key no record can tell is listed
// in the request's `unknownKeys`, so that the evaluator says "undecided" instead of reading it as absent.
import { parseArn } from '../iam/arn.js';
import type { AuthRequest, PolicyDocument } from '../model.js';
import { compilePolicy, type CompiledPolicy } from './evaluator/statement.js';
import { globMatches } from '../iam/glob.js';
import { GLOBAL_KEYS, type ContextKeyRow } from './context-keys.js';
import { decodeEntry, serviceRows, type SeenGroup } from './seen.js';
import { lookupAction } from '../translation/iam-reference.js';

/** How a need is known: seen in CloudTrail, inferred from project configuration, or implied by a call. */
export type NeedKind = 'observed' | 'inferred' | 'implied';

export interface Need {
  action: string;
  resource: string;
  region: string;
  /** Condition values the translation put on the fact (kms:ViaService, ec2:AuthorizedService). */
  context: Record<string, string>;
  kind: NeedKind;
  events: number;
  sampleEventIds: string[];
  firstSeen: string;
  lastSeen: string;
  /** Encoded group values its records showed (./seen.ts). */
  seen: Set<string>;
  /** More distinct values were seen than kept. */
  more: boolean;
  /** No record of its own (inferred and implied needs): the record keys come from elsewhere or are unknown. */
  recordless: boolean;
  /** An implied need that generate listed without granting it (--no-infer): a denial is reported, not failed. */
  listedOnly?: boolean;
}

/** At most this many variants per need; beyond it the keys that vary are reported undecided. */
export const MAX_VARIANTS = 2048;

const UNKNOWN = Symbol('unknown');
type Projected = string | string[] | null | typeof UNKNOWN;

/** A labelled document, compiled with the label the evaluator uses in its messages. */
export interface LabelledDocument {
  doc: PolicyDocument;
  where: string;
}

function globalRow(lowerKey: string): ContextKeyRow | undefined {
  return GLOBAL_KEYS.find((r) => (r.key.includes('*') ? globMatches(r.key, lowerKey, true) : r.key.toLowerCase() === lowerKey));
}

/** Every context key the documents read (conditions and policy variables): lower-cased -> a readable spelling. */
export function policyReads(docs: readonly LabelledDocument[]): Map<string, string> {
  const out = new Map<string, string>();
  const name = (lower: string, spelled?: string): string => {
    const row = globalRow(lower);
    return row && !row.key.includes('*') ? row.key : (spelled ?? lower);
  };
  for (const { doc, where } of docs) {
    const policy: CompiledPolicy = compilePolicy(doc, { where });
    for (const s of policy.statements) {
      for (const c of s.conditions) {
        if (!out.has(c.lowerKey)) out.set(c.lowerKey, name(c.lowerKey, c.key));
        for (const k of c.reads) if (!out.has(k)) out.set(k, name(k));
      }
      for (const k of s.resourceReads) if (!out.has(k)) out.set(k, name(k));
    }
  }
  return out;
}

const TIME_KEYS = new Set(['aws:currenttime', 'aws:epochtime']);

/** The instants (ms) the documents compare aws:CurrentTime or aws:EpochTime with. */
export function timeThresholds(docs: readonly LabelledDocument[]): number[] {
  const out = new Set<number>();
  for (const { doc, where } of docs) {
    for (const s of compilePolicy(doc, { where }).statements) {
      for (const c of s.conditions) {
        if (!TIME_KEYS.has(c.lowerKey)) continue;
        for (const v of c.values) {
          if (v.kind !== 'number' || v.value === undefined) continue;
          out.add(c.op.base.kind === 'numeric' ? v.value * 1000 : v.value);
        }
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** Instants to replay a need at: its first and last event, and either side of every threshold between them. */
function timeCandidates(first: string, last: string, thresholds: readonly number[]): number[] | undefined {
  const a = Date.parse(first);
  const b = Date.parse(last);
  if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
  const out = new Set<number>([a, b]);
  for (const t of thresholds) {
    // Event times have whole seconds: one second either side stands for the stretch beyond the threshold.
    for (const x of [t - 1000, t, t + 1000]) if (x > a && x < b) out.add(Math.floor(x / 1000) * 1000);
  }
  return [...out].sort((x, y) => x - y);
}

const referenceKeys = new Map<string, string[]>();

/** The condition keys the IAM reference lists for an action, as lower-cased patterns (`${TagKey}` -> `*`). */
function actionKeys(action: string): string[] {
  let keys = referenceKeys.get(action);
  if (keys === undefined) {
    const colon = action.indexOf(':');
    const ref = lookupAction(action.slice(0, colon), action.slice(colon + 1));
    keys = (ref?.conditionKeys ?? []).map((k) => k.replace(/\$\{[^}]*\}/g, '*').toLowerCase());
    referenceKeys.set(action, keys);
  }
  return keys;
}

const listedFor = (action: string, lowerKey: string): boolean => actionKeys(action).some((p) => globMatches(p, lowerKey));

type Where = { kind: 'known' } | { kind: 'absent' } | { kind: 'unknown' } | { kind: 'group'; group: string } | { kind: 'time' };

/** Where one read key's value comes from, for one need. */
function locate(lowerKey: string, need: Need): Where {
  const row = globalRow(lowerKey);
  if (row) {
    switch (row.source) {
      case 'record':
        return { kind: 'group', group: row.group! };
      case 'request':
        if (TIME_KEYS.has(lowerKey)) return { kind: 'time' };
        return { kind: 'unknown' };
      case 'constant':
        return { kind: 'known' };
      case 'absent':
        return { kind: 'absent' };
      case 'unknown':
        return { kind: 'unknown' };
      case 'action':
        return listedFor(need.action, lowerKey) ? { kind: 'unknown' } : { kind: 'absent' };
    }
  }
  // A global key this version has no row for: the record cannot be said to tell it.
  if (lowerKey.startsWith('aws:')) return { kind: 'unknown' };
  if (serviceRows(need.action).some((r) => globMatches(r.key, lowerKey, true))) return { kind: 'group', group: 'service' };
  if (listedFor(need.action, lowerKey) || /:resourcetag\//.test(lowerKey)) return { kind: 'unknown' };
  // A service key the reference does not list for this action is not in its request context.
  return { kind: 'absent' };
}

function lookup(values: Record<string, string | string[] | null>, lowerKey: string): string | string[] | null | undefined {
  for (const k in values) if (k.toLowerCase() === lowerKey) return values[k];
  return undefined;
}

function project(g: SeenGroup, keys: readonly string[]): Projected[] {
  return keys.map((k) => {
    if (g.group === 'service') {
      if ((g.unknown ?? []).some((p) => globMatches(p, k, true))) return UNKNOWN;
      return lookup(g.values, k) ?? null;
    }
    const v = lookup(g.values, k);
    return v === undefined ? UNKNOWN : v;
  });
}

/** Values the output may show: printable, without quotes or markup characters, not too long. */
export function safeValue(v: string): string {
  return /^[\x20-\x7e]{0,200}$/.test(v) && !/[<>`"'\\|]/.test(v) ? v : '(value withheld)';
}

export interface Variants {
  requests: AuthRequest[];
  /** Keys whose combinations exceeded MAX_VARIANTS (undecided), if any. */
  tooMany?: string[];
}

/**
 * The requests to replay for one need. `principals` are the principal entries of all records, for needs
 * without records of their own (they run as the same role); `assume` gives keys the records cannot tell.
 */
export function buildVariants(
  need: Need,
  reads: ReadonlyMap<string, string>,
  thresholds: readonly number[],
  principals: ReadonlySet<string>,
  assume: Readonly<Record<string, string[]>>,
): Variants {
  const base: Record<string, string | string[]> = { ...need.context, 'aws:SecureTransport': 'true', 'aws:PrincipalIsAWSService': 'false' };
  if (need.region) base['aws:RequestedRegion'] = need.region;
  const account = parseArn(need.resource)?.account;
  if (account && /^\d{12}$/.test(account)) base['aws:ResourceAccount'] = account;
  const present = new Set(Object.keys(base).map((k) => k.toLowerCase()));
  const assumed = new Map(Object.entries(assume).map(([k, v]) => [k.toLowerCase(), v.length === 1 ? v[0] : v]));

  const unknown: string[] = [];
  const groupKeys = new Map<string, string[]>();
  let timeRead = false;
  for (const k of reads.keys()) {
    if (present.has(k)) continue;
    const where = locate(k, need);
    if (where.kind === 'unknown') unknown.push(k);
    else if (where.kind === 'group') groupKeys.set(where.group, [...(groupKeys.get(where.group) ?? []), k]);
    else if (where.kind === 'time') timeRead = true;
  }

  // Per group: the distinct projections of what the records showed onto the keys the policies read.
  const decoded = [...need.seen].map(decodeEntry).filter((g): g is SeenGroup => g !== undefined);
  const principalGroups = need.recordless ? [...principals].map(decodeEntry).filter((g): g is SeenGroup => g !== undefined) : [];
  const dims: Array<{ keys: string[]; options: Projected[][] }> = [];
  for (const [group, keys] of groupKeys) {
    const source = group === 'principal' && need.recordless ? principalGroups : decoded.filter((g) => g.group === group);
    const options = new Map<string, Projected[]>();
    for (const g of source) {
      const p = project(g, keys);
      options.set(JSON.stringify(p.map((x) => (x === UNKNOWN ? '\u0000?' : x))), p);
    }
    // Without (all) the records' values, whatever was not kept is unknown.
    if (options.size === 0 || (need.more && !need.recordless) || (need.recordless && group !== 'principal')) {
      options.set('unknown', keys.map(() => UNKNOWN));
    }
    dims.push({ keys, options: [...options.keys()].sort().map((o) => options.get(o)!) });
  }
  const times = timeRead ? timeCandidates(need.firstSeen, need.lastSeen, thresholds) : undefined;
  if (timeRead && times === undefined) unknown.push('aws:currenttime', 'aws:epochtime');

  let total = times?.length ?? 1;
  for (const d of dims) total *= d.options.length;
  const out: Variants = { requests: [] };
  if (total > MAX_VARIANTS) out.tooMany = dims.filter((d) => d.options.length > 1).flatMap((d) => d.keys.map((k) => reads.get(k) ?? k));

  const fill = (context: Record<string, string | string[]>, unknownKeys: string[], key: string, v: Projected): void => {
    if (v === UNKNOWN) {
      const a = assumed.get(key);
      if (a !== undefined) context[key] = a;
      else unknownKeys.push(key);
    } else if (v !== null) context[key] = v;
  };
  const combo = (index: number): AuthRequest => {
    const context: Record<string, string | string[]> = { ...base };
    const unknownKeys: string[] = [];
    for (const k of unknown) fill(context, unknownKeys, k, UNKNOWN);
    let rest = index;
    for (const d of dims) {
      const option = d.options[rest % d.options.length];
      rest = Math.floor(rest / d.options.length);
      d.keys.forEach((k, i) => fill(context, unknownKeys, k, option[i]));
    }
    if (times) {
      const t = times[rest % times.length];
      context['aws:CurrentTime'] = new Date(t).toISOString().replace('.000Z', 'Z');
      context['aws:EpochTime'] = String(Math.floor(t / 1000));
    }
    const request: AuthRequest = { action: need.action, resource: need.resource, context };
    if (unknownKeys.length) request.unknownKeys = unknownKeys;
    return request;
  };
  for (let i = 0; i < Math.min(total, MAX_VARIANTS); i++) out.requests.push(combo(i));
  return out;
}

