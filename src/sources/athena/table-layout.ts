// How the user's table is partitioned decides the partition predicates. Athena's GetTableMetadata tells us
// (partition keys, projection properties); when it is not allowed, the athena-ddl layout is assumed.
import { GetTableMetadataCommand, type AthenaClient } from '@aws-sdk/client-athena';
import { NotFound, opt, say } from '../../errors.js';
import { athenaTableName } from '../sql/escape.js';
import type { PartitionColumn } from '../sql/partitions.js';
import { withRetry } from '../sql/retry.js';

export interface TableLayout {
  /** The partition keys the builder knows, in the table's order. */
  partitionColumns: PartitionColumn[];
  /** Partition keys the builder does not know (they are not filtered on). */
  otherPartitionKeys: string[];
  /** projection.account.type = injected: every query must pin the account. */
  accountInjected: boolean;
}

const KNOWN = new Set<string>(['account', 'region', 'timestamp', 'year', 'month', 'day']);

/** The table's layout, or undefined when the metadata cannot be read (then the default layout is assumed). */
export async function readTableLayout(
  client: AthenaClient,
  tableName: string,
  opts: { signal?: AbortSignal; retryBaseMs?: number } = {},
): Promise<TableLayout | undefined> {
  const t = athenaTableName(tableName);
  try {
    const out = await withRetry(
      () =>
        client.send(
          new GetTableMetadataCommand({ CatalogName: t.catalog ?? 'AwsDataCatalog', DatabaseName: t.database ?? 'default', TableName: t.table.toLowerCase() }),
          { abortSignal: opts.signal },
        ),
      { signal: opts.signal, baseMs: opts.retryBaseMs },
    );
    const keys = (out.TableMetadata?.PartitionKeys ?? []).map((k) => (k.Name ?? '').toLowerCase());
    return {
      partitionColumns: keys.filter((k): k is PartitionColumn => KNOWN.has(k)),
      otherPartitionKeys: keys.filter((k) => !KNOWN.has(k)),
      accountInjected: out.TableMetadata?.Parameters?.['projection.account.type'] === 'injected',
    };
  } catch (err) {
    const e = err as { name?: string; message?: string };
    if (e.name === 'MetadataException' && /not (be )?found|does not exist/i.test(e.message ?? '')) {
      throw new NotFound(
        say`the Athena table ${tableName} does not exist (${e.message}); check ${opt('athenaTable')} <db.table> and ${opt('region')}, or create it from \`codebuild-iam athena-ddl\``,
        { missing: 'Athena table', option: 'athenaTable', value: tableName },
      );
    }
    return undefined;
  }
}
