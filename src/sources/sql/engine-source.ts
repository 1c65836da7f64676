// What the Athena and CloudTrail Lake sources share once their SQL is built: show it, run it with the
// query's signal and progress, and stream its rows as weighted records.
import type { SourceQuery, RecordStream } from '../source.js';
import { queryOutput, type ResultRow } from './rows.js';
import type { EngineRunOptions } from './run-options.js';

/** The options both engine sources take. */
export interface EngineSourceOptions {
  pricePerTb?: number;
  pollMs?: number;
  retryBaseMs?: number;
  /** Called with the SQL before it runs (for --debug and docs). */
  onQuery?: (sql: string) => void;
}

type Runner = (sql: string, run: EngineRunOptions) => Promise<{ queryId: string; bytesScanned: number; costUsd: number; rows: AsyncIterable<ResultRow> }>;

export async function runEngineQuery(
  engine: 'athena' | 'lake',
  sql: string,
  query: SourceQuery,
  warnings: string[],
  opts: EngineSourceOptions,
  runner: Runner,
): Promise<RecordStream> {
  opts.onQuery?.(sql);
  const result = await runner(sql, { signal: query.signal, progress: query.progress, pollMs: opts.pollMs, retryBaseMs: opts.retryBaseMs, pricePerTb: opts.pricePerTb });
  return queryOutput(engine, result, query, warnings);
}
