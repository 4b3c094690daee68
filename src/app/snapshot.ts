import type { Incident } from '../domain/incident.js';
import { stepBoard } from '../domain/steps.js';
import { getIncident } from '../store/incidents.js';
import { readStepStates } from '../store/steps.js';
import type { AppDeps } from './deps.js';
import type { IncidentSnapshot } from './ports.js';

/** Everything the live message shows, read from PostgreSQL in one go. */
export async function loadSnapshot(deps: Pick<AppDeps, 'db' | 'config'>, incidentId: number): Promise<IncidentSnapshot | undefined> {
  const incident = await getIncident(deps.db, incidentId);
  if (!incident) return undefined;
  return snapshotOf(deps, incident, await readStepStates(deps.db, incidentId));
}

export function snapshotOf(deps: Pick<AppDeps, 'config'>, incident: Incident, recorded: Awaited<ReturnType<typeof readStepStates>>): IncidentSnapshot {
  const policyName = incident.playbook.escalation;
  const policy = policyName ? deps.config.escalation.policies[policyName] : undefined;
  const level = policy?.levels[incident.escalationLevel - 1];
  return {
    incident,
    steps: stepBoard(incident.playbook.steps.length, recorded),
    ...(level ? { levelName: level.name, levelCount: policy!.levels.length } : {}),
    rollbacks: incident.playbook.rollback.flatMap((name) => {
      const action = deps.config.actions[name];
      if (!action) return [];
      const what = action.kind === 'http' ? `${action.method} ${action.url}` : action.argv.join(' ');
      return [{ name, title: action.title, target: action.target, targetTimeMs: action.target_time, approval: action.approval === 'required', description: what }];
    }),
    dryRun: deps.config.dry_run,
  };
}
