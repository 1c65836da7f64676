// The local-files source: trail files under --logs, scanned in parallel by worker threads (one per core by
// default). Work is handed out one file at a time, so a few huge files do not idle the other workers. The
// result is the same for any number of workers: aggregates merge exactly and everything is sorted later.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CliError, InputError, RuntimeFailure } from '../../errors.js';
import type { ReadStats } from '../../model.js';
import { mergeAggregates, newAggregate, type AggregateState } from '../../translation/aggregate.js';
import type { Source, SourceQuery, SourceResult } from '../source.js';
import { emptyStats } from '../source.js';
import { closestRoles } from './role-census.js';
import { deliveryTime, fileMayHoldWindow, findLogFiles } from './walk.js';
import type { FromWorker } from './worker.js';
import { FileQueue, WorkerFeed } from './worker-feed.js';
import type { ScanJob } from './scan-file.js';

export interface FilesQuery extends SourceQuery, FilesOptions {}

/** The source result; `closestRoles` (when no record was the role's) are the roles of a sample of the files. */
export type FilesResult = SourceResult;

export interface FilesOptions {
  paths: string[];
  workers?: number;
  /** See ScanJob.flushFacts. */
  flushFacts?: number;
}

/** The local-files source. */
export function filesSource(options: FilesOptions): Source {
  return { kind: 'files', read: (query) => readFiles({ ...query, ...options }) };
}

/** "2024-03-01T10:05Z": delivery times carry minutes. */
const minute = (t: number): string => `${new Date(t).toISOString().slice(0, 16)}Z`;

function windowExcludesAll(query: FilesQuery, logs: string[]): string {
  const times = logs.map(deliveryTime).filter((t): t is number => t !== undefined);
  const window = [query.since && `--since ${query.since.toISOString()}`, query.until && `--until ${query.until.toISOString()}`].filter(Boolean).join(' ');
  return `the window (${window}) excludes every one of the ${logs.length} trail file(s) under ${query.paths.join(', ')} by delivery time; the trail was delivered from ${minute(Math.min(...times))} to ${minute(Math.max(...times))}`;
}

function mergeStats(into: ReadStats, from: ReadStats): void {
  into.files += from.files;
  into.filesSkippedByContent += from.filesSkippedByContent;
  into.records += from.records;
  into.matched += from.matched;
  for (const [k, v] of Object.entries(from.skipped)) into.skipped[k as keyof ReadStats['skipped']] = (into.skipped[k as keyof ReadStats['skipped']] ?? 0) + (v ?? 0);
  for (const [k, v] of Object.entries(from.fileProblems)) into.fileProblems[k as keyof ReadStats['fileProblems']] = (into.fileProblems[k as keyof ReadStats['fileProblems']] ?? 0) + (v ?? 0);
  into.notes.push(...from.notes);
}

function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

const WORKER_YOUNG_GENERATION_MB = 12;

