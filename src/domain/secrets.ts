/**
 * The one scrubber: every text that may leave the bot (a log line, a thread
 * post, a timeline row) and came from outside it (an action's output, a
 * check's details, an error's message) goes through `scrubText`. It removes
 * the credentials it is told of (header values, the values of an action's
 * `env_allow` variables) and everything that looks like a credential
 * whoever wrote it. Pure: no I/O, no environment read here.
 */

export const REDACTED = '[redacted]';

/** Shorter known values are not scrubbed: they would blank out ordinary words. */
export const MIN_SECRET = 4;

const SCHEMES = '(?:bearer|basic|token|digest)';

/** Each pattern, and what replaces a match (`$1` keeps a prefix that is not the secret). */
export const SECRET_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp; keep?: boolean }> = [
  // PEM blocks first: their bodies would otherwise be cut by the patterns below.
  { name: 'PEM block', pattern: /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g },
  // The password inside a URL (postgres://user:password@host): the user and host stay readable.
  { name: 'URL password', pattern: /([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@/?#\s]+(?=@)/gi, keep: true },
  { name: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{6,}/g },
  { name: 'Slack app token', pattern: /\bxapp-[A-Za-z0-9-]{6,}/g },
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/g },
  { name: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { name: 'JWT', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/g },
  // `Authorization: Bearer abc`, `"authorization": "Basic abc"`, `proxy-authorization=abc`.
  {
    name: 'Authorization header',
    // The header and its scheme are kept; the value is the credential (never the scheme word alone).
    pattern: new RegExp(
      `\\b((?:proxy-)?authorization["']?\\s*[:=]\\s*["']?(?:${SCHEMES}\\s+)?)(?!${SCHEMES}\\b)[^\\s"',;]+`,
      'gi',
    ),
    keep: true,
  },
  // A bearer token anywhere (a curl line, an error message). A short word after "Bearer" is prose, not a token.
  { name: 'Bearer token', pattern: /\b((?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/g, keep: true },
  // password=…, "client_secret": "…", api_key: … in output and error texts.
  {
    name: 'credential assignment',
    pattern:
      /\b((?:password|passwd|pwd|secret|client_secret|api[_-]?key|access[_-]?token|refresh[_-]?token)["']?\s*[=:]\s*["']?)[^\s"'&,;]{3,}/gi,
    keep: true,
  },
];

/**
 * The strings to scrub for a set of credential values: each value, and each
 * word of it (the token of `Bearer <token>`), longest first.
 */
export function knownSecrets(values: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const value of values) {
    for (const part of [value, ...value.split(/\s+/)])
      if (part.length >= MIN_SECRET && !/^(bearer|basic|token|digest|negotiate)$/i.test(part)) found.add(part);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every known secret and everything matching a credential pattern.
 * When the text was cut (`cut: true`), the start of a known secret left at its
 * very end is scrubbed too.
 */
export function scrubText(text: string, known: readonly string[] = [], cut = false): string {
  let out = text;
  for (const secret of known) if (secret.length >= MIN_SECRET) out = out.split(secret).join(REDACTED);
  for (const { pattern, keep } of SECRET_PATTERNS)
    out = out.replace(pattern, (_match, prefix: unknown) =>
      keep && typeof prefix === 'string' ? `${prefix}${REDACTED}` : REDACTED,
    );
  if (cut) {
    for (const secret of known) {
      for (let n = secret.length - 1; n >= MIN_SECRET; n--) {
        if (out.endsWith(secret.slice(0, n))) {
          out = out.slice(0, out.length - n) + REDACTED;
          break;
        }
      }
    }
  }
  return out;
}

/**
 * The names of the patterns a text still matches once what was already
 * scrubbed is set aside: what a secret scanner reports (nothing for clean text).
 */
export function secretsFound(text: string): string[] {
  const found: string[] = [];
  for (const { name, pattern, keep } of SECRET_PATTERNS) {
    for (const match of text.matchAll(new RegExp(pattern.source, pattern.flags))) {
      const secret = keep && typeof match[1] === 'string' ? match[0].slice(match[1].length) : match[0];
      if (secret !== REDACTED) {
        found.push(name);
        break;
      }
    }
  }
  return found;
}
