// Writes outputs atomically: each file goes to a temporary name and is renamed into place, so an interrupted
// run never leaves half a policy, and a rerun replaces the previous outputs whole.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeOutputs(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true });
  const tmp: Array<[string, string]> = [];
  for (const [name, content] of Object.entries(files)) {
    const t = join(dir, `.${name}.${process.pid}.tmp`);
    writeFileSync(t, content);
    tmp.push([t, join(dir, name)]);
  }
  for (const [t, final] of tmp) renameSync(t, final);
  // A previous run may have split the policy into more documents than this one: remove the stale parts.
  for (const f of readdirSync(dir)) {
    if (/^policy-\d+\.json$/.test(f) && !(f in files)) rmSync(join(dir, f));
  }
  return Object.keys(files).sort();
}
