import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Reader workers and the CLI tests run the compiled dist/: rebuild it first when the sources are newer.
    globalSetup: ['test/support/global-build.ts'],
  },
});
