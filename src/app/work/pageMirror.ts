import { backoffDelay } from '../../domain/backoff.js';
import type { Incident } from '../../domain/incident.js';
import { SYSTEM_ACTOR, timelineEvent } from '../../domain/timeline.js';
import type { MirrorAction } from '../../paging/index.js';
import type { Transaction } from '../../store/db.js';
import { getIncident } from '../../store/incidents.js';
import { appendTimelineEvent } from '../../store/timeline.js';
import { type NewWork, completeWork, scheduleWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { type WorkOf, newWork } from './payloads.js';
import { pageContentOf, stopPersonRules } from './pageRule.js';
import type { WorkResult } from './types.js';

/** A mirror that keeps failing is tried this many times (its adapter retries inside each), then reported. */
const MIRROR_ATTEMPTS = 6;
const MIRROR_BACKOFF = { initial: 5_000, factor: 2, max: 5 * 60_000, jitter: true };

/**
 * The incident's moments, mirrored to PagerDuty and Opsgenie: opened (trigger), acknowledged, resolved. Each is
 * durable work in the transaction of the change; one lane per provider and incident keeps them in order.
 */
export function mirrorWork(
  deps: Pick<AppDeps, 'pager'>,
  incident: Incident,
  action: MirrorAction,
  at: Date,
): NewWork[] {
  return deps.pager.mirrors.map((m) =>
    newWork(
      'page.mirror',
      { to: m.name, action },
      {
        incidentId: incident.id,
        dueAt: at,
        lane: `mirror:${incident.id}:${m.name}`,
        dedupeKey: `page.mirror:${incident.id}:${m.name}:${action}`,
      },
    ),
  );
}

/**
 * Acknowledged or resolved, from wherever: every person's remaining rules stop, and the mirrors are told. Called
 * in the change's transaction (app/lifecycle.ts), so the change and what follows it commit together.
 */
export async function tellPagers(
  tx: Transaction,
  deps: Pick<AppDeps, 'pager'>,
  incident: Incident,
  action: 'acknowledge' | 'resolve',
  at: Date,
): Promise<void> {
  await stopPersonRules(tx, incident.id, at, action === 'acknowledge' ? 'acknowledged' : 'resolved');
  await scheduleWork(tx, mirrorWork(deps, incident, action, at), at);
}

export async function mirrorDue(deps: AppDeps, work: WorkOf<'page.mirror'>, worker: string): Promise<WorkResult> {
  const { to, action } = work.payload;
  const mirror = deps.pager.mirrors.find((m) => m.name === to);
  const incident = work.incidentId === null ? undefined : await getIncident(deps.db, work.incidentId);
  if (!mirror || !incident) return { done: mirror ? 'no incident' : `${to} is not configured` };
  const outcome = await mirror.mirror(action, pageContentOf(incident, incident.escalationLevel));
  const now = deps.clock.now();
  if (!outcome.ok && work.attempts < MIRROR_ATTEMPTS) {
    deps.log.warn(
      { incident: incident.key, to, action, error: outcome.error, attempt: work.attempts },
      'mirror failed',
    );
    return {
      retryAt: new Date(now.getTime() + backoffDelay(MIRROR_BACKOFF, work.attempts - 1)),
      reason: outcome.error,
    };
  }
  const event = outcome.ok
    ? timelineEvent('page.sent', { channel: to, action, attempts: outcome.attempts })
    : timelineEvent('page.failed', { channel: to, action, attempts: outcome.attempts, error: outcome.error });
  await deps.db.transaction(async (tx) => {
    if (!(await completeWork(tx, work.id, worker, now, outcome.ok ? 'mirrored' : 'gave up'))) return;
    await appendTimelineEvent(tx, { incidentId: incident.id, occurredAt: now, actor: SYSTEM_ACTOR, ...event });
  });
  return { completed: true };
}
