// report.html: one self-contained, static page (no script, no external resource; a Content-Security-Policy
// forbids loading anything) that shows the role's least privilege at a glance. Every value from the trail
// or a policy passes through escapeHtml; class names come from a fixed vocabulary.
import { escapeHtml as e } from './escape.js';
import { chip, legend, type ChipData, list, pageEnd, pageStart } from './page.js';
import { renderTimeline } from './timeline-svg.js';
import type { GridCell, HtmlView } from './view.js';

function toChip(c: GridCell): ChipData {
  const detail = `${c.events} allowed event(s), ${c.failed} failed, ${c.denied} denied; ${c.builds} build(s), ${c.resources} resource(s)`;
  return { action: c.action, statuses: c.statuses, count: c.events + c.failed + c.denied, detail };
}

function statementTable(caption: string, rows: HtmlView['policy']): string {
  const cell = (xs: string[]): string => {
    const shown = xs.slice(0, 40).map((x) => `<code>${e(x)}</code>`).join('<br>');
    return xs.length > 40 ? `${shown}<br>… and ${xs.length - 40} more` : shown;
  };
  return (
    `<table><caption>${e(caption)}</caption><thead><tr><th scope="col">Sid</th><th scope="col">Effect</th><th scope="col">Actions</th><th scope="col">Resources</th><th scope="col">Condition</th></tr></thead><tbody>` +
    rows.map((s) => `<tr><th scope="row"><code>${e(s.sid)}</code></th><td>${e(s.effect)}</td><td>${cell(s.actions)}</td><td>${cell(s.resources)}</td><td>${s.condition ? `<code>${e(s.condition)}</code>` : ''}</td></tr>`).join('') +
    '</tbody></table>'
  );
}

export function renderHtml(v: HtmlView): string {
  const out: string[] = [];
  out.push(
    pageStart(`Least privilege for ${v.role}`),
    `<h1>Least privilege for <code>${e(v.role)}</code></h1>`,
    `<dl class="summary"><dt>Window</dt><dd>${e(v.window)}</dd>${v.summary.map(([k, val]) => `<dt>${e(k)}</dt><dd>${e(val)}</dd>`).join('')}</dl>`,
  );
  out.push('<section id="action-needed"><h2>Action needed</h2>');
  if (v.actionNeeded.length === 0) out.push('<p class="ok">Nothing: every observed need is granted and nothing was denied.</p>');
  for (const s of v.actionNeeded) out.push(`<div class="needed"><h3>${e(s.title)} (${s.items.length})</h3>${list(s.items)}</div>`);
  out.push('</section>');

  out.push('<section id="grid"><h2>Services and actions</h2>');
  out.push(`<p>${legend(['granted', 'implied', 'inferred', 'denied', 'failed', 'unobservable', 'not-proven', 'not-granted'])} The number is the action's events; hover for details.</p>`);
  out.push('<table class="grid"><thead><tr><th scope="col">Service</th><th scope="col">Actions</th></tr></thead><tbody>');
  for (const row of v.grid) out.push(`<tr><th scope="row"><code>${e(row.service)}</code></th><td>${row.cells.map((c) => chip(toChip(c))).join('')}</td></tr>`);
  out.push('</tbody></table></section>');

  out.push('<section id="timeline"><h2>Builds</h2>', renderTimeline(v.timeline));
  if (v.timeline.omitted) out.push(`<p>${v.timeline.omitted} more build(s) are left out of the timeline; evidence.json lists every fact.</p>`);
  if (v.timeline.builds.length) {
    out.push(
      '<details><summary>Which builds used which services</summary><table class="builds"><thead><tr><th scope="col">Build</th><th scope="col">First event</th><th scope="col">Last event</th><th scope="col">Events</th>',
      ...v.timeline.services.map((s) => `<th scope="col"><code>${e(s)}</code></th>`),
      '</tr></thead><tbody>',
      ...v.timeline.builds.map(
        (b) =>
          `<tr><th scope="row"><code>${e(b.build)}</code></th><td>${e(b.firstSeen)}</td><td>${e(b.lastSeen)}</td><td>${b.events}</td>${v.timeline.services.map((s) => `<td>${b.services.includes(s) ? '✓<span class="sr"> used</span>' : ''}</td>`).join('')}</tr>`,
      ),
      '</tbody></table></details>',
    );
  }
  out.push('</section>');

  out.push('<section id="generalized"><h2>Generalizations</h2>');
  if (v.generalized.length === 0) out.push('<p>None: every resource is granted as observed.</p>');
  else {
    out.push('<table><thead><tr><th scope="col">Granted</th><th scope="col">Observed values</th><th scope="col">Why</th></tr></thead><tbody>');
    for (const g of v.generalized) {
      out.push(`<tr><td><code>${e(g.to)}</code></td><td>${g.from.map((f) => `<code>${e(f)}</code>`).join('<br>')}${g.more ? `<br>… and ${g.more} more` : ''}</td><td>${e(g.why)}</td></tr>`);
    }
    out.push('</tbody></table>');
    if (v.generalizedOmitted) out.push(`<p>${v.generalizedOmitted} more generalized pattern(s) are left out; evidence.json lists them all.</p>`);
  }
  out.push('</section>');

  out.push('<section id="documents"><h2>Policy and boundary</h2><div class="cols">');
  out.push(`<div>${statementTable('Identity policy', v.policy)}</div><div>${statementTable('Permissions boundary', v.boundary)}</div>`);
  out.push('</div></section>');
  out.push('<section id="trust"><h2>Trust policy</h2><table><thead><tr><th scope="col">Principal</th><th scope="col">Actions</th><th scope="col">Conditions</th></tr></thead><tbody>');
  for (const t of v.trust) out.push(`<tr><td><code>${e(t.principal)}</code></td><td>${t.actions.map((a) => `<code>${e(a)}</code>`).join('<br>')}</td><td>${t.condition ? `<code>${e(t.condition)}</code>` : 'none'}</td></tr>`);
  out.push('</tbody></table></section>');
  out.push(pageEnd());
  return out.join('\n');
}
