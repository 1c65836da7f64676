// Records from any source -> aggregated evidence, through the same translator the file reader's workers use.
import type { Evidence, ReadStats, WeightedRecord } from '../model.js';
import { addTranslation, newAggregate, toEvidence, type AggregateState } from './aggregate.js';
import { translate } from './translate.js';

export async function aggregateRecords(records: AsyncIterable<WeightedRecord>, options: { context?: boolean } = {}): Promise<AggregateState> {
  const agg = newAggregate(options);
  for await (const w of records) addTranslation(agg, w, translate(w.record));
  return agg;
}

export function evidenceFrom(agg: AggregateState, role: string, window: Evidence['window'], read: ReadStats, warnings: string[]): Evidence {
  return toEvidence(agg, role, window, read, warnings);
}
