// Runs one Athena query to the end: start it, poll its state, then page its results. The client is made by
// the caller (cli/run); this module only speaks the API. Ctrl-C (the signal) stops the query in Athena too,
// so an abandoned scan does not keep running and billing.
import type { EngineRunOptions } from '../sql/run-options.js';
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type GetQueryResultsCommandOutput,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { randomUUID } from 'node:crypto';
import { AwsFailure, CodebuildIamError, Interrupted, InvalidInput, NotFound, opt, say } from '../../errors.js';
import { athenaCostUsd, DEFAULT_PRICE_PER_TB, formatBytes, formatUsd } from '../sql/cost.js';
import { sleep, withRetry } from '../sql/retry.js';
import type { CellValue, ResultRow } from '../sql/rows.js';

export interface AthenaRunOptions extends EngineRunOptions {
  /** Workgroup (default: primary). */
  workgroup?: string;
  /** s3:// location for results, when the workgroup has none. */
  outputLocation?: string;
}

export interface Column {
  name: string;
  type: string;
}

export interface AthenaQueryResult {
  queryId: string;
  bytesScanned: number;
  /** Billed cost: bytes rounded up to the MB, at least 10 MB. */
  costUsd: number;
  columns: Column[];
  /** The data rows (header removed), typed by column; pages are fetched as it is drained. */
  rows: AsyncIterable<ResultRow>;
}

const NUMERIC = /^(tinyint|smallint|integer|int|bigint|double|float|real|decimal.*)$/i;

