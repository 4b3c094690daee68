// The CLI's entry point (bin/incidentbot.js loads dist/cli/index.js): the usage text and the dispatch to one command.
import { parseArgs } from 'node:util';
import { ProblemsError, formatProblem, isBotError } from '../errors.js';
import { botErrorSentence } from '../slack/views/refusals.js';
import { startChangeCommand } from './change.js';
import { check } from './check.js';
import { exportIncident } from './export.js';
import { type Command, type Io, processIo } from './io.js';
import { lint } from './lint.js';
import { runMigrations } from './migrate.js';
import { oncall } from './oncall.js';
import { listPlaybooks } from './playbooks.js';
import { schema } from './schema.js';
import { token } from './token.js';

export type { Io } from './io.js';

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
