// Writes outputs atomically: each file goes to a temporary name and is renamed into place, so an interrupted
// run never leaves half a policy, and a rerun replaces the previous outputs whole. Everything that can fail
// (the directory, a name taken by a directory, a full disk) fails before the first rename, and temporary
// files never outlive the run. --out is owned by the tool: a manifest (MANIFEST) lists what the last run wrote,
// and a rerun removes those of its files that it did not write again (a stale iam-role.tf, policy-3.json),
// never a file the tool did not write.
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InvalidInput, OperationFailed, opt, say } from '../errors.js';
import { policyFilePart } from '../iam/document-names.js';

const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

/** The list of files the last run wrote into --out. */
export const MANIFEST = '.codebuild-iam-outputs.json';

/** Names the tool writes; a manifest naming anything else (edited by hand or by an attacker) is not obeyed. */
const OTHER_OUTPUT = /^(boundary\.json|trust\.json|evidence\.json|report\.md|report\.html|iam-role\.tf|iam-role\.cfn\.(yaml|json))$/;
const isOutputName = (name: string): boolean => policyFilePart(name) !== undefined || OTHER_OUTPUT.test(name);

/** What the previous run wrote, from its manifest; nothing when there is none or it is not ours. */
function previousOutputs(dir: string): string[] {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { schema?: unknown; files?: unknown };
    if (m.schema !== 'codebuild-iam/outputs@1' || !Array.isArray(m.files)) return [];
    return m.files.filter((f): f is string => typeof f === 'string' && isOutputName(f));
  } catch {
    return [];
  }
}

function manifest(names: string[]): string {
  return `${JSON.stringify({ schema: 'codebuild-iam/outputs@1', note: 'Files codebuild-iam wrote here; a rerun removes those it does not write again.', files: names }, null, 2)}\n`;
}

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

export function writeOutputs(dir: string, outputs: Record<string, string>): string[] {
  try {
    makeDirectory(dir);
  } catch (e) {
    throw new InvalidInput(say`${opt('out')} ${dir} cannot be used as the output directory (${code(e)}); give a directory path you can create`, { option: 'out', file: dir, code: code(e) });
  }
  const previous = previousOutputs(dir);
  const names = Object.keys(outputs).sort();
  const files = { ...outputs, [MANIFEST]: manifest(names) };
  for (const name of Object.keys(files)) {
    let isFile = true;
    try {
      isFile = lstatSync(join(dir, name)).isFile();
    } catch {
      /* absent: fine */
    }
    if (!isFile) throw new InvalidInput(`${join(dir, name)} exists and is not a file; move it away (nothing was written)`, { file: join(dir, name) });
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
    throw new OperationFailed(`cannot write the outputs to ${dir} (${code(e)})${done}`, { file: dir, code: code(e) });
  }
  // What the previous run wrote and this one did not: a policy part it no longer splits into, an export it
  // was not asked for. Only regular files (never a directory or a link someone put there).
  for (const f of previous) {
    if (f in files) continue;
    try {
      if (lstatSync(join(dir, f)).isFile()) rmSync(join(dir, f));
    } catch {
      /* already gone */
    }
  }
  return names;
}
