// What the records of one fact said about the condition keys of its requests, kept with the fact so that
// `verify` can replay each request with the context AWS evaluated. Values are kept per group of keys that
// come from the same part of a record (principal, network, session, user agent, service keys), so that
// values that occurred together stay together: one entry per distinct group value, not per record.
import type { TrailRecord } from '../model.js';
import { globMatches } from '../iam/glob.js';
import { MAX_VALUE_LENGTH, recordGroups, SERVICE_KEYS, type GroupValues } from './context-keys.js';

/** Distinct entries kept per fact; beyond it the smallest are kept and `more` is set. */
export const SEEN_LIMIT = 4096;

/** One group's values as the replay reads them: filled keys, absent keys (null), and patterns it cannot tell. */
export interface SeenGroup {
  group: string;
  values: GroupValues;
  /** Key patterns the records could not tell (for service keys; for record groups a missing key is unknown). */
  unknown?: string[];
}

export interface SeenAcc {
  entries: Set<string>;
  more: boolean;
}

export const newSeen = (): SeenAcc => ({ entries: new Set(), more: false });

function stable(values: GroupValues): string {
  return JSON.stringify(Object.keys(values).sort().map((k) => [k, values[k]]));
}

const encode = (group: string, values: GroupValues, unknown?: string[]): string =>
  `${group}\u0000${stable(values)}${unknown && unknown.length ? `\u0000${JSON.stringify(unknown)}` : ''}`;

/** Decodes an entry; undefined for one this version did not write. */
export function decodeEntry(entry: string): SeenGroup | undefined {
  const [group, values, unknown] = entry.split('\u0000');
  try {
    const pairs = JSON.parse(values) as Array<[string, string | string[] | null]>;
    const out: SeenGroup = { group, values: Object.fromEntries(pairs) };
    if (unknown !== undefined) out.unknown = JSON.parse(unknown) as string[];
    return out;
  } catch {
    return undefined;
  }
}

// Records of one build share their principal, address, agent and session: the entries are cached by the raw
// fields they are read from, so that most records cost one string join and one lookup (and the Set that
// keeps them sees the same, already hashed, strings).
const entryCache = new Map<string, string[]>();
const ENTRY_CACHE_LIMIT = 20_000;
const SEP = '\u0001';

function rawKey(r: TrailRecord): string {
  const u = r.userIdentity;
  const sc = u?.sessionContext as Record<string, unknown> | undefined;
  const attrs = sc?.attributes as Record<string, unknown> | undefined;
  let resources = '';
  if (Array.isArray(r.resources)) for (const x of r.resources.slice(0, 256)) resources += `${x && typeof x === 'object' ? String(x.accountId) : ''},`;
  return [
    u?.type, u?.principalId, u?.arn, u?.accountId, u?.invokedBy, (u as Record<string, unknown> | undefined)?.userName,
    sc?.sessionIssuer && (sc.sessionIssuer as Record<string, unknown>).arn, sc?.sourceIdentity, sc && 'webIdFederationData' in sc,
    attrs !== undefined, attrs?.creationDate, r.sourceIPAddress, r.vpcEndpointId, r.userAgent, r.recipientAccountId, resources,
  ].map((v) => (typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : v === undefined ? '' : typeof v)).join(SEP);
}

/** The entries of a record's own keys (the same for every permission it needs). */
export function recordEntries(r: TrailRecord): string[] {
  const key = rawKey(r);
  let entries = entryCache.get(key);
  if (entries === undefined) {
    entries = Object.entries(recordGroups(r)).map(([group, values]) => encode(group, values));
    if (entryCache.size >= ENTRY_CACHE_LIMIT) entryCache.clear();
    entryCache.set(key, entries);
  }
  return entries;
}

/** The service-key rows that apply to an action. */
const rowsByAction = new Map<string, Array<(typeof SERVICE_KEYS)[number]>>();

export function serviceRows(action: string): Array<(typeof SERVICE_KEYS)[number]> {
  let rows = rowsByAction.get(action);
  if (rows === undefined) {
    rows = SERVICE_KEYS.filter((row) => row.actions.some((p) => globMatches(p, action, true)));
    rowsByAction.set(action, rows);
  }
  return rows;
}

/** The entry of the service keys that a record shows for one action, or undefined when none apply. */
export function serviceEntry(action: string, r: TrailRecord): string | undefined {
  const rows = serviceRows(action);
  if (rows.length === 0) return undefined;
  const values: GroupValues = {};
  const unknown: string[] = [];
  for (const row of rows) {
    const got = row.read(r);
    const oversized = got !== undefined && Object.values(got).some((v) => (typeof v === 'string' ? [v] : (v ?? [])).some((x) => x.length > MAX_VALUE_LENGTH));
    if (got === undefined || oversized) unknown.push(row.key);
    else Object.assign(values, got);
  }
  return encode('service', values, unknown);
}

function prune(acc: SeenAcc): void {
  const kept = [...acc.entries].sort().slice(0, SEEN_LIMIT);
  acc.entries = new Set(kept);
  acc.more = true;
}

export function addSeen(acc: SeenAcc, entries: readonly string[], extra?: string): void {
  for (const e of entries) acc.entries.add(e);
  if (extra !== undefined) acc.entries.add(extra);
  // Prune rarely: keeping the smallest entries makes the result independent of record order.
  if (acc.entries.size > 2 * SEEN_LIMIT) prune(acc);
}

export function mergeSeen(into: SeenAcc, from: SeenAcc): void {
  addSeen(into, [...from.entries]);
  into.more ||= from.more;
}

/** The accumulated entries as the fact's `seen`: sorted, at most SEEN_LIMIT. */
export function seenOf(acc: SeenAcc): { entries: string[]; more?: true } {
  const sorted = [...acc.entries].sort();
  const more = acc.more || sorted.length > SEEN_LIMIT;
  return more ? { entries: sorted.slice(0, SEEN_LIMIT), more: true } : { entries: sorted };
}
