// Wording shared by the text and markdown renderers.
import { cutList } from '../rendering/markdown/escape.js';
import type { DiffReport, ServiceDiff, Widening } from './report.js';

export const n = (x: number): string => x.toLocaleString('en-US');

/** "the current role allows 14,631 actions in 412 services; the build used 27; the proposal allows 31 actions in 5 services" */
export function headline(r: DiffReport, bold: (s: string) => string = (s) => s): string {
  const used = r.usage ? `; the build used ${bold(n(r.usage.used))}` : '';
  return (
    `the current role allows ${bold(n(r.current.actions))} actions in ${bold(n(r.current.services))} services${used}; ` +
    `the proposal allows ${bold(n(r.proposed.actions))} actions in ${bold(n(r.proposed.services))} services`
  );
}

export function verdictWords(r: DiffReport): string {
  if (r.verdict === 'widens') {
    const parts: string[] = [];
    const added = r.widening.filter((w) => w.kind === 'added').length;
    const broader = r.widening.length - added;
    if (added) parts.push(`${n(added)} new action${added === 1 ? '' : 's'}`);
    if (broader) parts.push(`${n(broader)} action${broader === 1 ? '' : 's'} on more resources or under fewer conditions`);
    if (r.trust?.widened.length) parts.push(`${n(r.trust.widened.length)} new trust grant${r.trust.widened.length === 1 ? '' : 's'}`);
    return `the proposal WIDENS the role: ${parts.join(', ')}`;
  }
  if (r.verdict === 'narrows') return 'safe: the proposal only narrows the role';
  return 'safe: the proposal allows exactly what the role allows today';
}

/** Widenings that share the same grants, so `s3:*` on one bucket is one line, not 150. */
export function groupWidening(list: Widening[]): Array<{ kind: Widening['kind']; actions: string[]; grants: string[]; current: string[] }> {
  const groups = new Map<string, { kind: Widening['kind']; actions: string[]; grants: string[]; current: string[] }>();
  for (const w of list) {
    const key = JSON.stringify([w.kind, w.grants, w.current]);
    const g = groups.get(key) ?? { kind: w.kind, actions: [], grants: w.grants, current: w.current };
    g.actions.push(w.action);
    groups.set(key, g);
  }
  return [...groups.values()];
}

export function serviceSummary(s: ServiceDiff): string {
  const parts: string[] = [];
  if (s.added.length) parts.push(`${n(s.added.length)} added`);
  if (s.resourcesWidened.length) parts.push(`${n(s.resourcesWidened.length)} widened`);
  if (s.kept.length) parts.push(`${n(s.kept.length)} kept`);
  if (s.resourcesNarrowed.length) parts.push(`${n(s.resourcesNarrowed.length)} narrowed`);
  if (s.removed.length) parts.push(`${n(s.removed.length)} removed`);
  const cond = s.conditionsAdded.length + s.conditionsRemoved.length;
  if (cond) parts.push(`${n(cond)} condition change${cond === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** Services that only lost actions, all of them; listed by name instead of action by action. */
export function isRemovedService(s: ServiceDiff): boolean {
  return s.removed.length > 0 && s.kept.length === 0 && s.added.length === 0;
}

export function shortList(items: string[], max: number, fmt: (s: string) => string = (s) => s): string {
  return cutList(items, max, fmt);
}
