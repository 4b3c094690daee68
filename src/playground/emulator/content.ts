import { MAX_MESSAGE_TEXT, validateBlocks } from './blockKit.js';
import { definedProps } from '../../domain/defined.js';
import type { Block } from './state.js';

export interface MessageContent {
  text: string;
  blocks?: Block[];
  attachments?: unknown[];
}

export type ContentCheck =
  | ({ ok: true } & MessageContent)
  | {
      ok: false;
      error: 'no_text' | 'msg_too_long' | 'invalid_blocks' | 'invalid_blocks_format' | 'invalid_attachments';
      errors?: string[];
    };

/**
 * The checks every message surface shares (chat.*, response_url, a command's
 * ack body): text length, Block Kit rules, and that there is something to show.
 */
export function checkContent(
  input: { text?: unknown; blocks?: unknown; attachments?: unknown },
  requireContent = true,
): ContentCheck {
  const text =
    typeof input.text === 'string'
      ? input.text
      : input.text === undefined || input.text === null
        ? ''
        : // Slack coerces a number or boolean `text` the same way; an object becomes its JSON.
          typeof input.text === 'object'
          ? JSON.stringify(input.text)
          : `${input.text as number | boolean}`;
  if (text.length > MAX_MESSAGE_TEXT) return { ok: false, error: 'msg_too_long' };
  let blocks: Block[] | undefined;
  if (input.blocks !== undefined && input.blocks !== null && input.blocks !== '') {
    if (!Array.isArray(input.blocks)) return { ok: false, error: 'invalid_blocks_format' };
    const errors = validateBlocks(input.blocks, 'message');
    if (errors.length > 0) return { ok: false, error: 'invalid_blocks', errors };
    blocks = input.blocks as Block[];
  }
  let attachments: unknown[] | undefined;
  if (input.attachments !== undefined && input.attachments !== null && input.attachments !== '') {
    if (!Array.isArray(input.attachments)) return { ok: false, error: 'invalid_attachments' };
    attachments = input.attachments;
  }
  if (requireContent && text.trim() === '' && !blocks?.length && !attachments?.length)
    return { ok: false, error: 'no_text' };
  return { ok: true, text, ...definedProps({ blocks, attachments }) };
}

/**
 * The body Slack answers an invalid_blocks with: the error, readable `errors`, and the `[ERROR]` lines WebClient
 * logs.
 */
export function contentErrorBody(check: Extract<ContentCheck, { ok: false }>): Record<string, unknown> {
  return {
    ok: false,
    error: check.error,
    ...(check.errors
      ? { errors: check.errors, response_metadata: { messages: check.errors.map((e) => `[ERROR] ${e}`) } }
      : {}),
  };
}
