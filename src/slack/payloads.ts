import { z } from 'zod';

/**
 * The parts of Slack's payloads the bot uses, parsed once at the edge. Slack
 * sends more; these are the fields it always sends.
 */
export const commandPayload = z.object({
  text: z.string().default(''),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  trigger_id: z.string().min(1),
  response_url: z.string().url(),
});
export type CommandPayload = z.infer<typeof commandPayload>;

export const buttonClick = z.object({
  user: z.object({ id: z.string().min(1) }),
  trigger_id: z.string().optional(),
  channel: z.object({ id: z.string() }).optional(),
  container: z.object({ channel_id: z.string().optional(), message_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().default(''), action_ts: z.string() })).min(1),
});
export type ButtonClick = z.infer<typeof buttonClick>;

/** `<incident id>` or `<incident id>:<step or name or offset>` in a button's value. */
export const buttonValue = z
  .string()
  .regex(/^\d{1,12}(:[a-z0-9_-]{1,64})?$/i)
  .transform((value) => {
    const [id, detail] = value.split(':');
    return { incidentId: Number(id), detail: detail ?? '' };
  });

/** The request key of a click: the same click delivered twice (a retry, two replicas) has the same key. */
export function clickKey(click: ButtonClick): string {
  const action = click.actions[0]!;
  return `act:${click.user.id}:${action.action_ts}:${action.action_id}`;
}
