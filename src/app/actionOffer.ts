import { type Placeholders, planAction } from '../actions/index.js';
import { presentProps } from '../domain/defined.js';
import type { ActionConfig } from '../config/actions.js';
import type { Incident } from '../domain/incident.js';
import type { AppDeps } from './deps.js';

/** The actions an incident may run: its playbook's rollbacks and its steps' actions. */
export function actionsOf(
  deps: Pick<AppDeps, 'config'>,
  incident: Incident,
): Array<{ name: string; config: ActionConfig; step?: number }> {
  const names = new Map<string, number | undefined>(incident.playbook.rollback.map((n) => [n, undefined]));
  incident.playbook.steps.forEach((s, i) => s.action && names.set(s.action, i + 1));
  return [...names].flatMap(([name, step]) =>
    deps.config.actions[name] ? [{ name, config: deps.config.actions[name], ...(step ? { step } : {}) }] : [],
  );
}

export const placeholdersOf = (incident: Incident, requester: string, approver?: string): Placeholders => ({
  'incident.key': incident.key,
  'incident.id': String(incident.id),
  'incident.severity': incident.severity,
  'incident.playbook': incident.playbookId,
  'incident.channel': incident.channelId ?? '',
  'incident.summary': incident.summary,
  requester,
  ...presentProps({ approver }),
});

/**
 * What a run would do, for confirm dialogs and lists. A value that cannot be
 * placed (a summary that reads as an option) shows the placeholder instead:
 * showing an incident never fails because of what someone typed.
 */
export function describePlan(config: ActionConfig, placeholders: Placeholders): string {
  try {
    return planAction(config, placeholders, { allowMissing: true }).summary;
  } catch {
    return planAction(config, {}, { allowMissing: true }).summary;
  }
}

export const isDryRun = (deps: Pick<AppDeps, 'config'>, config: ActionConfig) => deps.config.dry_run || config.dry_run;
