import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import {
  type ActionRun,
  type RunOwnerRef,
  heartbeatRuns,
  interruptRun,
  interruptUnstartedRuns,
  runningRunsNotOwnedBy,
} from '../store/actionRuns.js';
import type { Database } from '../store/db.js';
import { appendTimelineEvent } from '../store/timeline.js';
import { findIncident } from './context.js';
import type { AppDeps } from './deps.js';
import { timelineEvent } from '../domain/timeline.js';
import { recordRunnerEnd } from './stepRun.js';
import { thrownField } from '../errors.js';
import { presentProps } from '../domain/defined.js';

/** How often a process says its runs are still running. */
export const RUN_HEARTBEAT_MS = 5_000;
/** A run whose owner has been silent this long is given up for dead. */
export const RUN_LEASE_MS = 30_000;
/** An approved run not started within this long never will be (the bot stopped between approval and start). */
export const UNSTARTED_MS = 120_000;

/** Owners alive in this process (a test may run several bots in one): their runs are never orphans. */
const LIVE_OWNERS = new Set<string>();

/**
 * This bot process as the owner of the action runs it executes. Its id, host
 * and pid are written on each run it starts, and a heartbeat keeps every one
 * of its running runs fresh, also after a run ended while PostgreSQL was away
 * (its end waits in the spool, and the run is still ours until it is written).
 * A run nobody beats for is found by `sweepInterruptedRuns`.
 */
export class RunOwner implements RunOwnerRef {
  readonly id = randomUUID();
  readonly host = hostname();
  readonly pid = process.pid;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    LIVE_OWNERS.add(this.id);
  }

  start(intervalMs = RUN_HEARTBEAT_MS): void {
    this.timer ??= setInterval(() => {
      this.beat().catch((error: unknown) => this.log.warn({ err: error }, 'action run heartbeat failed'));
    }, intervalMs);
    this.timer.unref();
  }

  beat(): Promise<number> {
    return heartbeatRuns(this.db, this.id, this.clock.now());
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    LIVE_OWNERS.delete(this.id);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return thrownField(error, 'code') === 'EPERM';
  }
}

/**
 * Is the process that owned this run gone? Certainly when it ran on this host
 * and its pid is ours under another owner id (this process restarted) or no
 * process has it; otherwise when its heartbeat is older than the lease.
 */
export function ownerIsGone(run: ActionRun, me: RunOwner, now: Date, leaseMs = RUN_LEASE_MS): boolean {
  if (run.owner && LIVE_OWNERS.has(run.owner)) return false;
  if (run.ownerHost === me.host && run.ownerPid !== null && (run.ownerPid === me.pid || !isAlive(run.ownerPid)))
    return true;
  return !run.heartbeatAt || now.getTime() - run.heartbeatAt.getTime() > leaseMs;
}

/** Stops the run's process group when it ran here: SIGTERM now, SIGKILL after a grace period. */
function stopChild(run: ActionRun, me: RunOwner): 'stopped' | 'gone' | 'elsewhere' | 'unknown' {
  if (run.childPid === null) return run.ownerHost === me.host ? 'gone' : 'unknown';
  if (run.ownerHost !== me.host) return 'elsewhere';
  // Our own pid under another owner: the container restarted, and its processes (the child too) died with it.
  // Its pid may name another process now: it is not signalled.
  if (run.ownerPid === me.pid) return 'gone';
  const group = -run.childPid;
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return 'gone';
  }
  setTimeout(() => {
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // Ended on SIGTERM.
    }
  }, 2_000).unref();
  return 'stopped';
}

/**
 * Runs left `running` by a bot process that died (killed during a rollback):
 * marked `interrupted` with an `action.interrupted` event, their process
 * group stopped, said in the thread, and the action free to be requested
 * again at once. Called at start-up and every few seconds; the guarded move
 * makes a run interrupted once, whichever replica sweeps first.
 */
export async function sweepInterruptedRuns(deps: AppDeps): Promise<number> {
  const me = deps.runOwner;
  let count = 0;
  for (const run of await runningRunsNotOwnedBy(deps.db, me.id)) {
    const now = deps.clock.now();
    if (!ownerIsGone(run, me, now)) continue;
    const interrupted = await deps.db.transaction(async (tx) => {
      const moved = await interruptRun(
        tx,
        run.id,
        run.heartbeatAt,
        now,
        'interrupted: the bot stopped while it ran; check the target before running it again',
      );
      if (!moved) return undefined;
      await appendTimelineEvent(tx, {
        incidentId: run.incidentId,
        occurredAt: now,
        actor: 'system',
        ...timelineEvent('action.interrupted', {
          action: run.action,
          runId: run.id,
          requester: run.requestedBy,
          ...(run.heartbeatAt ? { lastHeartbeat: run.heartbeatAt.toISOString() } : {}),
          ...presentProps({ host: run.ownerHost }),
        }),
      });
      if (run.step) {
        const reason = 'interrupted: the bot stopped while the action ran';
        const step = { incidentId: run.incidentId, step: run.step };
        await recordRunnerEnd(tx, step, { ok: false, reason, detail: 'interrupted' }, now, `run:${run.id}:interrupted`);
      }
      return moved;
    });
    if (!interrupted) continue;
    count += 1;
    const child = stopChild(run, me);
    deps.log.warn({ run: run.id, action: run.action, child }, 'action run interrupted: its bot process is gone');
    await tellInterrupted(deps, interrupted, child);
  }
  const now = deps.clock.now();
  const unstarted = await deps.db.transaction(async (tx) => {
    const runs = await interruptUnstartedRuns(tx, new Date(now.getTime() - UNSTARTED_MS), now);
    for (const run of runs)
      await appendTimelineEvent(tx, {
        incidentId: run.incidentId,
        occurredAt: now,
        actor: 'system',
        ...timelineEvent('action.interrupted', {
          action: run.action,
          runId: run.id,
          requester: run.requestedBy,
          started: false,
        }),
      });
    return runs;
  });
  for (const run of unstarted) await tellInterrupted(deps, run, 'never-started');
  return count + unstarted.length;
}

async function tellInterrupted(
  deps: AppDeps,
  run: ActionRun,
  child: ReturnType<typeof stopChild> | 'never-started',
): Promise<void> {
  try {
    const incident = await findIncident(deps.db, { incidentId: run.incidentId });
    const title = deps.config.actions[run.action]?.title ?? run.action;
    if (incident.channelId && incident.messageTs)
      await deps.slack.postInThread(incident.channelId, incident.messageTs, {
        kind: 'action-interrupted',
        action: run.action,
        title,
        requester: run.requestedBy,
        child,
      });
    await deps.live.refresh(incident.id);
  } catch (error) {
    deps.log.warn({ err: error, run: run.id }, 'could not say in the thread that a run was interrupted');
  }
}
