// The contract every source (local files, LookupEvents, Athena, CloudTrail Lake) fulfils: `read` takes the
// role and the window and returns one value, the role's records already translated and aggregated, with the
// accounting of what was read and skipped. Callers never need to know which source they hold.
import type { BuildInfo, ProjectConfig, ReadStats, WeightedRecord } from '../model.js';
import type { AggregateState } from '../translation/aggregate.js';
import type { RoleSpec } from './role-match.js';

export type SourceKind = 'files' | 'lookup' | 'athena' | 'lake';

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

/** What query engines report they scanned and what it cost. */
export interface Scanned {
  bytes: number;
  costUsd: number;
  engine: string;
  queryId?: string;
}

/** What every source's `read` returns. */
export interface SourceResult {
  agg: AggregateState;
  stats: ReadStats;
  /** Caveats for the report, e.g. "LookupEvents has no data events". */
  warnings: string[];
  /** The warnings that may hide the role's records, for stderr as well as the report. */
  loud: string[];
  /** When no record was the role's: the trail's roles closest to it, where the source can tell. */
  closestRoles?: string[];
  /** Where the source looked, for the message when nothing matched ("in 3 file(s) under ..."), if it can say. */
  where?: string;
  /** What the source learnt about CodeBuild projects and builds (empty when nothing). */
  projects: ProjectConfig[];
  builds: BuildInfo[];
  scanned?: Scanned;
}

export interface Source {
  readonly kind: SourceKind;
  /** The role the source can name by itself (lookup: the project's service role); undefined when it cannot. */
  role?(): Promise<string | undefined>;
  read(query: SourceQuery): Promise<SourceResult>;
}

/** The record stream the AWS sources drain into the aggregate (see stream-result.ts). */
export interface RecordStream {
  /** The matching records; drain it once. */
  records: AsyncIterable<WeightedRecord>;
  /** Filled in while `records` is drained; final once it is done. */
  stats: ReadStats;
  /** Filled in while `records` is drained, too. */
  warnings: string[];
  projects?: ProjectConfig[];
  builds?: BuildInfo[];
  scanned?: Scanned;
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
