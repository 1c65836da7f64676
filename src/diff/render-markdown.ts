// A pull-request comment: the verdict first, then the numbers, the widening changes, per-service details
// folded away, and the text diff. GitHub comments are limited to 65,536 characters, so long lists are cut.
// Every name from a policy goes through the markdown escaper (src/rendering/markdown/escape.ts): an action
// name or a resource can carry HTML, a mention or an `<!--` that would hide the rest of the comment.
import { cutList, escapeText, htmlCode, inlineCode, showInvisible } from '../rendering/markdown/escape.js';
import { groupWidening, headline, isRemovedService, n, serviceSummary, shortList, verdictWords } from './render-common.js';
import type { DiffReport, ServiceDiff } from './report.js';

/** GitHub refuses a comment longer than this. */
export const COMMENT_LIMIT = 65_536;

interface Limits {
  wideningRows: number;
  list: number;
  textDiff: number;
}
const LIMITS: Limits[] = [
  { wideningRows: 40, list: 60, textDiff: 30_000 },
  { wideningRows: 15, list: 15, textDiff: 0 },
  { wideningRows: 5, list: 5, textDiff: 0 },
];

/** A grant or name as code, with the condition every grant shares (stated once at the top) taken out. */
let common = '';
const code = (s: string): string => inlineCode(common && s.endsWith(common) ? s.slice(0, -common.length) : s);
const cell = (items: string[], max: number): string => (items.length ? cutList(items, max, code, '<br>') : '(not allowed)');

/** A deny condition (" unless denied (...)") that every grant of the proposal carries, e.g. the boundary's region deny. */
function commonCondition(r: DiffReport): string {
  const grants = [...r.widening.flatMap((w) => w.grants), ...r.services.flatMap((s) => [...s.resourcesWidened, ...s.resourcesNarrowed].flatMap((c) => c.proposed))];
  if (grants.length < 2) return '';
  const suffix = / unless denied \(.*\)$/.exec(grants[0])?.[0];
  return suffix && grants.every((g) => g.endsWith(suffix)) ? suffix : '';
}

/** The ARN for a role; file names without their directories; "a directory" for a directory: no local paths. */
function sourceName(source: string): string {
  if (source.startsWith('arn:')) return source;
  return source
    .split(', ')
    .map((f) => (/\.json$/i.test(f) ? f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1) : 'a directory'))
    .join(', ');
}

function usageOf(r: DiffReport): Map<string, string> {
  return new Map((r.usage?.actions ?? []).map((a) => [a.action, a.usage]));
}

function serviceDetails(s: ServiceDiff, usage: Map<string, string>, L: Limits): string {
  const MAX_LIST = L.list;
  const mark = (a: string): string => (usage.has(a) ? `${code(a)} (${escapeText(usage.get(a) ?? '')})` : code(a));
  const lines: string[] = [`<details><summary>${htmlCode(s.service)}: ${serviceSummary(s)}</summary>`, ''];
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

/** The comment, cut with counts until it fits one GitHub comment; the JSON output has everything. */
export function renderMarkdown(r: DiffReport): string {
  common = commonCondition(r);
  try {
    for (const limits of LIMITS) {
      const text = renderWith(r, limits);
      if (text.length <= COMMENT_LIMIT) return text;
    }
    const text = renderWith(r, LIMITS[LIMITS.length - 1]);
    const note = '\n\n… (cut to fit one comment; run `codebuild-iam diff --format json` for all of it)\n';
    return text.slice(0, text.lastIndexOf('\n', COMMENT_LIMIT - note.length)) + note;
  } finally {
    common = '';
  }
}

function renderWith(r: DiffReport, L: Limits): string {
  const MAX_WIDENING_ROWS = L.wideningRows;
  const MAX_TEXT_DIFF = L.textDiff;
  const icon = r.verdict === 'widens' ? '⚠️' : '✅';
  const out: string[] = [`### ${icon} codebuild-iam diff: ${verdictWords(r)}`, ''];
  const line = headline(r, (s) => `**${s}**`);
  out.push(`${line[0].toUpperCase()}${line.slice(1)}.`, '');
  if (common) out.push(`Every grant of the proposal below holds only ${inlineCode(common.trim())}: the boundary's condition, stated once here.`, '');
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
    for (const g of groups.slice(0, MAX_WIDENING_ROWS)) out.push(`| ${shortList(g.actions, 8, code)} | ${cell(g.grants, L.list)} | ${cell(g.current, L.list)} |`);
    if (groups.length > MAX_WIDENING_ROWS) out.push(`| … ${n(groups.length - MAX_WIDENING_ROWS)} more rows (run \`codebuild-iam diff --format json\` for all) | | |`);
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
    for (const sv of [...active].sort((a, b) => widening(a) - widening(b) || (a.service < b.service ? -1 : 1))) out.push(serviceDetails(sv, usage, L), '');
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
  if (r.textDiff && MAX_TEXT_DIFF > 0) {
    const cut = r.textDiff.length > MAX_TEXT_DIFF;
    // Bidi and other invisible characters are shown even inside the code block (they reorder what is read).
    const diff = r.textDiff.split('\n').map(showInvisible).join('\n');
    const body = cut ? `${diff.slice(0, diff.lastIndexOf('\n', MAX_TEXT_DIFF))}\n… (cut; run with --format text for all of it)` : diff.trimEnd();
    // A fence longer than any run of backticks or tildes in the diff, so no line can close it.
    const fence = '`'.repeat(Math.max(3, ...(body.match(/`+/g) ?? []).map((x) => x.length + 1)));
    out.push('<details><summary>Text diff of the normalized documents</summary>', '', `${fence}diff`, body, fence, '', '</details>', '');
  }
  out.push(`<sub>current: ${htmlCode(sourceName(r.current.source))} · proposed: ${htmlCode(sourceName(r.proposed.source))} · codebuild-iam diff</sub>`, '');
  return out.join('\n');
}
