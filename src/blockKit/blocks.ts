/**
 * The one set of Block Kit builders: pure functions (no I/O) shared by `slack/views/` and the engines' messages
 * (`notify/messages.ts`), which may not import `slack/`. Text a person or an alert supplied goes through `userText`.
 */
import type { Block, Button, ContextBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import { escapeMrkdwn, truncate } from '../domain/text.js';
import { definedProps } from '../domain/defined.js';

/** Block Kit's limits (docs.slack.dev): every builder here stays within them. */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3_000,
  sectionFields: 10,
  fieldText: 2_000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2_000,
  actionsElements: 25,
  contextElements: 10,
  id: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  privateMetadata: 3_000,
} as const;

export type Blocks = Array<KnownBlock | Block>;

export const mention = (user: string) => (user === 'system' ? 'incident-bot' : `<@${user}>`);
export const channelLink = (channelId: string) => `<#${channelId}>`;
export const usergroupMention = (usergroupId: string) => `<!subteam^${usergroupId}>`;

/** A time rendered in each reader's own time zone, with a UTC fallback. */
export function slackDate(date: Date, format = '{date_short_pretty} {time}'): string {
  const fallback = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${fallback}>`;
}

/** Text people typed, safe to show: escaped and cut to fit. */
export const userText = (text: string, max: number) => escapeMrkdwn(truncate(text, max));

export function section(text: string, extra: Partial<SectionBlock> = {}): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text || ' ', LIMITS.sectionText) }, ...extra };
}

export function context(...texts: string[]): ContextBlock {
  return {
    type: 'context',
    elements: texts
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn' as const, text: truncate(text || ' ', LIMITS.sectionText) })),
  };
}

/** A section of short labelled fields (two columns in Slack), e.g. a status update's four headings. */
export function fields(...texts: string[]): SectionBlock {
  return {
    type: 'section',
    fields: texts
      .slice(0, LIMITS.sectionFields)
      .map((text): MrkdwnElement => ({ type: 'mrkdwn', text: truncate(text || ' ', LIMITS.fieldText) })),
  };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

export const divider = (): KnownBlock => ({ type: 'divider' });

export function button(
  text: string,
  actionId: string,
  value: string,
  options: {
    style?: 'primary' | 'danger';
    confirm?: { title: string; text: string; confirm: string; deny?: string };
  } = {},
): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    action_id: actionId.slice(0, LIMITS.id),
    value: value.slice(0, LIMITS.buttonValue),
    ...definedProps({ style: options.style }),
    ...(options.confirm
      ? {
          confirm: {
            title: { type: 'plain_text' as const, text: truncate(options.confirm.title, LIMITS.confirmTitle) },
            text: { type: 'mrkdwn' as const, text: truncate(options.confirm.text, LIMITS.confirmText) },
            confirm: { type: 'plain_text' as const, text: truncate(options.confirm.confirm, LIMITS.confirmButton) },
            deny: {
              type: 'plain_text' as const,
              text: truncate(options.confirm.deny ?? 'Cancel', LIMITS.confirmButton),
            },
            ...(options.style === 'danger' ? { style: 'danger' as const } : {}),
          },
        }
      : {}),
  };
}

export function actions(blockId: string, elements: Button[]): KnownBlock {
  return {
    type: 'actions',
    block_id: blockId.slice(0, LIMITS.id),
    elements: elements.slice(0, LIMITS.actionsElements),
  };
}

/** A message: blocks plus the plain `text` Slack shows in notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: Blocks;
}
