import { type ActionRunResult, parseResolvedPlan, runAction, runResolved } from '../actions/index.js';
import { finishChange } from './changeEnd.js';
import type { ActionConfig } from '../config/actions.js';
import type { Incident } from '../domain/incident.js';
import { BotError } from '../errors.js';
import { type ActionRun, setRunChild, startRun } from '../store/actionRuns.js';
import { recordStepMove } from '../store/steps.js';
import { placeholdersOf } from './actionOffer.js';
import { findIncident } from './context.js';
import type { AppDeps } from './deps.js';
import { timelineEvent } from '../domain/timeline.js';
import { runnerEndMove, runnerStartMove, runnerStep } from './stepRun.js';
import { definedProps, presentProps } from '../domain/defined.js';

/** How a run ended, and whether its end is in the database yet. */
export interface Ran {
  outcome: ActionRunResult['outcome'];
  recorded: 'written' | 'spooled';
}

/**
 * Runs an approved request: once (the guarded move to `running` happens in
 * one replica only, behind a Redis lock too), owned by this process (its
 * heartbeat keeps the run alive in the others' eyes), said in the thread as
 * it goes, measured against its time-to-rollback target, and the step
 * updated. It executes the plan kept at request time. Once the run has
 * started nothing here throws for PostgreSQL: the run's end is written with
 * its `action.finished` event in one transaction, or spooled to be written
 * when the database is back, before anything else is tried.
 */
export async function executeRun(
  deps: AppDeps,
  incident: Incident,
  run: ActionRun,
  config: ActionConfig,
  startedBy: string,
): Promise<Ran | undefined> {
  const lock = await deps.coord.tryLock(`action:${incident.id}:${run.action}`, config.timeout + 60_000);
  if (!lock) return undefined;
  try {
    const started = await startRun(deps.db, run.id, deps.runOwner, deps.clock.now());
    if (!started) return undefined;
    return await runStarted(deps, incident, started, config, startedBy);
  } finally {
    await lock.release().catch((error: unknown) => deps.log.warn({ err: error }, 'could not release an action lock'));
  }
}

/** Where the incident's thread is, when it has one. */
type Thread = { channel: string; ts: string } | undefined;

/** What a run measured: its time to rollback, against the action's target. */
interface Measured {
  at: Date;
  durationMs: number;
  targetMissed: boolean;
  ok: boolean;
}

async function runStarted(
  deps: AppDeps,
  incident: Incident,
  run: ActionRun,
  config: ActionConfig,
  startedBy: string,
): Promise<Ran> {
  const thread: Thread =
    incident.channelId && incident.messageTs ? { channel: incident.channelId, ts: incident.messageTs } : undefined;
  await recordStart(deps, incident, run, startedBy);
  await announceStart(deps, incident, run, config, startedBy, thread);
  const beganAt = deps.clock.now();
  const result = await runPlan(deps, run, config);
  const measured = measure(run, config, beganAt, result, deps.clock.now());
  const recorded = await recordEnd(deps, incident, run, config, result, measured);
  await announceEnd(deps, incident, run, config, result, measured, recorded, thread);
  return { outcome: result.outcome, recorded };
}

const bestEffort = (deps: AppDeps, run: ActionRun, what: string) => (error: unknown) =>
  deps.log.warn({ err: error, run: run.id }, what);

/** `action.started` on the timeline (spooled if PostgreSQL is away), and the step it belongs to marked running. */
async function recordStart(deps: AppDeps, incident: Incident, run: ActionRun, startedBy: string): Promise<void> {
  await deps.spool.record({
    incidentId: incident.id,
    occurredAt: deps.clock.now(),
    actor: startedBy,
    ...timelineEvent('action.started', { action: run.action, runId: run.id, summary: run.plan, dryRun: run.dryRun }),
  });
  if (run.step)
    await recordStepMove(deps.db, runnerStartMove(incident, run.step, {}, { user: startedBy }, deps.clock.now())).catch(
      bestEffort(deps, run, 'could not mark the step running'),
    );
}

/** Said in the thread and shown in the live message; neither stops the run when Slack is away. */
async function announceStart(
  deps: AppDeps,
  incident: Incident,
  run: ActionRun,
  config: ActionConfig,
  startedBy: string,
  thread: Thread,
): Promise<void> {
  if (thread)
    await deps.slack
      .postInThread(thread.channel, thread.ts, {
        kind: 'action-started',
        action: run.action,
        title: config.title,
        plan: run.plan,
        actor: startedBy,
        dryRun: run.dryRun,
      })
      .catch(bestEffort(deps, run, 'could not say in the thread that a run started'));
  await deps.live.refresh(incident.id).catch(bestEffort(deps, run, 'could not refresh the live message'));
}

