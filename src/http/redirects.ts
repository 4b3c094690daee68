/**
 * Redirects followed only within the origin asked for. WHATWG fetch drops `Authorization` on a cross-origin
 * redirect, but not other headers (`X-Api-Key`), nor a 307/308's body (a token request's client secret): a
 * server, or whoever can make it answer 302, could send them anywhere. A request that carries credentials
 * goes through this instead of `redirect: 'follow'`.
 */
export class CrossOriginRedirectError extends Error {
  readonly code = 'cross_origin_redirect';

  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    // Origins only: a Location's path or query may carry something secret.
    super(`${from} redirected to another origin (${to}); not followed, since the request carries credentials`);
    this.name = 'CrossOriginRedirectError';
  }
}

const MAX_REDIRECTS = 5;

/** `fetchFn` that follows a redirect only to the same origin (scheme, host and port), up to 5 times. */
export function sameOriginRedirects(
  fetchFn: typeof fetch = (input, init) => globalThis.fetch(input, init),
): typeof fetch {
  return async (input, init) => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    let request: RequestInit = { ...init, redirect: 'manual' };
    for (let hop = 0; ; hop++) {
      const response = await fetchFn(url, request);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || response.status === 304 || location === null)
        return response;
      await response.body?.cancel().catch(() => undefined);
      const next = new URL(location, url);
      if (next.origin !== url.origin) throw new CrossOriginRedirectError(url.origin, next.origin);
      if (hop + 1 >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url.origin}`);
      // As fetch does: 303, and 301/302 after a POST, go on as a GET without the body.
      const method = (request.method ?? 'GET').toUpperCase();
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST'))
        request = { ...request, method: 'GET', body: null };
      url = next;
    }
  };
}
