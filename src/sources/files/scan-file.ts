// One file, start to finish: read, gunzip, a cheap substring check for the role, find the records that name
// the role (indexing CloudTrail's shape without decoding it, or parsing any other shape whole), check each,
// keep the role's records inside the window, translate them and fold them into the aggregate. Runs inside
// the reader workers; everything it learns about skipped input goes into `stats` with file and position.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InvalidInput, opt, say, type ErrorFields } from '../../errors.js';
import type { ReadStats, SkipReason, TrailRecord } from '../../model.js';
import { addTranslation, type AggregateState } from '../../translation/aggregate.js';
import { translate } from '../../translation/translate.js';
import { issuerMatches, recordIssuerArn, type RoleSpec } from '../role-match.js';
import { checkRecord, parseLogText } from './parse.js';
import { indexRecords } from './record-index.js';

export interface ScanJob {
  role: RoleSpec;
  sinceMs?: number;
  untilMs?: number;
  strict: boolean;
  /** Parse every file whole, never index it (what --strict does; tests compare the two paths). */
  parseWhole?: boolean;
  /** A worker hands its facts to the main thread once it holds this many (tests set 1 to do it per file). */
  flushFacts?: number;
  /** Keep the condition-key values of the records with each fact (verify). */
  context?: boolean;
}

/** Decompressed text larger than this is refused (V8 strings top out near 512 MiB). */
export const MAX_TEXT_BYTES = 400 * 1024 * 1024;
const NOTES_PER_REASON = 20;

/** The file and record (or line) of a `where` written as `<file>`, `<file> record <i>` or `<file> line <n>`. */
function location(where: string, wholeFile: boolean): ErrorFields {
  const m = wholeFile ? null : /^(.*) (record|line) (\d+)$/.exec(where);
  if (!m) return { where, file: where };
  return m[2] === 'record' ? { where, file: m[1], record: Number(m[3]) } : { where, file: m[1] };
}

