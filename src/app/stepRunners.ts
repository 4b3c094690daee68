import { requestAction } from './actions.js';
import type { StepRunner } from './deps.js';
import { runStepCheck } from './health.js';
import { refreshStepToken } from './tokens.js';

/** The engine behind each kind of step button: Run check, Refresh token, Run action. */
export const stepRunners: Record<'check' | 'token' | 'action', StepRunner> = {
  check: (deps, incident, step, name, actor) => runStepCheck(deps, incident, step, name, actor),
  token: (deps, incident, step, name, actor) => refreshStepToken(deps, incident, step, name, actor),
  action: (deps, incident, _step, name, actor) => requestAction(deps, { incidentId: incident.id }, name, actor),
};
