import { Secret } from '../config/secret.js';
import { sameOriginRedirects } from '../http/redirects.js';
import { formatMs } from './compare.js';
import { checkJsonBody, joinFailures } from './expectations.js';
import { ConfigFault, safeUrl } from './faults.js';
import type { Attempt, Runner } from './types.js';
import { readCapped } from '../responseBody.js';

/** Bodies larger than this are cut: a health endpoint that sends megabytes is broken anyway. */
const MAX_BODY = 1_000_000;

export interface Fetched {
  status: number;
  statusText: string;
  text: string;
}

/** One request under the attempt's signal; header values are revealed here and nowhere else. */
export async function request(
  attempt: Attempt,
  options: { method: string; url: string; headers: Record<string, Secret>; body?: string; accept?: string },
): Promise<Fetched> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new ConfigFault(`${safeUrl(options.url)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigFault(`only http and https URLs can be checked, not ${url.protocol}`);
  const headers = new Headers({ 'user-agent': 'incident-bot-check' });
  if (options.accept) headers.set('accept', options.accept);
  for (const [name, value] of Object.entries(options.headers)) headers.set(name, attempt.reveal(value));
  // fetch refuses credentials in a URL; send them as curl does, as Basic auth.
  if (url.username || url.password) {
    const password = attempt.reveal(new Secret(decodeURIComponent(url.password)));
    if (!headers.has('authorization'))
      headers.set(
        'authorization',
        `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${password}`).toString('base64')}`,
      );
    url.username = '';
    url.password = '';
  }
  // A check that sends credentials (configured headers, a password in the URL) follows redirects only within its origin.
  const credentials = Object.keys(options.headers).length > 0 || headers.has('authorization');
  const started = performance.now();
  const response = await (credentials ? sameOriginRedirects(fetch) : fetch)(url, {
    method: options.method,
    headers,
    body: options.body,
    signal: attempt.signal,
    redirect: 'follow',
  });
  const text = options.method === 'HEAD' ? '' : (await readCapped(response, MAX_BODY)).text;
  attempt.details.push(
    `${options.method} ${safeUrl(options.url)} → ${response.status} in ${formatMs(performance.now() - started)}`,
  );
  return { status: response.status, statusText: response.statusText, text };
}

export const runHttp: Runner<'http'> = async (config, attempt) => {
  const response = await request(attempt, {
    method: config.method,
    url: config.url,
    headers: config.headers,
    body: config.body,
  });
  const { details } = attempt;
  const failures: string[] = [];
  const allowed = Array.isArray(config.expect.status) ? config.expect.status : [config.expect.status];
  if (allowed.includes(response.status)) {
    details.push(`✓ status ${response.status}`);
  } else {
    const failure = `expected status ${allowed.join(' or ')}, got ${response.status}`;
    failures.push(failure);
    details.push(`✗ ${failure}`);
  }
  const json = checkJsonBody(response.text, config.expect.json);
  details.push(...json.details);
  failures.push(...json.failures);
  const wanted = config.expect.body_contains;
  if (wanted !== undefined) {
    const ok = response.text.includes(wanted);
    if (!ok) failures.push(`the body does not contain ${JSON.stringify(wanted)}`);
    details.push(
      ok ? `✓ the body contains ${JSON.stringify(wanted)}` : `✗ the body does not contain ${JSON.stringify(wanted)}`,
    );
  }
  if (failures.length === 0) return {};
  details.push(`body: ${excerpt(response.text)}`);
  return { failure: joinFailures(failures) };
};

/** The start of a body on one line, for the engineer reading a failure. */
function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (!line) return '(empty)';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
