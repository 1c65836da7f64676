// report.md: what a reviewer reads in a minute. First what needs action (not granted and why, denied calls,
// undecided checks, warnings, risky choices), then one row per action and granted pattern with its outcomes
// merged, then the details, folded. Every value from a trail or policy goes through the markdown escaper,
// so the report is safe to paste into a pull request; every list is cut with a count, so the report stays
// small whatever the trail (evidence.json keeps the full detail).
import type { Evidence, Fact, PolicyDocument } from '../model.js';
import { resourceCovers as covers } from '../iam/glob.js';
import { MANAGED_POLICY_LIMIT } from '../synthesis/size.js';
import type { StatementEvidence, Synthesis } from '../synthesis/synthesize.js';
import type { EvidenceExtras } from './evidence.js';
import { cutList, escapeText, inlineCode } from './markdown/escape.js';

/** What the user chose that changes what is granted, and what the safety gate let through. */
export interface ReportExtras extends EvidenceExtras {
  choices?: { resources: 'generalize' | 'exact'; minBuilds?: number; projectConfig: boolean; allowBroad?: string[] };
  verification?: EvidenceExtras['verification'] & { events?: number; undecided?: number };
}

/** Everything a section may read. */
export interface ReportContext {
  ev: Evidence;
  syn: Synthesis;
  extras: ReportExtras;
  boundary: PolicyDocument;
  trust: PolicyDocument;
}

/** A section renders its lines (without a trailing blank line), or none to be left out. */
export type ReportSection = (ctx: ReportContext) => string[];

/** Items shown of any list before it is cut with a count. */
const MAX_ITEMS = 10;
/** Rows of a statement shown before the rest are folded. */
const MAX_OPEN_ROWS = 8;
/** Rows of the grants table in all; past this, a count points at evidence.json. */
const MAX_ROWS = 160;
/** A value longer than this is cut in the report (evidence.json has it whole). */
const MAX_VALUE = 200;

const n = (x: number): string => x.toLocaleString('en-US');
const plural = (k: number, one: string, many = `${one}s`): string => `${n(k)} ${k === 1 ? one : many}`;

/** A value as a code span, cut when long: "arn:…" (2,048 characters). */
export function code(value: string): string {
  if (value.length <= MAX_VALUE) return inlineCode(value);
  return `${inlineCode(`${value.slice(0, MAX_VALUE)}…`)} (${n(value.length)} characters)`;
}

/** Prose from our own sentences with values from trails inside: escaped whole, cut when long. */
function prose(text: string): string {
  return escapeText(text.length <= MAX_VALUE * 2 ? text : `${text.slice(0, MAX_VALUE * 2)}…`);
}

/** A bulleted list cut at MAX_ITEMS, with a folded remainder count. */
function bullets(items: string[], what: string): string[] {
  const lines = items.slice(0, MAX_ITEMS).map((i) => `  - ${i}`);
  if (items.length > MAX_ITEMS) lines.push(`  - … and ${plural(items.length - MAX_ITEMS, what)} more in evidence.json`);
  return lines;
}

// ---- rows: one per action and granted pattern ----

export interface GrantRow {
  action: string;
  pattern: string;
  origins: string[];
  allowed: number;
  failed: number;
  denied: number;
  builds: number;
  resources: number;
  because?: string;
}

/** The statement's facts merged per (action, granted pattern), with the denied calls the pattern covers. */
export function grantRows(s: StatementEvidence, deniedByAction: Map<string, Fact[]>): GrantRow[] {
  const rows = new Map<string, { row: GrantRow; builds: Set<string>; resources: Set<string>; origins: Set<string> }>();
  for (const f of s.facts) {
    const pattern = s.resources.find((r) => r === f.resource) ?? s.resources.find((r) => r === '*' || covers(r, f.resource)) ?? f.resource;
    const key = `${f.action}\u0000${pattern}`;
    let e = rows.get(key);
    if (!e) {
      e = { row: { action: f.action, pattern, origins: [], allowed: 0, failed: 0, denied: 0, builds: 0, resources: 0 }, builds: new Set(), resources: new Set(), origins: new Set() };
      rows.set(key, e);
    }
    e.origins.add(f.origin);
    if (f.origin !== 'inferred') e.resources.add(f.resource);
    if (f.because && !e.row.because) e.row.because = f.because;
    if (f.outcome === 'failed') e.row.failed += f.count;
    else if (f.outcome === 'allowed') e.row.allowed += f.count;
    for (const b of f.builds) e.builds.add(b);
  }
  return [...rows.values()].map(({ row, builds, resources, origins }) => {
    row.builds = builds.size;
    row.resources = resources.size;
    row.origins = [...origins].sort();
    row.denied = (deniedByAction.get(row.action) ?? []).filter((d) => row.pattern === '*' || covers(row.pattern, d.resource)).reduce((k, d) => k + d.count, 0);
    return row;
  });
}

