// --source athena: makes the Athena client from the flags and opens the source in src/sources/athena.
import { AthenaClient } from '@aws-sdk/client-athena';
import type { SourceFlags } from '../../commands/source-options.js';
import type { SourceOutput, SourceQuery } from '../../../src/sources/source.js';
import { InputError } from '../../errors.js';
import { openAthena } from '../../../src/sources/athena/athena-source.js';
import { athenaTableName } from '../../../src/sources/sql/escape.js';
import { clientRegion, globalRegion, pricePerTb } from './aws-region.js';

export async function openAthenaSource(flags: SourceFlags, query: SourceQuery): Promise<SourceOutput> {
  if (!flags.athenaTable) {
    throw new InputError('--source athena needs --athena-table <db.table> (a table over the trail bucket; `codebuild-iam athena-ddl --help` prints one)');
  }
  athenaTableName(flags.athenaTable);
  if (flags.athenaOutput !== undefined && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(flags.athenaOutput)) {
    throw new InputError(`--athena-output ${JSON.stringify(flags.athenaOutput)} is not an S3 location; use s3://<bucket>/<prefix>/`);
  }
  const price = pricePerTb(flags);
  const client = new AthenaClient({ region: clientRegion(flags), ...(flags.profile ? { profile: flags.profile } : {}) });
  // --region also picks the log regions to read; global services (IAM, STS) log in one region per partition.
  let regions: string[] | undefined;
  const extra: string[] = [];
  if (flags.region?.length) {
    const global = globalRegion(query.role.partition);
    regions = [...new Set([...flags.region, global])].sort();
    if (!flags.region.includes(global)) extra.push(`read ${global} as well as --region: global services (IAM, STS) log their events there`);
  }
  const out = await openAthena(client, query, {
    table: flags.athenaTable,
    workgroup: flags.athenaWorkgroup,
    outputLocation: flags.athenaOutput,
    pricePerTb: price,
    regions,
  });
  out.warnings.push(...extra);
  return out;
}
