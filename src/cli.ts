import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportReport } from './app/report.js';
import { shiftTable } from './app/calendar.js';
import { scheduleNamed, shiftsAhead } from './app/oncall.js';
import { overallStatus, resolveTarget, runChecks, suggestTargets } from './checks/index.js';
import type { CheckResult } from './checks/types.js';
import { formatDuration } from './domain/duration.js';
import { InProcessCoordinator } from './coord/memory.js';
import { RedisCoordinator } from './coord/redis.js';
import { createLogger } from './log.js';
import { TokenManager } from './tokens/index.js';
import { systemClock } from './clock.js';
import { parseEnv } from './config/env.js';
import { loadConfig, packageRoot } from './config/load.js';
import { ProblemsError, formatProblem, isBotError } from './errors.js';
import { botErrorSentence } from './slack/views/refusals.js';
import { formatProblems, lintPlaybooks } from './playbooks/lint.js';
import { playbookJsonSchema } from './playbooks/schema.js';
import { describeDatabase, openDatabase } from './store/connect.js';
import { migrate } from './store/migrate.js';
import { openRun } from './app/openIncident.js';
import { PlaybookCatalog } from './playbooks/catalog.js';
import { createMetrics } from './http/metrics.js';
import { SYSTEM_ACTOR } from './domain/timeline.js';

const USAGE = `incidentbot <command>

  playground              run the bot against the local playground (a Slack in the browser), as INCIDENTBOT_PLAYGROUND=1 does
  lint [dir]              check the playbooks in dir (default: PLAYBOOKS_DIR or ./playbooks) against the config
  playbooks [dir]         list the playbooks: id, aliases, title
  migrate                 apply the database migrations (DATABASE_URL, else the embedded database)
  schema [--write]        print the playbooks' JSON Schema (--write: to playbooks/schema.json)
  export INC-<n>          print an incident's report (Markdown) from the database
  change <runbook> [summary] [--as <slack user>]   start a change from a \`kind: change\` runbook; the bot posts it
  check [name|group]      run health checks now (all of them without a name); exit 1 when one fails
  token refresh <name>    refresh a token provider now and write its sink
  token status            each token provider's state
  oncall <schedule> [--weeks N]   the schedule's shifts from now (default 8 weeks), overrides included
  help                    this text

The config file is INCIDENTBOT_CONFIG, else ./incidentbot.yml, else the shipped example.`;

export interface Io {
  out: (line?: string) => void;
  err: (line: string) => void;
}

type Command = (args: string[], io: Io) => Promise<number>;

