// The contract every source (local files, LookupEvents, Athena, CloudTrail Lake) fulfils: records of one role
// inside one window, already filtered, plus the accounting of what was read and skipped.
import type { BuildInfo, ProjectConfig, ReadStats, WeightedRecord } from '../model.js';
import type { RoleSpec } from './role-match.js';

export interface SourceQuery {
  role: RoleSpec;
  since?: Date;
  until?: Date;
  /** Any unreadable input is an error instead of a counted skip. */
  strict?: boolean;
  /** Called now and then with a one-line progress message (for stderr). */
  progress?: (line: string) => void;
  /** Aborts AWS queries and workers (Ctrl-C). */
  signal?: AbortSignal;
  /** Keep the condition-key values of the records with each fact (verify). */
  context?: boolean;
}

export interface SourceOutput {
  /** The matching records; drain it once. */
  records: AsyncIterable<WeightedRecord>;
  /** Filled in while `records` is drained; final once it is done. */
  stats: ReadStats;
  /** Caveats for the report, e.g. "LookupEvents has no data events". */
  warnings: string[];
  /** What the source learnt about CodeBuild projects and builds, if anything. */
  projects?: ProjectConfig[];
  builds?: BuildInfo[];
  /** Query engines report what they scanned and what it cost. */
  scanned?: { bytes: number; costUsd: number; engine: string; queryId?: string };
}

export function emptyStats(): ReadStats {
  return {
    files: 0,
    filesSkippedByName: 0,
    filesSkippedByContent: 0,
    digestFiles: 0,
    records: 0,
    matched: 0,
    skipped: {},
    fileProblems: {},
    notes: [],
  };
}
