import { type BotError, notFound } from '../errors.js';
import type { Incident } from '../domain/incident.js';
import { codeSpan } from '../domain/text.js';
import { policyFor } from '../domain/escalation.js';
import type { Severity } from '../domain/severity.js';
import type { Transaction } from '../store/db.js';
import { DuplicateRequestError, openIncident as insertIncident, setIncidentMessage } from '../store/incidents.js';
import type { Actor, AppDeps } from './deps.js';
import { snapshotOf } from './snapshot.js';
import { startDeadlines } from './work/deadlines.js';
import { startEscalation } from './work/escalation.js';
import { enqueueStatusUpdate } from './work/notifications.js';

export interface OpenRequest {
  playbook: string;
  summary: string;
  /** Where the command was typed: the incident lives here with `in_place` (empty: nowhere, so a channel of its own). */
  channelId: string;
  /** Another severity than the playbook's (a scheduled group's). */
  severity?: Severity;
  /** More writes that belong to the opening (an alert's link to its incident): in its transaction. */
  alsoRecord?: (tx: Transaction, incident: Incident) => Promise<void>;
}

export type Opened =
  { kind: 'opened'; incident: Incident; channelId: string; messageTs: string } | { kind: 'duplicate' };

/** Channel names: Slack's rules (lowercase, digits, - and _), at most 80 characters. */
export function incidentChannelName(prefix: string, number: number, playbookId: string): string {
  return `${prefix}-${number}-${playbookId}`
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 80);
}

/**
 * Opens an incident from a playbook: the row and its first timeline event in
 * one transaction, then its home in Slack (a dedicated channel, or where the
 * command was typed) and the live message, pinned.
 */
export async function openIncident(deps: AppDeps, request: OpenRequest, actor: Actor): Promise<Opened> {
  const playbook = deps.catalog.find(request.playbook);
  if (!playbook) throw unknownPlaybook(deps, request.playbook);
  const at = deps.clock.now();
  const severity = request.severity ?? playbook.severity;
  const escalation = policyFor(playbook, severity, deps.config.escalation);
  let incident: Incident;
  try {
    incident = await deps.db.transaction(async (tx) => {
      const { incident } = await insertIncident(tx, {
        playbook,
        title: playbook.title,
        summary: request.summary,
        severity,
        openedBy: actor.user,
        openedAt: at,
        ...(escalation ? { escalation } : {}),
        ...(actor.requestKey ? { requestKey: actor.requestKey } : {}),
      });
      // The clocks start in the same transaction: a crash after this commit loses none of them.
      await startEscalation(tx, incident, at);
      await startDeadlines(tx, deps, incident, at);
      await enqueueStatusUpdate(tx, deps, incident, { kind: 'opened' }, at);
      await request.alsoRecord?.(tx, incident);
      return incident;
    });
  } catch (error) {
    if (error instanceof DuplicateRequestError) return { kind: 'duplicate' };
    throw error;
  }
  deps.metrics.timelineEvents.inc({ kind: 'incident.opened' });
  deps.log.info({ incident: incident.key, playbook: playbook.id, actor: actor.user }, 'incident opened');

  const channelId =
    deps.config.incident_channel === 'dedicated' || request.channelId === ''
      ? (
          await deps.slack.createChannel(
            incidentChannelName(deps.config.channel_prefix, incident.number, playbook.id),
            [actor.user],
          )
        ).channelId
      : request.channelId;
  const placed = { ...incident, channelId };
  const { ts } = await deps.slack.postIncidentMessage(channelId, snapshotOf(deps, placed, []));
  await setIncidentMessage(deps.db, incident.id, channelId, ts);
  await deps.slack
    .pin(channelId, ts)
    .catch((error: unknown) =>
      deps.log.warn({ err: error, incident: incident.key }, 'could not pin the incident message'),
    );
  deps.wake();
  return { kind: 'opened', incident: { ...placed, messageTs: ts }, channelId, messageTs: ts };
}

export function unknownPlaybook(deps: Pick<AppDeps, 'catalog'>, typed: string): BotError {
  const close = deps.catalog.suggest(typed);
  const hint = close.length ? ` Did you mean ${close.map((c) => `\`${c}\``).join(', ')}?` : '';
  return notFound(`There is no playbook ${codeSpan(typed)}.${hint} \`/incident playbooks\` lists them all.`);
}
