import { z } from 'zod';
import { count, flag, instant, kind, text, user, usergroups, users } from './timelineFields.js';

/** The way a page went: a person's channel, or a mirror (never the phone number or address it went to). */
const pageChannel = z.enum(['slack', 'email', 'sms', 'voice', 'push', 'webhook', 'pagerduty', 'opsgenie']);
const page = {
  channel: pageChannel,
  /** The person paged (absent for a mirror). */
  person: user.optional(),
  /** Which of the person's rules (from 1). */
  rule: count.optional(),
  /** A mirror's action: trigger, acknowledge or resolve. */
  action: z.enum(['trigger', 'acknowledge', 'resolve']).optional(),
  test: flag,
  attempts: count.optional(),
};

/** Who was paged and how: an escalation level's pages and each page beyond the first Slack DM. */
export const PAGE_DATA = {
  'escalation.paged': kind('a level is paged', {
    level: count,
    cycle: count,
    name: text,
    usergroups,
    users,
    late: flag,
    lateByMs: count.optional(),
    dueAt: instant.optional(),
    /** Each schedule the level pages, and who was on call for it then (null: nobody). */
    onCall: z
      .array(z.object({ schedule: text, user: user.nullable() }).describe('{ schedule, user } (user null: nobody)'))
      .optional(),
    /** A schedule had nobody on call, so the level's fallback was paged. */
    fallback: flag,
  }),
  'escalation.stopped': kind('escalation stops (acknowledged, resolved or exhausted)', {
    reason: text,
    level: count.optional(),
  }),
  'page.sent': kind('a page goes out beyond the first Slack DM: a rule of the person, a test page, a mirror', {
    ...page,
    providerId: text.optional(),
    late: flag,
    lateByMs: count.optional(),
  }),
  'page.failed': kind('a page could not be sent; `uncertain`: its answer was lost and it may have been sent', {
    ...page,
    error: text,
    uncertain: flag,
  }),
  'page.acknowledged': kind('someone acknowledges (or resolves) from where the page reached them', {
    channel: pageChannel,
    resolved: flag,
  }),
} as const;
