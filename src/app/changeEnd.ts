import { getIncident, endChange } from '../store/incidents.js';
import { afterChange } from './changes.js';
import type { AppDeps } from './deps.js';
import { standing } from './gates.js';
import { meetDeadlinesIn } from './work/deadlines.js';
import { enqueueStatusUpdate } from './work/notifications.js';
import { SYSTEM_ACTOR } from '../domain/timeline.js';

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
