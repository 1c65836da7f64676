// One way to write a check: its metadata plus a run that returns the problems it found. The check's ID and
// severity, and the project as the usual resource, are filled in here instead of in every finding.
import type { AuditInput, Check, CheckMeta, Finding, Severity } from '../model.js';
import { projectArn } from './common.js';

/** A problem a check found; becomes a Finding of that check. */
export interface Problem {
  message: string;
  /** The facts that make it a problem. */
  evidence: string[];
  fix: string;
  /** What the problem is about; default the project's ARN. */
  resource?: string;
  /** Default the check's severity. */
  severity?: Severity;
  /** Tells apart several findings of one check: the finding's ID becomes "CHECK:key". */
  key?: string;
}

/** What a run returns: the problems (none: pass), optionally with a note on what it saw or could not see, or
 * why the check could not run. */
export type Outcome = Problem[] | { problems: Problem[]; note?: string | undefined } | { skipped: string };

export function defineCheck({ run, ...meta }: CheckMeta & { run(input: AuditInput): Outcome }): Check {
  return {
    ...meta,
    run(input) {
      const out = run(input);
      if ('skipped' in out) return out;
      const { problems, note } = Array.isArray(out) ? { problems: out, note: undefined } : out;
      return { findings: problems.map((p) => toFinding(meta, input, p)), ...(note ? { note } : {}) };
    },
  };
}

function toFinding(meta: CheckMeta, input: AuditInput, p: Problem): Finding {
  return {
    id: p.key ? `${meta.id}:${p.key}` : meta.id,
    check: meta.id,
    severity: p.severity ?? meta.severity,
    resource: p.resource ?? projectArn(input),
    message: p.message,
    evidence: p.evidence,
    fix: p.fix,
  };
}