const ROW_HEAD = ['| Action | Granted on | Origin | Allowed | Failed after authorization | Denied | Builds | Resources seen |', '|---|---|---|---:|---:|---:|---:|---:|'];

const ORIGIN_ORDER = ['observed', 'derived', 'implied', 'inferred'];

function rowLine(r: GrantRow): string {
  const origin = [...r.origins].sort((a, b) => ORIGIN_ORDER.indexOf(a) - ORIGIN_ORDER.indexOf(b)).join(' + ');
  return `| ${code(r.action)} | ${code(r.pattern)} | ${origin} | ${n(r.allowed)} | ${n(r.failed)} | ${n(r.denied)} | ${n(r.builds)} | ${n(r.resources)} |`;
}

/** Why the statement's inferred and derived rows exist, each reason once. */
function reasons(rows: GrantRow[]): string[] {
  const why = [...new Set(rows.flatMap((r) => (r.because ? [r.because] : [])))];
  if (!why.length) return [];
  return ['', `Why not only observed: ${cutList(why, 3, prose, '; ')}.`];
}

// ---- sections ----

const header: ReportSection = ({ ev, syn, extras }) => {
  const actions = new Set(syn.statements.flatMap((s) => s.actions));
  const window = ev.window.since || ev.window.until ? `${ev.window.since ?? 'the start'} to ${ev.window.until ?? 'the end'}` : 'all events';
  const lines = [
    `# Least-privilege report for ${code(ev.role)}`,
    '',
    `- Policy: ${plural(syn.statements.length, 'statement')} granting ${plural(actions.size, 'action')}, in ${plural(syn.policies.length, 'document')} of ${syn.sizes.map(n).join(', ')} characters (managed-policy limit ${n(MANAGED_POLICY_LIMIT)})`,
    `- Evidence: ${plural(ev.read.matched, 'event')} of the role in ${plural(ev.builds.length, 'build')} (${escapeText(window)}); accounts ${ev.accounts.map(code).join(', ') || 'none'}; regions ${ev.regions.map(code).join(', ') || 'none'}`,
  ];
  const v = extras.verification;
  if (v) {
    const events = v.events !== undefined ? ` (${plural(v.events, 'event')})` : '';
    const undecided = v.undecided ? `, ${n(v.undecided)} undecided` : '';
    lines.push(`- Verification: ${plural(v.requests, 'distinct request')}${events} replayed against policy and boundary: ${n(v.denied)} denied${undecided}`);
  }
  return lines;
};

/** Whether needs CloudTrail cannot show were granted from the project's configuration. */
const usesProjectConfig = ({ extras, syn }: ReportContext): boolean =>
  extras.choices?.projectConfig ?? syn.statements.some((s) => s.facts.some((f) => f.origin === 'inferred'));

/** One kind of item under "Action needed": its line and its bullets, or none. */
type ActionItem = (ctx: ReportContext) => string[];

/** Calls that were not granted, with how many events they stand for. */
function callsNotGranted(facts: Fact[], title: string, why: string, detail: (f: Fact) => string): string[] {
  if (!facts.length) return [];
  const events = facts.reduce((k, f) => k + f.count, 0);
  return [`**${title}** (${plural(facts.length, 'call')}, ${plural(events, 'event')}): ${why}`, ...bullets(facts.map((f) => `${code(f.action)} on ${code(f.resource)}${detail(f)} (${plural(f.count, 'event')})`), 'call')];
}

