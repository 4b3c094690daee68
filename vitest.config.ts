import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each get their own schema and key prefix, so they can run side by side.
    fileParallelism: true,
    pool: 'forks',
    // CI also leaves a JUnit file for whatever collects results (test-results/ is git-ignored).
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'test-results/junit.xml' },
  },
});
