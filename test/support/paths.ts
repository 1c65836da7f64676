// Where things are, for every test: the checkout's root, its fixtures and golden cases, the built CLI and the
// shared data beside the checkout (./shared.ts). Tests name paths from these instead of counting `..` from their own file.
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/** A path inside the checkout, e.g. repoPath('fixtures', 'demo', 'trail'). */
export function repoPath(...parts: string[]): string {
  return join(ROOT, ...parts);
}

export const FIXTURES = repoPath('fixtures');
/** The golden cases: test/cases/<kind>/. */
export const CASES = repoPath('test', 'cases');
/** The built CLI; `npm test` builds dist/ first. */
export const CLI = repoPath('dist', 'cli.js');