/**
 * Time to rollback: from the press of the button to the end of the run (waiting for approval included).
 * The run itself is measured in real time, so a clock moved by hand still sees how long it ran.
 */
function measure(run: ActionRun, config: ActionConfig, beganAt: Date, result: ActionRunResult, at: Date): Measured {
  const durationMs = Math.max(0, beganAt.getTime() - run.requestedAt.getTime()) + Math.round(result.durationMs);
  return {
    at,
    durationMs,
    targetMissed: config.target_time !== undefined && !run.dryRun && durationMs > config.target_time,
    ok: result.outcome === 'succeeded' || result.outcome === 'dry_run',
  };
}

/** The run's end, its `action.finished` event and its step's move in one transaction, or spooled until they can be. */
function recordEnd(
  deps: AppDeps,
  incident: Incident,
  run: ActionRun,
  config: ActionConfig,
  result: ActionRunResult,
  { at, durationMs, targetMissed, ok }: Measured,
): Promise<Ran['recorded']> {
  return deps.spool.record({
    incidentId: incident.id,
    occurredAt: at,
    actor: 'system',
    ...timelineEvent('action.finished', {
      action: run.action,
      runId: run.id,
      outcome: result.outcome,
      durationMs,
      ...(config.target_time ? { targetMs: config.target_time, targetMissed } : {}),
      ...presentProps({ error: result.error }),
    }),
    run: {
      id: run.id,
      outcome: result.outcome,
      at,
      output: result.output,
      ...presentProps({ error: result.error }),
      ...definedProps({ exitCode: result.exitCode }),
      ...(result.status ? { httpStatus: result.status } : {}),
      ...(run.step
        ? {
            step: runnerEndMove(
              runnerStep(incident, run.step),
              ok ? { ok } : { ok, reason: result.error ?? result.outcome },
            ),
          }
        : {}),
    },
  });
}

/** The outcome said in the thread (with a note when its record waits for PostgreSQL) and shown in the live message. */
async function announceEnd(
  deps: AppDeps,
  incident: Incident,
  run: ActionRun,
  config: ActionConfig,
  result: ActionRunResult,
  { durationMs }: Measured,
  recorded: Ran['recorded'],
  thread: Thread,
): Promise<void> {
  if (thread)
    await deps.slack
      .postInThread(thread.channel, thread.ts, {
        kind: 'action-finished',
        action: run.action,
        title: config.title,
        outcome: result.outcome,
        output: result.output,
        ...presentProps({ error: result.error }),
        durationMs,
        ...(config.target_time ? { targetMs: config.target_time } : {}),
        dryRun: run.dryRun,
        ...(recorded === 'spooled' ? { recordingDelayed: true } : {}),
      })
      .catch(bestEffort(deps, run, 'could not say in the thread that a run finished'));
  await deps.live.refresh(incident.id).catch(bestEffort(deps, run, 'could not refresh the live message'));
  if (incident.kind === 'change' && result.outcome === 'succeeded')
    await finishChange(deps, incident.id).catch(bestEffort(deps, run, 'could not complete the change'));
}

/** The kept plan, run; a run from before plans were kept runs the config as it is. Never throws. */
async function runPlan(deps: AppDeps, run: ActionRun, config: ActionConfig): Promise<ActionRunResult> {
  const onSpawn = (pid: number) => {
    setRunChild(deps.db, run.id, pid).catch((error: unknown) =>
      deps.log.warn({ err: error, run: run.id, pid }, 'could not record the process of an action run'),
    );
  };
  const options = { dryRun: run.dryRun, onSpawn };
  try {
    const plan = parseResolvedPlan(run.resolvedPlan);
    if (plan) return await runResolved(plan, config, run.decidedBy ?? undefined, options);
    const incident = await findIncident(deps.db, { incidentId: run.incidentId });
    return await runAction(config, placeholdersOf(incident, run.requestedBy, run.decidedBy ?? undefined), options);
  } catch (error) {
    if (!(error instanceof BotError)) deps.log.error({ err: error, run: run.id }, 'an action run failed to run');
    return {
      outcome: 'failed',
      summary: run.plan,
      output: '',
      durationMs: 0,
      error: error instanceof BotError ? error.userMessage : 'The action could not run.',
    };
  }
}
