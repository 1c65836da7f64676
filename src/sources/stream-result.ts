// A record stream (LookupEvents pages, query-engine rows) drained through the translator into the value every
// source returns. The files source aggregates inside its workers instead and never holds a stream.
import { aggregateRecords } from '../translation/collect.js';
import type { RecordStream, SourceResult } from './source.js';

export async function drainStream(stream: RecordStream, context: boolean | undefined): Promise<SourceResult> {
  const agg = await aggregateRecords(stream.records, { context: context === true });
  return {
    agg,
    stats: stream.stats,
    warnings: stream.warnings,
    loud: [],
    projects: stream.projects ?? [],
    builds: stream.builds ?? [],
    ...(stream.scanned ? { scanned: stream.scanned } : {}),
  };
}
