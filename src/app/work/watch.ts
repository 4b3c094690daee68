import { type CheckResult, runChecks } from '../../checks/index.js';
import type { Incident } from '../../domain/incident.js';
import { worstVerdict } from '../../domain/gates.js';
import { SYSTEM_ACTOR, timelineEvent } from '../../domain/timeline.js';
import { type RunOutcome, type WatchWindowStatus, afterRun } from '../../domain/watch.js';
import type { Watch } from '../../playbooks/schema.js';
import type { Transaction } from '../../store/db.js';
import { getIncident } from '../../store/incidents.js';
import { appendSystemEvent } from '../../store/timeline.js';
import { linkTrippedIncident, lockWatch, readWatch, saveWindow, stopWatching } from '../../store/watches.js';
import { completeWork, scheduleWork } from '../../store/work.js';
import { finishChange } from '../changeEnd.js';
import type { AppDeps } from '../deps.js';
import { checksFor } from '../health.js';
import { openIncident } from '../openIncident.js';
import { type WorkOf, newWork } from './payloads.js';
import type { WorkResult } from './types.js';

/**
 * One run of a watch window (work kind `watch.run`): the window's checks run; the verdict is counted on the
 * window's row, and in the same transaction the next run is scheduled, the window passes, or it trips. A tripped
 * window opens the runbook's incident once (its request key), linked to the change in both timelines.
 */
export async function watchRunDue(deps: AppDeps, work: WorkOf<'watch.run'>, worker: string): Promise<WorkResult> {
  const change = work.incidentId === null ? undefined : await getIncident(deps.db, work.incidentId);
  const watch = change?.kind === 'change' ? change.playbook.watch : undefined;
  if (!change || !watch) return { done: 'no change with a watch' };
  if (change.status === 'resolved') return { done: 'the change has ended' };
  const window = (await readWatch(deps.db, change.id)).find((w) => w.window === work.payload.window);
  if (!window) return { done: 'no such window' };
  // A run that tripped the window and stopped before the incident was opened: open it now.
  if (window.state === 'tripped' && window.openedIncidentId === null)
    return openFromWatch(deps, change, watch, window, work, worker);
  if (window.state !== 'watching') return { done: `the window has ${window.state}` };

  const results = await runWindowChecks(deps, window);
  const verdict = worstVerdict(results.map((r) => r.status));
  const at = deps.clock.now();
  const outcome = await deps.db.transaction((tx) =>
    recordRun(tx, change, watch, window.window, verdict, results, work, worker, at),
  );
  if (outcome?.kind === 'tripped') return openFromWatch(deps, change, watch, outcome.window, work, worker);
  deps.wake();
  await deps.live.refresh(change.id);
  if (outcome?.allPassed) await finishChange(deps, change.id);
  return { completed: true };
}

/** The window's checks and groups, each check once (the config's names are checked when the bot starts). */
async function runWindowChecks(deps: AppDeps, window: WatchWindowStatus): Promise<CheckResult[]> {
  const checks = [...new Map(window.checks.flatMap((n) => checksFor(deps, n).checks).map((c) => [c.name, c])).values()];
  const results = await runChecks(checks, { clock: deps.clock, tokens: deps.tokens });
  for (const r of results) deps.metrics.checkResults.inc({ check: r.name, status: r.status });
  return results;
}

async function recordRun(
  tx: Transaction,
  change: Incident,
  watch: Watch,
  windowNo: number,
  verdict: ReturnType<typeof worstVerdict>,
  results: CheckResult[],
  work: WorkOf<'watch.run'>,
  worker: string,
  at: Date,
): Promise<(RunOutcome & { allPassed: boolean }) | undefined> {
  const windows = await lockWatch(tx, change.id, windowNo);
  const current = windows.find((w) => w.window === windowNo);
  if (current?.state !== 'watching') {
    await completeWork(tx, work.id, worker, at, 'the window no longer watches');
    return undefined;
  }
  const outcome = afterRun(current, verdict, watch.failures_in_a_row, { dueAt: work.dueAt, at });
  await saveWindow(tx, change.id, outcome.window);
  await tx.query('UPDATE incidents SET version = version + 1 WHERE id = $1', [change.id]);
  if (verdict === 'fail') {
    const failures = results
      .filter((r) => r.status === 'fail')
      .map((r) => ({ check: r.name, failure: r.failure ?? 'failed' }));
    await appendSystemEvent(
      tx,
      change.id,
      at,
      timelineEvent('change.watch_failed', {
        window: windowNo,
        failuresInARow: outcome.window.failuresInARow,
        failures,
      }),
    );
  }
  if (outcome.kind === 'tripped') {
    // The item stays claimed: the incident is opened after this commit, and the item completed then.
    await stopWatching(tx, change.id);
    return { ...outcome, allPassed: false };
  }
  if (outcome.kind === 'next')
    await scheduleWork(tx, [watchRun(change.id, windowNo, outcome.nextAt, outcome.window.runs + 1)], at);
  const all = windows.map((w) => (w.window === windowNo ? outcome.window : w));
  const allPassed = all.every((w) => w.state === 'passed');
  if (allPassed)
    await appendSystemEvent(
      tx,
      change.id,
      at,
      timelineEvent('change.watch_passed', { runs: all.reduce((sum, w) => sum + w.runs, 0) }),
    );
  await completeWork(tx, work.id, worker, at, `${verdict}; ${outcome.kind}`);
  return { ...outcome, allPassed };
}

/** The `watch.run` item of a window's run number `run` (from 1), due at `dueAt`. */
export const watchRun = (changeId: number, window: number, dueAt: Date, run: number) =>
  newWork(
    'watch.run',
    { window },
    {
      incidentId: changeId,
      dueAt,
      lane: `watch:${changeId}:${window}`,
      dedupeKey: `watch:${changeId}:${window}:${run}`,
    },
  );

/** Opens the watch's incident, once, linked to the change in both timelines; then the run is done. */
async function openFromWatch(
  deps: AppDeps,
  change: Incident,
  watch: Watch,
  window: WatchWindowStatus,
  work: WorkOf<'watch.run'>,
  worker: string,
): Promise<WorkResult> {
  const summary =
    `The post-deploy watch of ${change.key} failed ${window.failuresInARow} runs in a row: ` +
    `${window.checks.join(', ')}. The change's rollback comes first.`;
  const opened = await openIncident(
    deps,
    {
      playbook: watch.opens,
      summary: summary.slice(0, 480),
      channelId: '',
      alsoRecord: async (tx, incident) => {
        const at = deps.clock.now();
        await linkTrippedIncident(tx, change.id, window.window, incident.id);
        await tx.query('UPDATE incidents SET version = version + 1 WHERE id = $1', [change.id]);
        await appendSystemEvent(
          tx,
          change.id,
          at,
          timelineEvent('change.watch_tripped', {
            window: window.window,
            failuresInARow: window.failuresInARow,
            incident: incident.key,
            playbook: incident.playbookId,
          }),
        );
        await appendSystemEvent(
          tx,
          incident.id,
          at,
          timelineEvent('incident.from_change', {
            change: change.key,
            window: window.window,
            checks: window.checks,
          }),
        );
      },
    },
    { user: SYSTEM_ACTOR, requestKey: `watch:${change.id}:tripped` },
  );
  const at = deps.clock.now();
  const outcome = opened.kind === 'duplicate' ? 'the incident was already opened' : `opened ${opened.incident.key}`;
  await deps.db.transaction((tx) => completeWork(tx, work.id, worker, at, outcome));
  deps.wake();
  await deps.live.refresh(change.id);
  return { completed: true };
}
