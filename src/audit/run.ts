// Runs every check on a snapshot and collects the results into a report (deterministic order).
import { CHECKS } from './catalog.js';
import { SEVERITIES, type AuditEvidence, type AuditInput, type AuditOptions, type AuditReport, type CheckResult, type ProjectSnapshot } from './model.js';
import { analyzeRole } from './role-analysis.js';

export async function runAudit(snapshot: ProjectSnapshot, options: AuditOptions = {}, evidence?: AuditEvidence): Promise<AuditReport> {
  const role = snapshot.role ? await analyzeRole(snapshot.role, evidence) : undefined;
  const input: AuditInput = { snapshot, options, ...(evidence ? { evidence } : {}), ...(role ? { role } : {}) };
  const results: CheckResult[] = CHECKS.map((check) => {
    const { run, ...meta } = check;
    const out = run(input);
    if ('skipped' in out) return { check: meta, status: 'skipped', note: out.skipped, findings: [] };
    const findings = [...out.findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.id.localeCompare(b.id));
    return { check: meta, status: findings.length ? 'fail' : 'pass', ...(out.note ? { note: out.note } : {}), findings };
  });
  const all = results.flatMap((r) => r.findings);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, all.filter((f) => f.severity === s).length])) as Record<(typeof SEVERITIES)[number], number>;
  return {
    schema: 'codebuild-iam/audit@1',
    project: { name: snapshot.project.name ?? '', arn: snapshot.project.arn ?? '', region: snapshot.region, account: snapshot.account },
    summary: {
      ...bySeverity,
      checks: results.length,
      passed: results.filter((r) => r.status === 'pass').length,
      failed: results.filter((r) => r.status === 'fail').length,
      skipped: results.filter((r) => r.status === 'skipped').length,
    },
    results,
  };
}
