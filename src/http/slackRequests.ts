import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { BodyTooLargeError, readBytes, sendJson } from './server.js';

/** Slack's largest payloads (a modal's state, a message with 50 blocks) are far below this. */
export const SLACK_BODY_LIMIT = 512 * 1024;

/** Bolt refuses a timestamp older than five minutes; the same window applies ahead of our clock. */
const MAX_SKEW_SECONDS = 5 * 60;

/**
 * What `POST /slack/events` checks before Bolt verifies the signature:
 * - the body is at most 512 KB (413, the rest read and dropped), so an unsigned client cannot make us buffer more;
 * - `X-Slack-Request-Timestamp` is not more than five minutes in the future. Bolt's own check
 *   (`verifySlackRequest`) only refuses old ones, so a request signed with a leaked secret and a future
 *   timestamp could be replayed for as long as that timestamp lay ahead.
 * The buffered body is handed on as `rawBody`, which Bolt's HTTP receiver reads instead of the stream.
 */
export function guardSlackRequest(
  next: (req: IncomingMessage, res: ServerResponse) => void,
  log: Logger,
  now: () => number = Date.now,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    let body: Buffer;
    try {
      if (declared > SLACK_BODY_LIMIT * 4) {
        // Far over: answer without reading, and close the connection rather than drain it.
        res.setHeader('connection', 'close');
        throw new BodyTooLargeError(SLACK_BODY_LIMIT);
      }
      body = await readBytes(req, SLACK_BODY_LIMIT);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      log.warn({ limit: SLACK_BODY_LIMIT }, 'refused a Slack request: body over the limit');
      return sendJson(res, 413, { error: 'body_too_large', message: error.message });
    }
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(timestamp) && timestamp > Math.floor(now() / 1000) + MAX_SKEW_SECONDS) {
      log.warn('refused a Slack request: its timestamp is more than five minutes in the future');
      return sendJson(res, 401, { error: 'stale_or_future_timestamp' });
    }
    next(Object.assign(req, { rawBody: body }), res);
  };
}