function spawnWorker(job: ScanJob): Worker {
  // Run from TypeScript sources (the tests), the worker is the compiled one in dist/: worker threads do not
  // inherit a TypeScript loader. `npm test` builds dist/ first.
  const fromSource = import.meta.url.endsWith('.ts');
  const url = fromSource ? new URL('../../../dist/src/sources/files/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url);
  if (fromSource && !existsSync(url)) throw new RuntimeFailure('dist/ is missing: run `npm run build` before running from sources');
  // A 12 MB young generation (V8's default is larger): a worker's garbage is short-lived (inflated text,
  // parsed records), and collecting it sooner took the peak at 1M records from ~270 to ~205 MB at no cost in
  // time (5 alternated runs of 6, 8, 12, 16 MB and the default). A 48 MB one made no run faster and cost memory.
  return new Worker(url, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
}

/** "; 2 unusable (not-json: 1, unreadable-file: 1), e.g. <file>: <why>", or "" when every file was usable. */
function unusable(r: ReadStats): string {
  const problems = Object.entries(r.fileProblems).filter(([, n]) => (n ?? 0) > 0);
  if (problems.length === 0) return '';
  const total = problems.reduce((a, [, n]) => a + (n ?? 0), 0);
  const first = r.notes.find((n) => n.reason in r.fileProblems);
  return `; ${total} unusable (${problems.map(([k, n]) => `${k}: ${n}`).join(', ')})${first ? `, e.g. ${first.where}: ${first.detail}` : ''}`;
}

/** Where the files source looked, for the message when no record was the role's. */
function where(r: ReadStats, paths: string[]): string {
  return `in ${r.files} file(s) under ${paths.join(', ')} (${r.records} record(s) parsed; ${r.filesSkippedByContent} file(s) never mention the role, ${r.filesSkippedByName} are outside the window by name${unusable(r)})`;
}

interface FileSelection {
  files: string[];
  stats: ReadStats;
  warnings: string[];
  loud: string[];
}

/** The trail files under the paths that may hold the window, with what was left out and why. */
function selectFiles(query: FilesQuery, sinceMs: number | undefined, untilMs: number | undefined): FileSelection {
  const found = findLogFiles(query.paths);
  if (found.logs.length === 0) {
    throw new InputError(`no trail log files (.json, .json.gz, .jsonl) under ${query.paths.join(', ')}; point --logs at the AWSLogs folder or at log files`);
  }
  // Only files named with a delivery time are left out by name, so all of them have one here.
  if (!found.logs.some((f) => fileMayHoldWindow(deliveryTime(f), sinceMs, untilMs))) throw new InputError(windowExcludesAll(query, found.logs));
  const stats = emptyStats();
  stats.digestFiles = found.digests.length;
  const files = found.logs.filter((f) => fileMayHoldWindow(deliveryTime(f), sinceMs, untilMs));
  stats.filesSkippedByName = found.logs.length - files.length;
  const warnings: string[] = [];
  if (found.others.length) warnings.push(`${found.others.length} file(s) under --logs are not trail logs by name and were not read (e.g. ${found.others[0]})`);
  const loud: string[] = [];
  if (found.special.length) {
    loud.push(
      `${found.special.length} entr${found.special.length === 1 ? 'y' : 'ies'} under --logs ${found.special.length === 1 ? 'is' : 'are'} not a regular file (a FIFO, device, socket or dangling symlink) and ${found.special.length === 1 ? 'was' : 'were'} not opened: ${found.special.slice(0, 5).join(', ')}${found.special.length > 5 ? ', ...' : ''}`,
    );
    warnings.push(...loud);
  }
  return { files, stats, warnings, loud };
}

/** A worker's error message as the error it stands for. */
function workerError(msg: Extract<FromWorker, { type: 'error' }>): Error {
  return msg.exitCode === 2 ? new InputError(msg.message) : new RuntimeFailure(msg.message);
}

/** Drives the workers over the files: hands them out, merges what comes back, reports progress. */
async function scanAll(workers: Worker[], files: string[], stats: ReadStats, query: FilesQuery): Promise<AggregateState> {
  const agg = newAggregate();
  const queue = new FileQueue(files);
  let filesDone = 0;
  const started = Date.now();
  const perWorker = new Map<Worker, { records: number; matched: number }>();
  const progress = (): void => {
    if (!query.progress) return;
    let records = 0;
    let matched = 0;
    for (const v of perWorker.values()) {
      records += v.records;
      matched += v.matched;
    }
    const secs = (Date.now() - started) / 1000;
    query.progress(`${filesDone}/${files.length} files, ${records} records (${Math.round(records / Math.max(secs, 0.001))}/s), ${matched} of the role`);
  };
  const runOne = (worker: Worker): Promise<void> =>
    new Promise((resolve, reject) => {
      const feed = new WorkerFeed(queue);
      let delivered = false;
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'next') {
          const { done, send } = feed.onNext(msg.files);
          filesDone += done;
          perWorker.set(worker, { records: msg.records, matched: msg.matched });
          progress();
          for (const m of send) worker.postMessage(m);
        } else if (msg.type === 'part') {
          mergeAggregates(agg, msg.agg);
        } else if (msg.type === 'result') {
          delivered = true;
          mergeAggregates(agg, msg.agg);
          mergeStats(stats, msg.stats);
          resolve();
        } else {
          reject(workerError(msg));
        }
      });
      worker.on('error', (e) => reject(e instanceof CliError ? e : new RuntimeFailure(`a reader worker failed: ${e.message}`)));
      // A worker terminated while it is still starting can exit with code 0: any exit before its result is
      // a failure, or the run would wait for it forever.
      worker.on('exit', (code) => {
        if (!delivered) reject(new RuntimeFailure(`a reader worker stopped before it finished (exit code ${code})`));
      });
    });
  const onAbort = (): void => {
    for (const w of workers) void w.terminate();
  };
  query.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(workers.map(runOne));
  } catch (e) {
    // Ctrl-C terminates the workers, which then report that they stopped: say what really happened.
    if (query.signal?.aborted) throw new RuntimeFailure('interrupted; nothing was written');
    throw e;
  } finally {
    query.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return agg;
}

export async function readFiles(query: FilesQuery): Promise<FilesResult> {
  const sinceMs = query.since?.getTime();
  const untilMs = query.until?.getTime();
  const job: ScanJob = { role: query.role, sinceMs, untilMs, strict: query.strict === true, flushFacts: query.flushFacts, context: query.context === true };
  // The workers start (and load their modules) while this thread walks the folders.
  const workers: Worker[] = Array.from({ length: Math.max(1, query.workers ?? availableParallelism()) }, () => spawnWorker(job));
  let selection: FileSelection;
  try {
    selection = selectFiles(query, sinceMs, untilMs);
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  }
  const { files, stats, warnings, loud } = selection;
  const agg = await scanAll(workers, files, stats, query);
  if (query.signal?.aborted) throw new RuntimeFailure('interrupted; nothing was written');
  // Counts and notes come from several workers: sort them so reports do not depend on scheduling (key order
  // of the count objects shows in evidence.json).
  stats.skipped = sortKeys(stats.skipped);
  stats.fileProblems = sortKeys(stats.fileProblems);
  stats.notes.sort((a, b) => (a.where < b.where ? -1 : a.where > b.where ? 1 : a.reason < b.reason ? -1 : 1));
  const result: FilesResult = { agg, stats, warnings, loud, where: where(stats, query.paths), projects: [], builds: [] };
  if (stats.matched === 0 && (stats.skipped['outside-window'] ?? 0) === 0) result.closestRoles = closestRoles(files, query.role).roles;
  return result;
}
