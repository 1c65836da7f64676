// The per-build timeline as inline SVG: one row per build, a bar from its first to its last event.
// Only numbers and escaped text reach the markup; the page stays static (no script).
import { escapeHtml } from './escape.js';
import type { HtmlView } from './view.js';

const ROW = 18;
const LABEL = 90;
const NOTE = 230;
const WIDTH = 960;

const ms = (iso: string): number => Date.parse(iso);

function duration(d: number): string {
  const s = Math.round(d / 1000);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function renderTimeline(t: HtmlView['timeline']): string {
  const builds = t.builds.filter((b) => Number.isFinite(ms(b.firstSeen)) && Number.isFinite(ms(b.lastSeen)));
  if (builds.length === 0) return '<p>No build sessions (AWSCodeBuild-…) were seen, so there is no timeline.</p>';
  const start = Math.min(...builds.map((b) => ms(b.firstSeen)));
  const end = Math.max(...builds.map((b) => ms(b.lastSeen)));
  const span = Math.max(end - start, 1);
  const plot = WIDTH - LABEL - NOTE - 10;
  const height = ROW * builds.length + 30;
  const x = (iso: string): number => LABEL + Math.round(((ms(iso) - start) / span) * plot);
  const rows = builds.map((b, i) => {
    const y = 20 + i * ROW;
    const x0 = x(b.firstSeen);
    const w = Math.max(x(b.lastSeen) - x0, 3);
    const label = escapeHtml(b.build.slice(0, 8));
    const title = escapeHtml(`build ${b.build}: ${b.firstSeen} to ${b.lastSeen}, ${b.events} event(s); ${b.services.join(', ')}`);
    // Builds last minutes and trials span days, so each row also says when and how long in words.
    const note = escapeHtml(`${b.firstSeen.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} · ${duration(ms(b.lastSeen) - ms(b.firstSeen))} · ${b.events} ev.`);
    return (
      `<g class="build"><title>${title}</title>` +
      `<text x="4" y="${y + 12}" class="mono">${label}</text>` +
      `<rect x="${x0}" y="${y + 2}" width="${w}" height="${ROW - 6}" rx="2"></rect>` +
      `<text x="${WIDTH - NOTE}" y="${y + 12}">${note}</text></g>`
    );
  });
  const axis =
    `<text x="${LABEL}" y="12">${escapeHtml(new Date(start).toISOString())}</text>` +
    `<text x="${LABEL + plot}" y="12" text-anchor="end">${escapeHtml(new Date(end).toISOString())}</text>` +
    `<line x1="${LABEL}" y1="16" x2="${LABEL + plot}" y2="16" stroke="#d0d7de"></line>`;
  return (
    `<svg class="timeline" role="img" aria-labelledby="timeline-title" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">` +
    `<title id="timeline-title">Builds over time: ${builds.length} build(s) from ${escapeHtml(new Date(start).toISOString())} to ${escapeHtml(new Date(end).toISOString())}</title>` +
    axis +
    rows.join('') +
    '</svg>'
  );
}
