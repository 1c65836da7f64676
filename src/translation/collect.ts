// Records from any source -> aggregated evidence, through the same translator the file reader's workers use.
import type { WeightedRecord } from '../model.js';
import { addTranslation, newAggregate, type AggregateState } from './aggregate.js';
import { translate } from './translate.js';

export async function aggregateRecords(records: AsyncIterable<WeightedRecord>, options: { context?: boolean } = {}): Promise<AggregateState> {
  const agg = newAggregate(options);
  for await (const w of records) addTranslation(agg, w, translate(w.record));
  return agg;
}
