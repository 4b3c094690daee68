import type { Incident } from '../domain/incident.js';
import { type GateState, changeProgress, gateAtHand, goOffered } from '../domain/gates.js';
import type { StepStatus } from '../domain/steps.js';
import { watchStanding } from '../domain/watch.js';
import { readGateStates } from '../store/changeGates.js';
import type { Queryable } from '../store/db.js';
import { getIncident } from '../store/incidents.js';
import { changeOfIncident, readWatch } from '../store/watches.js';
import { definedProps, presentProps } from '../domain/defined.js';
import type { ChangeView, WatchView } from './ports.js';

/** What the live message needs beyond steps and deadlines: a change's gates and watch, or an incident's change. */
export interface ChangeExtras {
  gates?: readonly GateState[];
  watch?: WatchView;
  /** The change whose watch opened this incident: its rollback is offered first. */
  fromChange?: { key: string; rollback: string[] };
}

export async function changeExtras(q: Queryable, incident: Incident): Promise<ChangeExtras> {
  if (incident.kind === 'change') {
    const [gates, windows] = await Promise.all([
      readGateStates(q, incident.id, incident.playbook.gates.length),
      incident.playbook.watch ? readWatch(q, incident.id) : [],
    ]);
    if (windows.length === 0) return { gates };
    const openedId = windows.find((w) => w.openedIncidentId !== null)?.openedIncidentId;
    const opened = openedId ? (await getIncident(q, openedId))?.key : undefined;
    return { gates, watch: { windows, standing: watchStanding(windows), ...presentProps({ opened }) } };
  }
  const changeId = await changeOfIncident(q, incident.id);
  const change = changeId === undefined ? undefined : await getIncident(q, changeId);
  return change ? { fromChange: { key: change.key, rollback: change.playbook.rollback } } : {};
}

/** A change's gates and watch as the live message shows them, and where the change stands. */
export function changeViewOf(incident: Incident, recorded: StepStatus[], extras: ChangeExtras): ChangeView {
  const gates = extras.gates ?? [];
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
        ...presentProps({ phase: gate.phase }),
        afterStep: gate.after_step,
        checks: gate.checks,
        state,
        goOffered: atHand && (gate.checks.length === 0 || (state.state === 'checked' && goOffered(gate, results))),
      };
    }),
    ...definedProps({ watch: extras.watch }),
  };
}

/**
 * The rollbacks a change offers: after a NO-GO, the gate's (else the runbook's); after its watch tripped, the
 * runbook's; none while the change goes on.
 */
export function changeRollbacks(incident: Incident, change: ChangeView): string[] {
  if (change.watch?.standing === 'tripped') return incident.playbook.rollback;
  if (change.progress.kind !== 'halted') return [];
  const gate = incident.playbook.gates[change.progress.gate - 1];
  return gate?.rollback.length ? gate.rollback : incident.playbook.rollback;
}
