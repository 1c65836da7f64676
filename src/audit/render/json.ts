// The audit report as JSON (schema "codebuild-iam/audit@1"): stable key order from the report's construction.
import type { AuditReport } from '../model.js';

export function renderAuditJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