const processIo: Io = {
  out: (line = '') => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

async function lint(args: string[], { out, err }: Io): Promise<number> {
  const env = parseEnv(process.env);
  const dir = resolve(args[0] ?? env.PLAYBOOKS_DIR);
  const { config, file, warnings } = await loadConfig(process.env);
  const { playbooks, problems } = await lintPlaybooks(dir, config, file);
  if (problems.length > 0) {
    err(formatProblems(problems));
    err(`\n${problems.length} problem(s) in ${dir} (checked against ${file})`);
    return 1;
  }
  for (const warning of warnings) err(`note: ${warning} (the example config refers to it)`);
  out(`${playbooks.length} playbooks OK in ${dir} (checked against ${file})`);
  return 0;
}

async function listPlaybooks(args: string[], { out, err }: Io): Promise<number> {
  const env = parseEnv(process.env);
  const dir = resolve(args[0] ?? env.PLAYBOOKS_DIR);
  const { config, file } = await loadConfig(process.env);
  const { playbooks, problems } = await lintPlaybooks(dir, config, file);
  const idWidth = Math.max(2, ...playbooks.map((p) => p.id.length));
  const aliasWidth = Math.max(7, ...playbooks.map((p) => p.aliases.join(', ').length));
  out(`${'ID'.padEnd(idWidth)}  ${'ALIASES'.padEnd(aliasWidth)}  TITLE`);
  for (const p of playbooks) out(`${p.id.padEnd(idWidth)}  ${p.aliases.join(', ').padEnd(aliasWidth)}  ${p.title}`);
  if (problems.length > 0) err(`\n${problems.length} problem(s): run \`incidentbot lint\``);
  return problems.length > 0 ? 1 : 0;
}

async function runMigrations(_args: string[], { out }: Io): Promise<number> {
  const env = parseEnv(process.env);
  const db = await openDatabase(env);
  try {
    const applied = await migrate(db);
    out(
      applied.length
        ? `applied ${applied.join(', ')} to ${describeDatabase(db, env)}`
        : `${describeDatabase(db, env)} is up to date`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

async function schema(args: string[], { out }: Io): Promise<number> {
  const text = `${JSON.stringify(playbookJsonSchema(), null, 2)}\n`;
  if (args.includes('--write')) {
    const target = resolve(packageRoot, 'playbooks', 'schema.json');
    await writeFile(target, text);
    out(`wrote ${target}`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}

async function exportIncident(args: string[], { out, err }: Io): Promise<number> {
  const key = args.find((a) => /^inc-\d+$/i.test(a));
  if (!key) {
    err('usage: incidentbot export INC-<n>');
    return 1;
  }
  const env = parseEnv(process.env);
  const db = await openDatabase(env);
  try {
    const { markdown } = await exportReport({ db, clock: systemClock }, { key: key.toUpperCase() });
    out(markdown);
    return 0;
  } finally {
    await db.close();
  }
}

/**
 * `incidentbot change <runbook> [summary]`: the change is committed with its place work in the durable queue;
 * the running bot's worker creates its channel and live message (this process never speaks to Slack).
 */
async function startChangeCommand(args: string[], { out, err }: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { as: { type: 'string' } } });
  const [runbook, ...summary] = positionals;
  if (!runbook) {
    err('usage: incidentbot change <runbook> [summary] [--as <slack user id>]');
    return 1;
  }
  const env = parseEnv(process.env);
  const { config, file } = await loadConfig(process.env);
  const { playbooks, problems } = await lintPlaybooks(resolve(env.PLAYBOOKS_DIR), config, file);
  if (problems.length > 0) {
    err(`${formatProblems(problems)}\n\nfix the playbooks first (\`incidentbot lint\`)`);
    return 1;
  }
  const db = await openDatabase(env);
  try {
    const deps = {
      db,
      clock: systemClock,
      config,
      catalog: new PlaybookCatalog(playbooks),
      metrics: createMetrics(),
      log: createLogger({ level: 'warn', format: 'pretty' }),
      runWorkNow: () => Promise.resolve(),
    };
    const request = { playbook: runbook, summary: summary.join(' '), channelId: '', kind: 'change' as const };
    const opened = await openRun(deps, request, { user: values.as ?? SYSTEM_ACTOR });
    if (opened.kind !== 'opened') return 1;
    out(`${opened.incident.key} started from ${opened.incident.playbookId}; the bot posts its channel and message.`);
    return 0;
  } finally {
    await db.close();
  }
}

const STATUS_MARK = { pass: 'PASS', degraded: 'SLOW', fail: 'FAIL' } as const;

/** One check as a terminal line: mark, name, time, retries and why it failed. */
function checkLine(r: CheckResult): string {
  const attempts = r.attempts > 1 ? `  (${r.attempts} attempts)` : '';
  const failure = r.failure ? `  ${r.failure}` : '';
  return `${STATUS_MARK[r.status]}  ${r.name.padEnd(20)} ${formatDuration(r.latencyMs).padStart(8)}${attempts}${failure}`;
}

/** `incidentbot check <name|group>`: the same checks `/incident health` runs, in a terminal. */
async function check(args: string[], { out, err }: Io): Promise<number> {
  const { config } = await loadConfig(process.env);
  const target = resolveTarget(config, args[0]);
  if (!target) {
    const close = suggestTargets(config, args[0] ?? '');
    err(`no check or group "${args[0]}"${close.length ? `; did you mean ${close.join(', ')}?` : ''}`);
    return 1;
  }
  const log = createLogger({ level: 'warn', format: 'pretty' });
  const tokens = new TokenManager({
    providers: config.tokens,
    coord: new InProcessCoordinator(),
    clock: systemClock,
    log,
  });
  const results = await runChecks(target.checks, { clock: systemClock, tokens });
  for (const r of results) {
    out(checkLine(r));
    for (const detail of r.details) out(`        ${detail}`);
  }
  await tokens.close();
  const status = overallStatus(results);
  const failed = results.filter((r) => r.status === 'fail').length;
  out(
    `\n${target.title}: ${status === 'fail' ? `${failed} of ${results.length} failed` : `all ${results.length} passed`}`,
  );
  return status === 'fail' ? 1 : 0;
}

/** `incidentbot token refresh <provider>` and `incidentbot token status`. */
async function token(args: string[], { out, err }: Io): Promise<number> {
  const [verb, provider] = args;
  const env = parseEnv(process.env);
  const { config } = await loadConfig(process.env);
  const log = createLogger({ level: 'warn', format: 'pretty' });
  const coord = env.REDIS_URL ? new RedisCoordinator({ url: env.REDIS_URL, log }) : new InProcessCoordinator();
  const tokens = new TokenManager({
    providers: config.tokens,
    coord,
    clock: systemClock,
    log,
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
  });
  try {
    if (verb === 'status') {
      for (const s of await tokens.states()) {
        const until = s.expiresAt ? `valid until ${s.expiresAt.toISOString()}` : '';
        out(
          `${s.provider.padEnd(16)} ${s.status.padEnd(9)} ${until}${s.lastError ? `  last error: ${s.lastError}` : ''}`,
        );
      }
      return 0;
    }
    if (verb !== 'refresh' || !provider) {
      err('usage: incidentbot token refresh <provider> | incidentbot token status');
      return 1;
    }
    const outcome = await tokens.refresh(provider);
    if (outcome.ok) {
      const until = outcome.expiresAt ? `, valid until ${outcome.expiresAt.toISOString()}` : '';
      out(`${provider}: refreshed${until} (${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'})`);
    } else err(`${provider}: ${outcome.error ?? 'refresh failed'}`);
    return outcome.ok ? 0 : 1;
  } finally {
    await tokens.close();
    await coord.close();
  }
}

/** `incidentbot oncall <schedule> [--weeks N]`: what the calendar feed exports, as a table. */
async function oncall(args: string[], { out, err }: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { weeks: { type: 'string' } } });
  const weeks = Number(values.weeks ?? 8);
  if (!positionals[0] || !Number.isInteger(weeks) || weeks < 1 || weeks > 52) {
    err('usage: incidentbot oncall <schedule> [--weeks N]   (N from 1 to 52; default 8)');
    return 1;
  }
  const { config } = await loadConfig(process.env);
  const known = scheduleNamed({ config }, positionals[0]);
  const db = await openDatabase(parseEnv(process.env));
  try {
    const now = systemClock.now();
    for (const line of shiftTable(known, await shiftsAhead({ db }, known, now, weeks), now)) out(line);
    return 0;
  } finally {
    await db.close();
  }
}

export const COMMANDS: Record<string, Command> = {
  export: exportIncident,
  change: startChangeCommand,
  oncall,
  check,
  token,
  lint,
  playbooks: listPlaybooks,
  migrate: runMigrations,
  schema,
};

/** Runs one CLI command; returns the process exit code. */
export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  const { out, err } = io;
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const name = positionals[0];
  // Flags such as `--write` stay with the command; only the command name is taken off.
  const rest = argv.filter((arg, i) => i !== argv.indexOf(name ?? ''));
  if (!name || name === 'help' || argv.includes('--help')) {
    out(USAGE);
    return name || argv.includes('--help') ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(`unknown command "${name}"\n\n${USAGE}`);
    return 1;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof ProblemsError) err(error.problems.map(formatProblem).join('\n'));
    else if (isBotError(error)) err(botErrorSentence(error));
    else err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}
