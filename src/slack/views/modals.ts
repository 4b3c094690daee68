import type { View } from '@slack/types';
import type { Incident } from '../../domain/incident.js';
import { MAX_SUMMARY } from '../../domain/text.js';
import { section, userText } from '../../blockKit/blocks.js';

export const RESOLVE_MODAL = 'incident.resolve';

/** The Resolve button's modal: an optional resolution summary. */
export function resolveModal(incident: Incident): View {
  return {
    type: 'modal',
    callback_id: RESOLVE_MODAL,
    private_metadata: String(incident.id),
    title: { type: 'plain_text', text: `Resolve ${incident.key}`.slice(0, 24) },
    submit: { type: 'plain_text', text: 'Resolve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        `*${incident.key}* · ${userText(incident.title, 150)}\nResolving stops every clock of the incident and tells its stakeholders.`,
      ),
      {
        type: 'input',
        block_id: 'summary',
        optional: true,
        label: { type: 'plain_text', text: 'What fixed it?' },
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: MAX_SUMMARY },
      },
    ],
  };
}
