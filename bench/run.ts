import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ackScenario } from './scenarios/ack.js';
import { capacityScenario } from './scenarios/capacity.js';
import { checksScenario } from './scenarios/checks.js';
import { commandToMessageScenario } from './scenarios/commandToMessage.js';
import { escalationScenario } from './scenarios/escalations.js';
import { soakScenario } from './scenarios/soak.js';
import { stormScenario } from './scenarios/storm.js';
import { timelineScenario } from './scenarios/timeline.js';
import { tokenScenario } from './scenarios/tokens.js';
import { type BenchContext, createContext } from './support/context.js';
import { benchEnv, cleanRedis, dropStaleSchemas, machine } from './support/env.js';
import { type Figure, type ScenarioOutcome, table } from './support/figures.js';

/**
 * `npm run bench [-- --quick] [-- --profile] [-- --only=ack,soak] [-- --keep-logs]`: runs every
 * scenario, prints the figures against their goals, writes bench/results.json.
 * Exits non-zero when a scenario crashed or did not produce its figures; a
 * figure short of its goal is reported, never a failure.
 */
interface Scenario {
  name: string;
  figures: string[];
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
  /** Uses the shared bot: it is stopped once the last such scenario is done. */
  shared?: boolean;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'command → live message',
    figures: ['command_to_message_p95_ms'],
    run: commandToMessageScenario,
    shared: true,
  },
  { name: 'capacity', figures: ['capacity_vs_bare_bolt'], run: capacityScenario, shared: true },
  // Last on the shared bot: it leaves a backlog of incidents to open, abandoned when the bot stops.
  {
    name: 'ack latency',
    figures: ['ack_command_p99_ms', 'ack_click_p99_ms', 'ack_p99_vs_bare_bolt'],
    run: ackScenario,
    shared: true,
  },
  { name: 'soak', figures: ['rss_growth_pct', 'event_loop_delay_p99_ms'], run: soakScenario },
  { name: 'timeline append', figures: ['timeline_events_per_s', 'timeline_vs_raw_insert'], run: timelineScenario },
  { name: 'health checks', figures: ['checks_wall_vs_timeout'], run: checksScenario },
  { name: 'token single flight', figures: ['token_url_calls'], run: tokenScenario },
  {
    name: 'escalations on two replicas',
    figures: ['escalations_fired_twice', 'escalation_drain_s', 'escalation_drain_limited_s'],
    run: escalationScenario,
  },
  {
    name: 'storm on two replicas',
    figures: [
      'storm_incidents_opened',
      'storm_page_p95_s',
      'storm_429_ratio',
      'storm_lost',
      'storm_drain_vs_bound',
      'stakeholder_posts_per_channel_per_min',
    ],
    run: stormScenario,
  },
];

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const env = benchEnv();
  const runDir = mkdtempSync(join(tmpdir(), 'incident-bench-'));
  const profileDir = args.includes('--profile') ? resolve(import.meta.dirname, 'profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const about = { ...machine(), database: env.database, redis: env.redis };
  const started = performance.now();
  const where = [
    `node ${about.node}, ${about.cpus}, git ${about.git}`,
    `database: ${env.database}`,
    `redis: ${env.redis}`,
  ];
  process.stderr.write(
    `incident-bot benchmark${quick ? ' (quick)' : ''}\n${where.map((line) => `  ${line}\n`).join('')}`,
  );
  await dropStaleSchemas(env).catch(() => undefined);

  const ctx = createContext({ env, quick, logDir: runDir, ...(profileDir ? { profileDir } : {}) });
  const chosen = SCENARIOS.filter(
    (s) => !only || only.some((o) => s.name.includes(o) || s.figures.some((f) => f.startsWith(o))),
  );
  if (chosen.length === 0) {
    process.stderr.write(
      `no scenario matches --only=${only?.join(',')}; scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}\n`,
    );
    return 1;
  }
  const lastShared = chosen.findLastIndex((s) => s.shared);
  const figures: Figure[] = [];
  const details: string[] = [];
  const problems: string[] = [];
  for (const [index, scenario] of chosen.entries()) {
    const t0 = performance.now();
    process.stderr.write(`\n▶ ${scenario.name}\n`);
    try {
      const outcome = await scenario.run(ctx);
      figures.push(...outcome.figures);
      details.push(`${scenario.name}:`, ...outcome.details.map((d) => `  ${d}`));
      const missing = scenario.figures.filter(
        (name) => !outcome.figures.some((f) => f.name === name && Number.isFinite(f.value)),
      );
      if (missing.length > 0) problems.push(`${scenario.name} produced no ${missing.join(', ')}`);
    } catch (error) {
      problems.push(
        `${scenario.name} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
    if (index === lastShared) await ctx.releaseShared();
    process.stderr.write(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  }
  await ctx.close();
  await cleanRedis(env).catch(() => undefined);

  const seconds = (performance.now() - started) / 1000;
  const quickNote = quick ? ' (quick: small runs, figures are not comparable to a full run)' : '';
  const footer = `${env.database}\n${env.redis}\n${chosen.length} scenarios in ${seconds.toFixed(0)} s${quickNote}`;
  process.stdout.write(`\n${table(figures)}\n\n${details.join('\n')}\n\n${footer}\n`);
  const results = {
    env: { node: about.node, cpus: about.cpus, database: env.database, redis: env.redis, git: about.git },
    quick,
    figures,
    problems,
  };
  writeFileSync(resolve(import.meta.dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (profileDir) process.stdout.write(`CPU profiles of the bot: ${profileDir}\n`);
  for (const problem of problems) process.stderr.write(`\n✗ ${problem}\n`);
  if (problems.length > 0 || args.includes('--keep-logs'))
    process.stderr.write(`\nlogs of the bot, the bare Bolt app and the load generator: ${runDir}\n`);
  else rmSync(runDir, { recursive: true, force: true });
  return problems.length > 0 ? 1 : 0;
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
});
