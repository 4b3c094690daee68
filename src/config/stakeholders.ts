import { z } from 'zod';
import { duration } from './duration.js';
import { name, slackChannelId, slackUserId } from './fields.js';

const groupSchema = z
  .strictObject({
    title: z.string().optional(),
    channels: z.array(slackChannelId).default([]),
    users: z.array(slackUserId).default([]),
  })
  .refine((g) => g.channels.length + g.users.length > 0, { message: 'a stakeholder group needs a channel or a user' });

export const stakeholdersSchema = z.strictObject({
  groups: z.record(name, groupSchema).default({}),
  /** Groups told about every incident of a severity, besides the playbook's `notify`. */
  by_severity: z.partialRecord(z.enum(['sev1', 'sev2', 'sev3', 'sev4']), z.array(name)).default({}),
  /** Promised in each update as "next update by". */
  update_every: duration.default(30 * 60_000),
  /**
   * At most one post per channel or person this often (Slack allows about one message a second per channel, and a
   * reader skims a channel that is not flooded): updates waiting meanwhile go out together as one digest post.
   * `0s` posts each update on its own.
   */
  min_interval: duration.default(10_000),
});

export type StakeholderGroup = z.infer<typeof groupSchema>;
export type StakeholdersConfig = z.infer<typeof stakeholdersSchema>;