const deniedCalls: ActionItem = ({ syn }) =>
  callsNotGranted(syn.denied, 'Denied calls, not granted', 'a build may probe and fall back; grant one only if the build needs it.', () => '');

const unprovenCalls: ActionItem = ({ syn }) =>
  callsNotGranted(
    syn.unproven,
    'Calls not proven, not granted',
    'they failed with an error raised before authorization (or one that says nothing about it), so they prove no need; see docs/translation.md.',
    (f) => `: ${code(f.error ?? 'error')}`,
  );

const seenNotGranted: ActionItem = ({ syn }) => {
  if (!syn.notGranted.length) return [];
  return [`**Seen but not granted** (${n(syn.notGranted.length)}):`, ...bullets(syn.notGranted.map((g) => `${code(g.action)} on ${code(g.resource)}: ${prose(g.reason)}`), 'permission')];
};

const unobservedNotGranted: ActionItem = (ctx) => {
  const { ev } = ctx;
  if (!ev.unobserved.length || usesProjectConfig(ctx)) return [];
  return [
    `**Needs CloudTrail cannot show, not granted** (${n(ev.unobserved.length)}): pass \`--project-file\` (the output of \`aws codebuild batch-get-projects\`) or \`--project\` to grant them.`,
    ...bullets(ev.unobserved.map((u) => `${code(u.action)} on ${code(u.resource)}: ${prose(u.reason)}`), 'need'),
  ];
};

const verificationProblems: ActionItem = ({ extras }) => {
  const v = extras.verification;
  return [
    ...(v?.undecided ? [`**Undecided checks**: verification could not decide ${plural(v.undecided, 'request')}; see \`codebuild-iam verify\`.`] : []),
    ...(v && v.denied > 0 ? [`**Verification denied ${plural(v.denied, 'observed request')}**: the policy would break the build.`] : []),
  ];
};

const warnings: ActionItem = ({ ev, extras }) => {
  const all = [...ev.warnings, ...extras.boundaryWarnings, ...extras.trustWarnings];
  return all.length ? [`**Warnings** (${n(all.length)}):`, ...bullets(all.map(prose), 'warning')] : [];
};

const exactResources: ActionItem = ({ extras }) =>
  extras.choices?.resources === 'exact' ? ['**`--resources exact`**: per-build resources are granted one by one as observed, so the next build (with new IDs) will be denied.'] : [];

// What the safety gate refused reaches a written report only with --allow-broad.
const allowedBroad: ActionItem = ({ extras }) => {
  const broad = extras.choices?.allowBroad ?? extras.broad ?? [];
  return broad.length ? ['**`--allow-broad`**: the policy is broader than the evidence (the safety gate refused these):', ...bullets(broad.map(prose), 'problem')] : [];
};

const unnamedResources: ActionItem = ({ syn }) => {
  if (!syn.unknownResource.length) return [];
  return [
    `**Resources the trail did not name** (${n(syn.unknownResource.length)}): granted as narrowly as the event allows; name them if you know them.`,
    ...bullets(syn.unknownResource.map((f) => `${code(f.action)} on ${code(f.resource)}`), 'permission'),
  ];
};

const refusedValues: ActionItem = ({ ev }) => {
  if (!ev.refused.length) return [];
  return [
    `**Unusual values refused** (${n(ev.refused.length)}): resource values that could have widened a grant were left out.`,
    ...bullets(ev.refused.map((r) => `${code(r.value)} in ${code(r.eventName)} (${plural(r.count, 'event')})`), 'value'),
  ];
};

/** The items of "Action needed", in order. */
const ACTION_ITEMS: ActionItem[] = [deniedCalls, unprovenCalls, seenNotGranted, unobservedNotGranted, verificationProblems, warnings, exactResources, allowedBroad, unnamedResources, refusedValues];

const actionNeeded: ReportSection = (ctx) => {
  const items = ACTION_ITEMS.flatMap((item) => item(ctx));
  const lines = ['## Action needed', ''];
  if (items.length === 0) lines.push('Nothing: every observed call is granted, none was denied, and there are no warnings.');
  else lines.push(...items.map((i) => (i.startsWith('  - ') ? i : `- ${i}`)));
  return lines;
};

