import { z } from 'zod';
import { slackChannelId } from './fields.js';

/**
 * Storms (README "Storms"): `conversations.create` is Tier 2 (about 20 a minute), so beyond `new_channels_per_minute`
 * new incidents in a minute, a new incident opens as a thread of the shared storm channel (its live message there,
 * its pages in its thread), and gets its own channel once the storm has passed, if it is still open.
 */
export const stormSchema = z.strictObject({
  /** The shared storm channel. Unset: every incident always gets its own channel at once. */
  channel: slackChannelId.optional(),
  /** New incidents in any minute that still get their own channel at once. */
  new_channels_per_minute: z.number().int().positive().default(10),
});

export type StormConfig = z.infer<typeof stormSchema>;
