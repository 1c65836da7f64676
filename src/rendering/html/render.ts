// report.html: one self-contained, static page (no script, no external resource; a Content-Security-Policy
// forbids loading anything) that shows the role's least privilege at a glance. Every value from the trail
// or a policy passes through escapeHtml; class names come from a fixed vocabulary.
import { escapeHtml as e, type StatusClass } from './escape.js';
import { renderTimeline } from './timeline-svg.js';
import type { GridCell, HtmlView } from './view.js';

/** A symbol and a word for each status: colour is never the only signal. */
export const STATUS: Record<StatusClass, { symbol: string; label: string }> = {
  granted: { symbol: '✓', label: 'granted (used)' },
  implied: { symbol: '↳', label: 'implied by an observed call' },
  inferred: { symbol: '≈', label: 'inferred from the project' },
  denied: { symbol: '✕', label: 'denied' },
  failed: { symbol: '!', label: 'failed after authorization' },
  unobservable: { symbol: '?', label: 'not visible in CloudTrail' },
  removed: { symbol: '−', label: 'removed vs the current role' },
  'not-proven': { symbol: '…', label: 'not proven (rejected before authorization)' },
  'not-granted': { symbol: '○', label: 'seen, not granted' },
};

const STYLE = `
:root{--granted:#1a7f37;--implied:#0969da;--inferred:#8250df;--denied:#cf222e;--failed:#bc4c00;--unobservable:#6e7781;--removed:#57606a;--not-proven:#9a6700;--not-granted:#9a6700}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1f2328;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #d0d7de}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.grid td{padding:4px}.chip{display:inline-block;margin:2px;padding:2px 6px;border-radius:4px;border:1px solid;font-size:12px}
.chip .sym{font-weight:bold;margin-right:4px}.chip .n{color:#57606a;margin-left:4px}
${(['granted', 'implied', 'inferred', 'denied', 'failed', 'unobservable', 'removed', 'not-proven', 'not-granted'] as const).map((s) => `.s-${s}{border-color:var(--${s});color:var(--${s})}`).join('')}
.needed{border-left:4px solid #cf222e;padding:4px 12px;background:#fff8f8}.ok{border-left:4px solid #1a7f37;padding:4px 12px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}
svg.timeline text{font-size:11px;fill:#1f2328}svg.timeline rect{fill:#0969da}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dl.summary dt{font-weight:600}
@media print{body{margin:0;max-width:none}.cols{grid-template-columns:1fr}details{display:block}h2{break-after:avoid}tr{break-inside:avoid}}
`;

function chip(c: GridCell): string {
  const main = c.statuses[0] ?? 'not-granted';
  const words = c.statuses.map((s) => STATUS[s].label).join(', ');
  const title = `${c.action}: ${words}; ${c.events} allowed event(s), ${c.failed} failed, ${c.denied} denied; ${c.builds} build(s), ${c.resources} resource(s)`;
  const symbols = c.statuses.map((s) => STATUS[s].symbol).join('');
  const name = c.action.slice(c.action.indexOf(':') + 1);
  return `<span class="chip s-${main}" title="${e(title)}" data-action="${e(c.action)}" data-status="${c.statuses.join(' ')}"><span class="sym" aria-hidden="true">${symbols}</span>${e(name)}<span class="n">${c.events + c.failed + c.denied}</span><span class="sr"> (${e(words)})</span></span>`;
}

function list(items: string[]): string {
  return `<ul>${items.map((i) => `<li><code>${e(i)}</code></li>`).join('')}</ul>`;
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
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Least privilege for ${e(v.role)}</title>`,
    `<style>${STYLE}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}</style>`,
    '</head><body><main>',
    `<h1>Least privilege for <code>${e(v.role)}</code></h1>`,
    `<dl class="summary"><dt>Window</dt><dd>${e(v.window)}</dd>${v.summary.map(([k, val]) => `<dt>${e(k)}</dt><dd>${e(val)}</dd>`).join('')}</dl>`,
  );
  out.push('<section id="action-needed"><h2>Action needed</h2>');
  if (v.actionNeeded.length === 0) out.push('<p class="ok">Nothing: every observed need is granted and nothing was denied.</p>');
  for (const s of v.actionNeeded) out.push(`<div class="needed"><h3>${e(s.title)} (${s.items.length})</h3>${list(s.items)}</div>`);
  out.push('</section>');

  out.push('<section id="grid"><h2>Services and actions</h2>');
  out.push(`<p>Legend: ${Object.values(STATUS).map((s) => `${e(s.symbol)} ${e(s.label)}`).join(' · ')}. The number is the action's events; hover for details.</p>`);
  out.push('<table class="grid"><thead><tr><th scope="col">Service</th><th scope="col">Actions</th></tr></thead><tbody>');
  for (const row of v.grid) out.push(`<tr><th scope="row"><code>${e(row.service)}</code></th><td>${row.cells.map(chip).join('')}</td></tr>`);
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
  }
  out.push('</section>');

  out.push('<section id="documents"><h2>Policy and boundary</h2><div class="cols">');
  out.push(`<div>${statementTable('Identity policy', v.policy)}</div><div>${statementTable('Permissions boundary', v.boundary)}</div>`);
  out.push('</div></section>');
  out.push('<section id="trust"><h2>Trust policy</h2><table><thead><tr><th scope="col">Principal</th><th scope="col">Actions</th><th scope="col">Conditions</th></tr></thead><tbody>');
  for (const t of v.trust) out.push(`<tr><td><code>${e(t.principal)}</code></td><td>${t.actions.map((a) => `<code>${e(a)}</code>`).join('<br>')}</td><td>${t.condition ? `<code>${e(t.condition)}</code>` : 'none'}</td></tr>`);
  out.push('</tbody></table></section>');
  out.push('</main></body></html>', '');
  return out.join('\n');
}
