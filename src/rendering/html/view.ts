// What report.html shows, as plain data: built from the same evidence and synthesis as report.md, so the
// page and the markdown cannot disagree. Rendering (render.ts) only formats this.
import type { Evidence, Fact, PolicyDocument } from '../../model.js';
import type { Synthesis } from '../../synthesis/synthesize.js';
import type { ReportExtras } from '../report.js';
import type { StatusClass } from './escape.js';

export interface GridCell {
  action: string;
  /** Every status that applies, most important first: the first one colours the cell. */
  statuses: StatusClass[];
  events: number;
  builds: number;
  denied: number;
  failed: number;
  resources: number;
}

export interface HtmlView {
  role: string;
  window: string;
  summary: Array<[string, string]>;
  actionNeeded: Array<{ title: string; items: string[] }>;
  grid: Array<{ service: string; cells: GridCell[] }>;
  timeline: {
    builds: Array<{ build: string; firstSeen: string; lastSeen: string; events: number; services: string[] }>;
    /** Builds left out of the timeline to keep the page small. */
    omitted: number;
    services: string[];
  };
  /** One row per granted pattern and reason, with a sample of the observed values behind it. */
  generalized: Array<{ to: string; from: string[]; more: number; why: string }>;
  /** Rows left out to keep the page small. */
  generalizedOmitted: number;
  policy: Array<{ sid: string; effect: string; actions: string[]; resources: string[]; condition?: string }>;
  boundary: Array<{ sid: string; effect: string; actions: string[]; resources: string[]; condition?: string }>;
  trust: Array<{ principal: string; actions: string[]; condition?: string }>;
}

/** Bounds that keep the page small whatever the trail's size (evidence.json keeps the full detail). */
export const LIMITS = { builds: 200, generalizedValues: 5, generalizations: 200, listItems: 50, statementValues: 40 };

const serviceOf = (action: string): string => action.slice(0, action.indexOf(':'));
const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function statements(doc: PolicyDocument): HtmlView['policy'] {
  return doc.Statement.map((s, i) => ({
    sid: s.Sid ?? `Statement${i + 1}`,
    effect: s.Effect,
    actions: s.Action !== undefined ? asList(s.Action) : asList(s.NotAction).map((a) => `NOT ${a}`),
    resources: s.Resource !== undefined ? asList(s.Resource) : asList(s.NotResource).map((r) => `NOT ${r}`),
    ...(s.Condition ? { condition: JSON.stringify(s.Condition) } : {}),
  }));
}

function capped(items: string[]): string[] {
  return items.length > LIMITS.listItems ? [...items.slice(0, LIMITS.listItems), `… and ${items.length - LIMITS.listItems} more (see evidence.json)`] : items;
}

// The same items as report.md's "Action needed", in the same order, so the page and the markdown agree.
function actionNeeded(ev: Evidence, syn: Synthesis, extras: ReportExtras, warnings: string[]): HtmlView['actionNeeded'] {
  const sections: HtmlView['actionNeeded'] = [];
  const add = (title: string, items: string[]): void => {
    if (items.length) sections.push({ title, items: capped(items) });
  };
  add('Denied calls (never granted)', syn.denied.map((f) => `${f.action} on ${f.resource}: ${f.count} event(s)`));
  add('Calls not proven (rejected before authorization; never granted)', syn.unproven.map((f) => `${f.action} on ${f.resource}: ${f.error ?? 'error'}, ${f.count} event(s)`));
  add('Seen but not granted', syn.notGranted.map((n) => `${n.action} on ${n.resource}: ${n.reason}`));
  // Needs CloudTrail cannot show are action only while no project configuration granted them.
  const projectConfig = extras.choices?.projectConfig ?? syn.statements.some((s) => s.facts.some((f) => f.origin === 'inferred'));
  if (!projectConfig) add('Needs CloudTrail cannot show, not granted (pass --project-file or --project)', ev.unobserved.map((u) => `${u.action} on ${u.resource}: ${u.reason}`));
  if (extras.verification?.undecided) add('Undecided checks', [`verification could not decide ${extras.verification.undecided} request(s); see codebuild-iam verify`]);
  if (extras.verification && extras.verification.denied > 0) {
    add('Verification', [`${extras.verification.denied} of ${extras.verification.requests} replayed request(s) denied by the generated documents`]);
  }
  add('Warnings', warnings);
  if (extras.choices?.resources === 'exact') add('--resources exact', ['per-build resources are granted one by one as observed, so the next build (with new IDs) will be denied']);
  add('Broader than the evidence (written because of --allow-broad)', extras.choices?.allowBroad ?? extras.broad ?? []);
  add('Resources the trail did not name (granted as narrowly as the event allows)', syn.unknownResource.map((f) => `${f.action} on ${f.resource}`));
  add('Unusual values refused', ev.refused.map((r) => `${r.value} in ${r.eventName} (${r.count} event(s))`));
  return sections;
}