const grants: ReportSection = ({ ev, syn }) => {
  const deniedByAction = new Map<string, Fact[]>();
  for (const f of ev.facts) if (f.outcome === 'denied') deniedByAction.set(f.action, [...(deniedByAction.get(f.action) ?? []), f]);
  const lines = [
    '## What is granted',
    '',
    'One row per action and granted resource pattern. Allowed and failed-after-authorization calls are what the grant rests on; denied calls it covers are counted, never the reason for it.',
  ];
  let shown = 0;
  let cut = 0;
  for (const s of syn.statements) {
    const rows = grantRows(s, deniedByAction);
    const room = Math.max(0, MAX_ROWS - shown);
    if (room === 0) {
      cut += rows.length;
      continue;
    }
    const condition = s.condition ? ` if ${code(JSON.stringify(s.condition))}` : '';
    lines.push('', `### ${escapeText(s.sid)}${condition}`, '', ...ROW_HEAD);
    const open = rows.slice(0, Math.min(MAX_OPEN_ROWS, room));
    lines.push(...open.map(rowLine));
    const folded = rows.slice(open.length, room);
    if (folded.length) lines.push('', `<details><summary>${plural(folded.length, 'more row')}</summary>`, '', ...ROW_HEAD, ...folded.map(rowLine), '', '</details>');
    lines.push(...reasons(rows));
    shown += open.length + folded.length;
    cut += rows.length - open.length - folded.length;
  }
  if (cut) lines.push('', `… and ${plural(cut, 'more row')}: evidence.json lists every statement, action and resource.`);
  return lines;
};

const generalized: ReportSection = ({ syn }) => {
  if (!syn.generalized.length) return [];
  // One row per granted pattern and reason, with the identifiers it stands for and the builds and tokens that
  // prove them per-build.
  const merged = new Map<string, { to: string; why: string; from: string[]; because: string[] }>();
  for (const g of syn.generalized) {
    const key = `${g.to}\u0000${g.why}`;
    const m = merged.get(key) ?? { to: g.to, why: g.why, from: [], because: [] };
    m.from.push(...g.from);
    m.because.push(...g.because.map((j) => `${code(j.build)}: ${code(j.token)} (${prose(j.reason)})`));
    merged.set(key, m);
  }
  const rows = [...merged.values()];
  const lines = [
    '## Generalized per-build identifiers',
    '',
    'A wildcard replaces only a per-build identifier (a UUID, timestamp, number, hash or random suffix in an object key, log stream, report ID or network interface) that the builds below show to be per-build. Names of resources are never generalized.',
    '',
    '| Granted | Observed | Justified by (build: token) | Why |',
    '|---|---|---|---|',
  ];
  for (const g of rows.slice(0, MAX_ITEMS)) {
    const from = [...new Set(g.from)].sort();
    const because = [...new Set(g.because)].sort();
    lines.push(`| ${code(g.to)} | ${cutList(from, 2, code, '<br>')} | ${cutList(because, 2, (x) => x, '<br>')} | ${prose(g.why)} |`);
  }
  if (rows.length > MAX_ITEMS) lines.push('', `… and ${plural(rows.length - MAX_ITEMS, 'more generalization')} in evidence.json.`);
  lines.push('', 'Rerun with `--resources exact` to keep the observed ARNs.');
  return lines;
};

const minBuilds: ReportSection = ({ syn }) => {
  if (syn.minBuilds === undefined) return [];
  const k = syn.minBuilds;
  const lines = [`## Needs seen in fewer than ${plural(k, 'build')} (\`--min-builds ${n(k)}\`)`, ''];
  if (!syn.notGranted.length) return [...lines, `None: every need was seen in at least ${plural(k, 'build')}, so \`--min-builds\` left the policy unchanged.`];
  lines.push('Not granted, and not replayed by the self-check:', '', '| Action | Resource | Builds | Observed |', '|---|---|---:|---|');
  for (const g of syn.notGranted.slice(0, MAX_ITEMS)) lines.push(`| ${code(g.action)} | ${code(g.resource)} | ${n(g.builds)} | ${cutList(g.observed, 2, code, '<br>')} |`);
  if (syn.notGranted.length > MAX_ITEMS) lines.push('', `… and ${plural(syn.notGranted.length - MAX_ITEMS, 'more need')} in evidence.json.`);
  return lines;
};

