import type { ActionConfig } from '../config/actions.js';
import { runCommand } from './command.js';
import { runHttp } from './http.js';
import { planAction } from './plan.js';
import type { ActionRunResult, Placeholders, RunOptions } from './types.js';

/**
 * Runs one action and says how it went. Faults of the run itself (a missing
 * credential, a refused connection, a non-zero exit, a timeout) come back as
 * an outcome with a sentence; it rejects only with the ActionInputError that
 * `planAction` would throw for the same values, before anything runs.
 * A dry run (asked for, or the action's own `dry_run: true`) runs nothing
 * and returns the plan's summary.
 */
export async function runAction(
  config: ActionConfig,
  placeholders: Placeholders,
  options: RunOptions,
): Promise<ActionRunResult> {
  const plan = planAction(config, placeholders);
  if (options.dryRun || config.dry_run) return { outcome: 'dry_run', summary: plan.summary, output: '', durationMs: 0 };
  try {
    return config.kind === 'command'
      ? await runCommand(config, plan, options.signal, options.onSpawn)
      : await runHttp(config, placeholders, options.signal);
  } catch (error) {
    return {
      outcome: 'failed',
      summary: plan.summary,
      output: '',
      durationMs: 0,
      error: `The action could not run: ${error instanceof Error ? error.message : String(error)}.`,
    };
  }
}
