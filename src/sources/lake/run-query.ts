// Runs one CloudTrail Lake query to the end: StartQuery, DescribeQuery until it finishes, then
// GetQueryResults pages. Lake rows are lists of one-entry {column: value} maps and carry no header row.
import type { EngineRunOptions } from '../sql/run-options.js';
import {
  CancelQueryCommand,
  DescribeQueryCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  type CloudTrailClient,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { AwsFailure, CodebuildIamError, Interrupted, InvalidInput, NotFound, opt, say } from '../../errors.js';
import { DEFAULT_PRICE_PER_TB, formatBytes, formatUsd, lakeCostUsd } from '../sql/cost.js';
import { sleep, withRetry } from '../sql/retry.js';
import type { ResultRow } from '../sql/rows.js';

/** StartQuery refuses statements longer than this. */
export const LAKE_MAX_STATEMENT = 10_000;

export interface LakeRunOptions extends EngineRunOptions {
  /** s3:// location to also save the results to (optional for Lake). */
  deliveryS3Uri?: string;
}

export interface LakeQueryResult {
  queryId: string;
  bytesScanned: number;
  costUsd: number;
  rows: AsyncIterable<ResultRow>;
}

const USER_ERRORS = new Set([
  'EventDataStoreNotFoundException',
  'InactiveEventDataStoreException',
  'InvalidQueryStatementException',
  'InvalidParameterException',
  'EventDataStoreARNInvalidException',
]);

function errorText(err: unknown): { name: string; message: string } {
  const e = err as { name?: string; message?: string };
  return { name: e?.name ?? 'Error', message: e?.message ?? String(err) };
}

/** A result row: the ordered one-entry maps merged into one object (values are always strings). */
export function lakeRow(cells: Array<Record<string, string>>): ResultRow {
  const row: ResultRow = {};
  for (const cell of cells) for (const [k, v] of Object.entries(cell)) row[k.toLowerCase()] = v ?? null;
  return row;
}

export async function runLakeQuery(client: CloudTrailClient, sql: string, opts: LakeRunOptions = {}): Promise<LakeQueryResult> {
  const { signal } = opts;
  const price = opts.pricePerTb ?? DEFAULT_PRICE_PER_TB;
  const retry = { signal, baseMs: opts.retryBaseMs };
  if (sql.length > LAKE_MAX_STATEMENT) throw new InvalidInput(`the CloudTrail Lake query is ${sql.length} characters, over Lake's ${LAKE_MAX_STATEMENT}; shorten the role name or window`);
  if (signal?.aborted) throw new Interrupted('interrupted before the CloudTrail Lake query started');
  let queryId: string;
  try {
    const out = await withRetry(() => client.send(new StartQueryCommand({ QueryStatement: sql, DeliveryS3Uri: opts.deliveryS3Uri })), retry);
    if (!out.QueryId) throw new AwsFailure('CloudTrail StartQuery returned no query ID', { operation: 'cloudtrail:StartQuery' });
    queryId = out.QueryId;
  } catch (err) {
    if (err instanceof CodebuildIamError) throw err;
    const { name, message } = errorText(err);
    if (name === 'EventDataStoreNotFoundException') {
      throw new NotFound(say`the CloudTrail Lake event data store was not found (${message}); check ${opt('eventDataStore')} and ${opt('region')}`, { missing: 'event data store', option: 'eventDataStore', code: name });
    }
    if (USER_ERRORS.has(name)) throw new InvalidInput(`CloudTrail Lake refused the query (${name}): ${message}`, { operation: 'cloudtrail:StartQuery', code: name });
    throw new AwsFailure(say`CloudTrail StartQuery failed (${name}): ${message}; check credentials, ${opt('region')} and cloudtrail:StartQuery permission`, { operation: 'cloudtrail:StartQuery', code: name });
  }

  const began = Date.now();
  let bytes = 0;
  for (;;) {
    if (signal?.aborted) await cancelAndThrow(client, queryId);
    let status: string | undefined;
    let reason: string | undefined;
    try {
      const d = await withRetry(() => client.send(new DescribeQueryCommand({ QueryId: queryId }), { abortSignal: signal }), retry);
      status = d.QueryStatus;
      reason = d.ErrorMessage;
      bytes = d.QueryStatistics?.BytesScanned ?? bytes;
    } catch (err) {
      if (signal?.aborted) await cancelAndThrow(client, queryId);
      throw new AwsFailure(`CloudTrail DescribeQuery for query ${queryId} failed: ${errorText(err).message}`, { operation: 'cloudtrail:DescribeQuery' });
    }
    opts.progress?.(
      `lake: query ${queryId} ${status ?? 'UNKNOWN'}, ${formatBytes(bytes)} scanned (${formatUsd(lakeCostUsd(bytes, price))}), ${Math.round((Date.now() - began) / 1000)}s`,
    );
    if (status === 'FINISHED') break;
    if (status === 'FAILED') throw new InvalidInput(`CloudTrail Lake query ${queryId} failed: ${reason ?? 'no reason given'}`);
    if (status === 'TIMED_OUT') throw new AwsFailure(say`CloudTrail Lake query ${queryId} timed out; narrow ${opt('since')}/${opt('until')} and run again`);
    if (status === 'CANCELLED') throw new AwsFailure(`CloudTrail Lake query ${queryId} was cancelled outside this run; run again`);
    await sleep(opts.pollMs ?? 1000, signal);
  }
  const costUsd = lakeCostUsd(bytes, price);
  opts.progress?.(`lake: query ${queryId} scanned ${formatBytes(bytes)} (${formatUsd(costUsd)} at ${formatUsd(price)}/TB); reading results`);

  const pageSize = Math.min(Math.max(opts.pageSize ?? 1000, 1), 1000);
  const getPage = (token: string | undefined): Promise<GetQueryResultsCommandOutput> =>
    withRetry(() => client.send(new GetQueryResultsCommand({ QueryId: queryId, NextToken: token, MaxQueryResults: pageSize }), { abortSignal: signal }), retry).catch(
      (err: unknown) => {
        if (signal?.aborted) throw new Interrupted(`interrupted while reading the results of CloudTrail Lake query ${queryId}`);
        throw new AwsFailure(`CloudTrail GetQueryResults for query ${queryId} failed: ${errorText(err).message}`, { operation: 'cloudtrail:GetQueryResults' });
      },
    );
  const first = await getPage(undefined);

  async function* rows(): AsyncGenerator<ResultRow> {
    let page = first;
    let read = 0;
    for (;;) {
      for (const cells of page.QueryResultRows ?? []) yield lakeRow(cells);
      read += page.QueryResultRows?.length ?? 0;
      if (!page.NextToken) return;
      opts.progress?.(`lake: query ${queryId}: ${read} row(s) read`);
      page = await getPage(page.NextToken);
    }
  }
  return { queryId, bytesScanned: bytes, costUsd, rows: rows() };
}

async function cancelAndThrow(client: CloudTrailClient, queryId: string): Promise<never> {
  try {
    await client.send(new CancelQueryCommand({ QueryId: queryId }));
  } catch (err) {
    throw new Interrupted(`interrupted; cancelling CloudTrail Lake query ${queryId} failed (${errorText(err).message}), cancel it in the console`);
  }
  throw new Interrupted(`interrupted; CloudTrail Lake query ${queryId} was cancelled`);
}
