import { buildReport } from '../domain/report.js';
import { stepBoard } from '../domain/steps.js';
import { readDeadlines } from '../store/deadlines.js';
import { readStepStates } from '../store/steps.js';
import { appendTimelineEvent, readTimeline } from '../store/timeline.js';
import { claimRequest } from '../store/requests.js';
import { incidentFor } from './access.js';
import { findIncident } from './context.js';
import type { Actor, AppDeps } from './deps.js';
import type { Target } from './lifecycle.js';
import { NO_REPLY, type Reply, text } from './replies.js';
import { meetDeadlinesIn } from './work/deadlines.js';
import type { Queryable } from '../store/db.js';
import type { Clock } from '../clock.js';
import { timelineEvent } from '../domain/timeline.js';

/** The report as Markdown, from PostgreSQL: `incidentbot export INC-n` prints it. */
export async function exportReport(
  deps: { db: Queryable; clock: Clock },
  target: Target,
): Promise<{ key: string; markdown: string }> {
  const incident = await findIncident(deps.db, target);
  const [recorded, deadlines, events] = await Promise.all([
    readStepStates(deps.db, incident.id),
    readDeadlines(deps.db, incident.id),
    readTimeline(deps.db, incident.id),
  ]);
  const markdown = buildReport({
    incident,
    steps: stepBoard(incident.playbook.steps.length, recorded),
    deadlines,
    events,
    now: deps.clock.now(),
  });
  return { key: incident.key, markdown };
}

/** `/incident report` and the report button: the Markdown file, posted in the incident's thread. */
export async function postReport(deps: AppDeps, target: Target, actor: Actor): Promise<Reply> {
  const incident = await incidentFor(deps, target, { intent: 'read', what: 'post the report of', actor });
  if (!incident.channelId || !incident.messageTs)
    return text(`${incident.key} has no message in Slack to attach the report to.`);
  const at = deps.clock.now();
  const claimed = await deps.db.transaction(async (tx) =>
    actor.requestKey ? claimRequest(tx, actor.requestKey, at) : true,
  );
  if (!claimed) return NO_REPLY;
  const { markdown } = await exportReport(deps, { incidentId: incident.id });
  await deps.slack.uploadFile(
    incident.channelId,
    incident.messageTs,
    `${incident.key.toLowerCase()}-report.md`,
    `${incident.key} incident report`,
    markdown,
  );
  const met = await deps.db.transaction(async (tx) => {
    await appendTimelineEvent(tx, {
      incidentId: incident.id,
      occurredAt: at,
      actor: actor.user,
      ...timelineEvent('report.posted', { bytes: Buffer.byteLength(markdown) }),
    });
    return meetDeadlinesIn(tx, incident.id, { event: 'report_posted' }, at);
  });
  if (met > 0) await deps.live.refresh(incident.id);
  return text(`The report of ${incident.key} is in its thread.`);
}
