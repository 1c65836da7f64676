// --source athena: one aggregate query over the trail's Athena table, its rows as weighted records.
import type { AthenaClient } from '@aws-sdk/client-athena';
import { InvalidInput, opt, say } from '../../errors.js';
import type { SourceOutput, SourceQuery } from '../source.js';
import { buildAthenaQuery } from '../sql/build-query.js';
import { DEFAULT_PARTITIONS, type PartitionColumn } from '../sql/partitions.js';
import { queryOutput } from '../sql/rows.js';
import { readTableLayout } from './table-layout.js';
import { runAthenaQuery } from './run-query.js';

export interface AthenaSourceOptions {
  /** `db.table` (or `catalog.db.table`). */
  table: string;
  workgroup?: string;
  outputLocation?: string;
  pricePerTb?: number;
  /** Read only these regions' partitions. */
  regions?: string[];
  /** The table's partition columns; when absent they are read with GetTableMetadata. */
  partitionColumns?: PartitionColumn[];
  pollMs?: number;
  retryBaseMs?: number;
  /** Called with the SQL before it runs (for --debug and docs). */
  onQuery?: (sql: string) => void;
}

export async function openAthena(client: AthenaClient, query: SourceQuery, opts: AthenaSourceOptions): Promise<SourceOutput> {
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
  opts.onQuery?.(sql);
  const result = await runAthenaQuery(client, sql, {
    workgroup: opts.workgroup,
    outputLocation: opts.outputLocation,
    signal: query.signal,
    progress: query.progress,
    pollMs: opts.pollMs,
    retryBaseMs: opts.retryBaseMs,
    pricePerTb: opts.pricePerTb,
  });
  return queryOutput('athena', result, query, warnings);
}
