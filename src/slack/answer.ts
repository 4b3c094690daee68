import type { RespondFn } from '@slack/bolt';
import type { Reply } from '../app/replies.js';
import { errorId, isBotError } from '../errors.js';
import type { Logger } from '../log.js';
import { replyMessage } from './views/replies.js';

/** Sends a use case's reply to the person who asked, visible to them only. */
export async function answer(respond: RespondFn, reply: Reply): Promise<void> {
  if (reply.kind === 'none') return;
  await respond({ response_type: 'ephemeral', replace_original: false, ...replyMessage(reply) });
}

/**
 * Errors answered in one place: a BotError's sentence as it is; anything
 * else as a sentence with an id that is also in the log with its cause.
 */
export function sentenceFor(error: unknown, log: Logger, context: Record<string, unknown>): string {
  if (isBotError(error)) {
    log.info({ ...context, code: error.code }, error.userMessage);
    return error.userMessage;
  }
  const id = errorId();
  log.error({ ...context, err: error, errorId: id }, 'request failed');
  return `Something went wrong on our side (error ${id}); it is in the bot's log. Nothing you did caused it.`;
}

export async function answerError(
  respond: RespondFn,
  error: unknown,
  log: Logger,
  context: Record<string, unknown>,
): Promise<void> {
  const text = sentenceFor(error, log, context);
  await respond({ response_type: 'ephemeral', replace_original: false, text }).catch((failure: unknown) =>
    log.warn({ err: failure }, 'could not send the error answer'),
  );
}
