import type { Config } from '../../config/schema.js';
import { CHANNEL_OF } from '../../config/paging.js';
import { PAGE_LATE_AFTER_MS, lateness, levelOf } from '../../domain/escalation.js';
import type { Incident } from '../../domain/incident.js';
import { planRules } from '../../domain/paging.js';
import { SYSTEM_ACTOR, timelineEvent } from '../../domain/timeline.js';
import { pageByDirectMessage } from '../../notify/messages.js';
import type { PageContent, Recipient } from '../../paging/index.js';
import type { Transaction } from '../../store/db.js';
import { getIncident } from '../../store/incidents.js';
import { beginPageAttempt, finishPageAttempt } from '../../store/pages.js';
import { appendTimelineEvent } from '../../store/timeline.js';
import { type NewWork, cancelWork, completeWork, scheduleWork } from '../../store/work.js';
import type { AppDeps } from '../deps.js';
import { type WorkOf, newWork } from './payloads.js';
import { waitForPlacement } from './threadPost.js';
import { definedProps, presentProps } from '../../domain/defined.js';
import type { WorkResult } from './types.js';

/**
 * A person's notification rules (config `people:`), as durable work. Paging a level pages each of its people
 * (work/page.ts, the Slack DM at once); each of their other rules is one `page.rule` item due `after` that moment,
 * skipped once anyone acknowledges. Exactly once: the item is claimed by one worker; the attempt is written before
 * the send (store/pages.ts), so a worker that died mid-send leaves a row that says "may have been sent", and no
 * second SMS or email follows it.
 */
export function personRuleWork(
  config: Pick<Config, 'people'>,
  incident: Incident,
  person: string,
  level: number,
  because: string,
  at: Date,
): NewWork[] {
  const rules = config.people[person]?.rules ?? [];
  return planRules(rules, at).map((r) =>
    newWork(
      'page.rule',
      { person, rule: r.rule, via: r.via, level },
      { incidentId: incident.id, dueAt: r.dueAt, dedupeKey: `page.rule:${incident.id}:${because}:${person}:${r.rule}` },
    ),
  );
}

/** Acknowledged or resolved: no rule of anyone's chain fires any more. */
export async function stopPersonRules(tx: Transaction, incidentId: number, at: Date, why: string): Promise<number> {
  return cancelWork(tx, incidentId, ['page.rule'], at, why);
}

/** What a page beyond Slack says about an incident. */
export function pageContentOf(incident: Incident, level?: number): PageContent {
  const spec = level !== undefined && incident.escalationPolicy ? levelOf(incident.escalationPolicy, level) : undefined;
  return {
    key: incident.key,
    title: incident.title,
    summary: incident.summary,
    severity: incident.severity,
    ...definedProps({ level }),
    ...(spec ? { levelName: spec.name } : {}),
    ...(incident.channelId ? { link: `https://slack.com/app_redirect?channel=${incident.channelId}` } : {}),
  };
}

export function recipientOf(config: Pick<Config, 'people'>, person: string): Recipient {
  const contact = config.people[person];
  return {
    user: person,
    ...presentProps({ email: contact?.email, phone: contact?.phone }),
  };
}

