import { getRun, setApprovalMessage } from '../../store/actionRuns.js';
import { getIncident } from '../../store/incidents.js';
import type { NewWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { approvalPost } from '../actionApprovals.js';
import { peopleOf } from '../permissions.js';
import { type WorkOf, newWork } from './payloads.js';
import { waitForPlacement } from './threadPost.js';
import type { WorkResult } from './types.js';

export const announceKey = (runId: number) => `action.announce:${runId}`;

/** The approval request of a run held for a second person: committed with the run (app/actions.ts). */
export function announceWork(incidentId: number, runId: number, at: Date): NewWork {
  return newWork('action.announce', { runId }, { incidentId, dueAt: at, dedupeKey: announceKey(runId) });
}

/**
 * Posts the approval request (Approve / Deny) in the incident's thread. Durable, so a request is never held for
 * approval without one: an incident not yet placed (its live message in Slack but not recorded, the buttons
 * already pressable) gets it once placed, and a post Slack failed is tried again. A run decided meanwhile (the
 * incident resolved: cancelled; expired) is not announced.
 */
export async function announceApprovalDue(deps: AppDeps, work: WorkOf<'action.announce'>): Promise<WorkResult> {
  const run = await getRun(deps.db, work.payload.runId);
  if (!run) return { done: 'no run' };
  if (run.state !== 'awaiting_approval') return { done: `run ${run.state}` };
  if (run.approvalTs) return { done: 'already posted' };
  const config = deps.config.actions[run.action];
  if (!config) return { done: 'action no longer configured' };
  const incident = await getIncident(deps.db, run.incidentId);
  if (!incident) return { done: 'no incident' };
  if (!incident.channelId || !incident.messageTs) return waitForPlacement(work, deps.clock.now());
  const approvers = (await peopleOf(deps, config.allowed)).filter((u) => u !== run.requestedBy);
  const { ts } = await deps.slack.postInThread(
    incident.channelId,
    incident.messageTs,
    approvalPost(incident, run, config, approvers),
  );
  await setApprovalMessage(deps.db, run.id, ts);
  return { done: 'posted' };
}
