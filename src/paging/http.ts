import { ProviderError, retryAfterMs } from './retry.js';

/** Codes of a connection that never carried the request: refused, unreachable, no such host. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * One request to a provider's HTTP API, its failure classified: a 429 (with its Retry-After) and a 5xx are retried;
 * another 4xx is not (the request is wrong and stays wrong); a timeout or a connection dropped mid-request is a
 * lost answer. The provider's error body is kept short and never holds our credentials.
 */
export async function providerRequest(
  provider: string,
  url: string,
  init: { method?: string; headers: Record<string, string>; body: string },
  signal: AbortSignal,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { method: init.method ?? 'POST', headers: init.headers, body: init.body, signal });
  } catch (error) {
    if (signal.aborted) throw new ProviderError(`${provider} did not answer in time`, lost);
    const code = codeOf(error);
    if (code && NOT_SENT.has(code))
      throw new ProviderError(`${provider} could not be reached (${code})`, { retryable: true, uncertain: false });
    throw new ProviderError(`${provider}'s answer was lost (${code ?? 'connection closed'})`, lost);
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new ProviderError(`${provider}'s answer was lost (connection closed)`, lost);
  }
  if (response.status === 429)
    throw new ProviderError(`${provider} answered 429 (rate limited)`, {
      retryable: true,
      uncertain: false,
      ...optional(retryAfterMs(response.headers.get('retry-after'))),
    });
  if (response.status >= 500)
    throw new ProviderError(`${provider} answered ${response.status}`, { retryable: true, uncertain: false });
  if (response.status >= 400)
    throw new ProviderError(`${provider} refused the request (${response.status}: ${text.slice(0, 200)})`, {
      retryable: false,
      uncertain: false,
    });
  try {
    return text ? (JSON.parse(text) as unknown) : {};
  } catch {
    return {};
  }
}

const lost = { retryable: true, uncertain: true };

const optional = (ms: number | undefined) => (ms === undefined ? {} : { retryAfterMs: ms });

function codeOf(error: unknown): string | undefined {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}
