import { type CheckResult, resolveTarget, runChecks, suggestTargets } from '../checks/index.js';
import type { Incident } from '../domain/incident.js';
import { isBotError, refused } from '../errors.js';
import { checkAccess } from './access.js';
import { findIncident } from './context.js';
import type { Actor, AppDeps } from './deps.js';
import type { Target } from './lifecycle.js';
import type { CheckResultView } from './ports.js';
import { type Reply, text } from './replies.js';
import { finishStepRunner, startStepRunner } from './stepRun.js';
import { timelineEvent } from '../domain/timeline.js';
import { presentProps } from '../domain/defined.js';

export const resultView = (r: CheckResult): CheckResultView => ({
  name: r.name,
  title: r.title,
  status: r.status,
  latencyMs: r.latencyMs,
  attempts: r.attempts,
  details: r.details,
  ...presentProps({ failure: r.failure }),
});

/** The checks a name stands for, or a sentence naming the closest ones. */
export function checksFor(deps: Pick<AppDeps, 'config'>, name?: string) {
  const target = resolveTarget(deps.config, name);
  if (target) return target;
  throw refused({ kind: 'no-check', name: name ?? '', closest: suggestTargets(deps.config, name ?? '') });
}

/** Runs checks and, for an incident, writes one `check.result` event per result in one transaction. */
export async function runAndRecord(
  deps: AppDeps,
  checks: ReturnType<typeof checksFor>,
  incident: Incident | undefined,
  actor: string,
  step?: number,
): Promise<CheckResult[]> {
  const results = await runChecks(checks.checks, { clock: deps.clock, tokens: deps.tokens });
  for (const r of results) deps.metrics.checkResults.inc({ check: r.name, status: r.status });
  if (incident) {
    const at = deps.clock.now();
    await deps.spool.record(
      ...results.map((r) => ({
        incidentId: incident.id,
        occurredAt: at,
        actor,
        ...timelineEvent('check.result', {
          check: r.name,
          target: checks.target,
          status: r.status,
          latencyMs: Math.round(r.latencyMs),
          attempts: r.attempts,
          ...presentProps({ failure: r.failure }),
          ...(step ? { step } : {}),
        }),
      })),
    );
  }
  return results;
}

/** Where the incident's thread is, when it has one. */
const threadOf = (incident: Incident | undefined) =>
  incident?.channelId && incident.messageTs ? { channel: incident.channelId, ts: incident.messageTs } : undefined;

type Thread = ReturnType<typeof threadOf>;

/** Said in the thread before the checks run. */
async function sayRunning(deps: AppDeps, thread: Thread, checks: ReturnType<typeof checksFor>, actor: Actor) {
  if (thread)
    await deps.slack.postInThread(thread.channel, thread.ts, {
      kind: 'check-running',
      actor: actor.user,
      target: checks.target,
      count: checks.checks.length,
    });
}

/** Their results, in the thread. */
async function sayResults(deps: AppDeps, thread: Thread, checks: ReturnType<typeof checksFor>, results: CheckResult[]) {
  if (thread)
    await deps.slack.postInThread(thread.channel, thread.ts, {
      kind: 'check-results',
      target: checks.target,
      results: results.map(resultView),
    });
}

/**
 * `/incident health [check|group]`: in an incident, a "running" line in its
 * thread, then one result per check there and in the timeline; elsewhere,
 * the results to the person who asked.
 */
export async function runHealth(deps: AppDeps, target: Target, name: string | undefined, actor: Actor): Promise<Reply> {
  const checks = checksFor(deps, name);
  const incident = await findIncident(deps.db, target).catch((error: unknown) => {
    if (isBotError(error) && error.code === 'no_incident_context' && !target.key) return undefined;
    throw error;
  });
  if (incident) await checkAccess(deps, incident, { intent: 'change', what: 'run health checks in', actor });
  const thread = threadOf(incident);
  await sayRunning(deps, thread, checks, actor);
  const results = await runAndRecord(deps, checks, incident, actor.user);
  if (!incident || !thread) return { kind: 'health', target: checks.target, results: results.map(resultView) };
  await sayResults(deps, thread, checks, results);
  const failed = results.filter((r) => r.status === 'fail').length;
  const outcome = failed ? `${failed} of ${results.length} failed` : `all ${results.length} passed`;
  return text(`${checks.target}: ${outcome}; the results are in ${incident.key}'s thread.`);
}

/** A check or group run for an incident with its thread told: a "running" line, then the results. */
export async function runInThread(
  deps: AppDeps,
  incident: Incident,
  name: string,
  actor: Actor,
): Promise<CheckResult[]> {
  const checks = checksFor(deps, name);
  const thread = threadOf(incident);
  await sayRunning(deps, thread, checks, actor);
  const results = await runAndRecord(deps, checks, incident, actor.user);
  await sayResults(deps, thread, checks, results);
  return results;
}

/** A step's Run check button: the step runs, then is done (everything passed) or failed (with the failure). */
export async function runStepCheck(
  deps: AppDeps,
  incident: Incident,
  step: number,
  name: string,
  actor: Actor,
): Promise<Reply> {
  const checks = checksFor(deps, name);
  const notStarted = await startStepRunner(deps, incident, step, { check: name }, actor);
  if (notStarted) return notStarted;
  const thread = threadOf(incident);
  await sayRunning(deps, thread, checks, actor);
  const results = await runAndRecord(deps, checks, incident, actor.user, step);
  const failure = results.find((r) => r.status === 'fail');
  const reason = failure && `${failure.name}: ${failure.failure ?? 'failed'}`;
  await finishStepRunner(deps, incident, step, reason ? { ok: false, reason } : { ok: true });
  await sayResults(deps, thread, checks, results);
  return {
    kind: 'step-checks',
    step,
    ...(failure ? { failure: { name: failure.name, reason: failure.failure ?? 'failed' } } : {}),
  };
}
