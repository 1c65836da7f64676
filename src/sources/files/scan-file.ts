// One file, start to finish: read, gunzip, a cheap substring check for the role, parse, check each record,
// keep the role's records inside the window, translate them and fold them into the aggregate. Runs inside
// the reader workers; everything it learns about skipped input goes into `stats` with file and position.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../errors.js';
import type { ReadStats, SkipReason, TrailRecord } from '../../model.js';
import { addTranslation, type AggregateState } from '../../translation/aggregate.js';
import { translate } from '../../translation/translate.js';
import { issuerMatches, recordIssuerArn, type RoleSpec } from '../role-match.js';
import { checkRecord, parseLogText } from './parse.js';

export interface ScanJob {
  role: RoleSpec;
  sinceMs?: number;
  untilMs?: number;
  strict: boolean;
}

/** Decompressed text larger than this is refused (V8 strings top out near 512 MiB). */
export const MAX_TEXT_BYTES = 400 * 1024 * 1024;
const NOTES_PER_REASON = 20;

export function skip(stats: ReadStats, reason: SkipReason, where: string, detail: string, strict: boolean, wholeFile = false): void {
  if (strict) throw new InputError(`${where}: ${detail} (--strict stops at the first unusable input; drop --strict to skip and count it)`);
  const bucket = wholeFile ? stats.fileProblems : stats.skipped;
  bucket[reason] = (bucket[reason] ?? 0) + 1;
  if (stats.notes.filter((n) => n.reason === reason).length < NOTES_PER_REASON) stats.notes.push({ reason, where, detail });
}

/** Whether the first byte that is not ASCII white space is printable ASCII, so the text has a non-space. */
function startsNonBlank(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
    return c >= 0x21 && c <= 0x7e;
  }
  return false;
}

/** `absent`: a UTF-8 file with text in it that never names the role (`needle`), found without decoding it. */
function readText(path: string, needle?: string): { text?: string; reason?: SkipReason; detail?: string; absent?: boolean } {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    return { reason: 'unreadable-file', detail: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf, { maxOutputLength: MAX_TEXT_BYTES });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') return { reason: 'too-large', detail: `decompresses to more than ${MAX_TEXT_BYTES} bytes` };
      return { reason: 'unreadable-file', detail: `corrupt or truncated gzip (${(e as Error).message})` };
    }
  }
  if (buf.length > MAX_TEXT_BYTES) return { reason: 'too-large', detail: `larger than ${MAX_TEXT_BYTES} bytes` };
  // Files saved by editors may carry a byte-order mark, which JSON.parse rejects: drop it, decode UTF-16.
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
  else if (buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.subarray(2).toString('utf16le') };
  else if (buf[0] === 0xfe && buf[1] === 0xff) return { text: Buffer.from(buf.subarray(2, buf.length - (buf.length % 2))).swap16().toString('utf16le') };
  // Role names are ASCII, and in UTF-8 an ASCII byte only ever stands for itself: searching the bytes gives
  // the same answer as searching the decoded text, without the decoding (about a third of gunzip's cost).
  // Text that may be blank takes the decoding path, which reports an empty file.
  if (needle !== undefined && buf.indexOf(needle) === -1 && startsNonBlank(buf)) return { absent: true };
  // Invalid UTF-8 becomes U+FFFD rather than an error: one bad byte must not hide a whole file.
  return { text: buf.toString('utf8') };
}

export function scanFile(path: string, job: ScanJob, agg: AggregateState, stats: ReadStats): void {
  stats.files++;
  const { text, reason, detail, absent } = readText(path, job.role.name);
  if (absent) {
    stats.filesSkippedByContent++;
    return;
  }
  if (text === undefined) {
    skip(stats, reason ?? 'unreadable-file', path, detail ?? 'unreadable', job.strict, true);
    return;
  }
  // An empty file is a failed or truncated delivery, not a file about other roles: report it as such.
  if (!/\S/.test(text)) {
    skip(stats, 'wrong-shape', path, 'the file is empty', job.strict, true);
    return;
  }
  // The role's name appears in every record of the role; a file without it cannot match and is not parsed.
  if (!text.includes(job.role.name)) {
    stats.filesSkippedByContent++;
    return;
  }
  const parsed = parseLogText(text);
  if (parsed.problem) {
    skip(stats, parsed.problem.reason, path, parsed.problem.detail, job.strict, true);
    return;
  }
  for (const line of parsed.badLines) skip(stats, 'not-json', `${path} line ${line + 1}`, 'the line is not JSON', job.strict);
  stats.records += parsed.badLines.length;
  const records = parsed.records;
  for (let i = 0; i < records.length; i++) {
    stats.records++;
    // Most records are other principals': decide that from the issuer before the costlier time checks. A
    // record whose userIdentity is unusable goes through checkRecord, which says why.
    const raw = records[i] as { userIdentity?: unknown } | null;
    const ui = raw !== null && typeof raw === 'object' ? raw.userIdentity : undefined;
    if (ui !== null && typeof ui === 'object' && !Array.isArray(ui)) {
      const issuer = recordIssuerArn(raw as TrailRecord);
      if (issuer === undefined || !issuerMatches(job.role, issuer)) {
        stats.skipped['other-principal'] = (stats.skipped['other-principal'] ?? 0) + 1;
        continue;
      }
    }
    const checked = checkRecord(records[i]);
    if (!checked.ok) {
      skip(stats, checked.reason, `${path} record ${i}`, checked.detail, job.strict);
      continue;
    }
    if ((job.sinceMs !== undefined && checked.timeMs < job.sinceMs) || (job.untilMs !== undefined && checked.timeMs > job.untilMs)) {
      stats.skipped['outside-window'] = (stats.skipped['outside-window'] ?? 0) + 1;
      continue;
    }
    stats.matched++;
    const t = checked.record.eventTime as string;
    addTranslation(agg, { record: checked.record, count: 1, firstSeen: t, lastSeen: t, origin: `${path} record ${i}` }, translate(checked.record));
  }
}
