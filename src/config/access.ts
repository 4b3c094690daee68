import { z } from 'zod';
import { duration } from './duration.js';
import { slackUserGroupId, slackUserId } from './fields.js';

/**
 * Who may change an incident and who may read it. Opening one is open to
 * everyone, a few times per window per person. Checked on the server at
 * every command and press, from Slack and the database, never from the
 * button that was pressed.
 */
export const accessSchema = z.strictObject({
  change: z
    .strictObject({
      /** Everyone in the workspace may change every incident (the behaviour before this section existed). */
      anyone: z.boolean().default(false),
      /** Members of the incident's channel. */
      channel_members: z.boolean().default(true),
      /** The incident's responders: its opener, its commander and everyone its escalation policy pages. */
      responders: z.boolean().default(true),
      /** These people may change every incident. */
      users: z.array(slackUserId).default([]),
      /** Members of these user groups (responder groups) may change every incident. */
      usergroups: z.array(slackUserGroupId).default([]),
    })
    .prefault({}),
  /** Who may read an incident's timeline and report: `anyone`, or only those who may change it. */
  read: z.enum(['anyone', 'change']).default('anyone'),
  /** At most this many incidents opened by one person per `open_window`. */
  max_opens_per_person: z.number().int().min(1).max(1_000).default(5),
  open_window: duration.default(10 * 60_000),
});

export type AccessConfig = z.infer<typeof accessSchema>;
