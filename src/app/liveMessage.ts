import { type Coordinator, withLock } from '../coord/coordinator.js';
import type { Logger } from '../log.js';
import type { IncidentSnapshot, SlackPort } from './ports.js';

/**
 * Keeps each incident's live message equal to its state in PostgreSQL.
 *
 * Every change asks for a refresh after it commits. Refreshes of one incident
 * run one at a time (a Redis lock across replicas) and each reads the state
 * afresh, so the last render always follows the last change: two people
 * clicking at once never see one of their updates vanish. Requests that
 * arrive while a render runs coalesce into one more render.
 */
export class LiveMessage {
  private readonly running = new Map<number, Promise<void>>();
  private readonly dirty = new Set<number>();

  constructor(
    private readonly deps: {
      coord: Coordinator;
      slack: SlackPort;
      log: Logger;
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

  private async renderWhileDirty(incidentId: number): Promise<void> {
    while (this.dirty.has(incidentId)) {
      this.dirty.delete(incidentId);
      try {
        const result = await withLock(
          this.deps.coord,
          `live:${incidentId}`,
          { ttlMs: 15_000, waitMs: 15_000 },
          async () => {
            const snapshot = await this.deps.snapshot(incidentId);
            const { channelId, messageTs } = snapshot?.incident ?? {};
            if (snapshot && channelId && messageTs)
              await this.deps.slack.updateIncidentMessage(channelId, messageTs, snapshot);
          },
        );
        if (!result.ran)
          this.deps.log.warn(
            { incidentId },
            'live message not refreshed: another replica held the render lock too long',
          );
      } catch (error) {
        // The next change renders again; the state itself is safe in PostgreSQL.
        this.deps.log.warn({ err: error, incidentId }, 'live message refresh failed');
      }
    }
  }
}
