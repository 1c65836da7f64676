// A pull-request comment: the verdict first, then the numbers, the widening changes, per-service details
// folded away, and the text diff. GitHub comments are limited to 65,536 characters, so long lists are cut.
import { groupWidening, headline, isRemovedService, n, serviceSummary, shortList, verdictWords } from './render-common.js';
import type { DiffReport, ServiceDiff } from './report.js';

const MAX_WIDENING_ROWS = 40;
const MAX_LIST = 60;
const MAX_TEXT_DIFF = 30_000;

const code = (s: string): string => `\`${s.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
const cell = (items: string[]): string => (items.length ? items.map(code).join('<br>') : '(not allowed)');

function usageOf(r: DiffReport): Map<string, string> {
  return new Map((r.usage?.actions ?? []).map((a) => [a.action, a.usage]));
}

function serviceDetails(s: ServiceDiff, usage: Map<string, string>): string {
  const mark = (a: string): string => (usage.has(a) ? `${code(a)} (${usage.get(a)})` : code(a));
  const lines: string[] = [`<details><summary><code>${s.service}</code>: ${serviceSummary(s)}</summary>`, ''];
  if (s.added.length) lines.push(`- **Added (widens):** ${shortList(s.added, MAX_LIST, mark)}`);
  for (const c of s.resourcesWidened.slice(0, MAX_LIST)) lines.push(`- **Widened:** ${code(c.action)}: ${c.current.map(code).join(', ')} → ${c.proposed.map(code).join(', ')}`);
  if (s.kept.length) lines.push(`- Kept: ${shortList(s.kept, MAX_LIST, mark)}`);
  for (const c of s.resourcesNarrowed.slice(0, MAX_LIST)) lines.push(`- Narrowed: ${code(c.action)}: ${c.current.map(code).join(', ')} → ${c.proposed.map(code).join(', ')}`);
  for (const c of s.conditionsAdded) lines.push(`- Condition added: ${code(c.condition)} on ${shortList(c.actions, 10, code)}`);
  for (const c of s.conditionsRemoved) lines.push(`- Condition removed: ${code(c.condition)} on ${shortList(c.actions, 10, code)}`);
  if (s.removed.length) lines.push(`- Removed (${n(s.removed.length)}): ${shortList(s.removed, MAX_LIST, mark)}`);
  lines.push('', '</details>');
  return lines.join('\n');
}

export function renderMarkdown(r: DiffReport): string {
  const icon = r.verdict === 'widens' ? '⚠️' : '✅';
  const out: string[] = [`### ${icon} codebuild-iam diff: ${verdictWords(r)}`, ''];
  const line = headline(r, (s) => `**${s}**`);
  out.push(`${line[0].toUpperCase()}${line.slice(1)}.`, '');
  const s = r.summary;
  out.push(
    '| change | actions | services |',
    '|---|---:|---:|',
    `| ${s.actionsAdded ? '⚠️ ' : ''}added (widens) | ${n(s.actionsAdded)} | ${n(s.servicesAdded)} new |`,
    `| ${s.resourcesWidened ? '⚠️ ' : ''}more resources or fewer conditions (widens) | ${n(s.resourcesWidened)} | |`,
    `| removed | ${n(s.actionsRemoved)} | ${n(s.servicesRemoved)} entirely |`,
    `| narrowed resources or conditions | ${n(s.resourcesNarrowed)} | |`,
    `| kept | ${n(s.actionsKept)} | |`,
    `| conditions added / removed | ${n(s.conditionsAdded)} / ${n(s.conditionsRemoved)} | |`,
    '',
  );
  if (r.widening.length) {
    const groups = groupWidening(r.widening);
    out.push('#### Widening changes', '', '| actions | newly allowed on | allowed today on |', '|---|---|---|');
    for (const g of groups.slice(0, MAX_WIDENING_ROWS)) out.push(`| ${shortList(g.actions, 8, code)} | ${cell(g.grants)} | ${cell(g.current)} |`);
    if (groups.length > MAX_WIDENING_ROWS) out.push(`| … ${n(groups.length - MAX_WIDENING_ROWS)} more rows (see \`--format json\`) | | |`);
    out.push('');
  }
  if (r.trust && (r.trust.widened.length || r.trust.narrowed.length)) {
    out.push('#### Trust policy', '');
    for (const t of r.trust.widened) out.push(`- ⚠️ newly trusted: ${code(t)}`);
    for (const t of r.trust.narrowed) out.push(`- no longer trusted as broadly: ${code(t)}`);
    out.push('');
  }
  if (r.usage) {
    const u = r.usage;
    const broken = u.actions.filter((a) => a.usage === 'used' && !a.allowedProposed).map((a) => a.action);
    out.push(
      '#### What the build used (from the evidence)',
      '',
      '| | current | proposal |',
      '|---|---:|---:|',
      `| used and allowed | ${n(u.current.usedAndAllowed)} | ${n(u.proposed.usedAndAllowed)} |`,
      `| used but not allowed | ${n(u.current.usedNotAllowed)} | ${broken.length ? '⚠️ ' : ''}${n(u.proposed.usedNotAllowed)} |`,
      `| allowed but unused | ${n(u.current.allowedUnused)} | ${n(u.proposed.allowedUnused)} |`,
      `| allowed, unknown whether used (CloudTrail cannot show it) | ${n(u.current.allowedUnknown)} | ${n(u.proposed.allowedUnknown)} |`,
      '',
    );
    if (broken.length) out.push(`⚠️ The build used ${shortList(broken, 20, code)}, which the proposal does not allow: the build may fail.`, '');
  }
  const usage = usageOf(r);
  const active = r.services.filter((sv) => !isRemovedService(sv));
  const gone = r.services.filter(isRemovedService);
  if (active.length) {
    out.push('#### Per service', '');
    // Services with widening first, then the rest by name.
    const widening = (sv: ServiceDiff): number => (sv.added.length || sv.resourcesWidened.length ? 0 : 1);
    for (const sv of [...active].sort((a, b) => widening(a) - widening(b) || (a.service < b.service ? -1 : 1))) out.push(serviceDetails(sv, usage), '');
  }
  if (gone.length) {
    out.push(
      `<details><summary>${n(gone.length)} service${gone.length === 1 ? '' : 's'} removed entirely (${n(gone.reduce((k, sv) => k + sv.removed.length, 0))} actions)</summary>`,
      '',
      shortList(gone.map((sv) => `${sv.service} (${n(sv.removed.length)})`), 500, code),
      '',
      '</details>',
      '',
    );
  }
  if (r.textDiff) {
    const cut = r.textDiff.length > MAX_TEXT_DIFF;
    const body = cut ? `${r.textDiff.slice(0, r.textDiff.lastIndexOf('\n', MAX_TEXT_DIFF))}\n… (cut; run with --format text for all of it)` : r.textDiff.trimEnd();
    const fence = body.includes('```') ? '~~~~' : '```';
    out.push('<details><summary>Text diff of the normalized documents</summary>', '', `${fence}diff`, body, fence, '', '</details>', '');
  }
  out.push(`<sub>current: ${code(r.current.source)} · proposed: ${code(r.proposed.source)} · codebuild-iam diff</sub>`, '');
  return out.join('\n');
}
