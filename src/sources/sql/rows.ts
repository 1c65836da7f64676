// Turns one aggregated result row back into the TrailRecord it stands for, with its count and first/last
// time, so that query engines feed the same translator as log files. A row that does not fit the shape
// (bad count, bad time, bad JSON) is counted as skipped, never guessed at.
import { InvalidInput, opt, say } from '../../errors.js';
import type { ReadStats, SkipReason, TrailRecord, TrailResource, WeightedRecord } from '../../model.js';
import { issuerMatches, type RoleSpec } from '../role-match.js';
import { emptyStats, type RecordStream } from '../source.js';

export type CellValue = string | number | boolean | null;
export type ResultRow = Record<string, CellValue>;

const str = (v: CellValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Athena's ISO strings stay as they are; Lake's timestamps ('2026-08-01 10:00:00.000') become ISO. */
export function isoTime(v: CellValue | undefined): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?( UTC|Z)?$/.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ''}Z`);
  if (Number.isNaN(ms)) return undefined;
  return m[3] && !/^\.0+$/.test(m[3]) ? new Date(ms).toISOString() : `${m[1]}T${m[2]}Z`;
}

function parseObject(v: CellValue | undefined): Record<string, unknown> | null | undefined | 'bad' {
  const s = str(v);
  if (s === undefined || s === 'null') return undefined;
  try {
    const o = JSON.parse(s) as unknown;
    if (o === null) return null;
    return typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : 'bad';
  } catch {
    return 'bad';
  }
}

/** Lake's maps hold nested objects as JSON text; give the translator the structure the log file had. */
function unnestMapValues(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string' && /^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v) as unknown;
        continue;
      } catch {
        // Not JSON after all: keep the string.
      }
    }
    out[k] = v;
  }
  return out;
}

function parseResources(v: CellValue | undefined): TrailResource[] | undefined | 'bad' {
  const s = str(v);
  if (s === undefined || s === 'null') return undefined;
  try {
    const a = JSON.parse(s) as unknown;
    if (!Array.isArray(a)) return 'bad';
    return a
      .filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object')
      .map((r) => Object.fromEntries(Object.entries(r).filter(([, x]) => typeof x === 'string')) as TrailResource);
  } catch {
    return 'bad';
  }
}

export type RowResult = { ok: WeightedRecord } | { skip: SkipReason; detail: string; count: number };

/** One row to one weighted record; `origin` names the query (e.g. "athena:<query id>#12"). */
export function rowToWeighted(row: ResultRow, engine: 'athena' | 'lake', origin: string): RowResult {
  const countRaw = row.events;
  const count = typeof countRaw === 'number' ? countRaw : Number(countRaw);
  if (!Number.isInteger(count) || count < 1) return { skip: 'wrong-shape', detail: `the row's event count ${String(countRaw)} is not a whole number`, count: 1 };
  const firstSeen = isoTime(row.firstseen);
  const lastSeen = isoTime(row.lastseen);
  if (!firstSeen || !lastSeen) return { skip: 'bad-event-time', detail: `the row's event times ${String(row.firstseen)}..${String(row.lastseen)} are not times`, count };
  let requestParameters = parseObject(row.requestparameters);
  const additional = parseObject(row.additionaleventdata);
  const resources = parseResources(row.resources);
  if (requestParameters === 'bad' || additional === 'bad' || resources === 'bad') {
    return { skip: 'not-json', detail: 'the row has request parameters or resources that are not JSON', count };
  }
  if (engine === 'lake' && requestParameters) requestParameters = unnestMapValues(requestParameters);
  const issuer = str(row.issuerarn);
  const record: TrailRecord = {
    eventTime: lastSeen,
    eventSource: str(row.eventsource),
    eventName: str(row.eventname),
    eventType: str(row.eventtype),
    awsRegion: str(row.awsregion),
    eventID: str(row.sampleeventid),
    recipientAccountId: str(row.recipientaccountid),
    userIdentity: {
      type: str(row.identitytype),
      arn: str(row.sessionarn),
      accountId: str(row.principalaccount),
      invokedBy: str(row.invokedby),
      sessionContext: { sessionIssuer: { type: 'Role', arn: issuer } },
    },
  };
  const code = str(row.errorcode);
  if (code) record.errorCode = code;
  if (requestParameters !== undefined) record.requestParameters = requestParameters;
  if (additional) {
    const kept = Object.fromEntries(Object.entries(additional).filter(([, x]) => x !== null && x !== undefined));
    if (Object.keys(kept).length) record.additionalEventData = kept;
  }
  if (resources) record.resources = resources;
  // Drop the keys whose value the row did not have, as a log file would not have them either.
  for (const k of Object.keys(record) as Array<keyof TrailRecord>) if (record[k] === undefined) delete record[k];
  const ui = record.userIdentity as Record<string, unknown>;
  for (const k of Object.keys(ui)) if (ui[k] === undefined) delete ui[k];
  return { ok: { record, count, firstSeen, lastSeen, origin } };
}

/**
 * Rows to weighted records, keeping the accounting identity (records = matched + skipped, counted in events)
 * and checking each row's issuer against the role with the same rule the file reader uses.
 */
export async function* weightedRecords(
  rows: AsyncIterable<ResultRow>,
  opts: { engine: 'athena' | 'lake'; role: RoleSpec; stats: ReadStats; origin: string; strict?: boolean },
): AsyncGenerator<WeightedRecord> {
  const { stats } = opts;
  let n = 0;
  for await (const row of rows) {
    n += 1;
    const where = `${opts.origin}#${n}`;
    const r = rowToWeighted(row, opts.engine, where);
    if ('skip' in r) {
      stats.records += r.count;
      if (opts.strict) {
        throw new InvalidInput(say`${where}: ${r.detail} (${opt('strict')})`, { where, record: n - 1, option: 'strict' });
      }
      skip(stats, r.skip, where, r.detail, r.count);
      continue;
    }
    stats.records += r.ok.count;
    const issuer = r.ok.record.userIdentity?.sessionContext?.sessionIssuer?.arn;
    if (!issuer || !issuerMatches(opts.role, issuer)) {
      skip(stats, 'other-principal', where, `issuer ${issuer ?? '(none)'} is not the role`, r.ok.count);
      continue;
    }
    stats.matched += r.ok.count;
    yield r.ok;
  }
}

const MAX_NOTES_PER_REASON = 5;

function skip(stats: ReadStats, reason: SkipReason, where: string, detail: string, count: number): void {
  stats.skipped[reason] = (stats.skipped[reason] ?? 0) + count;
  if (stats.notes.filter((x) => x.reason === reason).length < MAX_NOTES_PER_REASON) stats.notes.push({ reason, where, detail });
}

/** A finished engine query as a source's output: its rows as records, what it scanned and what that cost. */
export function queryOutput(
  engine: 'athena' | 'lake',
  result: { queryId: string; bytesScanned: number; costUsd: number; rows: AsyncIterable<ResultRow> },
  query: { role: RoleSpec; strict?: boolean },
  warnings: string[],
): RecordStream {
  const stats = emptyStats();
  return {
    records: weightedRecords(result.rows, { engine, role: query.role, stats, origin: `${engine}:${result.queryId}`, strict: query.strict }),
    stats,
    warnings,
    scanned: { bytes: result.bytesScanned, costUsd: result.costUsd, engine, queryId: result.queryId },
  };
}
