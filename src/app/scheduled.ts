import type { CheckGroupConfig } from '../config/checks.js';
import { SYSTEM_ACTOR, timelineEvent } from '../domain/timeline.js';
import { pruneHandledRequests } from '../store/requests.js';
import { getIncident } from '../store/incidents.js';
import { lockGroupState, saveGroupState } from '../store/jobs.js';
import type { AppDeps } from './deps.js';
import { checksFor, resultView, runAndRecord } from './health.js';
import { sweepStaleLiveMessages } from './liveMessage.js';
import { openIncident } from './openIncident.js';
import { postWhenPlaced } from './work/threadPost.js';
import { alertTokens } from './tokenAlerts.js';
import { definedProps, presentProps } from '../domain/defined.js';

/**
 * A scheduled check group's run. After `open_after_failures` failed runs in a
 * row it opens one incident with the mapped playbook (not one per failure);
 * when the group passes again while that incident is open, it says so in the
 * incident's thread.
 */
export async function runScheduledGroup(
  deps: AppDeps,
  name: string,
  group: CheckGroupConfig,
  tick: Date,
): Promise<string> {
  const checks = checksFor(deps, name);
  const results = await runAndRecord(deps, checks, undefined, SYSTEM_ACTOR);
  const failing = results.filter((r) => r.status === 'fail');
  const at = deps.clock.now();
  const decision = await deps.db.transaction(async (tx) => {
    const state = await lockGroupState(tx, name);
    const incident = state.incidentId ? await getIncident(tx, state.incidentId) : undefined;
    const open = incident && incident.status !== 'resolved' ? incident : undefined;
    const next = {
      consecutiveFailures: failing.length ? state.consecutiveFailures + 1 : 0,
      lastStatus: failing.length ? 'fail' : 'pass',
      incidentId: open?.id ?? null,
    };
    await saveGroupState(tx, name, next, at);
    if (failing.length && !open && group.playbook && next.consecutiveFailures >= group.open_after_failures)
      return { kind: 'open' as const, playbook: group.playbook, failures: next.consecutiveFailures };
    if (!failing.length && open && state.lastStatus === 'fail')
      return { kind: 'recovered' as const, incident: open, after: state.consecutiveFailures };
    return { kind: 'none' as const };
  });
  if (decision.kind === 'open') {
    const failures = failing.map((r) => `${r.name}: ${r.failure ?? 'failed'}`).join('; ');
    const summary = `Scheduled checks \`${name}\` failed ${decision.failures} times in a row: ${failures}`.slice(
      0,
      480,
    );
    const opened = await openIncident(
      deps,
      { playbook: decision.playbook, summary, channelId: '', ...definedProps({ severity: group.severity }) },
      { user: SYSTEM_ACTOR, requestKey: `group:${name}:${tick.toISOString()}` },
    );
    if (opened.kind !== 'opened') return 'already opened';
    await deps.db.transaction(async (tx) =>
      saveGroupState(tx, name, { ...(await lockGroupState(tx, name)), incidentId: opened.incident.id }, at),
    );
    await runAndRecordInto(deps, opened, checks.target, results);
    return `opened ${opened.incident.key}`;
  }
  if (decision.kind === 'recovered' && decision.incident.channelId && decision.incident.messageTs) {
    await deps.slack.postInThread(decision.incident.channelId, decision.incident.messageTs, {
      kind: 'checks-recovered',
      group: name,
      failedRuns: decision.after,
    });
    await deps.slack.postInThread(decision.incident.channelId, decision.incident.messageTs, {
      kind: 'check-results',
      target: checks.target,
      results: results.map(resultView),
    });
    return 'recovered';
  }
  return failing.length ? `${failing.length} failing` : 'passing';
}

async function runAndRecordInto(
  deps: AppDeps,
  opened: Extract<Awaited<ReturnType<typeof openIncident>>, { kind: 'opened' }>,
  target: string,
  results: Awaited<ReturnType<typeof runAndRecord>>,
): Promise<void> {
  const { incident } = opened;
  const at = deps.clock.now();
  await deps.spool.record(
    ...results.map((r) => ({
      incidentId: incident.id,
      occurredAt: at,
      actor: SYSTEM_ACTOR,
      ...timelineEvent('check.result', {
        check: r.name,
        target,
        status: r.status,
        latencyMs: Math.round(r.latencyMs),
        attempts: r.attempts,
        ...presentProps({ failure: r.failure }),
        scheduled: true,
      }),
    })),
  );
  await postWhenPlaced(
    deps,
    opened,
    { kind: 'check-results', target, results: results.map(resultView) },
    'scheduled-check-results',
  );
}

/**
 * Proactive token refresh: every token within its window is refreshed before anyone needs it; one that cannot be
 * is alerted.
 */
export async function refreshTokensDue(deps: AppDeps): Promise<string> {
  const outcomes = await deps.tokens.refreshDue();
  const alerts = await alertTokens(deps, outcomes, await deps.tokens.states());
  const failed = outcomes.filter((o) => !o.ok).length;
  return `${outcomes.length - failed} refreshed, ${failed} failed, ${alerts} alert${alerts === 1 ? '' : 's'} posted`;
}

/** Housekeeping: old request keys forgotten. (Runs a dead process left running are the sweep's: runOwner.ts.) */
export async function housekeeping(deps: AppDeps): Promise<string> {
  const now = deps.clock.now();
  const pruned = await pruneHandledRequests(deps.db, new Date(now.getTime() - 24 * 3_600_000));
  // A live message left behind while this process ran (its render's retry could not be scheduled) catches up.
  const stale = await sweepStaleLiveMessages(deps);
  return `${pruned} old request keys, ${stale} stale live messages`;
}
