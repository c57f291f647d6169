import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// For Stryker only (stryker.config.json): a mutant run shares the machine with its own
// sandbox copies and whatever else is running, so a test gets far longer than in CI before
// it counts as failed (a child-process test timed out at 20 s under load otherwise).
export default mergeConfig(
  base,
  defineConfig({
    test: { testTimeout: 120_000, hookTimeout: 180_000, maxWorkers: 1 },
  }),
);