function cellOf(action: string, facts: Fact[], unobservable: boolean, granted: boolean, removed: boolean): GridCell {
  const builds = new Set<string>();
  const resources = new Set<string>();
  let events = 0;
  let denied = 0;
  let failed = 0;
  const origins = new Set<string>();
  for (const f of facts) {
    for (const b of f.builds) builds.add(b);
    resources.add(f.resource);
    if (f.outcome === 'denied') denied += f.count;
    else if (f.outcome === 'failed') failed += f.count;
    else if (f.outcome === 'allowed') events += f.count;
    origins.add(f.origin);
  }
  const statuses: StatusClass[] = [];
  if (removed) statuses.push('removed');
  if (granted) statuses.push(origins.has('observed') || origins.has('derived') ? 'granted' : origins.has('implied') ? 'implied' : origins.has('inferred') ? 'inferred' : 'granted');
  if (!granted && facts.some((f) => f.outcome === 'allowed' || f.outcome === 'failed')) statuses.push('not-granted');
  if (facts.some((f) => f.outcome === 'unproven')) statuses.push('not-proven');
  if (denied) statuses.push('denied');
  if (failed) statuses.push('failed');
  if (unobservable) statuses.push('unobservable');
  return { action, statuses, events, builds: builds.size, denied, failed, resources: resources.size };
}

function generalizations(gs: Synthesis['generalized']): Pick<HtmlView, 'generalized' | 'generalizedOmitted'> {
  const rows = new Map<string, { to: string; why: string; from: Set<string> }>();
  for (const g of gs) {
    const key = `${g.to}\u0000${g.why}`;
    const row = rows.get(key) ?? { to: g.to, why: g.why, from: new Set<string>() };
    for (const f of g.from) row.from.add(f);
    rows.set(key, row);
  }
  const all = [...rows.keys()].sort().map((k) => rows.get(k) as { to: string; why: string; from: Set<string> });
  return {
    generalized: all.slice(0, LIMITS.generalizations).map((r) => {
      const from = [...r.from].sort();
      return { to: r.to, why: r.why, from: from.slice(0, LIMITS.generalizedValues), more: Math.max(0, from.length - LIMITS.generalizedValues) };
    }),
    generalizedOmitted: Math.max(0, all.length - LIMITS.generalizations),
  };
}

export interface HtmlViewInput {
  evidence: Evidence;
  synthesis: Synthesis;
  extras: ReportExtras;
  boundary: PolicyDocument;
  trust: PolicyDocument;
  /** Actions the role has today that the new policy drops (from `diff`), when known. */
  removed?: string[];
}

export function buildHtmlView(input: HtmlViewInput): HtmlView {
  const { evidence: ev, synthesis: syn, extras, boundary, trust } = input;
  const warnings = [...ev.warnings, ...extras.boundaryWarnings, ...extras.trustWarnings];
  const granted = new Set(syn.statements.flatMap((s) => s.actions));
  const unobservable = new Set(ev.unobserved.map((u) => u.action));
  const removed = new Set(input.removed ?? []);
  const byAction = new Map<string, Fact[]>();
  for (const f of ev.facts) byAction.set(f.action, [...(byAction.get(f.action) ?? []), f]);
  const actions = [...new Set([...byAction.keys(), ...granted, ...unobservable, ...removed])].sort();
  const grid = new Map<string, GridCell[]>();
  for (const a of actions) {
    const cell = cellOf(a, byAction.get(a) ?? [], unobservable.has(a), granted.has(a), removed.has(a));
    grid.set(serviceOf(a), [...(grid.get(serviceOf(a)) ?? []), cell]);
  }
  // Which services each build used: from the facts' build lists (an action counts for every build it names).
  const servicesOfBuild = new Map<string, Set<string>>();
  for (const f of ev.facts) {
    for (const b of f.builds) {
      const set = servicesOfBuild.get(b) ?? new Set<string>();
      set.add(serviceOf(f.action));
      servicesOfBuild.set(b, set);
    }
  }
  const spans = [...(ev.buildSpans ?? [])].sort((a, b) => (a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : a.build < b.build ? -1 : 1));
  const shown = spans.slice(0, LIMITS.builds);
  const timelineServices = [...new Set(shown.flatMap((s) => [...(servicesOfBuild.get(s.build) ?? [])]))].sort();
  const window = ev.window.since || ev.window.until ? `${ev.window.since ?? 'the start'} to ${ev.window.until ?? 'the end'}` : 'all events';
  return {
    role: ev.role,
    window,
    summary: [
      ['Builds seen', String(ev.builds.length)],
      ['Accounts', ev.accounts.join(', ') || 'none'],
      ['Regions', ev.regions.join(', ') || 'none'],
      ['Records read', `${ev.read.records} (${ev.read.matched} of the role in the window)`],
      ['Policy', `${syn.statements.length} statement(s), ${granted.size} action(s), ${syn.policies.length} document(s)`],
      ...(extras.verification ? ([['Verification', `${extras.verification.requests} request(s) replayed, ${extras.verification.denied} denied`]] as Array<[string, string]>) : []),
    ],
    actionNeeded: actionNeeded(ev, syn, extras, warnings),
    grid: [...grid.keys()].sort().map((service) => ({ service, cells: grid.get(service) as GridCell[] })),
    timeline: {
      builds: shown.map((s) => ({ ...s, services: [...(servicesOfBuild.get(s.build) ?? [])].sort() })),
      omitted: spans.length - shown.length,
      services: timelineServices,
    },
    ...generalizations(syn.generalized),
    policy: syn.policies.flatMap(statements),
    boundary: statements(boundary),
    trust: trust.Statement.map((s) => ({
      principal: JSON.stringify(s.Principal ?? {}),
      actions: asList(s.Action),
      ...(s.Condition ? { condition: JSON.stringify(s.Condition) } : {}),
    })),
  };
}
