// Writes outputs atomically: each file goes to a temporary name and is renamed into place, so an interrupted
// run never leaves half a policy, and a rerun replaces the previous outputs whole. Everything that can fail
// (the directory, a name taken by a directory, a full disk) fails before the first rename, and temporary
// files never outlive the run.
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError, RuntimeFailure } from '../errors.js';

const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

/**
 * mkdir -p, one level at a time. Node's own recursive mkdir loops forever, ignoring Ctrl-C, on a parent that
 * exists but refuses children with ENOENT (/proc/xyz); here every level is tried once and any failure ends it.
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      /* absent (or unreachable): create it below, which says why if it cannot be */
    }
    if (isDir === false) throw Object.assign(new Error('not a directory'), { code: p === resolve(dir) ? 'EEXIST' : 'ENOTDIR' });
    if (isDir) break;
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing.reverse()) mkdirSync(p);
}

export function writeOutputs(dir: string, files: Record<string, string>): string[] {
  try {
    makeDirectory(dir);
  } catch (e) {
    throw new InputError(`--out ${dir} cannot be used as the output directory (${code(e)}); give a directory path you can create`);
  }
  for (const name of Object.keys(files)) {
    let isFile = true;
    try {
      isFile = lstatSync(join(dir, name)).isFile();
    } catch {
      /* absent: fine */
    }
    if (!isFile) throw new InputError(`${join(dir, name)} exists and is not a file; move it away (nothing was written)`);
  }
  const tmp: Array<[string, string]> = [];
  let renamed = 0;
  try {
    for (const [name, content] of Object.entries(files)) {
      const t = join(dir, `.${name}.${process.pid}.tmp`);
      tmp.push([t, join(dir, name)]);
      writeFileSync(t, content);
    }
    for (const [t, final] of tmp) {
      renameSync(t, final);
      renamed++;
    }
  } catch (e) {
    for (const [t] of tmp.slice(renamed)) rmSync(t, { force: true });
    const done = renamed ? `; ${tmp.slice(0, renamed).map(([, f]) => f).join(', ')} were already replaced` : '; nothing was replaced';
    throw new RuntimeFailure(`cannot write the outputs to ${dir} (${code(e)})${done}`);
  }
  // A previous run may have split the policy into more documents than this one: remove the stale parts.
  for (const f of readdirSync(dir)) {
    if (/^policy-\d+\.json$/.test(f) && !(f in files)) rmSync(join(dir, f));
  }
  return Object.keys(files).sort();
}
