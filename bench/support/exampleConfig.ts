import type { Config } from '../../src/config/schema.js';

/**
 * The example config as a benchmark runs it: its people and paging channels are placeholders (no credentials: their
 * page rules would fail and retry for ever, and "nothing left due" would never come), and its schedules' handoffs
 * fall at real-clock times that have nothing to do with the scenario. The test harness leaves them out too.
 */
export const forBench = (example: Config): Config => ({ ...example, people: {}, paging: {}, schedules: {} });
