// --source lake: the same aggregate query in CloudTrail Lake's SQL, its rows as weighted records.
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { RecordStream, Source, SourceQuery } from '../source.js';
import { buildLakeQuery } from '../sql/build-query.js';
import { runEngineQuery, type EngineSourceOptions } from '../sql/engine-source.js';
import { drainStream } from '../stream-result.js';
import { runLakeQuery } from './run-query.js';

export interface LakeSourceOptions extends EngineSourceOptions {
  /** Event data store ARN or ID. */
  eventDataStore: string;
}

export async function openLake(client: CloudTrailClient, query: SourceQuery, opts: LakeSourceOptions): Promise<RecordStream> {
  const warnings: string[] = [];
  if (!query.since) warnings.push('no --since: the CloudTrail Lake query reads the event data store from its start; give --since to scan (and pay for) less');
  const sql = buildLakeQuery(opts.eventDataStore, { role: query.role, since: query.since, until: query.until });
  return runEngineQuery('lake', sql, query, warnings, opts, (text, run) => runLakeQuery(client, text, run));
}

/** The CloudTrail Lake source; the client must talk to the store's home region. */
export function lakeSource(client: CloudTrailClient, opts: LakeSourceOptions): Source {
  return { kind: 'lake', read: async (query) => drainStream(await openLake(client, query, opts), query.context) };
}
