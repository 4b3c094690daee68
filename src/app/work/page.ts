import { levelOf } from '../../domain/escalation.js';
import { SYSTEM_ACTOR } from '../../domain/timeline.js';
import { pageByDirectMessage, pageInThread, type PageFacts } from '../../notify/messages.js';
import { peopleOf } from '../permissions.js';
import { getIncident } from '../../store/incidents.js';
import { appendTimelineEvent } from '../../store/timeline.js';
import { type NewWork, type Work, completeWork, scheduleWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import type { WorkResult } from './types.js';
import { waitForPlacement } from './threadPost.js';

/**
 * Pages a level: its user groups and people are mentioned in the incident's
 * thread, and each person (user groups expanded) gets a direct message. Each
 * message is its own delivery, so a retry never pages anyone twice.
 */
export async function pageDue(deps: AppDeps, work: Work, worker: string): Promise<WorkResult> {
  const now = deps.clock.now();
  const { level, cycle, lateByMs } = work.payload as { level: number; cycle: number; lateByMs?: number };
  const incident = await getIncident(deps.db, work.incidentId!);
  const spec = incident?.escalationPolicy ? levelOf(incident.escalationPolicy, level) : undefined;
  if (!incident || !spec || incident.status === 'resolved') return { done: 'nothing to page' };
  // Nobody is paged for an incident nobody can see: the page waits for the live message (work/place.ts).
  if (!incident.channelId || !incident.messageTs) return waitForPlacement(work, now);
  const people = await peopleOf(deps, spec.responders);
  const facts: PageFacts = {
    key: incident.key,
    title: incident.title,
    level,
    levelName: spec.name,
    channelId: incident.channelId,
    usergroups: spec.responders.usergroups,
    users: spec.responders.users,
    playbooks: spec.playbooks,
    steps: spec.steps,
    ...(lateByMs ? { late: { byMs: lateByMs } } : {}),
  };
  const deliveries: NewWork[] = [
    {
      kind: 'deliver',
      incidentId: incident.id,
      dueAt: now,
      lane: `thread:${incident.id}`,
      dedupeKey: `page:${work.id}:thread`,
      payload: { thread: 'incident', message: pageInThread(facts) },
    },
    ...people.map((user) => ({
      kind: 'deliver',
      incidentId: incident.id,
      dueAt: now,
      dedupeKey: `page:${work.id}:${user}`,
      payload: { to: user, message: pageByDirectMessage(facts) },
    })),
  ];
  await deps.db.transaction(async (tx) => {
    await scheduleWork(tx, deliveries, now);
    await appendTimelineEvent(tx, {
      incidentId: incident.id,
      occurredAt: now,
      actor: SYSTEM_ACTOR,
      kind: 'escalation.paged',
      data: {
        level,
        cycle,
        name: spec.name,
        usergroups: spec.responders.usergroups,
        users: people,
        ...(lateByMs ? { late: true, lateByMs } : {}),
      },
    });
    await completeWork(tx, work.id, worker, now, `paged ${people.length} people`);
  });
  deps.metrics.timelineEvents.inc({ kind: 'escalation.paged' });
  deps.wake();
  return { completed: true };
}
