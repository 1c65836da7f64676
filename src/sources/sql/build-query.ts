// One aggregate query per run: the role's events in the window, grouped by everything the translator reads,
// with a count, the first and last event time and one event ID per group. Athena and CloudTrail Lake differ
// only in their dialect (field names and types) and in Athena's partitions.
import type { RoleSpec } from '../role-match.js';
import { athenaDialect, lakeDialect, type Dialect } from './dialect.js';
import { athenaTableName, eventDataStore, validAccount, validRegion } from './escape.js';
import { opt } from '../../errors.js';
import { DEFAULT_PARTITIONS, partitionPredicates, type PartitionColumn } from './partitions.js';
import { rolePredicate } from './role-predicate.js';

export interface AggregateQueryOptions {
  role: RoleSpec;
  since?: Date;
  until?: Date;
  /** Athena: read only these regions' partitions. */
  regions?: readonly string[];
  /** Athena: read only these accounts' partitions (default: the role's account, when the role is an ARN). */
  accounts?: readonly string[];
  /** Athena: the table's partition columns (default: account, region, timestamp, as athena-ddl creates). */
  partitionColumns?: readonly PartitionColumn[];
  /** Athena: minutes between an event and its log file's delivery (default 30). */
  deliverySlackMinutes?: number;
  /** additionalEventData keys the translator reads (default: repositoryName). */
  additionalEventDataKeys?: readonly string[];
}

/** The columns every aggregate query returns, in order. */
export const GROUP_COLUMNS = [
  'eventsource',
  'eventname',
  'eventtype',
  'errorcode',
  'awsregion',
  'recipientaccountid',
  'identitytype',
  'sessionarn',
  'principalaccount',
  'invokedby',
  'issuerarn',
  'requestparameters',
  'additionaleventdata',
  'resources',
] as const;
export const AGGREGATE_COLUMNS = ['events', 'firstseen', 'lastseen', 'sampleeventid'] as const;
export type ResultColumn = (typeof GROUP_COLUMNS)[number] | (typeof AGGREGATE_COLUMNS)[number];

const DEFAULT_ADDITIONAL_KEYS = ['repositoryName'];
const JSON_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function additionalEventData(d: Dialect, keys: readonly string[]): string {
  const valid = [...new Set(keys)].sort().filter((k) => JSON_KEY.test(k));
  if (valid.length === 0) return 'CAST(NULL AS varchar)';
  return `json_format(CAST(MAP(ARRAY[${valid.map((k) => `'${k}'`).join(', ')}], ARRAY[${valid.map((k) => d.additionalKey(k)).join(', ')}]) AS JSON))`;
}

/** The window bounds at CloudTrail's one-second precision: the start rounded up, the end rounded down. */
function timePredicates(d: Dialect, since?: Date, until?: Date): string[] {
  const out: string[] = [];
  if (since) out.push(`${d.fields.eventtime} >= ${d.timeLiteral(new Date(Math.ceil(since.getTime() / 1000) * 1000))}`);
  if (until) out.push(`${d.fields.eventtime} <= ${d.timeLiteral(new Date(Math.floor(until.getTime() / 1000) * 1000))}`);
  return out;
}

function render(d: Dialect, table: string, where: string[], opts: AggregateQueryOptions): string {
  const f = d.fields;
  // Plain fields come from the dialect by their alias; three columns are expressions of their own.
  const computed: Partial<Record<string, string>> = {
    requestparameters: d.requestParameters,
    additionaleventdata: additionalEventData(d, opts.additionalEventDataKeys ?? DEFAULT_ADDITIONAL_KEYS),
    resources: d.resources,
  };
  const inner = [...GROUP_COLUMNS, 'eventtime', 'eventid'].map((alias): [string, string] => [alias, computed[alias] ?? f[alias as keyof Dialect['fields']]]);
  const group = GROUP_COLUMNS.join(', ');
  return [
    `SELECT ${group},`,
    '  count(*) AS events, min(eventtime) AS firstseen, max(eventtime) AS lastseen, arbitrary(eventid) AS sampleeventid',
    'FROM (',
    '  SELECT',
    inner.map(([alias, expr]) => `    ${expr === alias ? expr : `${expr} AS ${alias}`}`).join(',\n'),
    `  FROM ${table}`,
    `  WHERE ${where.join('\n    AND ')}`,
    ') AS e',
    `GROUP BY ${group}`,
    `ORDER BY eventsource, eventname, sessionarn, min(eventtime), sampleeventid`,
  ].join('\n');
}

/** The Athena query over a CloudTrail table (`db.table`, validated and quoted). */
export function buildAthenaQuery(tableName: string, opts: AggregateQueryOptions): string {
  const table = athenaTableName(tableName).sql;
  const regions = opts.regions?.map((r) => validRegion(opt('region'), r));
  const accounts = (opts.accounts ?? (opts.role.account ? [opts.role.account] : [])).map((a) => validAccount('account', a));
  const where = [
    ...partitionPredicates({
      columns: opts.partitionColumns ?? DEFAULT_PARTITIONS,
      since: opts.since,
      until: opts.until,
      regions,
      accounts,
      deliverySlackMinutes: opts.deliverySlackMinutes,
    }),
    ...timePredicates(athenaDialect, opts.since, opts.until),
    rolePredicate(athenaDialect.fields.issuerarn, opts.role),
  ];
  return render(athenaDialect, table, where, opts);
}

/** The CloudTrail Lake query; the table is the event data store ID (from an ARN or an ID, validated). */
export function buildLakeQuery(store: string, opts: AggregateQueryOptions): string {
  const { id } = eventDataStore(store);
  const where = [...timePredicates(lakeDialect, opts.since, opts.until), rolePredicate(lakeDialect.fields.issuerarn, opts.role)];
  return render(lakeDialect, id, where, opts);
}
