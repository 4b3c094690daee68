import type { Clock } from '../clock.js';
import { type Coordinator, withLock } from '../coord/coordinator.js';
import type { Logger } from '../log.js';
import { retryAfterOf, slackError } from '../slackApi/errors.js';
import { withSlackPriority } from '../slackApi/priority.js';
import type { Database } from '../store/db.js';
import { giveUpRender, incidentsBehindTheirRender, isRenderBehind, recordRendered } from '../store/renders.js';
import { type NewWork, type Work, scheduleWork } from '../store/work.js';
import type { IncidentSnapshot, SlackPort } from './ports.js';
import { type WorkKind, newWork } from './work/payloads.js';
import type { WorkResult } from './work/types.js';

/** Waits between durable render attempts, by attempt; the last one repeats until the message is right. */
export const RENDER_BACKOFF_MS = [2_000, 5_000, 10_000, 30_000, 60_000];

export const RENDER_KIND = 'render' satisfies WorkKind;

/**
 * Slack's answers that no retry changes (the message or channel is gone, the bot is out of it): the render
 * item ends, logged, instead of retrying forever.
 */
const FINAL_ERRORS = new Set([
  'message_not_found',
  'channel_not_found',
  'is_archived',
  'cant_update_message',
  'not_in_channel',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
]);

/** The durable render of one incident, due at `dueAt`: at most one waits per incident (its coalesce key). */
export function renderWork(incidentId: number, dueAt: Date, why: string): NewWork {
  return newWork(
    RENDER_KIND,
    { why },
    { incidentId, dueAt, lane: `render:${incidentId}`, coalesceKey: `render:${incidentId}` },
  );
}

const renderBackoff = (attempts: number) =>
  RENDER_BACKOFF_MS[Math.min(Math.max(attempts, 1) - 1, RENDER_BACKOFF_MS.length - 1)]!;

/**
 * Keeps each incident's live message equal to its state in PostgreSQL.
 *
 * Every change asks for a refresh after it commits. Refreshes of one incident
 * run one at a time (a Redis lock across replicas) and each reads the state
 * afresh, so the last render always follows the last change: two people
 * clicking at once never see one of their updates vanish. Requests that
 * arrive while a render runs coalesce into one more render.
 *
 * A render that fails (Slack answering 500, rate limiting, not answering)
 * is not dropped: it becomes a durable `render` work item, retried with
 * backoff (RENDER_BACKOFF_MS, or Slack's Retry-After) until the message shows
 * the database's state (an item that finds it shown already sends nothing), on whichever replica is up, after a restart too. At
 * most one render item per incident waits (its coalesce key): however many
 * renders fail meanwhile, the next attempt renders the state as it is then.
 *
 * A render Slack accepted records the incident version it showed
 * (store/renders.ts); every change bumps the version in its own transaction.
 * So a change whose render never happened (the process died between the
 * commit and the render, or PostgreSQL refused the retry's scheduling) is
 * still known: `sweepStaleLiveMessages`, at start-up and in housekeeping,
 * schedules a render for each incident whose version is ahead.
 */
export class LiveMessage {
  private readonly running = new Map<number, Promise<void>>();
  private readonly dirty = new Set<number>();

  constructor(
    private readonly deps: {
      coord: Coordinator;
      /** Calls Slack once per render (no retries inside, a 429 thrown): retrying is this class's job. */
      slack: SlackPort;
      log: Logger;
      db: Database;
      clock: Clock;
      snapshot: (incidentId: number) => Promise<IncidentSnapshot | undefined>;
    },
  ) {}

  refresh(incidentId: number): Promise<void> {
    this.dirty.add(incidentId);
    const running = this.running.get(incidentId);
    if (running) return running;
    const run = this.renderWhileDirty(incidentId).finally(() => {
      this.running.delete(incidentId);
      // A request that arrived between the last check and now still gets its render.
      if (this.dirty.has(incidentId))
        this.refresh(incidentId).catch((error: unknown) =>
          this.deps.log.warn({ err: error, incidentId }, 'live message refresh failed'),
        );
    });
    this.running.set(incidentId, run);
    return run;
  }

