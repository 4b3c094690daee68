import type { Incident } from '../domain/incident.js';
import { type DeadlineView, planDeadlines } from '../domain/deadlines.js';
import { type StepStatus, stepBoard } from '../domain/steps.js';
import { readDeadlines } from '../store/deadlines.js';
import { describePlan, placeholdersOf } from './actionOffer.js';
import { getIncident } from '../store/incidents.js';
import { readStepStates } from '../store/steps.js';
import type { AppDeps } from './deps.js';
import type { ChangeView, IncidentSnapshot } from './ports.js';
import { type GateState, changeProgress, gateAtHand, goOffered } from '../domain/gates.js';
import { readGateStates } from '../store/changeGates.js';

/** Everything the live message shows, read from PostgreSQL in one go. */
export async function loadSnapshot(
  deps: Pick<AppDeps, 'db' | 'config'>,
  incidentId: number,
): Promise<IncidentSnapshot | undefined> {
  const incident = await getIncident(deps.db, incidentId);
  if (!incident) return undefined;
  const [steps, deadlines, gates] = await Promise.all([
    readStepStates(deps.db, incidentId),
    readDeadlines(deps.db, incidentId),
    incident.kind === 'change' ? readGateStates(deps.db, incidentId, incident.playbook.gates.length) : [],
  ]);
  return snapshotOf(deps, incident, steps, deadlines, gates);
}

/** A change's gates as the live message shows them, and where the change stands. */
export function changeViewOf(incident: Incident, recorded: StepStatus[], gates: readonly GateState[]): ChangeView {
  const done = new Set(recorded.filter((s) => s.state === 'done' || s.state === 'skipped').map((s) => s.step));
  const progress = changeProgress(incident.playbook, done, gates);
  return {
    progress,
    gates: incident.playbook.gates.map((gate, i) => {
      const state = gates[i] ?? { state: 'waiting' };
      const atHand = gateAtHand(progress) === i + 1;
      const results = state.state === 'checked' ? state.results : [];
      return {
        number: i + 1,
        title: gate.title,
        ...(gate.phase ? { phase: gate.phase } : {}),
        afterStep: gate.after_step,
        checks: gate.checks,
        state,
        goOffered: atHand && (gate.checks.length === 0 || (state.state === 'checked' && goOffered(gate, results))),
      };
    }),
  };
}

/** The rollbacks a NO-GO offered (the gate's, else the runbook's); none while the change goes on. */
function changeRollbacks(incident: Incident, change: ChangeView): string[] {
  if (change.progress.kind !== 'halted') return [];
  const gate = incident.playbook.gates[change.progress.gate - 1];
  return gate?.rollback.length ? gate.rollback : incident.playbook.rollback;
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
  gates: readonly GateState[] = [],
): IncidentSnapshot {
  const policy = incident.escalationPolicy;
  const change = incident.kind === 'change' ? changeViewOf(incident, recorded, gates) : undefined;
  const rollbacks = change ? changeRollbacks(incident, change) : incident.playbook.rollback;
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
    ...(change ? { change } : {}),
  };
}
