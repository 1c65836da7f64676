// --source athena: the flags checked and turned into the Athena source's options, its client from the factory.
import { AthenaClient } from '@aws-sdk/client-athena';
import type { SourceFlags } from '../../shared/flags.js';
import type { AwsClients } from '../../aws-clients.js';
import { InputError } from '../../errors.js';
import { athenaSource } from '../../../src/sources/athena/athena-source.js';
import type { Source } from '../../../src/sources/source.js';
import { athenaTableName } from '../../../src/sources/sql/escape.js';
import { pricePerTb } from './engine-flags.js';

export async function athenaFromFlags(flags: SourceFlags, clients: AwsClients): Promise<Source> {
  if (!flags.athenaTable) {
    throw new InputError('--source athena needs --athena-table <db.table> (a table over the trail bucket; `codebuild-iam athena-ddl --help` prints one)');
  }
  athenaTableName(flags.athenaTable);
  if (flags.athenaOutput !== undefined && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(flags.athenaOutput)) {
    throw new InputError(`--athena-output ${JSON.stringify(flags.athenaOutput)} is not an S3 location; use s3://<bucket>/<prefix>/`);
  }
  const price = pricePerTb(flags);
  const client = clients.make(AthenaClient, await clients.region());
  return athenaSource(client, {
    table: flags.athenaTable,
    workgroup: flags.athenaWorkgroup,
    outputLocation: flags.athenaOutput,
    pricePerTb: price,
    regions: flags.region,
  });
}