/** Athena returns every value as text; the result set's metadata says what it is. */
export function typedValue(text: string | undefined, type: string): CellValue {
  if (text === undefined) return null;
  if (NUMERIC.test(type)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  if (/^boolean$/i.test(type)) return text === 'true';
  return text;
}

function errorText(err: unknown): { name: string; message: string } {
  const e = err as { name?: string; message?: string };
  return { name: e?.name ?? 'Error', message: e?.message ?? String(err) };
}

function startError(err: unknown, opts: AthenaRunOptions): Error {
  const { name, message } = errorText(err);
  const wg = opts.workgroup ?? 'primary';
  if (/output location/i.test(message)) {
    return new InvalidInput(say`Athena workgroup ${wg} has no query result location; pass ${opt('athenaOutput')} s3://<bucket>/<prefix>/ or set one on the workgroup`, { option: 'athenaOutput', code: name });
  }
  if (/workgroup/i.test(message) && /not found|does not exist/i.test(message)) {
    return new NotFound(say`Athena workgroup ${wg} does not exist in this region; check ${opt('athenaWorkgroup')} and ${opt('region')}`, { missing: 'Athena workgroup', option: 'athenaWorkgroup', value: wg, code: name });
  }
  if (name === 'InvalidRequestException') return new InvalidInput(`Athena refused the query: ${message}`, { operation: 'athena:StartQueryExecution', code: name });
  return new AwsFailure(say`Athena StartQueryExecution failed (${name}): ${message}; check credentials, ${opt('region')} and athena:StartQueryExecution permission`, { operation: 'athena:StartQueryExecution', code: name });
}

function failedError(id: string, q: QueryExecution): Error {
  const reason = q.Status?.StateChangeReason ?? q.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
  if (/TABLE_NOT_FOUND|SCHEMA_NOT_FOUND|does not exist|Table .* not found|Schema .* not found/i.test(reason)) {
    return new NotFound(
      say`the Athena table does not exist (${reason}); check ${opt('athenaTable')} <db.table>, or create the table from \`codebuild-iam athena-ddl\``,
      { missing: 'Athena table', option: 'athenaTable' },
    );
  }
  // Category 2 is a user error (bad SQL, permissions on the data); 1 is Athena's, 3 is unknown.
  if (q.Status?.AthenaError?.ErrorCategory === 2) return new InvalidInput(`Athena query ${id} failed: ${reason}`);
  return new AwsFailure(`Athena query ${id} failed: ${reason}`);
}

/** Starts `sql`, waits until it finishes, and returns its statistics with a lazy reader of its rows. */
export async function runAthenaQuery(client: AthenaClient, sql: string, opts: AthenaRunOptions = {}): Promise<AthenaQueryResult> {
  const { signal } = opts;
  const price = opts.pricePerTb ?? DEFAULT_PRICE_PER_TB;
  const retry = { signal, baseMs: opts.retryBaseMs };
  if (signal?.aborted) throw new Interrupted('interrupted before the Athena query started');
  // One token for every attempt: a retried start cannot launch (and bill) the query twice.
  const token = randomUUID();
  let queryId: string;
  try {
    const started = await withRetry(
      () =>
        client.send(
          new StartQueryExecutionCommand({
            QueryString: sql,
            ClientRequestToken: token,
            WorkGroup: opts.workgroup,
            ResultConfiguration: opts.outputLocation ? { OutputLocation: opts.outputLocation } : undefined,
          }),
        ),
      retry,
    );
    if (!started.QueryExecutionId) throw new AwsFailure('Athena StartQueryExecution returned no query ID', { operation: 'athena:StartQueryExecution' });
    queryId = started.QueryExecutionId;
  } catch (err) {
    throw err instanceof CodebuildIamError ? err : startError(err, opts);
  }

  const began = Date.now();
  let execution: QueryExecution | undefined;
  for (;;) {
    if (signal?.aborted) await stopAndThrow(client, queryId);
    try {
      execution = (await withRetry(() => client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }), { abortSignal: signal }), retry))
        .QueryExecution;
    } catch (err) {
      if (signal?.aborted) await stopAndThrow(client, queryId);
      throw new AwsFailure(`Athena GetQueryExecution for query ${queryId} failed: ${errorText(err).message}`, { operation: 'athena:GetQueryExecution' });
    }
    const state = execution?.Status?.State;
    const bytes = execution?.Statistics?.DataScannedInBytes ?? 0;
    opts.progress?.(
      `athena: query ${queryId} ${state ?? 'UNKNOWN'}, ${formatBytes(bytes)} scanned (${formatUsd(athenaCostUsd(bytes, price))}), ${Math.round((Date.now() - began) / 1000)}s`,
    );
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED') throw failedError(queryId, execution ?? {});
    if (state === 'CANCELLED') {
      throw new AwsFailure(`Athena query ${queryId} was cancelled outside this run (${execution?.Status?.StateChangeReason ?? 'no reason given'}); run again`);
    }
    await sleep(opts.pollMs ?? 1000, signal);
  }

  const bytesScanned = execution?.Statistics?.DataScannedInBytes ?? 0;
  const costUsd = athenaCostUsd(bytesScanned, price);
  opts.progress?.(`athena: query ${queryId} scanned ${formatBytes(bytesScanned)} (${formatUsd(costUsd)} at ${formatUsd(price)}/TB); reading results`);

  const pageSize = Math.min(Math.max(opts.pageSize ?? 1000, 1), 1000);
  const getPage = (token: string | undefined): Promise<GetQueryResultsCommandOutput> =>
    withRetry(
      () => client.send(new GetQueryResultsCommand({ QueryExecutionId: queryId, NextToken: token, MaxResults: pageSize }), { abortSignal: signal }),
      retry,
    ).catch((err: unknown) => {
      if (signal?.aborted) throw new Interrupted(`interrupted while reading the results of Athena query ${queryId}`);
      throw new AwsFailure(`Athena GetQueryResults for query ${queryId} failed: ${errorText(err).message}`, { operation: 'athena:GetQueryResults' });
    });

  const first = await getPage(undefined);
  const columns: Column[] = (first.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? 'varchar' }));
  const toRow = (data: Array<{ VarCharValue?: string }>): ResultRow =>
    Object.fromEntries(columns.map((c, i) => [c.name, typedValue(data[i]?.VarCharValue, c.type)]));

  async function* rows(): AsyncGenerator<ResultRow> {
    let page: GetQueryResultsCommandOutput = first;
    let firstPage = true;
    let read = 0;
    for (;;) {
      let list = page.ResultSet?.Rows ?? [];
      // A SELECT's first page starts with the header row (the column names); later pages do not.
      if (firstPage && list.length > 0 && columns.length > 0 && columns.every((c, i) => list[0].Data?.[i]?.VarCharValue === c.name)) list = list.slice(1);
      firstPage = false;
      for (const r of list) yield toRow(r.Data ?? []);
      read += list.length;
      if (!page.NextToken) return;
      opts.progress?.(`athena: query ${queryId}: ${read} row(s) read`);
      page = await getPage(page.NextToken);
    }
  }

  return { queryId, bytesScanned, costUsd, columns, rows: rows() };
}

async function stopAndThrow(client: AthenaClient, queryId: string): Promise<never> {
  try {
    await client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId }));
  } catch (err) {
    throw new Interrupted(`interrupted; stopping Athena query ${queryId} failed (${errorText(err).message}), stop it in the console`);
  }
  throw new Interrupted(`interrupted; Athena query ${queryId} was stopped`);
}
