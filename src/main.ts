import { resolve } from 'node:path';
import { systemClock } from './clock.js';
import { SLACK_VARIABLES_HINT, parseEnv, startMode } from './config/env.js';
import { loadConfig } from './config/load.js';
import type { Coordinator } from './coord/coordinator.js';
import { InProcessCoordinator } from './coord/memory.js';
import { RedisCoordinator } from './coord/redis.js';
import { startBot } from './bot.js';
import { SLACK_PACE } from './slack/limits.js';
import { ProblemsError, formatProblem, isBotError } from './errors.js';
import { createLogger } from './log.js';
import { crashGuards } from './crash.js';
import { lintPlaybooks } from './playbooks/lint.js';
import { describeDatabase, openDatabase } from './store/connect.js';
import { migrate } from './store/migrate.js';
import { startPlayground } from './playground/start.js';
import { definedProps, presentProps } from './domain/defined.js';

/**
 * The composition root: read the environment and config, build the adapters, start, stop on a signal.
 * `node dist/main.js playground` (what `incidentbot playground` runs) asks for the local playground.
 */
async function main(): Promise<void> {
  const env = parseEnv(process.env);
  // Refusals come first, as one sentence on stderr: nothing half-starts.
  const mode = startMode(env, process.argv.slice(2).includes('playground'));
  const production = env.NODE_ENV === 'production';
  const log = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  // A dependency failing in the background never ends the process; a programming error does, saying why (crash.ts).
  const guards = crashGuards(log, (code) => {
    log.flush();
    process.exit(code);
  });
  process.on('unhandledRejection', guards.unhandledRejection);
  process.on('uncaughtException', guards.uncaughtException);
  const { config, file, isExample, warnings } = await loadConfig(process.env, process.cwd(), { production });
  log.info({ file, example: isExample }, isExample ? 'no incidentbot.yml: using the example config' : 'config loaded');
  if (warnings.length)
    log.warn(
      { unset: warnings },
      'the example config refers to variables that are not set; the features that need them will say so',
    );

  const { playbooks, problems } = await lintPlaybooks(env.PLAYBOOKS_DIR, config, file);
  if (problems.length > 0) throw new ProblemsError('playbook_invalid', problems);

  const db = await openDatabase(env);
  const applied = await migrate(db);
  log.info({ database: describeDatabase(db, env), applied }, 'database ready');

  const coord: Coordinator = env.REDIS_URL
    ? new RedisCoordinator({ url: env.REDIS_URL, log })
    : new InProcessCoordinator();
  if (!env.REDIS_URL) log.info('REDIS_URL is not set: coordinating in this process (run one replica)');

  // The local playground (a Slack emulator and its page) on the same port: asked for, or nothing at all was set.
  const playground =
    mode.kind === 'playground' ? await startPlayground({ env, config, playbooks, db, coord, log }) : undefined;
  const metrics = {
    ...(env.METRICS_PORT !== undefined ? { port: env.METRICS_PORT, host: '0.0.0.0' } : {}),
    ...definedProps({ token: env.METRICS_TOKEN }),
  };
  const bot =
    playground?.bot ??
    (await startBot({
      env,
      config,
      playbooks,
      db,
      coord,
      clock: systemClock,
      log,
      spoolFile: resolve(env.DATA_DIR, 'timeline-spool.jsonl'),
      ...presentProps({ redisUrl: env.REDIS_URL }),
      metrics,
      slackPace: SLACK_PACE,
    }));
  log.info({ port: bot.port, playbooks: playbooks.length }, `incident-bot listening on ${bot.url}`);
  if (bot.metricsUrl !== bot.url) log.info(`metrics on ${bot.metricsUrl}/metrics`);
  if (playground) {
    const why =
      mode.kind === 'playground' && mode.asked
        ? 'asked for'
        : `no Slack credentials, DATABASE_URL or REDIS_URL are set; ${SLACK_VARIABLES_HINT}`;
    log.warn(
      `Not connected to Slack (${why}): running the local playground${playground.dryRun ? ', actions as dry runs' : ''}.`,
    );
    process.stdout.write(`Playground: ${playground.url}\n`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight work');
    await (playground ?? bot).stop();
    await coord.close();
    await db.close();
    log.info('stopped');
  };
  const stopOn = (signal: string) => () => {
    shutdown(signal).catch((error: unknown) => {
      log.error({ err: error }, 'shutdown failed');
      process.exitCode = 1;
    });
  };
  process.once('SIGTERM', stopOn('SIGTERM'));
  process.once('SIGINT', stopOn('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ProblemsError) {
    process.stderr.write(`${error.problems.map(formatProblem).join('\n')}\n`);
  } else if (isBotError(error)) {
    process.stderr.write(`${error.userMessage}\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
