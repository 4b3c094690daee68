import { type BotError, refused } from '../errors.js';
import type { Incident, RunKind } from '../domain/incident.js';
import { policyFor, startLevel } from '../domain/escalation.js';
import type { Severity } from '../domain/severity.js';
import { type Transaction, isDatabaseUnavailable } from '../store/db.js';
import { DuplicateRequestError, getIncident, insertIncident } from '../store/incidents.js';
import { findUnplacedIncident } from '../store/placement.js';
import { type NewWork, findWorkByKey, readPendingWork, scheduleWork } from '../store/work.js';
import type { Actor, AppDeps } from './deps.js';
import { startDeadlines } from './work/deadlines.js';
import { mirrorWork } from './work/pageMirror.js';
import { RATE_LIMITED, placeKey, placeWork } from './work/place.js';
import { definedProps, presentProps } from '../domain/defined.js';

export { incidentChannelName } from './work/place.js';

export interface OpenRequest {
  playbook: string;
  summary: string;
  /** Where the command was typed: the incident lives here with `in_place` (empty: nowhere, so a channel of its own). */
  channelId: string;
  /** Another severity than the playbook's (a scheduled group's). */
  severity?: Severity;
  /** More writes that belong to the opening (an alert's link to its incident): in its transaction. */
  alsoRecord?: (tx: Transaction, incident: Incident) => Promise<void>;
  /**
   * A person typed it: while an incident of the same playbook opened within UNPLACED_WINDOW_MS is still not
   * placed (Slack failing), typing the command again answers with that incident instead of opening another.
   */
  joinUnplaced?: boolean;
  /** A change (changeRuns.ts): from a `kind: change` runbook, key CHG-n, nobody paged. Default an incident. */
  kind?: RunKind;
  /**
   * Answer once it is committed, placing it meanwhile (an alert webhook: Alertmanager waits for the answer, and in a
   * storm placing waits for Slack's budget). Default: the answer says where it was placed, when Slack allowed.
   */
  placeInBackground?: boolean;
}

/**
 * `opened`: committed; `where` is set when it was placed at once (Slack answered), absent while its place work
 * retries. `unplaced`: the same playbook's incident is still being placed (a retyped command).
 */
export type Opened =
  | {
      kind: 'opened';
      incident: Incident;
      where?: { channelId: string; messageTs: string };
      /** Not placed yet because Slack asked the bot to wait (429 on creating its channel) until then. */
      rateLimitedUntil?: Date;
    }
  | { kind: 'unplaced'; incident: Incident }
  | { kind: 'duplicate' };

export const UNPLACED_WINDOW_MS = 60 * 60_000;

/**
 * Opens an incident from a playbook. One transaction commits the row, its
 * first timeline event, its deadlines and its `place` work (work/place.ts:
 * channel, invite, live message, pin, then pages and stakeholders); no Slack
 * work happens before that commit. The place work is then run at once in
 * this process; when Slack fails, the worker retries it with backoff and the
 * caller answers with the key alone.
 */
export function openIncident(deps: AppDeps, request: OpenRequest, actor: Actor): Promise<Opened> {
  return openRun(deps, request, actor, (incident, at) =>
    incident.kind === 'incident' ? mirrorWork(deps, incident, 'trigger', at) : [],
  );
}

/** What opening needs: no Slack (the place work speaks to Slack), so a terminal can open a run too. */
export type OpenDeps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'catalog' | 'metrics' | 'log' | 'runWorkNow'>;

/** `more`: work scheduled with the opening (the pager mirrors' trigger). */
export async function openRun(
  deps: OpenDeps,
  request: OpenRequest,
  actor: Actor,
  more: (incident: Incident, at: Date) => NewWork[] = () => [],
): Promise<Opened> {
  const playbook = deps.catalog.find(request.playbook);
  if (!playbook) throw unknownPlaybook(deps, request.playbook);
  const kind = request.kind ?? 'incident';
  if (playbook.kind !== kind) throw refused({ kind: 'wrong-run-kind', playbook: playbook.id, runKind: playbook.kind });
  const at = deps.clock.now();
  const severity = request.severity ?? playbook.severity;
  // A change is planned work: its people are in the channel, so nobody is paged (and no pager mirror, above).
  const policy = kind === 'incident' ? policyFor(playbook, severity, deps.config.escalation) : undefined;
  const escalation = policy && { ...policy, startLevel: startLevel(playbook, policy.name, policy.policy) };
  const dedicated = deps.config.incident_channel === 'dedicated' || request.channelId === '';
  let opened: { incident: Incident; placeId: number | undefined };
  try {
    if (request.joinUnplaced) {
      const pending = await findUnplacedIncident(deps.db, playbook.id, new Date(at.getTime() - UNPLACED_WINDOW_MS));
      if (pending) return { kind: 'unplaced', incident: pending };
    }
    opened = await deps.db.transaction(async (tx) => {
      const { incident } = await insertIncident(tx, {
        playbook,
        title: playbook.title,
        summary: request.summary,
        severity,
        openedBy: actor.user,
        openedAt: at,
        ...(dedicated ? {} : { channelId: request.channelId }),
        ...definedProps({ escalation }),
        ...presentProps({ requestKey: actor.requestKey }),
        kind,
      });
      await startDeadlines(tx, deps, incident, at);
      await scheduleWork(tx, [placeWork(incident, at, { opener: actor.user, dedicated }), ...more(incident, at)], at);
      await request.alsoRecord?.(tx, incident);
      return { incident, placeId: await findWorkByKey(tx, placeKey(incident.id)) };
    });
  } catch (error) {
    if (error instanceof DuplicateRequestError) return { kind: 'duplicate' };
    if (isDatabaseUnavailable(error)) throw databaseAway(error);
    throw error;
  }
  const { incident, placeId } = opened;
  deps.log.info({ incident: incident.key, playbook: playbook.id, actor: actor.user }, `${kind} opened`);
  if (placeId !== undefined) {
    // runWorkNow logs and survives every failure: never rejects.
    const placing = deps.runWorkNow(placeId);
    if (request.placeInBackground) placing.catch(() => undefined);
    else await placing;
  }
  const now = await getIncident(deps.db, incident.id).catch(() => undefined);
  if (now?.channelId && now.messageTs)
    return { kind: 'opened', incident: now, where: { channelId: now.channelId, messageTs: now.messageTs } };
  const waiting = placeId === undefined ? undefined : await readPendingWork(deps.db, placeId).catch(() => undefined);
  return {
    kind: 'opened',
    incident: now ?? incident,
    ...(waiting?.outcome === RATE_LIMITED ? { rateLimitedUntil: waiting.dueAt } : {}),
  };
}

const databaseAway = (cause: unknown) => refused({ kind: 'open-unconfirmed' }, { cause });

export function unknownPlaybook(deps: Pick<AppDeps, 'catalog'>, typed: string): BotError {
  return refused({ kind: 'no-playbook', typed, closest: deps.catalog.suggest(typed) });
}
