import type { FetchFunction } from '@slack/web-api';
import { Agent, request } from 'undici';
import type { Metrics } from '../http/metrics.js';
import { slackPriorityOf } from '../slackApi/priority.js';
import { definedProps } from '../domain/defined.js';
import type { SlackLimiter } from './limiter.js';

const agent = new Agent({ keepAliveTimeout: 30_000, connections: 32, pipelining: 1 });

type Body = string | URLSearchParams | Uint8Array;

const simple = (body: unknown): body is Body | undefined | null =>
  body === undefined ||
  body === null ||
  typeof body === 'string' ||
  body instanceof URLSearchParams ||
  body instanceof Uint8Array;

/**
 * The fetch the Slack clients use: undici's request API on a keep-alive
 * agent, which costs about a third of the CPU of the global fetch per call
 * (measured by the bench: 0.46 ms against 1.36 ms). Anything but a plain
 * body (a multipart upload) goes through the global fetch.
 */
export const slackFetch: FetchFunction = async (input, init = {}) => {
  const given: unknown = init.body;
  if (!simple(given)) return fetch(input, init) as unknown as ReturnType<FetchFunction>;
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => (headers[key] = value));
  const body = given instanceof URLSearchParams ? given.toString() : (given ?? undefined);
  if (given instanceof URLSearchParams && !headers['content-type'])
    headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
  const response = await request(input, {
    method: (init.method ?? 'GET') as 'GET',
    headers,
    body,
    dispatcher: agent,
    ...definedProps({ signal: init.signal }),
  });
  const bytes = await response.body.arrayBuffer();
  const answer = new Headers();
  for (const [key, value] of Object.entries(response.headers)) {
    if (Array.isArray(value)) for (const v of value) answer.append(key, v);
    else if (value !== undefined) answer.set(key, value);
  }
  const status = response.statusCode;
  return new Response(status === 204 || status === 304 ? null : bytes, {
    status,
    headers: answer,
  }) as unknown as Awaited<ReturnType<FetchFunction>>;
};

/** The Web API method of a request URL (`…/api/chat.postMessage`); undefined for anything else (a file upload). */
function methodOf(input: Parameters<FetchFunction>[0]): string | undefined {
  const url = String(input);
  return /\/api\/([a-zA-Z]+(?:\.[a-zA-Z]+)+)(?:\?|$)/.exec(url)?.[1];
}

/** The `channel` a call names (a form body, or JSON), which chat.postMessage's per-channel limit counts. */
function channelOf(body: unknown): string | undefined {
  if (body instanceof URLSearchParams) return body.get('channel') ?? undefined;
  if (typeof body !== 'string') return undefined;
  if (body.startsWith('{')) {
    try {
      const channel = (JSON.parse(body) as { channel?: unknown }).channel;
      return typeof channel === 'string' ? channel : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(body).get('channel') ?? undefined;
}

/**
 * slackFetch behind the bot's one Slack limiter (limiter.ts), when it paces: every Web API
 * call of every client (Bolt's, the durable work's) waits for its method's and
 * channel's budget at the priority its caller gave (slackApi/priority.ts). A
 * 429 that still comes (another app on the workspace, Slack counting
 * differently) is counted and handed to the client as it came: it throws, and
 * Retry-After is kept where it always was, in the injected clock's time (the
 * port's RateLimitGate, durable work rescheduling itself).
 */
/**
 * What a call turned away by a stopping replica gets: Slack's own answer to a call over its limit (429, Retry-After,
 * `ratelimited`), so every caller's 429 path puts its work back, not counted as a failed attempt.
 */
function stoppingAnswer(): Awaited<ReturnType<FetchFunction>> {
  return new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), {
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': '1' },
  }) as unknown as Awaited<ReturnType<FetchFunction>>;
}

/** How long one Web API call may take once it is sent (both clients' `timeout`). */
export const SLACK_CALL_TIMEOUT_MS = 10_000;

/**
 * Every Web API call behind the limiter. The client's timeout signal starts when the client hands the call over, so
 * a call that waited its turn longer than that would be aborted the moment it is admitted (the slot spent, nothing
 * sent): the timeout is started again, for the call itself, once it may be sent.
 */
export function pacedSlackFetch(
  limiter: SlackLimiter | undefined,
  metrics?: Metrics,
  callTimeoutMs = SLACK_CALL_TIMEOUT_MS,
): FetchFunction {
  return async (input, init = {}) => {
    const method = methodOf(input);
    if (!method) return slackFetch(input, init);
    if (limiter) {
      const priority = slackPriorityOf(method);
      const queued = performance.now();
      const admitted = await limiter.acquire(method, channelOf(init.body), priority);
      metrics?.slackLimiterWait.observe({ method, priority }, (performance.now() - queued) / 1_000);
      if (admitted === 'stopping') {
        metrics?.slackCalls.inc({ method, outcome: 'stopping' });
        return stoppingAnswer();
      }
    }
    const sent = limiter && init.signal ? { ...init, signal: AbortSignal.timeout(callTimeoutMs) } : init;
    const response = await slackFetch(input, sent);
    metrics?.slackCalls.inc({ method, outcome: response.status === 429 ? 'ratelimited' : String(response.status) });
    return response;
  };
}
