import { getIncident, endChange } from '../store/incidents.js';
import { afterChange } from './changes.js';
import type { AppDeps } from './deps.js';
import { standing } from './gates.js';
import { meetDeadlinesIn } from './work/deadlines.js';
import { enqueueStatusUpdate } from './work/notifications.js';
import { SYSTEM_ACTOR, timelineEvent } from '../domain/timeline.js';
import type { Incident } from '../domain/incident.js';
import { startWindows, watchStanding } from '../domain/watch.js';
import type { Watch } from '../playbooks/schema.js';
import { appendSystemEvent } from '../store/timeline.js';
import { insertWatch, readWatch } from '../store/watches.js';
import { scheduleWork } from '../store/work.js';
import { watchRun } from './work/watch.js';

/**
 * A change whose every gate is GO and every step done is completed: `change.completed` in its timeline, its
 * clocks stopped, its stakeholders told. Called after each step move and each GO; a change not yet there, or
 * already ended, is left as it is (two callers at once complete it once: the end is a guarded update).
 */
export async function finishChange(deps: AppDeps, changeId: number): Promise<void> {
  const change = await getIncident(deps.db, changeId);
  if (change?.kind !== 'change' || change.status === 'resolved') return;
  const { progress } = await standing(deps.db, change);
  if (progress.kind !== 'completed') return;
  if (change.playbook.watch) {
    const watched = watchStanding(await readWatch(deps.db, change.id));
    if (watched === 'not-started') return startWatch(deps, change, change.playbook.watch);
    // Watching: it ends when the windows do. Tripped: the change stays open for its rollback and an abort.
    if (watched !== 'passed') return;
  }
  const at = deps.clock.now();
  const ended = await deps.db.transaction(async (tx) => {
    const ended = await endChange(tx, { incidentId: change.id, how: 'change.completed', actor: SYSTEM_ACTOR, at });
    if (ended.changed) {
      await meetDeadlinesIn(tx, change.id, { event: 'resolved' }, at);
      const durationMs = at.getTime() - change.openedAt.getTime();
      await enqueueStatusUpdate(tx, deps, ended.incident, { kind: 'change-ended', how: 'completed', durationMs }, at);
    }
    return ended;
  });
  if (!ended.changed) return;
  deps.wake();
  await afterChange(deps, ended.incident, {
    kind: 'changed',
    actor: SYSTEM_ACTOR,
    key: change.key,
    change: { kind: 'change-completed' },
  });
}

/** The last GO: the post-deploy watch starts, every window's first run due at once (once, however many call). */
async function startWatch(deps: AppDeps, change: Incident, watch: Watch): Promise<void> {
  const at = deps.clock.now();
  const windows = startWindows(watch, at);
  const started = await deps.db.transaction(async (tx) => {
    if (!(await insertWatch(tx, change.id, windows))) return false;
    await tx.query('UPDATE incidents SET version = version + 1 WHERE id = $1', [change.id]);
    const described = windows.map((w) => ({
      window: w.window,
      checks: w.checks,
      everyMs: w.everyMs,
      endsAt: w.endsAt.toISOString(),
    }));
    await appendSystemEvent(tx, change.id, at, timelineEvent('change.watch_started', { windows: described }));
    await scheduleWork(
      tx,
      windows.map((w) => watchRun(change.id, w.window, at, 1)),
      at,
    );
    return true;
  });
  if (!started) return;
  deps.wake();
  await deps.live.refresh(change.id);
}
