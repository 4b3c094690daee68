/**
 * What Slack accepts in Block Kit: the size limits and the known block and element types
 * (docs.slack.dev/reference/block-kit). blockKit.ts checks payloads against them.
 */

export type Surface = 'message' | 'modal';

/** Longer `text` is answered with `msg_too_long`. */
export const MAX_MESSAGE_TEXT = 40_000;

export const LIMITS = {
  blocks: { message: 50, modal: 100 },
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  header: 150,
  actionsElements: 25,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalText: 24,
  privateMetadata: 3000,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  overflowOptions: { min: 2, max: 5 },
  choiceOptions: 10,
  label: 2000,
  markdown: 12_000,
} as const;

export const BLOCK_TYPES = new Set([
  'actions',
  'call',
  'context',
  'context_actions',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

export const ELEMENT_TYPES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'email_text_input',
  'file_input',
  'image',
  'number_input',
  'overflow',
  'plain_text_input',
  'radio_buttons',
  'rich_text_input',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'timepicker',
  'url_text_input',
  'workflow_button',
]);
