import { formatDuration } from '../config/duration.js';
import { MissingSecretError } from '../config/secret.js';
import { buildHttp, isJsonBody, urlSecrets } from './httpPlan.js';
import { headerSecrets, scrub, secretsOf } from './scrub.js';
import type { ActionPlan, ActionRunResult, HttpActionConfig, Placeholders, PlanOptions } from './types.js';
import { readCapped } from '../responseBody.js';
import { thrownText } from '../errors.js';

/** How much of a response body is kept as output. */
export const HTTP_OUTPUT_LIMIT = 4_000;

function expected(config: HttpActionConfig): number[] {
  return Array.isArray(config.expect_status) ? config.expect_status : [config.expect_status];
}

/** `ECONNREFUSED`, `ENOTFOUND`…: the reason under undici's "fetch failed". */
function reason(error: unknown): string {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  return (
    thrownText(cause, 'code') ??
    thrownText(cause, 'message') ??
    (error instanceof Error ? error.message : String(error))
  );
}

/**
 * Sends the request with its credentials revealed only now. A credential that
 * was never configured fails the run before anything is sent.
 */
export async function runHttp(
  config: HttpActionConfig,
  placeholders: Placeholders,
  signal?: AbortSignal,
  options: PlanOptions = {},
): Promise<ActionRunResult> {
  const { plan, url } = buildHttp(config, placeholders, options);
  return sendHttp(config, plan, url, signal);
}

/** Sends a request already planned: `url` is the one to request, `plan.body` the body to send. */
export async function sendHttp(
  config: HttpActionConfig,
  plan: ActionPlan,
  url: URL,
  signal?: AbortSignal,
): Promise<ActionRunResult> {
  const started = performance.now();
  const result = (outcome: ActionRunResult['outcome'], extra: Partial<ActionRunResult> = {}): ActionRunResult => ({
    outcome,
    summary: plan.summary,
    output: '',
    durationMs: performance.now() - started,
    ...extra,
  });
  const headers: Record<string, string> = {};
  try {
    for (const [name, value] of Object.entries(config.headers)) headers[name] = value.reveal();
  } catch (error) {
    if (error instanceof MissingSecretError) return result('failed', { error: error.userMessage });
    throw error;
  }
  if (isJsonBody(config) && !Object.keys(headers).some((n) => n.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  const secrets = secretsOf([...headerSecrets(headers), ...urlSecrets(url)]);
  const clean = (text: string, cut = false) => scrub(text, secrets, cut);
  if (signal?.aborted) return result('failed', { error: 'The run was cancelled before it started.' });

  const controller = new AbortController();
  // Set by the timer's callback, which the compiler's narrowing cannot see.
  let timedOut = false as boolean;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, config.timeout);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let status: number | undefined;
  try {
    const response = await fetch(url, {
      method: config.method,
      headers,
      body: plan.body,
      signal: controller.signal,
      redirect: 'manual',
    });
    status = response.status;
    const { text, cut } = await readCapped(response, HTTP_OUTPUT_LIMIT + 1_024);
    const scrubbed = clean(text, cut);
    const output =
      cut || scrubbed.length > HTTP_OUTPUT_LIMIT
        ? `${clean(scrubbed.slice(0, HTTP_OUTPUT_LIMIT), true)}\n… response cut at ${HTTP_OUTPUT_LIMIT} characters`
        : scrubbed;
    if (expected(config).includes(status)) return result('succeeded', { status, output });
    const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
    return result('failed', {
      status,
      output,
      error: `The server answered ${status}${redirect}; the action expects ${expected(config).join(', ')}.`,
    });
  } catch (error) {
    const extra = status === undefined ? {} : { status };
    if (timedOut)
      return result('timed_out', {
        ...extra,
        error: `The request did not finish within ${formatDuration(config.timeout)} and was cancelled.`,
      });
    if (signal?.aborted) return result('failed', { ...extra, error: 'The run was cancelled and the request aborted.' });
    return result('failed', { ...extra, error: clean(`The request to ${url.host} failed: ${reason(error)}.`) });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
