import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each get their own schema and key prefix, so they can run side by side.
    fileParallelism: true,
    pool: 'forks',
    // vitest's default is one worker less than the cores: one on a 2-core machine, so the suite ran file after
    // file. Most files wait on PostgreSQL, child processes and timers rather than the CPU: two side by side took
    // the suite from about 450 s to 300 s here.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // CI also leaves a JUnit file for whatever collects results (test-results/ is git-ignored).
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'test-results/junit.xml' },
  },
});
