// `diff --format html`: the diff as one static page, for a CI artifact. What widens comes first, then each
// service's actions as chips (removed, added, kept; unused where --evidence tells), then the text diff.
// Every value passes through escapeHtml; the page loads nothing (see rendering/html/page.ts).
import { escapeHtml as e, type StatusClass } from '../rendering/html/escape.js';
import { chip, legend, list, pageEnd, pageStart } from '../rendering/html/page.js';
import type { DiffReport, ServiceDiff } from './report.js';

const LIST_LIMIT = 200;

function chips(s: ServiceDiff, unused: Set<string>): string {
  const rows: Array<[string, StatusClass]> = [
    ...s.removed.map((a): [string, StatusClass] => [a, 'removed']),
    ...s.added.map((a): [string, StatusClass] => [a, 'added']),
    ...s.kept.map((a): [string, StatusClass] => [a, 'kept']),
  ];
  rows.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return rows
    .map(([action, status]) => {
      const statuses: StatusClass[] = unused.has(action) ? [status, 'unused'] : [status];
      return chip({ action, statuses, count: 0, detail: status === 'added' ? 'the proposal allows it, the current documents do not' : status === 'removed' ? 'allowed today, not by the proposal' : 'allowed by both' });
    })
    .join('');
}

export function renderDiffHtml(r: DiffReport): string {
  const out: string[] = [pageStart(`Policy diff: ${r.verdict}`), `<h1>Policy diff: ${e(r.verdict)}</h1>`];
  out.push(
    '<dl class="summary">',
    `<dt>Current</dt><dd>${r.current.actions} action(s) in ${r.current.services} service(s)${r.current.boundary ? ', with a boundary' : ''}</dd>`,
    `<dt>Proposed</dt><dd>${r.proposed.actions} action(s) in ${r.proposed.services} service(s)${r.proposed.boundary ? ', with a boundary' : ''}</dd>`,
    `<dt>Actions</dt><dd>${r.summary.actionsRemoved} removed, ${r.summary.actionsAdded} added, ${r.summary.actionsKept} kept</dd>`,
    `<dt>Resources</dt><dd>${r.summary.resourcesNarrowed} narrowed, ${r.summary.resourcesWidened} widened</dd>`,
    '</dl>',
  );
  out.push('<section id="action-needed"><h2>Action needed</h2>');
  const widening = r.widening.map((w) => `${w.action} (${w.kind}): ${w.grants.join('; ')}`);
  const trust = r.trust?.widened ?? [];
  if (widening.length === 0 && trust.length === 0) out.push('<p class="ok">Nothing widens: the proposal allows nothing the current documents do not.</p>');
  if (widening.length) out.push(`<div class="needed"><h3>Widens (${widening.length})</h3>${list(widening.slice(0, LIST_LIMIT))}${widening.length > LIST_LIMIT ? `<p>… and ${widening.length - LIST_LIMIT} more: see --format json.</p>` : ''}</div>`);
  if (trust.length) out.push(`<div class="needed"><h3>Trust policy widens (${trust.length})</h3>${list(trust)}</div>`);
  out.push('</section>');
  const unused = new Set((r.usage?.actions ?? []).filter((a) => a.usage === 'unused').map((a) => a.action));
  out.push('<section id="grid"><h2>Services and actions</h2>', `<p>${legend(['removed', 'added', 'kept', 'unused'])}</p>`);
  out.push('<table class="grid"><thead><tr><th scope="col">Service</th><th scope="col">Actions</th></tr></thead><tbody>');
  for (const s of r.services) out.push(`<tr><th scope="row"><code>${e(s.service)}</code></th><td>${chips(s, unused)}</td></tr>`);
  out.push('</tbody></table></section>');
  out.push('<section id="text-diff"><h2>Documents, line by line</h2>', `<details><summary>Unified diff</summary><pre><code>${e(r.textDiff)}</code></pre></details>`, '</section>');
  out.push(pageEnd());
  return out.join('\n');
}