const unobserved: ReportSection = (ctx) => {
  const { ev } = ctx;
  if (!ev.unobserved.length || !usesProjectConfig(ctx)) return [];
  return [
    '## What CloudTrail does not show',
    '',
    `${plural(ev.unobserved.length, 'need')} that no event records; granted from the project configuration (origin \`inferred\` above):`,
    '',
    ...bullets(ev.unobserved.map((u) => `${code(u.action)} on ${code(u.resource)}: ${prose(u.reason)} (${plural(u.count, 'call')} imply it)`), 'need').map((l) => l.slice(2)),
  ];
};

/** A folded list: `<details><summary>title (count)</summary>` with its items, cut with a count. */
function folded(title: string, items: string[], what: string): string[] {
  if (!items.length) return [];
  return [`<details><summary>${escapeText(title)} (${n(items.length)})</summary>`, '', ...bullets(items, what).map((l) => l.slice(2)), '', '</details>'];
}

const input: ReportSection = ({ ev }) => {
  const skipped = Object.entries(ev.read.skipped).filter(([, k]) => (k ?? 0) > 0);
  const skippedTotal = skipped.reduce((a, [, k]) => a + (k ?? 0), 0);
  const problems = Object.entries(ev.read.fileProblems).map(([k, v]) => `${k}: ${n(v ?? 0)}`);
  const lines = [
    '## Input',
    '',
    `- Read ${plural(ev.read.files, 'file')} and ${plural(ev.read.records, 'record')}: ${n(ev.read.matched)} of the role in the window, ${n(skippedTotal)} skipped (${skipped.map(([k, v]) => `${k}: ${n(v ?? 0)}`).join(', ') || 'none'})`,
    `- Files not opened: ${n(ev.read.filesSkippedByName)} outside the window by name, ${n(ev.read.filesSkippedByContent)} without the role's name, ${n(ev.read.digestFiles)} digest; unusable: ${problems.join(', ') || 'none'}`,
  ];
  if (ev.scanned) {
    lines.push(`- ${escapeText(ev.scanned.engine)} scanned ${(ev.scanned.bytes / 1e6).toFixed(1)} MB (estimated cost $${ev.scanned.costUsd.toFixed(4)})${ev.scanned.queryId ? `, query ${code(ev.scanned.queryId)}` : ''}`);
  }
  const notTurned = [
    ...ev.untranslatable.map((u) => `untranslatable: ${code(u.eventSource)} ${code(u.eventName)} ×${n(u.count)}: ${prose(u.reason)}`),
    ...ev.ignored.map((u) => `ignored: ${code(u.eventSource)} ${code(u.eventName)} ×${n(u.count)}: ${prose(u.reason)}`),
  ];
  const notes = ev.read.notes.map((x) => `${escapeText(x.reason)}: ${code(x.where)}: ${prose(x.detail)}`);
  for (const block of [folded('Records not turned into permissions', notTurned, 'kind'), folded('Skipped input', notes, 'note')]) if (block.length) lines.push('', ...block);
  return lines;
};

const boundaryAndTrust: ReportSection = ({ boundary, trust }) => {
  const sids = boundary.Statement.map((s) => code(s.Sid ?? '(no Sid)'));
  const cond = trust.Statement[0]?.Condition;
  return [
    '## Permissions boundary and trust policy',
    '',
    `- Boundary: ${plural(boundary.Statement.length, 'statement')}: ${sids.join(', ')}`,
    `- Trust: \`codebuild.amazonaws.com\` may assume the role${cond ? ` if ${code(JSON.stringify(cond))}` : ''}`,
  ];
};

/** The sections in order; a new section slots in with one entry here. */
export const REPORT_SECTIONS: ReportSection[] = [header, actionNeeded, grants, unobserved, generalized, minBuilds, input, boundaryAndTrust];

export function renderReport(ev: Evidence, syn: Synthesis, extras: ReportExtras, boundary: PolicyDocument, trust: PolicyDocument): string {
  const ctx: ReportContext = { ev, syn, extras, boundary, trust };
  const blocks = REPORT_SECTIONS.map((section) => section(ctx)).filter((lines) => lines.length > 0);
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
}
