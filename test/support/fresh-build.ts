// Tests run TypeScript from src/ on the main thread, but reader workers, the record-scan WebAssembly and every
// CLI test (dist/cli.js) run the compiled dist/. A dist/ older than the sources would test fresh code against
// stale code and pass or fail for the wrong reason. Two ways out were weighed: load the TypeScript in the
// workers too (a TypeScript loader in each worker thread) or build when dist/ is stale. Building is the robust
// one: it also covers the WebAssembly, which no loader compiles, and the CLI child processes. The check is
// cheap (file times only): dist/cli.js is the build's last output (tsc, then asc, then write-bin), so any
// input newer than it means the last build did not see that input, or did not finish.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the build reads: every file under these folders, and these files. */
const INPUT_DIRS = ['src', 'cli'];
const INPUT_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];
/** Written last by `npm run build`. */
export const BUILD_STAMP = 'dist/cli.js';

function newest(root: string): { path: string; mtimeMs: number } | undefined {
  let best: { path: string; mtimeMs: number } | undefined;
  const see = (path: string): void => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) see(join(path, name));
    } else if (!best || st.mtimeMs > best.mtimeMs) {
      best = { path, mtimeMs: st.mtimeMs };
    }
  };
  for (const d of INPUT_DIRS) see(join(root, d));
  for (const f of INPUT_FILES) see(join(root, f));
  return best;
}

/** Why dist/ under `root` is stale (missing, or older than an input), or undefined when it is fresh. */
export function staleBuild(root: string): string | undefined {
  const stamp = statSync(join(root, BUILD_STAMP), { throwIfNoEntry: false });
  if (!stamp) return `${BUILD_STAMP} is missing`;
  const input = newest(root);
  if (input && input.mtimeMs > stamp.mtimeMs) return `${relative(root, input.path)} is newer than ${BUILD_STAMP}`;
  return undefined;
}

/** Runs `build` when dist/ is stale; returns why it built, or undefined when dist/ was fresh. */
export function ensureFreshBuild(root: string, build: () => void = () => execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })): string | undefined {
  const why = staleBuild(root);
  if (why === undefined) return undefined;
  build();
  const still = staleBuild(root);
  if (still !== undefined) throw new Error(`the build did not bring dist/ up to date: ${still}`);
  return why;
}
