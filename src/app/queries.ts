import { listOpenIncidents } from '../store/incidents.js';
import { countTimelineEvents, readTimeline } from '../store/timeline.js';
import { incidentFor } from './access.js';
import type { Actor, AppDeps } from './deps.js';
import { timelineEvent } from '../domain/timeline.js';
import type { Target } from './lifecycle.js';
import { recordOnce } from './record.js';
import type { Reply } from './replies.js';

export const TIMELINE_PAGE = 40;

export async function listIncidents(deps: AppDeps): Promise<Reply> {
  return { kind: 'list', incidents: await listOpenIncidents(deps.db, 50) };
}

/**
 * One page of an incident's timeline. Viewing is itself recorded (once per
 * request), so the timeline shows who looked at it and when.
 */
export async function showTimeline(deps: AppDeps, target: Target, offset: number, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'read', what: 'read the timeline of', actor });
  if (offset === 0)
    await recordOnce(deps, actor, {
      incidentId: incident.id,
      occurredAt: deps.clock.now(),
      ...timelineEvent('timeline.viewed', {}),
    });
  const [events, total] = await Promise.all([
    readTimeline(deps.db, incident.id, { limit: TIMELINE_PAGE, offset: Math.max(0, offset) }),
    countTimelineEvents(deps.db, incident.id),
  ]);
  return { kind: 'timeline', incident, events, offset: Math.max(0, offset), total, pageSize: TIMELINE_PAGE };
}
