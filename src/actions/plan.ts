import type { ActionConfig } from '../config/actions.js';
import { commandProblems, planCommand } from './command.js';
import { buildHttp, httpProblems } from './httpPlan.js';
import { inputProblems, unknownPlaceholderProblem, unknownPlaceholders } from './placeholders.js';
import type { ActionPlan, Placeholders, PlanOptions } from './types.js';

/**
 * What the action will run with these values, without running it. Throws
 * ActionInputError (`bad_request`) for a value it refuses or one that is
 * missing, and (`config_invalid`) for a config `actionProblems` reports.
 */
export function planAction(config: ActionConfig, placeholders: Placeholders, options: PlanOptions = {}): ActionPlan {
  return config.kind === 'command'
    ? planCommand(config, placeholders, options)
    : buildHttp(config, placeholders, options).plan;
}

/** Everything wrong with an action's use of placeholders, as sentences, for `incidentbot lint`. */
export function actionProblems(config: ActionConfig): string[] {
  const unknown = unknownPlaceholders(config);
  return [
    ...(unknown.length > 0 ? [unknownPlaceholderProblem(unknown)] : []),
    ...inputProblems(config),
    ...(config.kind === 'command' ? commandProblems(config) : httpProblems(config)),
  ];
}
