import { PAGE_LATE_AFTER_MS, lateness, levelOf } from '../../domain/escalation.js';
import { SYSTEM_ACTOR, timelineEvent } from '../../domain/timeline.js';
import { pageByDirectMessage, pageInThread, pageLine, type PageFacts } from '../../notify/messages.js';
import { getIncident } from '../../store/incidents.js';
import { appendTimelineEvent } from '../../store/timeline.js';
import { type NewWork, completeWork, scheduleWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { type WorkOf, newWork } from './payloads.js';
import type { WorkResult } from './types.js';
import { waitForPlacement } from './threadPost.js';
import { levelClockWork } from './escalation.js';
import { personRuleWork } from './pageRule.js';
import { respondersAt } from './responders.js';

/**
 * Pages a level: its user groups and people are mentioned in the incident's
 * thread, and each person (user groups expanded) gets a direct message. Each
 * message is its own delivery, so a retry never pages anyone twice.
 *
 * The level's clock starts now, when the page goes out. A page that goes out
 * later than it fell due (the escalation fired late, or a replica died
 * holding it and another took it over) says by how much, in the page and in
 * `escalation.paged`.
 */
export async function pageDue(deps: AppDeps, work: WorkOf<'page'>, worker: string): Promise<WorkResult> {
  const { level, cycle, because, lateByMs } = work.payload;
  const incident = work.incidentId === null ? undefined : await getIncident(deps.db, work.incidentId);
  const spec = incident?.escalationPolicy ? levelOf(incident.escalationPolicy, level) : undefined;
  if (!incident || !spec || incident.status === 'resolved') return { done: 'nothing to page' };
  const now = deps.clock.now();
  // Nobody is paged for an incident nobody can see: the page waits for the live message (work/place.ts).
  if (!incident.channelId || !incident.messageTs) return waitForPlacement(work, now);
  const responders = await respondersAt(deps, spec, now);
  const { people } = responders;
  const late = lateness(new Date(work.dueAt.getTime() - (lateByMs ?? 0)), now, PAGE_LATE_AFTER_MS);
  const facts: PageFacts = {
    key: incident.key,
    title: incident.title,
    level,
    levelName: spec.name,
    channelId: incident.channelId,
    usergroups: responders.usergroups,
    users: responders.users,
    onCall: responders.onCall,
    playbooks: spec.playbooks,
    steps: spec.steps,
    ...(late.late ? { late: { byMs: late.byMs } } : {}),
  };
  // The page of the level it started at, as it was placed: nobody knows of the incident yet (slackApi/priority.ts).
  const first = because === 'opened' && cycle === 0 ? { first: true } : {};
  const deliveries: NewWork[] = [
    newWork(
      'deliver',
      { thread: 'incident', message: pageInThread(facts), ...first },
      // Not in the thread's lane: a page is sent before the thread details queued ahead of it (an alert's lines
      // waiting for a busy storm channel), not after them.
      { incidentId: incident.id, dueAt: now, dedupeKey: `page:${work.id}:thread` },
    ),
    ...people.map((user) =>
      newWork(
        'deliver',
        { to: user, message: pageByDirectMessage(facts), page: true, line: pageLine(facts), ...first },
        { incidentId: incident.id, dueAt: now, dedupeKey: `page:${work.id}:${user}` },
      ),
    ),
  ];
  const paged = await deps.db.transaction(async (tx) => {
    // Fenced first: a worker whose lease ran out (another took the page over) writes nothing.
    if (!(await completeWork(tx, work.id, worker, now, `paged ${people.length} people`))) return false;
    await scheduleWork(
      tx,
      [
        ...deliveries,
        ...levelClockWork(incident, level, cycle, because ?? `page-${work.id}`, now),
        ...people.flatMap((user) => personRuleWork(deps.config, incident, user, level, `page-${work.id}`, now)),
      ],
      now,
    );
    await appendTimelineEvent(tx, {
      incidentId: incident.id,
      occurredAt: now,
      actor: SYSTEM_ACTOR,
      ...timelineEvent('escalation.paged', {
        level,
        cycle,
        name: spec.name,
        usergroups: responders.usergroups,
        users: people,
        ...(responders.onCall.length ? { onCall: responders.onCall } : {}),
        ...(responders.fallback ? { fallback: true } : {}),
        dueAt: new Date(work.dueAt.getTime() - (lateByMs ?? 0)).toISOString(),
        ...(late.late ? { late: true, lateByMs: late.byMs } : {}),
      }),
    });
    return true;
  });
  if (!paged) return { completed: true };
  deps.wake();
  return { completed: true };
}
