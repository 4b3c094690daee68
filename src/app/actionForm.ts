import type { ActionInput } from '../config/actions.js';
import { type InputsParsed, parseInputs } from '../domain/actionInputs.js';
import { runnerOf } from '../domain/steps.js';
import { incidentFor } from './access.js';
import { actionsOf, describePlan, placeholdersOf } from './actionOffer.js';
import type { Actor, AppDeps } from './deps.js';
import type { Target } from './lifecycle.js';
import { isAllowed } from './permissions.js';
import { presentProps } from '../domain/defined.js';

/** What an action's form shows: the incident, the action, what it runs, and the inputs it asks for. */
export interface ActionForm {
  incidentId: number;
  key: string;
  /** Where the answer to the form's submission goes (the incident's channel). */
  channelId: string | null;
  action: string;
  title: string;
  target?: string;
  /** The argv (or request) with the inputs still as `{input.<name>}`. */
  plan: string;
  inputs: Record<string, ActionInput>;
}

/**
 * Whether a button's action asks for inputs first (a rollback, or a step's action): the form to open, or
 * undefined when the press goes straight to `requestAction` (no inputs, or refused there with its sentence).
 */
export async function actionForm(
  deps: AppDeps,
  target: Target,
  which: { action: string } | { step: number },
  actor: Actor,
): Promise<ActionForm | undefined> {
  const incident = await incidentFor(deps, target, { intent: 'change', what: 'request an action on', actor });
  const name = 'action' in which ? which.action : stepAction(incident.playbook.steps[which.step - 1]);
  const offered = name === undefined ? undefined : actionsOf(deps, incident).find((a) => a.name === name);
  if (!offered || Object.keys(offered.config.inputs).length === 0 || incident.status === 'resolved') return undefined;
  if (!(await isAllowed(deps, offered.config.allowed, actor.user))) return undefined;
  const { config } = offered;
  return {
    incidentId: incident.id,
    key: incident.key,
    channelId: incident.channelId,
    action: offered.name,
    title: config.title,
    ...presentProps({ target: config.target }),
    plan: describePlan(config, placeholdersOf(incident, actor.user)),
    inputs: config.inputs,
  };
}

function stepAction(step: Parameters<typeof runnerOf>[0] | undefined): string | undefined {
  const runner = step && runnerOf(step);
  return runner?.kind === 'action' ? runner.name : undefined;
}

/** The form's values checked before its submission is acknowledged, so refused ones show beside their fields. */
export function checkActionInputs(
  deps: Pick<AppDeps, 'config'>,
  action: string,
  raw: Record<string, unknown>,
): InputsParsed {
  return parseInputs(deps.config.actions[action]?.inputs ?? {}, raw);
}
