// The parts every static page of codebuild-iam shares: the document shell with its Content-Security-Policy
// (nothing may load: no script, image, font or style from anywhere), the style sheet, and status chips that
// carry a symbol and a word besides their colour.
import { escapeHtml as e, type StatusClass } from './escape.js';

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
  added: { symbol: '+', label: 'added by the proposal' },
  kept: { symbol: '=', label: 'allowed before and after' },
  unused: { symbol: '∅', label: 'not used by the build' },
};

const STYLE = `.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
:root{--granted:#1a7f37;--implied:#0969da;--inferred:#8250df;--denied:#cf222e;--failed:#bc4c00;--unobservable:#6e7781;--removed:#57606a;--not-proven:#9a6700;--not-granted:#9a6700;--added:#cf222e;--kept:#57606a;--unused:#9a6700}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1f2328;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #d0d7de}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.grid td{padding:4px}.chip{display:inline-block;margin:2px;padding:2px 6px;border-radius:4px;border:1px solid;font-size:12px}
.chip .sym{font-weight:bold;margin-right:4px}.chip .n{color:#57606a;margin-left:4px}
${(Object.keys(STATUS) as StatusClass[]).map((s) => `.s-${s}{border-color:var(--${s});color:var(--${s})}`).join('')}
.needed{border-left:4px solid #cf222e;padding:4px 12px;background:#fff8f8}.ok{border-left:4px solid #1a7f37;padding:4px 12px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}
svg.timeline text{font-size:11px;fill:#1f2328}svg.timeline rect{fill:#0969da}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dl.summary dt{font-weight:600}
@media print{body{margin:0;max-width:none}.cols{grid-template-columns:1fr}details{display:block}h2{break-after:avoid}tr{break-inside:avoid}}
`;

/** One action in a grid: its statuses (the first colours it), a number to show, and details for the hover. */
export interface ChipData {
  action: string;
  statuses: StatusClass[];
  count: number;
  detail: string;
}

export function chip(c: ChipData): string {
  const main = c.statuses[0] ?? 'not-granted';
  const words = c.statuses.map((s) => STATUS[s].label).join(', ');
  const symbols = c.statuses.map((s) => STATUS[s].symbol).join('');
  const name = c.action.slice(c.action.indexOf(':') + 1);
  return `<span class="chip s-${main}" title="${e(`${c.action}: ${words}; ${c.detail}`)}" data-action="${e(c.action)}" data-status="${c.statuses.join(' ')}"><span class="sym" aria-hidden="true">${symbols}</span>${e(name)}<span class="n">${c.count}</span><span class="sr"> (${e(words)})</span></span>`;
}

export function list(items: string[]): string {
  return `<ul>${items.map((i) => `<li><code>${e(i)}</code></li>`).join('')}</ul>`;
}

/** The legend of the given statuses, in that order. */
export function legend(statuses: StatusClass[]): string {
  return `Legend: ${statuses.map((s) => `${e(STATUS[s].symbol)} ${e(STATUS[s].label)}`).join(' · ')}.`;
}

export function pageStart(title: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body><main>',
  ].join('\n');
}

export function pageEnd(): string {
  return '</main></body></html>\n';
}
