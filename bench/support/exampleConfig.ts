import type { Config } from '../../src/config/schema.js';

/**
 * The example config as a benchmark runs it: its people and paging channels are placeholders (no credentials: their
 * page rules would fail and retry for ever, and "nothing left due" would never come), and its schedules' handoffs
 * fall at real-clock times that have nothing to do with the scenario. The test harness leaves them out too. Its
 * storm channel is left out as well (scenarios open many incidents a minute, each measured in its own channel),
 * except where the storm scenario turns it on.
 */
export const forBench = (example: Config): Config => ({
  ...example,
  people: {},
  // Pages by DM keep the example's pacing: Slack's per-channel limit is on in the bench.
  paging: { dm_min_interval: example.paging.dm_min_interval },
  schedules: {},
  storm: { new_channels_per_minute: example.storm.new_channels_per_minute },
});
