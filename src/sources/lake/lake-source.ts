// --source lake: the same aggregate query in CloudTrail Lake's SQL, its rows as weighted records.
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { SourceOutput, SourceQuery } from '../source.js';
import { buildLakeQuery } from '../sql/build-query.js';
import { queryOutput } from '../sql/rows.js';
import { runLakeQuery } from './run-query.js';

export interface LakeSourceOptions {
  /** Event data store ARN or ID. */
  eventDataStore: string;
  pricePerTb?: number;
  pollMs?: number;
  retryBaseMs?: number;
  onQuery?: (sql: string) => void;
}

export async function openLake(client: CloudTrailClient, query: SourceQuery, opts: LakeSourceOptions): Promise<SourceOutput> {
  const warnings: string[] = [];
  if (!query.since) warnings.push('no --since: the CloudTrail Lake query reads the event data store from its start; give --since to scan (and pay for) less');
  const sql = buildLakeQuery(opts.eventDataStore, { role: query.role, since: query.since, until: query.until });
  opts.onQuery?.(sql);
  const result = await runLakeQuery(client, sql, {
    signal: query.signal,
    progress: query.progress,
    pollMs: opts.pollMs,
    retryBaseMs: opts.retryBaseMs,
    pricePerTb: opts.pricePerTb,
  });
  return queryOutput('lake', result, query, warnings);
}
