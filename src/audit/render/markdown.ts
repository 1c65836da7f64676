// The audit report as markdown for a pull request or a wiki: every piece of text that came from AWS or the
// input files goes through the project's one escaping routine (src/rendering/markdown/escape.ts).
import { escapeText, inlineCode } from '../../rendering/markdown/escape.js';
import { SEVERITIES, type AuditReport, type Citation, type Finding } from '../model.js';

const STATUS = { pass: 'pass', fail: '**fail**', skipped: 'skipped' } as const;

function citation(c: Citation): string {
  // URLs are the tool's own constants (src/audit/sources.ts), never from input.
  return c.url ? `[${escapeText(c.title)}](${c.url})` : escapeText(c.title);
}

function renderFinding(f: Finding, title: string, sources: Citation[]): string[] {
  return [
    `### ${f.severity.toUpperCase()} ${inlineCode(f.id)}: ${escapeText(title)}`,
    '',
    escapeText(f.message),
    '',
    `- Resource: ${inlineCode(f.resource)}`,
    `- Evidence:`,
    ...f.evidence.map((e) => `  - ${inlineCode(e)}`),
    `- Fix: ${escapeText(f.fix)}`,
    `- Sources: ${sources.map(citation).join('; ')}`,
    '',
  ];
}

export function renderAuditMarkdown(report: AuditReport): string {
  const s = report.summary;
  const counts = SEVERITIES.filter((sev) => s[sev] > 0).map((sev) => `${s[sev]} ${sev}`);
  const lines = [
    `# codebuild-iam audit: ${inlineCode(report.project.name)}`,
    '',
    `Project ${inlineCode(report.project.arn)}. ${counts.length ? `Findings: ${counts.join(', ')}.` : 'No findings.'} Checks: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped (of ${s.checks}).`,
    '',
  ];
  const findings = report.results.flatMap((r) => r.findings.map((f) => ({ f, r })));
  findings.sort((a, b) => SEVERITIES.indexOf(a.f.severity) - SEVERITIES.indexOf(b.f.severity));
  if (findings.length) {
    lines.push('## Findings', '');
    for (const { f, r } of findings) lines.push(...renderFinding(f, r.check.title, r.check.sources));
  }
  lines.push('## Checks', '', '| Check | Layer | Status | Note |', '| --- | --- | --- | --- |');
  for (const r of report.results) {
    lines.push(`| ${r.check.id} | ${r.check.layer} | ${STATUS[r.status]} | ${r.note ? escapeText(r.note) : ''} |`);
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}
