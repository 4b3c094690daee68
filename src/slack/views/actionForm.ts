import type { View } from '@slack/types';
import type { ActionForm } from '../../app/actionForm.js';
import { context, section, userText } from '../../blockKit/blocks.js';

export const ACTION_FORM = 'action.inputs';

/** The form an action with inputs opens: one field per input, a menu for an enum; what it runs above them. */
export function actionFormModal(form: ActionForm): View {
  const on = form.target ? ` on ${userText(form.target, 100)}` : '';
  return {
    type: 'modal',
    callback_id: ACTION_FORM,
    private_metadata: JSON.stringify({ incidentId: form.incidentId, action: form.action, channelId: form.channelId }),
    title: { type: 'plain_text', text: `Run for ${form.key}`.slice(0, 24) },
    submit: { type: 'plain_text', text: 'Continue' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${userText(form.title, 150)}*${on}\nRuns \`${userText(form.plan, 300)}\` with the values below.`),
      ...Object.entries(form.inputs).map(([name, input]) => ({
        type: 'input' as const,
        block_id: name,
        label: { type: 'plain_text' as const, text: input.label },
        ...(input.hint ? { hint: { type: 'plain_text' as const, text: input.hint } } : {}),
        element: input.enum
          ? {
              type: 'static_select' as const,
              action_id: 'value',
              options: input.enum.map((v) => ({ text: { type: 'plain_text' as const, text: v }, value: v })),
            }
          : { type: 'plain_text_input' as const, action_id: 'value', max_length: input.max_length },
      })),
      context('Each value is checked on the server before anything runs; approval rules still apply.'),
    ],
  };
}