  /** Resolves when no render is running or wanted: for shutdown and for tests. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** The durable `render` work item: renders the state as it is now, or says when to try again (never gives up). */
  async renderDue(work: Pick<Work, 'incidentId' | 'attempts'>): Promise<WorkResult> {
    const { incidentId } = work;
    if (incidentId === null) return { done: 'no incident' };
    try {
      // Another render (this replica's, another's, or the one this item waited behind) may show the state already:
      // then nothing is sent. In a storm that is most of them, and each would spend one of Tier 3's 50 a minute.
      if (!(await isRenderBehind(this.deps.db, incidentId))) return { done: 'already shown' };
      const rendered = await this.render(incidentId);
      const now = this.deps.clock.now();
      if (!rendered)
        return { retryAt: new Date(now.getTime() + 2_000), reason: 'render lock held', countAttempt: false };
      if (work.attempts > 1) this.deps.log.info({ incidentId, attempts: work.attempts }, 'live message caught up');
      return { done: 'rendered' };
    } catch (error) {
      const now = this.deps.clock.now();
      const waitSeconds = retryAfterOf(error);
      if (waitSeconds !== undefined)
        return {
          retryAt: new Date(now.getTime() + waitSeconds * 1_000),
          reason: `rate limited for ${waitSeconds}s`,
          countAttempt: false,
        };
      const final = slackError(error);
      if (final !== undefined && FINAL_ERRORS.has(final)) {
        this.deps.log.error({ err: error, incidentId }, 'live message cannot be rendered: Slack refuses for good');
        // No sweep asks again for this state; the next change tries once more.
        await giveUpRender(this.deps.db, incidentId).catch((e: unknown) =>
          this.deps.log.warn({ err: e, incidentId }, 'could not record the refused render'),
        );
        return { done: `slack refused: ${final}` };
      }
      this.deps.log.warn({ err: error, incidentId, attempt: work.attempts }, 'live message render failed; will retry');
      return {
        retryAt: new Date(now.getTime() + renderBackoff(work.attempts)),
        reason: `failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500),
      };
    }
  }

  private async renderWhileDirty(incidentId: number): Promise<void> {
    while (this.dirty.has(incidentId)) {
      this.dirty.delete(incidentId);
      try {
        if (!(await this.render(incidentId))) {
          this.deps.log.warn({ incidentId }, 'live message not refreshed now: another replica held the render lock');
          await this.later(incidentId, 2_000, 'render lock held');
        }
      } catch (error) {
        const waitSeconds = retryAfterOf(error);
        this.deps.log.warn({ err: error, incidentId }, 'live message refresh failed; a durable render will retry');
        await this.later(incidentId, waitSeconds !== undefined ? waitSeconds * 1_000 : renderBackoff(1), 'failed');
      }
    }
  }

  /** Renders the state now, under the incident's render lock; false when the lock could not be had. */
  private async render(incidentId: number): Promise<boolean> {
    const result = await withLock(
      this.deps.coord,
      `live:${incidentId}`,
      { ttlMs: 15_000, waitMs: 15_000 },
      async () => {
        const snapshot = await this.deps.snapshot(incidentId);
        const { channelId, messageTs } = snapshot?.incident ?? {};
        if (!snapshot || !channelId || !messageTs) return;
        // A render waits behind pages and answers, whoever asked for it (slackApi/priority.ts).
        await withSlackPriority('live', () => this.deps.slack.updateIncidentMessage(channelId, messageTs, snapshot));
        // The message is right; failing to note it costs one more render at the next sweep, nothing else.
        await recordRendered(this.deps.db, incidentId, snapshot.incident.version).catch((error: unknown) =>
          this.deps.log.warn({ err: error, incidentId }, 'could not record the render'),
        );
      },
    );
    return result.ran;
  }

  /** Leaves the render to durable work, due in `inMs` (one waiting render per incident). */
  private async later(incidentId: number, inMs: number, why: string): Promise<void> {
    const now = this.deps.clock.now();
    try {
      await scheduleWork(this.deps.db, [renderWork(incidentId, new Date(now.getTime() + inMs), why)], now);
    } catch (error) {
      // PostgreSQL away too: the state is safe there; the next change renders again.
      this.deps.log.error({ err: error, incidentId }, 'live message stale: its retry could not be scheduled');
    }
  }
}

/**
 * Schedules a render for every incident whose live message is behind its state (a change whose render was lost
 * to a crash or to PostgreSQL refusing the retry). Safe on every replica at once: the renders coalesce.
 */
export async function sweepStaleLiveMessages(deps: {
  db: Database;
  clock: Clock;
  log: Logger;
  wake: () => void;
}): Promise<number> {
  const behind = await incidentsBehindTheirRender(deps.db);
  if (behind.length === 0) return 0;
  const now = deps.clock.now();
  await scheduleWork(
    deps.db,
    behind.map((id) => renderWork(id, now, 'behind its state')),
    now,
  );
  deps.log.info({ incidents: behind }, 'live messages behind their incident: renders scheduled');
  deps.wake();
  return behind.length;
}
