// Which partitions of the Athena table can hold the window's events. CloudTrail writes each log file under
// AWSLogs/[org/]<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/ of the UTC day it was delivered, a few
// minutes after its events; so the first day is the window's start day and the last day is the day of the
// window's end plus a delivery allowance.
import { InvalidInput } from '../../errors.js';
import { sqlString } from './escape.js';

/** Partition columns the builder recognises; others are left alone. */
export type PartitionColumn = 'account' | 'region' | 'timestamp' | 'year' | 'month' | 'day';

/** The layout `codebuild-iam athena-ddl` creates: projected account, region and a yyyy/MM/dd date. */
export const DEFAULT_PARTITIONS: readonly PartitionColumn[] = ['account', 'region', 'timestamp'];

export interface PartitionFilter {
  columns: readonly PartitionColumn[];
  since?: Date;
  until?: Date;
  regions?: readonly string[];
  accounts?: readonly string[];
  /** Minutes between an event and the delivery of its log file (default 30). */
  deliverySlackMinutes?: number;
}

const DAY_MS = 86_400_000;
/** Longer windows than this are pruned by a date range instead of a list of days. */
const MAX_LISTED_DAYS = 62;

function ymd(ms: number): [string, string, string] {
  const iso = new Date(ms).toISOString();
  return [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
}

function inList(column: string, values: readonly string[]): string {
  const sorted = [...new Set(values)].sort();
  return sorted.length === 1 ? `${column} = ${sqlString(sorted[0])}` : `${column} IN (${sorted.map(sqlString).join(', ')})`;
}

/** The UTC days (start of day, ms) from the window's start to its end plus the delivery allowance. */
export function windowDays(f: Pick<PartitionFilter, 'since' | 'until' | 'deliverySlackMinutes'>): { first?: number; last?: number } {
  const slack = (f.deliverySlackMinutes ?? 30) * 60_000;
  if (!Number.isFinite(slack) || slack < 0) throw new InvalidInput('the delivery allowance must be a number of minutes, 0 or more');
  const first = f.since ? Math.floor(f.since.getTime() / DAY_MS) * DAY_MS : undefined;
  const last = f.until ? Math.floor((f.until.getTime() + slack) / DAY_MS) * DAY_MS : undefined;
  return { first, last };
}

function dayPredicates(f: PartitionFilter, has: (c: PartitionColumn) => boolean): string[] {
  const { first, last } = windowDays(f);
  if (first === undefined && last === undefined) return [];
  const slash = (ms: number): string => ymd(ms).join('/');
  if (has('timestamp')) {
    const col = '"timestamp"';
    if (first !== undefined && last !== undefined) {
      return [first === last ? `${col} = ${sqlString(slash(first))}` : `${col} BETWEEN ${sqlString(slash(first))} AND ${sqlString(slash(last))}`];
    }
    return [first !== undefined ? `${col} >= ${sqlString(slash(first))}` : `${col} <= ${sqlString(slash(last as number))}`];
  }
  if (!(has('year') && has('month') && has('day'))) return [];
  if (first !== undefined && last !== undefined && (last - first) / DAY_MS < MAX_LISTED_DAYS) {
    // A list of equalities prunes in every engine version; group the days by month to keep it short.
    const byMonth = new Map<string, string[]>();
    for (let d = first; d <= last; d += DAY_MS) {
      const [y, m, dd] = ymd(d);
      const k = `${y}/${m}`;
      byMonth.set(k, [...(byMonth.get(k) ?? []), dd]);
    }
    const terms = [...byMonth].map(([k, days]) => {
      const [y, m] = k.split('/');
      return `(year = ${sqlString(y)} AND month = ${sqlString(m)} AND ${inList('day', days)})`;
    });
    return [terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`];
  }
  const out: string[] = [];
  const date = "concat(year, '/', month, '/', day)";
  if (first !== undefined) out.push(`year >= ${sqlString(ymd(first)[0])}`, `${date} >= ${sqlString(slash(first))}`);
  if (last !== undefined) out.push(`year <= ${sqlString(ymd(last)[0])}`, `${date} <= ${sqlString(slash(last))}`);
  return out;
}

/** The WHERE terms that restrict the scan to the partitions that can hold the window's events. */
export function partitionPredicates(f: PartitionFilter): string[] {
  const has = (c: PartitionColumn): boolean => f.columns.includes(c);
  const out: string[] = [];
  if (has('account') && f.accounts?.length) out.push(inList('account', f.accounts));
  if (has('region') && f.regions?.length) out.push(inList('region', f.regions));
  out.push(...dayPredicates(f, has));
  return out;
}
