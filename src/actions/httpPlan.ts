import { ActionInputError } from './errors.js';
import { PLACEHOLDER, substitute } from './placeholders.js';
import { definedProps } from '../domain/defined.js';
import type { ActionPlan, HttpActionConfig, Placeholders, PlanOptions } from './types.js';

type BodyMode = 'json' | 'form' | 'text';

/** Query parameters whose values are credentials by convention: never shown. */
export const SENSITIVE_PARAM =
  /^(.*[_-])?(token|secret|password|passwd|pwd|sig|signature|auth|credentials?|(api|access|private|secret|signing)[_-]?key|apikey)$/i;

/** Index of the end of `scheme://host:port`: placeholders may only come after it. */
function originEnd(url: string): number {
  const start = url.indexOf('://');
  const rest = url.slice(start < 0 ? 0 : start + 3);
  const end = rest.search(/[/?#]/);
  return (start < 0 ? 0 : start + 3) + (end < 0 ? rest.length : end);
}

/** The configured Content-Type, when it is plain text (not built from a credential). */
export function contentTypeOf(config: HttpActionConfig): string | undefined {
  const entry = Object.entries(config.headers).find(([name]) => name.toLowerCase() === 'content-type');
  if (!entry || entry[1].missing.length > 0) return undefined;
  return entry[1].reveal();
}

function bodyMode(body: string, contentType: string | undefined): BodyMode | { problem: string } {
  const hasPlaceholder = new RegExp(PLACEHOLDER.source).test(body);
  try {
    JSON.parse(body.replace(PLACEHOLDER, 'x'));
    return 'json';
  } catch {
    if (hasPlaceholder && (/^\s*[[{]/.test(body) || /json/i.test(contentType ?? ''))) {
      return {
        problem:
          'The body looks like JSON but is not valid JSON with its placeholders filled in: ' +
          'put each placeholder inside a JSON string, e.g. "reason": "incident {incident.key}".',
      };
    }
  }
  return /x-www-form-urlencoded/i.test(contentType ?? '') ? 'form' : 'text';
}

/** Config problems of an HTTP action that its placeholders alone cannot show. */
export function httpProblems(config: HttpActionConfig): string[] {
  const problems: string[] = [];
  const end = originEnd(config.url);
  const hash = config.url.indexOf('#');
  for (const match of config.url.matchAll(PLACEHOLDER)) {
    if (match.index < end)
      problems.push(
        `{${match[1]}} is in the URL's scheme, host or port; placeholders may only be used in its path or query.`,
      );
    else if (hash >= 0 && match.index > hash)
      problems.push(`{${match[1]}} is in the URL's fragment; placeholders may only be used in its path or query.`);
  }
  if (problems.length === 0 && !URL.canParse(config.url.replace(PLACEHOLDER, 'x')))
    problems.push('The URL is not a valid absolute URL.');
  if (config.body !== undefined) {
    if (config.method === 'GET') problems.push('A GET request cannot have a body.');
    const mode = bodyMode(config.body, contentTypeOf(config));
    if (typeof mode === 'object') problems.push(mode.problem);
  }
  return problems;
}

function encodeUrlValue(value: string, name: string): string {
  if (value === '.' || value === '..')
    throw new ActionInputError(`The value of {${name}} cannot be "${value}" in a URL.`);
  return encodeURIComponent(value);
}

const BODY_ENCODERS: Record<BodyMode, (value: string) => string> = {
  json: (value) => JSON.stringify(value).slice(1, -1),
  form: encodeURIComponent,
  text: (value) => value,
};

/** The URL as it may be shown: no user or password, no credential in the query, unfilled placeholders kept readable. */
export function displayUrl(url: URL): string {
  const params = [...url.searchParams].map(
    ([k, v]) => `${encodeURIComponent(k)}=${SENSITIVE_PARAM.test(k) ? '[redacted]' : encodeURIComponent(v)}`,
  );
  const auth = url.username || url.password ? '[redacted]@' : '';
  const shown = `${url.protocol}//${auth}${url.host}${url.pathname}${params.length > 0 ? `?${params.join('&')}` : ''}`;
  return shown.replace(/%7B([A-Za-z_][A-Za-z0-9_.-]*)%7D/g, '{$1}');
}

/** Credentials a URL carries: user, password, and sensitive query values. */
export function urlSecrets(url: URL): string[] {
  const params = [...url.searchParams].filter(([k]) => SENSITIVE_PARAM.test(k)).map(([, v]) => v);
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return [url.username, url.password, decode(url.username), decode(url.password), ...params].filter(Boolean);
}

/**
 * Fills the URL (values URL-encoded, in the path or query only) and the body
 * (values JSON-string-escaped in a JSON body, URL-encoded in a form body).
 * The plan shows the URL without credentials; `url` is the one to request.
 */
export function buildHttp(
  config: HttpActionConfig,
  placeholders: Placeholders,
  options: PlanOptions = {},
): { plan: ActionPlan; url: URL } {
  const [problem] = httpProblems(config);
  if (problem) throw new ActionInputError(problem, 'config_invalid');
  const url = new URL(substitute(config.url, placeholders, encodeUrlValue, options.allowMissing).text);
  let body: string | undefined;
  if (config.body !== undefined) {
    const mode = bodyMode(config.body, contentTypeOf(config));
    // A body with a problem never passes lint; filled in anyway, it is plain text.
    body = substitute(
      config.body,
      placeholders,
      BODY_ENCODERS[typeof mode === 'object' ? 'text' : mode],
      options.allowMissing,
    ).text;
  }
  const shown = displayUrl(url);
  return {
    url,
    plan: {
      kind: 'http',
      summary: `${config.method} ${shown}`,
      method: config.method,
      url: shown,
      ...definedProps({ body }),
    },
  };
}

/** True when the body is JSON, so a request without a Content-Type gets `application/json`. */
export function isJsonBody(config: HttpActionConfig): boolean {
  return config.body !== undefined && bodyMode(config.body, contentTypeOf(config)) === 'json';
}
