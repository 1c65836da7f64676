// report.md: the evidence for a human reviewer. What the policy grants and why, what was denied, what
// CloudTrail cannot show, what was generalized, and what could not be read.
import type { Evidence, PolicyDocument } from '../model.js';
import type { Synthesis } from '../synthesis/synthesize.js';
import type { EvidenceExtras } from './evidence.js';
import { generalizationSections } from './report-generalized.js';

const md = (s: string): string => s.replace(/[|`]/g, (c) => `\\${c}`);

export function renderReport(ev: Evidence, syn: Synthesis, extras: EvidenceExtras, boundary: PolicyDocument, trust: PolicyDocument): string {
  const lines: string[] = [];
  const actions = new Set(syn.statements.flatMap((s) => s.actions));
  const skipped = Object.entries(ev.read.skipped).filter(([, n]) => (n ?? 0) > 0);
  const skippedTotal = skipped.reduce((a, [, n]) => a + (n ?? 0), 0);
  lines.push(`# Least-privilege report for ${ev.role}`, '');
  const window = ev.window.since || ev.window.until ? `${ev.window.since ?? 'the start'} to ${ev.window.until ?? 'the end'}` : 'all events';
  lines.push(
    `- Window: ${window}`,
    `- Builds seen: ${ev.builds.length}; accounts: ${ev.accounts.join(', ') || 'none'}; regions: ${ev.regions.join(', ') || 'none'}`,
    `- Read ${ev.read.files} file(s) and ${ev.read.records} record(s); ${ev.read.matched} belong to the role in the window; ${skippedTotal} skipped (${skipped.map(([k, n]) => `${k}: ${n}`).join(', ') || 'none'})`,
    `- Files not opened: ${ev.read.filesSkippedByName} outside the window by name, ${ev.read.filesSkippedByContent} without the role's name, ${ev.read.digestFiles} digest file(s); unusable files: ${Object.entries(ev.read.fileProblems).map(([k, n]) => `${k}: ${n}`).join(', ') || 'none'}`,
    `- Policy: ${syn.statements.length} statement(s), ${actions.size} action(s), ${syn.policies.length} document(s) of ${syn.sizes.join(', ')} characters (managed-policy limit 6,144)`,
  );
  if (ev.scanned) {
    lines.push(`- ${ev.scanned.engine} scanned ${(ev.scanned.bytes / 1e6).toFixed(1)} MB (estimated cost $${ev.scanned.costUsd.toFixed(4)}${ev.scanned.queryId ? `, query ${ev.scanned.queryId}` : ''})`);
  }
  if (extras.verification) {
    lines.push(`- Verification: ${extras.verification.requests} observed request(s) replayed against policy and boundary; ${extras.verification.denied} denied`);
  }
  lines.push('');
  const warnings = [...ev.warnings, ...extras.boundaryWarnings, ...extras.trustWarnings];
  if (warnings.length) {
    lines.push('## Warnings', '', ...warnings.map((w) => `- ${w}`), '');
  }
  lines.push('## Statements', '');
  for (const s of syn.statements) {
    lines.push(`### ${s.sid}`, '');
    lines.push('| Action | Resource | Origin | Events | Builds |', '|---|---|---|---|---|');
    for (const f of s.facts) {
      lines.push(`| \`${md(f.action)}\` | \`${md(f.resource)}\` | ${f.origin}${f.because ? ` (${md(f.because)})` : ''} | ${f.count} | ${f.builds.length} |`);
    }
    lines.push('', `Granted on: ${s.resources.map((r) => `\`${md(r)}\``).join(', ')}${s.condition ? ` with condition \`${md(JSON.stringify(s.condition))}\`` : ''}`, '');
  }
  lines.push('## Denied calls (never granted)', '');
  if (syn.denied.length === 0) lines.push('None.', '');
  else {
    lines.push('| Action | Resource | Events | Error |', '|---|---|---|---|');
    for (const f of syn.denied) lines.push(`| \`${md(f.action)}\` | \`${md(f.resource)}\` | ${f.count} | access denied |`);
    lines.push('', 'A build may probe and fall back; grant these only if the build really needs them.', '');
  }
  if (syn.unproven.length) {
    lines.push('## Calls not proven (never granted)', '');
    lines.push('| Action | Resource | Events | Error |', '|---|---|---|---|');
    for (const f of syn.unproven) lines.push(`| \`${md(f.action)}\` | \`${md(f.resource)}\` | ${f.count} | ${md(f.error ?? 'error')} |`);
    lines.push('', 'These calls failed with an error raised before authorization (or one that says nothing about it), so they prove no need; see docs/translation.md.', '');
  }
  lines.push('## What CloudTrail does not show', '');
  if (ev.unobserved.length === 0) lines.push('No unlogged companions of the observed calls.', '');
  else {
    lines.push('| Action | Resource | Why | Calls that imply it |', '|---|---|---|---|');
    for (const u of ev.unobserved) lines.push(`| \`${md(u.action)}\` | \`${md(u.resource)}\` | ${md(u.reason)} | ${u.count} |`);
    lines.push('');
  }
  const inferred = syn.statements.flatMap((s) => s.facts.filter((f) => f.origin === 'inferred'));
  lines.push(
    inferred.length
      ? `${inferred.length} permission(s) were inferred from the project configuration (origin \`inferred\` above).`
      : 'No project configuration was given (--project-file or --project): the unlogged needs above are listed, not granted. S3 object calls appear only when the trail records S3 data events.',
    '',
  );
  if (syn.unknownResource.length) {
    lines.push('## Resources not in the trail', '', 'These actions are scoped by resource, but no resource field of the events named it (a resource being created, or an identifier CloudTrail does not record); they are granted as narrowly as the event allows:', '');
    for (const f of syn.unknownResource) lines.push(`- \`${md(f.action)}\` on \`${md(f.resource)}\``);
    lines.push('');
  }
  lines.push(...generalizationSections(syn, extras));
  if (ev.refused.length) {
    lines.push('## Unusual values in the logs', '');
    for (const r of ev.refused) lines.push(`- ${md(r.value)} (${r.count} event(s))`);
    lines.push('');
  }
  const escaped = syn.statements.flatMap((s) => s.resources).filter((r) => r.includes('${'));
  if (escaped.length) {
    lines.push('## Escaped wildcard characters', '', 'These resource names contain `*`, `?` or `$`; they are escaped so they match only themselves:', '');
    for (const r of escaped) lines.push(`- \`${md(r)}\``);
    lines.push('');
  }
  if (ev.untranslatable.length || ev.ignored.length) {
    lines.push('## Records not turned into permissions', '');
    for (const u of ev.untranslatable) lines.push(`- untranslatable: ${md(u.eventSource)} ${md(u.eventName)} x${u.count}: ${md(u.reason)}`);
    for (const u of ev.ignored) lines.push(`- ignored: ${md(u.eventSource)} ${md(u.eventName)} x${u.count}: ${md(u.reason)}`);
    lines.push('');
  }
  if (ev.read.notes.length) {
    lines.push('## Skipped input', '');
    for (const n of ev.read.notes) lines.push(`- ${n.reason}: ${md(n.where)}: ${md(n.detail)}`);
    lines.push('');
  }
  lines.push('## Permissions boundary', '', `${boundary.Statement.length} statement(s): ${boundary.Statement.map((s) => s.Sid).join(', ')}.`, '');
  const cond = trust.Statement[0]?.Condition;
  lines.push('## Trust policy', '', `codebuild.amazonaws.com may assume the role with \`${md(JSON.stringify(cond))}\`.`, '');
  return lines.join('\n');
}
