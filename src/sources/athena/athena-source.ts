// --source athena: one aggregate query over the trail's Athena table, its rows as weighted records.
import type { AthenaClient } from '@aws-sdk/client-athena';
import { InvalidInput, opt, say } from '../../errors.js';
import { globalRegion, withGlobalRegion } from '../regions.js';
import type { RecordStream, Source, SourceQuery } from '../source.js';
import { buildAthenaQuery } from '../sql/build-query.js';
import { runEngineQuery, type EngineSourceOptions } from '../sql/engine-source.js';
import { DEFAULT_PARTITIONS, type PartitionColumn } from '../sql/partitions.js';
import { drainStream } from '../stream-result.js';
import { readTableLayout } from './table-layout.js';
import { runAthenaQuery } from './run-query.js';

export interface AthenaSourceOptions extends EngineSourceOptions {
  /** `db.table` (or `catalog.db.table`). */
  table: string;
  workgroup?: string;
  outputLocation?: string;
  /** Read only these regions' partitions. */
  regions?: string[];
  /** The table's partition columns; when absent they are read with GetTableMetadata. */
  partitionColumns?: PartitionColumn[];
}

export async function openAthena(client: AthenaClient, query: SourceQuery, opts: AthenaSourceOptions): Promise<RecordStream> {
  const warnings: string[] = [];
  let columns = opts.partitionColumns;
  if (!columns) {
    const layout = await readTableLayout(client, opts.table, { signal: query.signal, retryBaseMs: opts.retryBaseMs });
    if (!layout) {
      columns = [...DEFAULT_PARTITIONS];
      warnings.push(
        `could not read the partition keys of ${opts.table} (athena:GetTableMetadata); assumed the athena-ddl layout (account, region, timestamp)`,
      );
    } else {
      columns = layout.partitionColumns;
      if (layout.accountInjected && !query.role.account) {
        throw new InvalidInput(
          say`the table ${opts.table} injects its account partition, so the query must name the account; give ${opt('role')} as an ARN (arn:aws:iam::<account>:role/<name>)`,
          { option: 'role', value: query.role.input },
        );
      }
      const dated = columns.includes('timestamp') || (columns.includes('year') && columns.includes('month') && columns.includes('day'));
      if (!dated) warnings.push(`the table ${opts.table} has no date partitions, so Athena scans all of it whatever the window; see docs/athena.md for a partitioned table`);
    }
  }
  if (!query.since) warnings.push('no --since: the Athena query reads every date partition up to the end of the window; give --since to scan (and pay for) less');
  const sql = buildAthenaQuery(opts.table, {
    role: query.role,
    since: query.since,
    until: query.until,
    regions: opts.regions,
    partitionColumns: columns,
  });
  const { workgroup, outputLocation } = opts;
  return runEngineQuery('athena', sql, query, warnings, opts, (text, run) => runAthenaQuery(client, text, { ...run, workgroup, outputLocation }));
}

/**
 * The Athena source. `regions` (--region) narrows the partitions read; the partition's global-events region
 * is always read with them, or the role's IAM and STS calls would be missing.
 */
export function athenaSource(client: AthenaClient, opts: AthenaSourceOptions): Source {
  return {
    kind: 'athena',
    async read(query) {
      const given = opts.regions?.length ? opts.regions : undefined;
      const global = globalRegion(query.role.partition);
      const out = await openAthena(client, query, { ...opts, regions: given && withGlobalRegion(given, query.role.partition) });
      if (given && !given.includes(global)) out.warnings.push(`read ${global} as well as --region: global services (IAM, STS) log their events there`);
      return drainStream(out, query.context);
    },
  };
}
