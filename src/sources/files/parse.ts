// Text of one log file -> its records: {"Records":[...]} (CloudTrail's delivery format), a bare array of
// records, one record, or NDJSON (one record per line). Anything else is reported, with the file and position.
import type { SkipNote, SkipReason, TrailRecord } from '../../model.js';

export interface ParsedFile {
  records: unknown[];
  /** Positions (0-based) of NDJSON lines that were not JSON. */
  badLines: number[];
  /** Set when the file as a whole is unusable. */
  problem?: { reason: SkipReason; detail: string };
}

function looksLikeRecord(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && ('eventName' in v || 'eventSource' in v || 'eventTime' in v);
}

export function parseLogText(text: string): ParsedFile {
  const trimmed = text.trimStart();
  if (trimmed === '') return { records: [], badLines: [], problem: { reason: 'wrong-shape', detail: 'the file is empty' } };
  let docError = '';
  try {
    const doc: unknown = JSON.parse(text);
    if (Array.isArray(doc)) return { records: doc, badLines: [] };
    if (doc && typeof doc === 'object') {
      const recs = (doc as { Records?: unknown }).Records;
      if (Array.isArray(recs)) return { records: recs, badLines: [] };
      if (looksLikeRecord(doc)) return { records: [doc], badLines: [] };
    }
    return { records: [], badLines: [], problem: { reason: 'wrong-shape', detail: 'JSON, but not {"Records":[...]}, an array of records, or a record' } };
  } catch (e) {
    // Not one JSON document: NDJSON, or not JSON at all.
    docError = whereJsonFails(e, text.length);
  }
  const records: unknown[] = [];
  const badLines: number[] = [];
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    if (line !== '') {
      try {
        records.push(JSON.parse(line));
      } catch {
        badLines.push(lineNo);
      }
    }
    lineNo++;
    start = end + 1;
  }
  // NDJSON has one record object per line. Without a single object line this is one broken document (a
  // truncated pretty-printed file would otherwise read as hundreds of bad "lines" and a few stray values).
  if (!records.some((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
    return { records: [], badLines: [], problem: { reason: 'not-json', detail: `the file is not JSON or NDJSON (${docError})` } };
  }
  return { records, badLines };
}

/** Where JSON.parse gave up, without quoting the text (it may hold secrets): "ends early" or "at byte N". */
function whereJsonFails(e: unknown, length: number): string {
  const msg = e instanceof Error ? e.message : '';
  const pos = /position (\d+)/.exec(msg)?.[1];
  if (pos !== undefined && Number(pos) < length) return `invalid at character ${pos} of ${length}`;
  if (pos !== undefined) return `ends early at character ${length}: truncated?`;
  return /end of (JSON )?input|Unterminated/i.test(msg) ? `ends early at character ${length}: truncated?` : 'invalid';
}

export type RecordCheck = { ok: true; record: TrailRecord; timeMs: number } | { ok: false; reason: SkipReason; detail: string };

/** Checks the fields every later stage relies on; logs are untrusted, so each may be missing or mistyped. */
export function checkRecord(v: unknown): RecordCheck {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, reason: 'wrong-shape', detail: 'a record is not a JSON object' };
  const r = v as TrailRecord & { '@timestamp'?: unknown };
  let time = r.eventTime;
  // Logstash-shaped exports (the OTRF data sets) carry the time as @timestamp instead.
  if (time === undefined && typeof r['@timestamp'] === 'string') time = r['@timestamp'];
  if (time === undefined || time === null) return { ok: false, reason: 'missing-event-time', detail: 'the record has no eventTime' };
  if (typeof time !== 'string') return { ok: false, reason: 'bad-event-time', detail: 'eventTime is not a string' };
  // Date.parse also takes "1" or "March 1": only a time that starts with a full date is one. CloudTrail
  // times are UTC; one written without a zone ("2024-03-01 10:00:00") must not be read in the local zone.
  const zoneless = /[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(time);
  const timeMs = /^[+-]?\d{4,6}-\d{2}-\d{2}/.test(time) ? Date.parse(zoneless ? `${time}Z` : time) : Number.NaN;
  if (Number.isNaN(timeMs)) return { ok: false, reason: 'bad-event-time', detail: 'eventTime is not an ISO-8601 time' };
  if (r.userIdentity === null || typeof r.userIdentity !== 'object' || Array.isArray(r.userIdentity)) {
    return { ok: false, reason: 'missing-user-identity', detail: 'the record has no userIdentity object' };
  }
  // One spelling for every time, so first/last seen compare correctly across producers.
  const iso = new Date(timeMs).toISOString().replace('.000Z', 'Z');
  if (r.eventTime !== iso) r.eventTime = iso;
  return { ok: true, record: r, timeMs };
}

export function note(reason: SkipReason, where: string, detail: string): SkipNote {
  return { reason, where, detail };
}
