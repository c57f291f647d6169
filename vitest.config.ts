import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most of the suite waits (on Postgres, child processes, Chromium, deadlines) rather than
    // computes: two files at a time halve its wall time on a 2-core machine (270 s -> 139 s).
    maxWorkers: 2,
  },
});
