// `incidentbot change <runbook> [summary] [--as <slack user>]`: a change started from a `kind: change` runbook.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openRun } from '../app/openIncident.js';
import { systemClock } from '../clock.js';
import { parseEnv } from '../config/env.js';
import { loadConfig } from '../config/load.js';
import { SYSTEM_ACTOR } from '../domain/timeline.js';
import { createMetrics } from '../http/metrics.js';
import { createLogger } from '../log.js';
import { PlaybookCatalog } from '../playbooks/catalog.js';
import { formatProblems, lintPlaybooks } from '../playbooks/lint.js';
import { openDatabase } from '../store/connect.js';
import type { Io } from './io.js';

/**
 * The change is committed with its place work in the durable queue; the running bot's worker creates its channel
 * and live message (this process never speaks to Slack).
 */
export async function startChangeCommand(args: string[], { out, err }: Io): Promise<number> {
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
