// The tests' dist/ is never older than the sources: test/support/global-build.ts rebuilds it first. Here the
// staleness check on a scratch tree (file times set by hand), the rebuild it triggers, and this checkout.
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILD_STAMP, ensureFreshBuild, staleBuild } from '../support/fresh-build.js';

function tree(): { root: string; at: (path: string, seconds: number) => void } {
  const root = mkdtempSync(join(tmpdir(), 'cbiam-fresh-'));
  for (const d of ['src/sources/files', 'cli', 'dist']) mkdirSync(join(root, d), { recursive: true });
  const at = (path: string, seconds: number): void => {
    writeFileSync(join(root, path), '');
    utimesSync(join(root, path), seconds, seconds);
  };
  return { root, at };
}

describe('stale dist/ is detected and rebuilt', () => {
  it('a source newer than dist/cli.js is stale; an older one is not; no dist/cli.js is stale', () => {
    const { root, at } = tree();
    expect(staleBuild(root)).toBe(`${BUILD_STAMP} is missing`);
    at('src/sources/files/worker.ts', 1_000);
    at('cli/main.ts', 1_000);
    at(BUILD_STAMP, 2_000);
    expect(staleBuild(root)).toBeUndefined();
    at('src/sources/files/worker.ts', 3_000);
    expect(staleBuild(root)).toBe('src/sources/files/worker.ts is newer than dist/cli.js');
    at(BUILD_STAMP, 4_000);
    at('tsconfig.build.json', 5_000);
    expect(staleBuild(root)).toBe('tsconfig.build.json is newer than dist/cli.js');
  });

  it('builds only when stale, and fails when the build leaves dist/ stale', () => {
    const { root, at } = tree();
    at('src/index.ts', 1_000);
    at(BUILD_STAMP, 2_000);
    let builds = 0;
    const build = (): void => {
      builds++;
      at(BUILD_STAMP, 10_000 + builds);
    };
    expect(ensureFreshBuild(root, build)).toBeUndefined();
    expect(builds).toBe(0);
    at('src/index.ts', 3_000);
    expect(ensureFreshBuild(root, build)).toBe('src/index.ts is newer than dist/cli.js');
    expect(builds).toBe(1);
    expect(staleBuild(root)).toBeUndefined();
    at('src/index.ts', 20_000);
    expect(() => ensureFreshBuild(root, () => undefined)).toThrow(/did not bring dist\/ up to date: src\/index.ts is newer/);
  });

  it('this checkout: the global setup left dist/ at least as new as every source', () => {
    expect(staleBuild(fileURLToPath(new URL('../..', import.meta.url)))).toBeUndefined();
  });
});
