import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { checkActionInputs } from '../app/actionForm.js';
import { requestAction } from '../app/actions.js';
import type { Actor, AppDeps } from '../app/deps.js';
import type { InFlight } from './inflight.js';
import { sentenceFor } from './answer.js';
import { replyMessage } from './views/replies.js';
import type { SlackMessage } from '../blockKit/blocks.js';

const formState = z.object({
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
});

const submission = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({
    id: z.string(),
    private_metadata: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'not JSON' });
          return z.NEVER;
        }
      })
      .pipe(
        z.object({
          incidentId: z.number().int().positive(),
          action: z.string().min(1),
          channelId: z.string().nullable(),
        }),
      ),
    state: z.object({ values: z.record(z.string(), z.object({ value: formState }).partial()) }),
  }),
});

/**
 * The action form's Submit: its values checked against the action's inputs before the ack (refused ones shown
 * beside their fields, nothing run), then the action requested with them; the answer is an ephemeral.
 */
export function actionFormSubmitListener(deps: AppDeps, inflight: InFlight) {
  return async ({ ack, body, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const parsed = submission.safeParse(body);
    if (!parsed.success) {
      await ack({
        response_action: 'errors',
        errors: { '': 'This form is out of date; close it and press the button again.' },
      });
      return;
    }
    const { user, view } = parsed.data;
    const raw = Object.fromEntries(
      Object.entries(view.state.values).map(([name, { value }]) => [
        name,
        value?.selected_option?.value ?? value?.value ?? undefined,
      ]),
    );
    const checked = checkActionInputs(deps, view.private_metadata.action, raw);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: checked.errors });
      return;
    }
    await ack();
    const actor: Actor = { user: user.id, requestKey: `view:${view.id}`, receivedAt: deps.clock.now() };
    const target = { incidentId: view.private_metadata.incidentId };
    inflight.run(async () => {
      const say = async (message: { text: string; blocks?: SlackMessage['blocks'] }) => {
        const channel = view.private_metadata.channelId;
        if (channel)
          await client.chat
            .postEphemeral({ channel, user: user.id, ...message })
            .catch((err: unknown) => deps.log.warn({ err }, 'could not answer the action form'));
      };
      try {
        const reply = await requestAction(deps, target, view.private_metadata.action, actor, checked.values);
        if (reply.kind !== 'none') await say(replyMessage(reply));
      } catch (error) {
        await say({
          text: sentenceFor(error, deps.log, { user: user.id, action: view.private_metadata.action }),
        }).catch(() => {});
      }
    });
  };
}
