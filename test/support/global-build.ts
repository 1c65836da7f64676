// vitest globalSetup: build dist/ before any test when it is older than the sources (see fresh-build.ts).
import { fileURLToPath } from 'node:url';
import { ensureFreshBuild } from './fresh-build.js';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const why = ensureFreshBuild(root, undefined);
  if (why) process.stderr.write(`test setup: rebuilt dist/ because ${why}\n`);
}