export function skip(stats: ReadStats, reason: SkipReason, where: string, detail: string, strict: boolean, wholeFile = false): void {
  if (strict) throw new InvalidInput(say`${where}: ${detail} (${opt('strict')} stops at the first unusable input; drop ${opt('strict')} to skip and count it)`, { ...location(where, wholeFile), option: 'strict' });
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

const RECORDS_KEY = Buffer.from('"Records"', 'latin1');
const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * What the first bytes say about a file that is not CloudTrail at all (an HTML error page saved by a sync,
 * `null`, {"Records": {...}}), so that it is named as unusable even when it never mentions the role. Reads a
 * few dozen bytes at most: CloudTrail and NDJSON start with "{" (and {"Records": [), a record list with "[".
 */
export function firstBytesProblem(buf: Buffer): { reason: SkipReason; detail: string } | undefined {
  let i = 0;
  while (i < buf.length && i < 4096 && isSpace(buf[i])) i++;
  const c = buf[i];
  if (c === 0x5b) return undefined; // [
  if (c === 0x7b) {
    // {: only CloudTrail's own {"Records": ...} is checked further; a single record or NDJSON starts with another key.
    let j = i + 1;
    while (j < buf.length && j < i + 64 && isSpace(buf[j])) j++;
    if (buf.compare(RECORDS_KEY, 0, RECORDS_KEY.length, j, j + RECORDS_KEY.length) !== 0) return undefined;
    j += RECORDS_KEY.length;
    while (j < buf.length && j < i + 128 && isSpace(buf[j])) j++;
    if (buf[j] !== 0x3a) return undefined; // not a key after all: the parser decides
    j++;
    while (j < buf.length && j < i + 192 && isSpace(buf[j])) j++;
    if (buf[j] === 0x5b || j >= buf.length) return undefined; // a list, or too short to tell: the parser decides
    return jsonValueAt(buf, j)
      ? { reason: 'wrong-shape', detail: 'JSON, but "Records" is not a list: not a CloudTrail log file' }
      : { reason: 'not-json', detail: 'the file is not JSON: "Records" is followed by no JSON value' };
  }
  if (c === 0x3c) return { reason: 'not-json', detail: 'the file starts with an HTML or XML tag (an error page saved by a sync?), not CloudTrail JSON' };
  if (jsonValueAt(buf, i)) return { reason: 'wrong-shape', detail: 'JSON, but not an object or a list: not a CloudTrail log file' };
  return { reason: 'not-json', detail: 'the file is not JSON: it does not start with { or [' };
}

/** Whether a JSON string, number, true, false or null starts at `i` (by its first bytes). */
function jsonValueAt(buf: Buffer, i: number): boolean {
  const c = buf[i];
  if (c === 0x22 || c === 0x7b) return true;
  if (c === 0x2d) return buf[i + 1] !== undefined && buf[i + 1] >= 0x30 && buf[i + 1] <= 0x39;
  if (c !== undefined && c >= 0x30 && c <= 0x39) return true;
  for (const word of ['true', 'false', 'null']) {
    if (buf.toString('latin1', i, i + word.length) === word) {
      const after = buf[i + word.length];
      return after === undefined || isSpace(after) || after === 0x2c || after === 0x7d || after === 0x5d;
    }
  }
  return false;
}

/**
 * How far a gzip file may inflate: text up to GZIP_RATIO times its compressed size, at least GZIP_FLOOR and at
 * most MAX_TEXT_BYTES. CloudTrail's files compress about 10 to 30 times; a gzip bomb (deflate reaches ~1032
 * times) would otherwise make every worker hold up to 400 MiB at once. A file past the limit is refused as
 * too large, by name, on stderr and in the report.
 */
export const GZIP_RATIO = 128;
export const GZIP_FLOOR = 64 * 1024 * 1024;
export function inflateLimit(gzBytes: number): number {
  return Math.min(MAX_TEXT_BYTES, Math.max(GZIP_FLOOR, gzBytes * GZIP_RATIO));
}

/**
 * zlib's output chunk for a gzip file: the size its trailer records (mod 2^32), so the data inflates into one
 * buffer instead of 16 KB chunks that are then concatenated (about 30% of gunzip's time on trail files). A
 * multi-member file's size only means more chunks; a tampered one fails zlib's own check. A claim beyond what
 * the file may inflate to (inflateLimit) is not allocated.
 */
export function outputChunk(gz: Buffer): number {
  const size = gz.length >= 18 ? gz.readUInt32LE(gz.length - 4) : 0;
  return Math.max(Math.min(size, inflateLimit(gz.length)) + 64, 64 * 1024);
}

/** The file's bytes, gunzipped when they are gzip, or why they cannot be had. */
export function readBytes(path: string): { buf?: Buffer; reason?: SkipReason; detail?: string } {
  let buf: Buffer;
  let fd: number | undefined;
  try {
    // The same system calls as readFileSync(path) (open, fstat, read, close), but a file too large to hold
    // is refused from its size, before 450 MiB are read into a worker's memory.
    fd = openSync(path, 'r');
    if (fstatSync(fd).size > MAX_TEXT_BYTES) return { reason: 'too-large', detail: `larger than ${MAX_TEXT_BYTES} bytes` };
    buf = readFileSync(fd);
  } catch (e) {
    return { reason: 'unreadable-file', detail: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    const limit = inflateLimit(buf.length);
    try {
      buf = gunzipSync(buf, { maxOutputLength: limit, chunkSize: outputChunk(buf) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        return {
          reason: 'too-large',
          detail:
            limit < MAX_TEXT_BYTES
              ? `decompresses to more than ${GZIP_RATIO} times its size (over ${limit} bytes), which no CloudTrail file does: a gzip bomb?`
              : `decompresses to more than ${MAX_TEXT_BYTES} bytes`,
        };
      }
      return { reason: 'unreadable-file', detail: `corrupt or truncated gzip (${(e as Error).message})` };
    }
  }
  if (buf.length > MAX_TEXT_BYTES) return { reason: 'too-large', detail: `larger than ${MAX_TEXT_BYTES} bytes` };
  return { buf };
}

/**
 * A string every record of the role contains: its session issuer ARN, as far as --role pins it, closing the
 * JSON string. With a full ARN (account and path) that is the whole ARN, which also rules out a role of the
 * same name in another account; otherwise "/<name>". Role ARNs are ASCII, and in UTF-8 an ASCII byte only
 * ever stands for itself, so searching the bytes answers for the decoded text too. (An ARN written with \u
 * escapes would be missed; CloudTrail writes ASCII as is.)
 */
export function roleNeedle(role: RoleSpec, slashesEscaped = false): string {
  // A path may hold any printable ASCII, and JSON escapes quotes and backslashes: only a plain path is
  // searched for as is; otherwise the name alone. JSON may also write "/" as "\/" (legal, and some
  // serializers do): in a file that does, the ARN's bytes differ, and the name alone is searched for
  // ("\/<name>\"" still contains "/<name>\"").
  const plainPath = role.path !== undefined && /^[\w/+=,.@-]+$/.test(role.path);
  if (!slashesEscaped && role.account !== undefined && role.partition !== undefined && plainPath && role.path !== '/') {
    return `arn:${role.partition}:iam::${role.account}:role${role.path}${role.name}"`;
  }
  return `/${role.name}"`;
}

export function scanFile(path: string, job: ScanJob, agg: AggregateState, stats: ReadStats): void {
  stats.files++;
  const { buf: raw, reason, detail } = readBytes(path);
  if (raw === undefined) {
    skip(stats, reason ?? 'unreadable-file', path, detail ?? 'unreadable', job.strict, true);
    return;
  }
  // Files saved by editors may carry a byte-order mark, which JSON.parse rejects: drop it, decode UTF-16.
  let buf = raw;
  if (buf[0] === 0xff && buf[1] === 0xfe) return scanText(path, buf.subarray(2).toString('utf16le'), job, agg, stats);
  if (buf[0] === 0xfe && buf[1] === 0xff) return scanText(path, Buffer.from(buf.subarray(2, buf.length - (buf.length % 2))).swap16().toString('utf16le'), job, agg, stats);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
  // Not CloudTrail at all, whatever it mentions: named as unusable (blank text goes on to be reported as empty).
  if (startsNonBlank(buf)) {
    const problem = firstBytesProblem(buf);
    if (problem) {
      skip(stats, problem.reason, path, problem.detail, job.strict, true);
      return;
    }
  }
  // A file that never names the role is not decoded at all (role names are ASCII, and in UTF-8 an ASCII
  // byte only ever stands for itself). Text that may be blank takes the decoding path, which reports an
  // empty file. A file that names the role anywhere is read, so its problems are reported.
  if (buf.indexOf(job.role.name, 0, 'latin1') === -1 && startsNonBlank(buf)) {
    stats.filesSkippedByContent++;
    return;
  }
  // CloudTrail's own shape is indexed without decoding, and only the records that name the role are parsed.
  // --strict checks every record, so it parses them all.
  if (!job.strict && job.parseWhole !== true) {
    const needle = roleNeedle(job.role, buf.indexOf('\\/', 0, 'latin1') !== -1);
    if (scanIndexed(path, buf, Buffer.from(needle, 'latin1'), job, agg, stats)) return;
  }
  // Invalid UTF-8 becomes U+FFFD rather than an error: one bad byte must not hide a whole file.
  scanText(path, buf.toString('utf8'), job, agg, stats);
}

/** The fast path; false (having counted nothing) when the file must go through the whole-file parser. */
function scanIndexed(path: string, buf: Buffer, needle: Buffer, job: ScanJob, agg: AggregateState, stats: ReadStats): boolean {
  const index = indexRecords(buf, needle);
  if (index === undefined) return false;
  const parsed: unknown[] = [];
  for (const r of index.decode) {
    try {
      parsed.push(JSON.parse(buf.toString('utf8', r.start, r.end)));
    } catch {
      // Not JSON after all: the whole-file parser says where.
      return false;
    }
  }
  stats.records += index.count;
  // A record with an identity whose bytes never name the role is another principal's: counted, not decoded.
  addCount(stats, 'other-principal', index.count - index.decode.length);
  for (let k = 0; k < parsed.length; k++) considerRecord(parsed[k], index.decode[k].index, path, job, agg, stats);
  return true;
}

function addCount(stats: ReadStats, reason: SkipReason, n: number): void {
  if (n > 0) stats.skipped[reason] = (stats.skipped[reason] ?? 0) + n;
}

function scanText(path: string, text: string, job: ScanJob, agg: AggregateState, stats: ReadStats): void {
  // An empty file is a failed or truncated delivery, not a file about other roles: report it as such.
  if (!/\S/.test(text)) {
    skip(stats, 'wrong-shape', path, 'the file is empty', job.strict, true);
    return;
  }
  // Every record of the role names it (see roleNeedle); a file that does not cannot match and is not parsed.
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
    considerRecord(records[i], i, path, job, agg, stats);
  }
}

/** One record: the role's, checked, inside the window? Then translated and folded into the aggregate. */
function considerRecord(value: unknown, i: number, path: string, job: ScanJob, agg: AggregateState, stats: ReadStats): void {
  // Most records are other principals': decide that from the issuer before the costlier time checks. A
  // record whose userIdentity is unusable goes through checkRecord, which says why.
  const raw = value as { userIdentity?: unknown } | null;
  const ui = raw !== null && typeof raw === 'object' ? raw.userIdentity : undefined;
  if (ui !== null && typeof ui === 'object' && !Array.isArray(ui)) {
    const issuer = recordIssuerArn(raw as TrailRecord);
    if (issuer === undefined || !issuerMatches(job.role, issuer)) {
      addCount(stats, 'other-principal', 1);
      return;
    }
  }
  const checked = checkRecord(value);
  if (!checked.ok) {
    skip(stats, checked.reason, `${path} record ${i}`, checked.detail, job.strict);
    return;
  }
  if ((job.sinceMs !== undefined && checked.timeMs < job.sinceMs) || (job.untilMs !== undefined && checked.timeMs > job.untilMs)) {
    addCount(stats, 'outside-window', 1);
    return;
  }
  stats.matched++;
  const t = checked.record.eventTime as string;
  addTranslation(agg, { record: checked.record, count: 1, firstSeen: t, lastSeen: t, origin: `${path} record ${i}` }, translate(checked.record));
}
