// --source lake: makes the CloudTrail client from the flags and opens the source in src/sources/lake.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { SourceFlags } from '../../commands/source-options.js';
import type { SourceOutput, SourceQuery } from '../../../src/sources/source.js';
import { InputError } from '../../errors.js';
import { openLake } from '../../../src/sources/lake/lake-source.js';
import { eventDataStore } from '../../../src/sources/sql/escape.js';
import { clientRegion, pricePerTb } from './aws-region.js';

export async function openLakeSource(flags: SourceFlags, query: SourceQuery): Promise<SourceOutput> {
  if (!flags.eventDataStore) throw new InputError('--source lake needs --event-data-store <arn-or-id> (aws cloudtrail list-event-data-stores lists them)');
  // A store ARN names its home region, where it must be queried.
  const store = eventDataStore(flags.eventDataStore);
  const client = new CloudTrailClient({ region: store.region ?? clientRegion(flags), ...(flags.profile ? { profile: flags.profile } : {}) });
  return openLake(client, query, { eventDataStore: flags.eventDataStore, pricePerTb: pricePerTb(flags) });
}
