import type { RespondFn } from '@slack/bolt';
import type { Reply } from '../app/replies.js';
import { errorId, isBotError } from '../errors.js';
import type { Logger } from '../log.js';
import { isDatabaseUnavailable } from '../store/db.js';
import { botErrorSentence } from './views/refusals.js';
import { replyMessage } from './views/replies.js';

/** Sends a use case's reply to the person who asked, visible to them only. */
export async function answer(respond: RespondFn, reply: Reply): Promise<void> {
  if (reply.kind === 'none') return;
  await respond({ response_type: 'ephemeral', replace_original: false, ...replyMessage(reply) });
}

/**
 * What a person reads when PostgreSQL is away: a dependency failing, not a bug, so no error id. Every write
 * a person can ask for is one transaction made idempotent by its request key or its state, so asking again
 * once the database is back does it once.
 */
export const DATABASE_AWAY =
  'The database is not answering right now, so this was not recorded. ' +
  'Try again in a minute; if it was recorded after all, trying again does not do it twice.';

/**
 * Errors answered in one place: a BotError's sentence (a refusal worded by its view); the database being away as a sentence that
 * says so; anything else as a sentence with an id that is also in the log with its cause.
 */
export function sentenceFor(error: unknown, log: Logger, context: Record<string, unknown>): string {
  if (isBotError(error)) {
    const sentence = botErrorSentence(error);
    log.info({ ...context, code: error.code }, sentence);
    return sentence;
  }
  if (isDatabaseUnavailable(error)) {
    log.warn({ ...context, err: error }, 'request refused: the database is not answering');
    return DATABASE_AWAY;
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
