// Access to ../shared (corpora and conformance data). Tests that need it skip with a clear message when a
// user's clone has no ../shared beside it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT } from './paths.js';

export const SHARED = join(ROOT, '..', 'shared');
export const hasShared = existsSync(join(SHARED, 'README.md'));
export const sharedMissing = `../shared is not beside the checkout (${SHARED}); skipping tests that read it`;

export function sharedPath(...parts: string[]): string {
  return join(SHARED, ...parts);
}

export function* walkFiles(dir: string): Generator<string> {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) yield* walkFiles(p);
    else yield p;
  }
}

export function readMaybeGzip(path: string): string {
  const buf = readFileSync(path);
  return (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString('utf8');
}
