// A reader worker: takes file paths one at a time from the main thread, scans each, and hands its aggregate
// (Maps and Sets survive structured cloning) to the main thread whenever it holds job.flushFacts facts,
// and the rest with its counts at the end: a worker's memory stays bounded however long the trail, and
// aggregates merge exactly, so when they are handed over does not change the result.
import { parentPort, workerData } from 'node:worker_threads';
import { asSerialized, type SerializedError } from '../../errors.js';
import { newAggregate } from '../../translation/aggregate.js';
import { emptyStats } from '../source.js';
import { scanFile, type ScanJob } from './scan-file.js';

export type ToWorker = { type: 'file'; path: string } | { type: 'finish' };
export type FromWorker =
  | { type: 'next'; files: number; records: number; matched: number }
  | { type: 'part'; agg: ReturnType<typeof newAggregate> }
  | { type: 'result'; agg: ReturnType<typeof newAggregate>; stats: ReturnType<typeof emptyStats> }
  | { type: 'error'; error: SerializedError };

const job = workerData as ScanJob;
// About 30 MB of facts: the main thread keeps them all anyway, so a worker need not hold a second copy of a
// long trail. (4,000 made the main thread take hand-overs while the workers were busy: +15 MB at 1M records.)
const flushFacts = job.flushFacts ?? 16_000;
let agg = newAggregate({ context: job.context });
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
    if (agg.facts.size >= flushFacts) {
      port.postMessage({ type: 'part', agg } satisfies FromWorker);
      agg = newAggregate({ context: job.context });
    }
    port.postMessage({ type: 'next', files: stats.files, records: stats.records, matched: stats.matched } satisfies FromWorker);
  } catch (e) {
    port.postMessage({ type: 'error', error: asSerialized(e) } satisfies FromWorker);
  }
});
port.postMessage({ type: 'next', files: 0, records: 0, matched: 0 } satisfies FromWorker);