/** A rule fell due: still open (nobody acknowledged), the person is paged this way, once. */
export async function pageRuleDue(deps: AppDeps, work: WorkOf<'page.rule'>, worker: string): Promise<WorkResult> {
  const { person, rule, via, level } = work.payload;
  const incident = work.incidentId === null ? undefined : await getIncident(deps.db, work.incidentId);
  if (!incident) return { done: 'no incident' };
  if (incident.status !== 'open') return { done: `skipped: ${incident.status}` };
  const now = deps.clock.now();
  if (!incident.channelId || !incident.messageTs) return waitForPlacement(work, now);
  const late = lateness(work.dueAt, now, PAGE_LATE_AFTER_MS);
  const lateFacts = late.late ? { late: true, lateByMs: late.byMs } : {};
  const base = { channel: via, person, rule, ...lateFacts };
  const record = (tx: Transaction, event: ReturnType<typeof timelineEvent<'page.sent' | 'page.failed'>>) =>
    appendTimelineEvent(tx, { incidentId: incident.id, occurredAt: deps.clock.now(), actor: SYSTEM_ACTOR, ...event });
  const settle = async (event: ReturnType<typeof timelineEvent<'page.sent' | 'page.failed'>>, outcome: string) => {
    await deps.db.transaction(async (tx) => {
      if (await completeWork(tx, work.id, worker, deps.clock.now(), outcome)) await record(tx, event);
    });
    return { completed: true } as const;
  };
  if (via === 'slack') return slackRule(deps, work, worker, incident, { ...base, channel: via });
  const channel = deps.pager.channel(via);
  if (!channel)
    return settle(
      timelineEvent('page.failed', { ...base, error: `${via} is not set up (paging.${CHANNEL_OF[via]})` }),
      'not configured',
    );
  const key = `rule:${work.id}`;
  const begun = await beginPageAttempt(deps.db, { key, incidentId: incident.id, person, via, at: now });
  if (!begun.created) {
    if (begun.attempt.state !== 'sending') return { done: `already ${begun.attempt.state}` };
    // The worker before this one died (or lost its lease) in the middle of the send.
    await finishPageAttempt(deps.db, begun.attempt.id, { state: 'uncertain', error: 'interrupted', at: now });
    const error = 'the bot stopped while sending it; not sent again';
    return settle(timelineEvent('page.failed', { ...base, error, uncertain: true }), 'may have been sent');
  }
  const outcome = await channel.send(recipientOf(deps.config, person), pageContentOf(incident, level), key);
  const at = deps.clock.now();
  const settled = outcome.ok
    ? { state: 'sent' as const, ...presentProps({ providerId: outcome.providerId }) }
    : { state: outcome.uncertain ? ('uncertain' as const) : ('failed' as const), error: outcome.error };
  if (!(await finishPageAttempt(deps.db, begun.attempt.id, { ...settled, at }))) return { done: 'settled elsewhere' };
  if (!outcome.ok) deps.log.warn({ incident: incident.key, person, via, error: outcome.error }, 'page failed');
  return settle(
    outcome.ok
      ? timelineEvent('page.sent', { ...base, attempts: outcome.attempts })
      : timelineEvent('page.failed', {
          ...base,
          attempts: outcome.attempts,
          error: outcome.error,
          ...(outcome.uncertain ? { uncertain: true } : {}),
        }),
    settled.state,
  );
}

/** A later Slack rule: the direct message again, as its own delivery. */
async function slackRule(
  deps: AppDeps,
  work: WorkOf<'page.rule'>,
  worker: string,
  incident: Incident,
  base: { channel: 'slack'; person: string; rule: number; late?: boolean; lateByMs?: number },
): Promise<WorkResult> {
  const now = deps.clock.now();
  const spec = incident.escalationPolicy ? levelOf(incident.escalationPolicy, work.payload.level) : undefined;
  const message = pageByDirectMessage({
    key: incident.key,
    title: incident.title,
    level: work.payload.level,
    levelName: spec?.name ?? `Level ${work.payload.level}`,
    usergroups: [],
    users: [base.person],
    playbooks: spec?.playbooks ?? [],
    steps: spec?.steps ?? [],
    channelId: incident.channelId,
  });
  await deps.db.transaction(async (tx) => {
    if (!(await completeWork(tx, work.id, worker, now, 'slack'))) return;
    await scheduleWork(
      tx,
      [
        newWork(
          'deliver',
          { to: base.person, message },
          { incidentId: incident.id, dueAt: now, dedupeKey: `rule:${work.id}` },
        ),
      ],
      now,
    );
    await appendTimelineEvent(tx, {
      incidentId: incident.id,
      occurredAt: now,
      actor: SYSTEM_ACTOR,
      ...timelineEvent('page.sent', base),
    });
  });
  deps.wake();
  return { completed: true };
}
