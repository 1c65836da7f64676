// The bench runs a private copy of dist/: several engineers rebuild the shared dist/ while a bench runs for
// minutes, and a half-written module would fail a run or time the wrong code. The copy lives under .bench/ so
// node_modules still resolves, with package.json beside it (the CLI reads its version from there).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ATTEMPTS = 5;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Copies dist/ until the copy starts and runs a tiny generate; returns the copy's cli.js and a cleanup. */
export function snapshotDist(root: string, probeArgs: string[], from = join(root, 'dist')): { cli: string; dispose: () => void } {
  const base = join(root, '.bench');
  mkdirSync(base, { recursive: true });
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (!existsSync(join(from, 'cli.js'))) {
      if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
    }
    const dir = mkdtempSync(join(base, 'build-'));
    cpSync(from, join(dir, 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    const cli = join(dir, 'dist', 'cli.js');
    // Loading every command and reading one corpus proves the copy is whole (no module half-written).
    const probe = spawnSync(process.execPath, [cli, ...probeArgs], { encoding: 'utf8' });
    if (probe.status === 0) return { cli, dispose: () => rmSync(dir, { recursive: true, force: true }) };
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`dist/ looks mid-build (${(probe.stderr ?? '').split('\n')[0]}); copying again (${attempt}/${ATTEMPTS})\n`);
    sleep(5000);
  }
  throw new Error('dist/ did not yield a working copy; run `npm run build` and try again');
}
