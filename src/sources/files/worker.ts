// A reader worker: takes file paths one at a time from the main thread, scans each, and at the end hands
// back its aggregate (Maps and Sets survive structured cloning) and its counts.
import { parentPort, workerData } from 'node:worker_threads';
import { CliError } from '../../errors.js';
import { newAggregate } from '../../translation/aggregate.js';
import { emptyStats } from '../source.js';
import { scanFile, type ScanJob } from './scan-file.js';

export type ToWorker = { type: 'file'; path: string } | { type: 'finish' };
export type FromWorker =
  | { type: 'next'; files: number; records: number; matched: number }
  | { type: 'result'; agg: ReturnType<typeof newAggregate>; stats: ReturnType<typeof emptyStats> }
  | { type: 'error'; message: string; exitCode: number };

const job = workerData as ScanJob;
const agg = newAggregate();
const stats = emptyStats();
const port = parentPort;
if (!port) throw new Error('worker.ts must run as a worker thread');

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'finish') {
    port.postMessage({ type: 'result', agg, stats } satisfies FromWorker);
    return;
  }
  try {
    scanFile(msg.path, job, agg, stats);
    port.postMessage({ type: 'next', files: stats.files, records: stats.records, matched: stats.matched } satisfies FromWorker);
  } catch (e) {
    const exitCode = e instanceof CliError ? e.exitCode : 3;
    port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e), exitCode } satisfies FromWorker);
  }
});
port.postMessage({ type: 'next', files: 0, records: 0, matched: 0 } satisfies FromWorker);
