// `incidentbot check [name|group]`: the same checks `/incident health` runs, in a terminal.
import { overallStatus, resolveTarget, runChecks, suggestTargets } from '../checks/index.js';
import type { CheckResult } from '../checks/types.js';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config/load.js';
import { InProcessCoordinator } from '../coord/memory.js';
import { formatDuration } from '../domain/duration.js';
import { createLogger } from '../log.js';
import { TokenManager } from '../tokens/index.js';
import type { Io } from './io.js';

const STATUS_MARK = { pass: 'PASS', degraded: 'SLOW', fail: 'FAIL' } as const;

/** One check as a terminal line: mark, name, time, retries and why it failed. */
function checkLine(r: CheckResult): string {
  const attempts = r.attempts > 1 ? `  (${r.attempts} attempts)` : '';
  const failure = r.failure ? `  ${r.failure}` : '';
  return `${STATUS_MARK[r.status]}  ${r.name.padEnd(20)} ${formatDuration(r.latencyMs).padStart(8)}${attempts}${failure}`;
}

/** Exit 1 when a check fails (or the name is neither a check nor a group). */
export async function check(args: string[], { out, err }: Io): Promise<number> {
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
