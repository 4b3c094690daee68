import { badRequest, notFound, refused } from '../errors.js';
import type { ChangeProgress } from '../domain/gates.js';
import type { Incident } from '../domain/incident.js';
import { listOpenChanges } from '../store/changeGates.js';
import { standing } from './gates.js';
import { watchStanding } from '../domain/watch.js';
import { readWatch } from '../store/watches.js';
import { endChange, findIncidentByKey, listIncidentsByChannel } from '../store/incidents.js';
import { checkAccess, openAsPerson } from './access.js';
import { cancelPendingRequests, showCancelled } from './actionApprovals.js';
import { afterChange } from './changes.js';
import type { Actor, AppDeps } from './deps.js';
import type { ActionRun } from '../store/actionRuns.js';
import { requestOf } from './lifecycle.js';
import type { Reply } from './replies.js';
import { meetDeadlinesIn } from './work/deadlines.js';
import { enqueueStatusUpdate } from './work/notifications.js';
import type { Queryable } from '../store/db.js';

/**
 * Changes: a deployment walked through the GO/NO-GO gates of a `kind: change` runbook. A change is a row of
 * `incidents` with kind 'change' (key CHG-n), so it has the incident's channel, live message, steps,
 * timeline and durable work; it pages nobody (the people doing it are the ones who started it).
 */
export async function startChange(
  deps: AppDeps,
  request: { runbook: string; summary: string; channelId: string },
  actor: Actor,
): Promise<Reply> {
  const opened = await openAsPerson(
    deps,
    { playbook: request.runbook, summary: request.summary, channelId: request.channelId, kind: 'change' },
    actor,
  );
  if (opened.kind === 'refused') throw refused(opened.refusal);
  if (opened.kind === 'duplicate') return { kind: 'none' };
  const { incident } = opened;
  const where = opened.kind === 'opened' && opened.where ? { channelId: opened.where.channelId } : {};
  return { kind: 'change-started', key: incident.key, runbook: incident.playbookId, ...where };
}

/** Where a change stands: its steps done (or skipped) and its gates' states. */
export const progressOf = async (q: Queryable, change: Incident): Promise<ChangeProgress> =>
  (await standing(q, change)).progress;

/** `/incident change status`: each open change, its phase and its gate. */
export async function changeStatus(deps: AppDeps): Promise<Reply> {
  const changes = await listOpenChanges(deps.db);
  const views = await Promise.all(
    changes.map(async (change) => {
      const [progress, watch] = await Promise.all([progressOf(deps.db, change), readWatch(deps.db, change.id)]);
      return { change, progress, watch: watchStanding(watch) };
    }),
  );
  return { kind: 'changes', changes: views };
}

/** `/incident change abort [CHG-n] [reason]`: the change ends, the reason recorded; as resolving is permitted. */
export async function abortChange(
  deps: AppDeps,
  request: { change?: string; reason: string; channelId: string },
  actor: Actor,
): Promise<Reply> {
  const change = await changeMeant(deps, request);
  await checkAccess(deps, change, { intent: 'change', what: 'abort', actor });
  const at = deps.clock.now();
  let cancelled: ActionRun[] = [];
  const ended = await deps.db.transaction(async (tx) => {
    const ended = await endChange(tx, {
      incidentId: change.id,
      how: 'change.aborted',
      actor: actor.user,
      at,
      data: { reason: request.reason },
      ...requestOf(actor),
    });
    if (ended.changed) {
      await meetDeadlinesIn(tx, change.id, { event: 'resolved' }, at);
      cancelled = await cancelPendingRequests(tx, change.id, at, actor.user);
      const durationMs = at.getTime() - change.openedAt.getTime();
      const reason = { kind: 'change-ended', how: 'aborted', reason: request.reason, durationMs } as const;
      await enqueueStatusUpdate(tx, deps, ended.incident, reason, at);
    }
    return ended;
  });
  const aborted = { kind: 'change-aborted', key: change.key, withReason: request.reason !== '' } as const;
  if (!ended.changed) return ended.duplicate ? { kind: 'none' } : { ...aborted, alreadyEnded: true };
  deps.wake();
  await showCancelled(deps, change, cancelled);
  await afterChange(deps, ended.incident, {
    kind: 'changed',
    actor: actor.user,
    key: change.key,
    change: { kind: 'change-aborted', reason: request.reason },
  });
  return { ...aborted, alreadyEnded: false };
}

/** The change named, else the open change of this channel, else the only open change. */
async function changeMeant(deps: AppDeps, request: { change?: string; channelId: string }): Promise<Incident> {
  if (request.change) {
    const named = await findIncidentByKey(deps.db, request.change);
    if (!named || named.kind !== 'change') throw notFound(`There is no change ${request.change}.`);
    if (named.status === 'resolved') throw badRequest(`${named.key} has already ended.`);
    return named;
  }
  const here = (await listIncidentsByChannel(deps.db, request.channelId, 5)).filter(
    (i) => i.kind === 'change' && i.status !== 'resolved',
  );
  if (here.length === 1) return here[0]!;
  const open = await listOpenChanges(deps.db);
  if (open.length === 1) return open[0]!;
  if (open.length === 0) throw badRequest('No change is open, so there is nothing to abort.');
  throw badRequest(
    `${open.length} changes are open (${open.map((c) => c.key).join(', ')}): name one, e.g. ` +
      `\`/incident change abort ${open[0]!.key} <reason>\`.`,
  );
}
