// Finds the trail files under --logs paths: directories are walked recursively (the S3 layout or any other);
// files are taken as given. Digest files and files that cannot be logs are counted, never silently dropped.
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import { InvalidInput, NotFound, opt, say, type MessagePart } from '../../errors.js';

export interface FoundFiles {
  logs: string[];
  digests: string[];
  /** Files in walked directories that are not trail logs by their name (README, LICENSE, ...). */
  others: string[];
  /** FIFOs, devices, sockets and dangling symlinks: named and counted, never opened (a FIFO would block the read). */
  special: string[];
}

const LOG_NAME = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/i;
const DIGEST = /CloudTrail-Digest/;

export function findLogFiles(paths: string[]): FoundFiles {
  const found: FoundFiles = { logs: [], digests: [], others: [], special: [] };
  const seen = new Set<string>();
  const take = (p: string): void => {
    if (DIGEST.test(p)) found.digests.push(p);
    else if (LOG_NAME.test(basename(p))) found.logs.push(p);
    else found.others.push(p);
  };
  // `real`: the real path of a directory, once known; entries of a real directory that are plain files or
  // directories are real at join(real, name), so only symlinks (and file systems that do not report entry
  // types) cost a stat and a realpath. That is most of the walk on a big trail.
  const walkDir = (p: string, real: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      throw new InvalidInput(say`${opt('logs')} ${p} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); check its permissions`, { option: 'logs', file: p, code: (e as NodeJS.ErrnoException).code });
    }
    for (const e of entries) {
      const path = join(p, e.name);
      if (e.isDirectory() || e.isFile()) {
        const r = join(real, e.name);
        if (seen.has(r)) continue;
        seen.add(r);
        if (e.isDirectory()) walkDir(path, r);
        else take(path);
      } else visit(path, false); // a symlink, an entry of unknown type, or a special file: stat decides
    }
  };
  const visit = (p: string, explicit: boolean): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      if (explicit) throw new NotFound(missingLogsPath(p), { missing: 'logs', option: 'logs', file: p });
      found.special.push(p); // a dangling symlink, or one whose target cannot be reached
      return;
    }
    // Symlinks may loop back (dir/self -> .) or reach one file by two paths: each real file and directory
    // is visited once, so no record is counted twice.
    let real = p;
    try {
      real = realpathSync(p);
    } catch {
      /* keep the path as given */
    }
    if (seen.has(real)) return;
    seen.add(real);
    if (st.isDirectory()) return walkDir(p, real);
    if (!st.isFile()) {
      found.special.push(p);
      return;
    }
    if (explicit && !DIGEST.test(p)) found.logs.push(p);
    else take(p);
  };
  for (const p of paths) visit(p, true);
  found.logs.sort();
  found.special.sort();
  return found;
}

/** Why a --logs path that does not exist was not found, with what to do for an S3 URL or a Windows path. */
function missingLogsPath(p: string): MessagePart[] {
  const copy = say`copy the trail down with \`aws s3 sync s3://<bucket>/AWSLogs/ <dir>\`, or query it where it is with ${opt('source')} athena`;
  const logs = opt('logs');
  if (/^s3a?:\/\//i.test(p)) return [...say`${logs} ${p} is an S3 location; ${logs} reads local files: `, ...copy];
  if (/^[A-Za-z]:[\\/]|^\\\\/.test(p)) return [...say`${logs} ${p} is a Windows path, which this system does not have; ${logs} reads local files of this machine: give its own path to them, or `, ...copy];
  return say`${logs} ${p} does not exist; give a trail log file or a directory of them`;
}

const DELIVERY = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/;

/** Delivery time from an S3 trail file name (…_CloudTrail_<region>_20240301T1205Z_<id>.json.gz), or undefined. */
export function deliveryTime(path: string): number | undefined {
  const m = DELIVERY.exec(basename(path));
  if (!m) return undefined;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  return Number.isNaN(t) ? undefined : t;
}

/** Events reach a file up to about 15 minutes late; keep a wide margin so no event of the window is lost. */
export const LATE_DELIVERY_MARGIN_MS = 60 * 60 * 1000;
const EARLY_MARGIN_MS = 5 * 60 * 1000;

/** Whether a file delivered at `delivered` can hold events of the window. */
export function fileMayHoldWindow(delivered: number | undefined, since?: number, until?: number): boolean {
  if (delivered === undefined) return true;
  if (since !== undefined && delivered + EARLY_MARGIN_MS < since) return false;
  if (until !== undefined && delivered - LATE_DELIVERY_MARGIN_MS > until) return false;
  return true;
}
