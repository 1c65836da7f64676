// Plain text for a terminal or a build log.
import { groupWidening, headline, isRemovedService, n, serviceSummary, shortList, verdictWords } from './render-common.js';
import type { DiffReport } from './report.js';

export function renderText(r: DiffReport): string {
  const s = r.summary;
  const out: string[] = [
    `codebuild-iam diff: ${verdictWords(r)}`,
    headline(r),
    `actions: ${n(s.actionsAdded)} added, ${n(s.resourcesWidened)} widened, ${n(s.actionsRemoved)} removed, ${n(s.resourcesNarrowed)} narrowed, ${n(s.actionsKept)} kept; conditions: ${n(s.conditionsAdded)} added, ${n(s.conditionsRemoved)} removed`,
    `current: ${r.current.source}${r.current.boundary ? ' (with boundary)' : ''}`,
    `proposed: ${r.proposed.source}${r.proposed.boundary ? ' (with boundary)' : ''}`,
    '',
  ];
  if (r.widening.length) {
    out.push('Widening:');
    for (const g of groupWidening(r.widening)) {
      const today = g.current.length ? ` (today: ${g.current.join('; ')})` : ' (not allowed today)';
      out.push(`  ${g.kind === 'added' ? '+' : '~'} ${g.actions.join(', ')} on ${g.grants.join('; ')}${today}`);
    }
    out.push('');
  }
  if (r.trust && (r.trust.widened.length || r.trust.narrowed.length)) {
    out.push('Trust policy:');
    for (const t of r.trust.widened) out.push(`  + ${t}`);
    for (const t of r.trust.narrowed) out.push(`  - ${t}`);
    out.push('');
  }
  if (r.usage) {
    const u = r.usage;
    out.push(
      'Usage (current / proposal):',
      `  used and allowed      ${n(u.current.usedAndAllowed)} / ${n(u.proposed.usedAndAllowed)}`,
      `  used but not allowed  ${n(u.current.usedNotAllowed)} / ${n(u.proposed.usedNotAllowed)}`,
      `  allowed but unused    ${n(u.current.allowedUnused)} / ${n(u.proposed.allowedUnused)}`,
      `  allowed, unknown      ${n(u.current.allowedUnknown)} / ${n(u.proposed.allowedUnknown)}`,
    );
    for (const a of u.actions) if (a.usage === 'used' && !a.allowedProposed) out.push(`  ! used but not allowed by the proposal: ${a.action}`);
    out.push('');
  }
  out.push('Per service:');
  for (const sv of r.services.filter((x) => !isRemovedService(x))) {
    out.push(`  ${sv.service}: ${serviceSummary(sv)}`);
    for (const a of sv.added) out.push(`    + ${a}`);
    for (const c of sv.resourcesWidened) out.push(`    ~ ${c.action}: ${c.current.join('; ')} -> ${c.proposed.join('; ')}`);
    for (const c of sv.resourcesNarrowed) out.push(`    < ${c.action}: ${c.current.join('; ')} -> ${c.proposed.join('; ')}`);
    for (const c of sv.conditionsAdded) out.push(`    condition added: ${c.condition} on ${c.actions.join(', ')}`);
    for (const c of sv.conditionsRemoved) out.push(`    condition removed: ${c.condition} on ${c.actions.join(', ')}`);
    if (sv.removed.length) out.push(`    - ${shortList(sv.removed, 30)}`);
  }
  const gone = r.services.filter(isRemovedService);
  if (gone.length) out.push(`  removed entirely: ${gone.map((sv) => `${sv.service} (${n(sv.removed.length)})`).join(', ')}`);
  if (r.textDiff) out.push('', r.textDiff.trimEnd());
  return `${out.join('\n')}\n`;
}
