// How a check is written: a row in its layer's table (ID, title, severity, sources) naming a function that
// returns the problems it found. The check's ID and severity, and the project as the usual resource, are
// filled in here instead of in every finding.
import type { AuditInput, Check, CheckMeta, Finding, Layer, Severity } from '../model.js';
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

/** A row of a layer's table of checks: what the check is, and the function that decides it. */
export type CheckRow = Omit<CheckMeta, 'layer'> & { run(input: AuditInput): Outcome };

/** A layer's checks from its table, in the table's order. */
export function layerChecks(layer: Layer, rows: CheckRow[]): Check[] {
  return rows.map(({ id, title, severity, sources, run }) => {
    const meta: CheckMeta = { id, layer, title, severity, sources };
    return {
      ...meta,
      run(input) {
        const out = run(input);
        if ('skipped' in out) return out;
        const { problems, note } = Array.isArray(out) ? { problems: out, note: undefined } : out;
        return { findings: problems.map((p) => toFinding(meta, input, p)), ...(note ? { note } : {}) };
      },
    };
  });
}

/** A run that needs one part of the input first (the role, the image, the VPC) and is skipped without it. */
export function given<T extends object>(need: (input: AuditInput) => T | { skipped: string }, run: (it: T, input: AuditInput) => Outcome): (input: AuditInput) => Outcome {
  return (input) => {
    const it = need(input);
    return 'skipped' in it ? it : run(it, input);
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
