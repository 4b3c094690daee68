import { type DeadlineTrigger, planDeadlines, reminderAt } from '../../domain/deadlines.js';
import type { Incident } from '../../domain/incident.js';
import { SYSTEM_ACTOR, timelineEvent } from '../../domain/timeline.js';
import { deadlineMissed, deadlineReminder } from '../../notify/messages.js';
import type { Transaction } from '../../store/db.js';
import { insertDeadlines, meetDeadlines, missDeadline, readDeadlines } from '../../store/deadlines.js';
import { getIncident, lockIncident } from '../../store/incidents.js';
import { appendTimelineEvent } from '../../store/timeline.js';
import { type NewWork, completeWork, scheduleWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { type WorkOf, newWork } from './payloads.js';
import type { WorkResult } from './types.js';

/** Opening starts the playbook's deadlines: a reminder shortly before each, and the check when it falls due. */
export async function startDeadlines(
  tx: Transaction,
  deps: Pick<AppDeps, 'config'>,
  incident: Incident,
  at: Date,
): Promise<void> {
  const planned = planDeadlines(incident.playbook.deadlines, incident.openedAt);
  await insertDeadlines(tx, incident.id, planned);
  const work: NewWork[] = planned.flatMap((d) => {
    const remind = reminderAt(d.dueAt, deps.config.deadline_reminder, at);
    return [
      ...(remind
        ? [
            newWork(
              'deadline.remind',
              { name: d.name },
              { incidentId: incident.id, dueAt: remind, dedupeKey: `deadline.remind:${incident.id}:${d.name}` },
            ),
          ]
        : []),
      newWork(
        'deadline.check',
        { name: d.name },
        { incidentId: incident.id, dueAt: d.dueAt, dedupeKey: `deadline.check:${incident.id}:${d.name}` },
      ),
    ];
  });
  await scheduleWork(tx, work, at);
}

/** Settles the deadlines a step or event meets, with a timeline event each; returns how many. */
export async function meetDeadlinesIn(
  tx: Transaction,
  incidentId: number,
  trigger: DeadlineTrigger,
  at: Date,
): Promise<number> {
  // The incident's row first, as every change takes it: meeting one bumps its version (store/deadlines.ts), and
  // taking the deadlines' rows before it could deadlock with a step move meeting the same deadline.
  await lockIncident(tx, incidentId);
  const met = await meetDeadlines(tx, incidentId, trigger, at);
  for (const deadline of met) {
    await appendTimelineEvent(tx, {
      incidentId,
      occurredAt: at,
      actor: SYSTEM_ACTOR,
      ...timelineEvent('deadline.met', {
        name: deadline.name,
        title: deadline.title,
        dueAt: deadline.dueAt.toISOString(),
        ...(deadline.late ? { late: true } : {}),
      }),
    });
  }
  return met.length;
}

/** Shortly before a deadline: remind the commander in the thread, if it is still open. */
export async function remindDue(deps: AppDeps, work: WorkOf<'deadline.remind'>, worker: string): Promise<WorkResult> {
  const now = deps.clock.now();
  const { name } = work.payload;
  const incident = work.incidentId === null ? undefined : await getIncident(deps.db, work.incidentId);
  const deadline = incident && (await readDeadlines(deps.db, incident.id)).find((d) => d.name === name);
  if (!incident || !deadline || deadline.state !== 'pending') return { done: 'already settled' };
  await deps.db.transaction(async (tx) => {
    // Fenced first: a worker whose lease ran out (another took the reminder over) writes nothing.
    if (!(await completeWork(tx, work.id, worker, now, 'reminded'))) return;
    await scheduleWork(
      tx,
      [
        newWork(
          'deliver',
          { thread: 'incident', message: deadlineReminder(incident.commander, deadline.title, deadline.dueAt) },
          { incidentId: incident.id, dueAt: now, lane: `thread:${incident.id}`, dedupeKey: `remind:${work.id}` },
        ),
      ],
      now,
    );
    await appendTimelineEvent(tx, {
      incidentId: incident.id,
      occurredAt: now,
      actor: SYSTEM_ACTOR,
      ...timelineEvent('deadline.reminded', {
        name,
        title: deadline.title,
        dueAt: deadline.dueAt.toISOString(),
        commander: incident.commander,
      }),
    });
  });
  deps.wake();
  return { completed: true };
}

/** When a deadline falls due: still pending means missed, said in the thread and recorded. */
export async function checkDeadlineDue(
  deps: AppDeps,
  work: WorkOf<'deadline.check'>,
  worker: string,
): Promise<WorkResult> {
  const now = deps.clock.now();
  const { name } = work.payload;
  const incident = work.incidentId === null ? undefined : await getIncident(deps.db, work.incidentId);
  if (!incident) return { done: 'no incident' };
  const missed = await deps.db.transaction(async (tx) => {
    await lockIncident(tx, incident.id);
    const deadline = await missDeadline(tx, incident.id, name, now);
    if (deadline) {
      await appendTimelineEvent(tx, {
        incidentId: incident.id,
        occurredAt: now,
        actor: SYSTEM_ACTOR,
        ...timelineEvent('deadline.missed', { name, title: deadline.title, dueAt: deadline.dueAt.toISOString() }),
      });
      await scheduleWork(
        tx,
        [
          newWork(
            'deliver',
            { thread: 'incident', message: deadlineMissed(incident.commander, deadline.title, deadline.dueAt) },
            { incidentId: incident.id, dueAt: now, lane: `thread:${incident.id}`, dedupeKey: `missed:${work.id}` },
          ),
        ],
        now,
      );
    }
    await completeWork(tx, work.id, worker, now, deadline ? 'missed' : 'met in time');
    return deadline !== undefined;
  });
  if (missed) {
    await deps.live.refresh(incident.id);
    deps.wake();
  }
  return { completed: true };
}
