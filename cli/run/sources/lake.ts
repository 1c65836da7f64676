// --source lake: the flags checked and turned into the CloudTrail Lake source's options, its client from the factory.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { SourceFlags } from '../../shared/flags.js';
import type { AwsClients } from '../../aws-clients.js';
import { InputError } from '../../errors.js';
import { lakeSource } from '../../../src/sources/lake/lake-source.js';
import type { Source } from '../../../src/sources/source.js';
import { eventDataStore } from '../../../src/sources/sql/escape.js';
import { pricePerTb } from './engine-flags.js';

export async function lakeFromFlags(flags: SourceFlags, clients: AwsClients): Promise<Source> {
  if (!flags.eventDataStore) throw new InputError('--source lake needs --event-data-store <arn-or-id> (aws cloudtrail list-event-data-stores lists them)');
  // A store ARN names its home region, where it must be queried.
  const store = eventDataStore(flags.eventDataStore);
  const client = clients.make(CloudTrailClient, store.region ?? (await clients.region()));
  return lakeSource(client, { eventDataStore: flags.eventDataStore, pricePerTb: pricePerTb(flags) });
}
