import type { Incident } from '../domain/incident.js';
import { type DeadlineView, planDeadlines } from '../domain/deadlines.js';
import { type StepStatus, stepBoard } from '../domain/steps.js';
import { readDeadlines } from '../store/deadlines.js';
import { describePlan, placeholdersOf } from './actionOffer.js';
import { getIncident } from '../store/incidents.js';
import { readStepStates } from '../store/steps.js';
import type { AppDeps } from './deps.js';
import type { IncidentSnapshot } from './ports.js';
import { type ChangeExtras, changeExtras, changeRollbacks, changeViewOf } from './changeSnapshot.js';
import { definedProps } from '../domain/defined.js';

/** Everything the live message shows, read from PostgreSQL in one go. */
export async function loadSnapshot(
  deps: Pick<AppDeps, 'db' | 'config'>,
  incidentId: number,
): Promise<IncidentSnapshot | undefined> {
  const incident = await getIncident(deps.db, incidentId);
  if (!incident) return undefined;
  const [steps, deadlines, extras] = await Promise.all([
    readStepStates(deps.db, incidentId),
    readDeadlines(deps.db, incidentId),
    changeExtras(deps.db, incident),
  ]);
  return snapshotOf(deps, incident, steps, deadlines, extras);
}

export function snapshotOf(
  deps: Pick<AppDeps, 'config'>,
  incident: Incident,
  recorded: StepStatus[],
  deadlines: DeadlineView[] = planDeadlines(incident.playbook.deadlines, incident.openedAt).map((d) => ({
    name: d.name,
    title: d.title,
    dueAt: d.dueAt,
    state: 'pending' as const,
  })),
  extras: ChangeExtras = {},
): IncidentSnapshot {
  const policy = incident.escalationPolicy;
  const change = incident.kind === 'change' ? changeViewOf(incident, recorded, extras) : undefined;
  const rollbacks = change
    ? changeRollbacks(incident, change)
    : [...new Set([...(extras.fromChange?.rollback ?? []), ...incident.playbook.rollback])];
  const level = policy?.levels[incident.escalationLevel - 1];
  return {
    incident,
    steps: stepBoard(incident.playbook.steps.length, recorded),
    deadlines,
    ...(level ? { levelName: level.name, levelCount: policy.levels.length } : {}),
    rollbacks: rollbacks.flatMap((name) => {
      const action = deps.config.actions[name];
      if (!action) return [];
      const plan = describePlan(action, placeholdersOf(incident, incident.commander));
      return [
        {
          name,
          title: action.title,
          target: action.target,
          targetTimeMs: action.target_time,
          approval: action.approval === 'required',
          description: plan,
        },
      ];
    }),
    dryRun: deps.config.dry_run,
    ...definedProps({ change }),
    ...(extras.fromChange ? { fromChange: extras.fromChange.key } : {}),
  };
}
