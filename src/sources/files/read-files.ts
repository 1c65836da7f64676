// The local-files source: trail files under --logs, scanned in parallel by worker threads (one per core by
// default). Work is handed out one file at a time, so a few huge files do not idle the other workers. The
// result is the same for any number of workers: aggregates merge exactly and everything is sorted later.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CodebuildIamError, fromSerialized, Interrupted, NotFound, OperationFailed, opt, say, type MessagePart } from '../../errors.js';
import type { ReadStats } from '../../model.js';
import { mergeAggregates, newAggregate, type AggregateState } from '../../translation/aggregate.js';
import type { Source, SourceQuery, SourceResult } from '../source.js';
import { emptyStats } from '../source.js';
import { filesWhere } from '../role-not-seen.js';
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

function windowExcludesAll(query: FilesQuery, logs: string[]): MessagePart[] {
  const times = logs.map(deliveryTime).filter((t): t is number => t !== undefined);
  const bounds = [query.since && say`${opt('since')} ${query.since.toISOString()}`, query.until && say`${opt('until')} ${query.until.toISOString()}`].filter((b) => b !== undefined);
  const window = bounds.flatMap((b, i) => (i ? [' ', ...b] : b));
  return say`the window (${window}) excludes every one of the ${logs.length} trail file(s) under ${query.paths.join(', ')} by delivery time; the trail was delivered from ${minute(Math.min(...times))} to ${minute(Math.max(...times))}`;
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
  // inherit a TypeScript loader. vitest rebuilds a stale dist/ first (test/support/fresh-build.ts).
  const fromSource = import.meta.url.endsWith('.ts');
  const url = fromSource ? new URL('../../../dist/src/sources/files/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url);
  if (fromSource && !existsSync(url)) throw new OperationFailed('dist/ is missing: run `npm run build` before running from sources');
  // A 12 MB young generation (V8's default is larger): a worker's garbage is short-lived (inflated text,
  // parsed records), and collecting it sooner took the peak at 1M records from ~270 to ~205 MB at no cost in
  // time (5 alternated runs of 6, 8, 12, 16 MB and the default). A 48 MB one made no run faster and cost memory.
  return new Worker(url, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
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
    throw new NotFound(say`no trail log files (.json, .json.gz, .jsonl) under ${query.paths.join(', ')}; point ${opt('logs')} at the AWSLogs folder or at log files`, { missing: 'trail log files', option: 'logs', file: query.paths.join(', ') });
  }
  // Only files named with a delivery time are left out by name, so all of them have one here.
  if (!found.logs.some((f) => fileMayHoldWindow(deliveryTime(f), sinceMs, untilMs))) throw new NotFound(windowExcludesAll(query, found.logs), { missing: 'trail log files inside the window', option: 'since' });
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
          reject(fromSerialized(msg.error));
        }
      });
      worker.on('error', (e) => reject(e instanceof CodebuildIamError ? e : new OperationFailed(`a reader worker failed: ${e.message}`)));
      // A worker terminated while it is still starting can exit with code 0: any exit before its result is
      // a failure, or the run would wait for it forever.
      worker.on('exit', (code) => {
        if (!delivered) reject(new OperationFailed(`a reader worker stopped before it finished (exit code ${code})`));
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
    if (query.signal?.aborted) throw new Interrupted('interrupted; nothing was written');
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
  if (query.signal?.aborted) throw new Interrupted('interrupted; nothing was written');
  // Counts and notes come from several workers: sort them so reports do not depend on scheduling (key order
  // of the count objects shows in evidence.json).
  stats.skipped = sortKeys(stats.skipped);
  stats.fileProblems = sortKeys(stats.fileProblems);
  stats.notes.sort((a, b) => (a.where < b.where ? -1 : a.where > b.where ? 1 : a.reason < b.reason ? -1 : 1));
  const result: FilesResult = { agg, stats, warnings, loud, where: filesWhere(stats, query.paths), projects: [], builds: [] };
  if (stats.matched === 0 && (stats.skipped['outside-window'] ?? 0) === 0) result.closestRoles = closestRoles(files, query.role).roles;
  return result;
}
