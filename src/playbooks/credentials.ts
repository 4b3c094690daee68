/**
 * Patterns of things that must never be in a playbook: the sources had
 * passwords, tokens and connection strings inline; ours reference config.
 * Placeholders such as `<redacted>` or `${VAR}` are not credentials.
 */
/** Names under which a credential is written in a file. */
const SECRET_NAMES = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'client_secret',
  'consumer_secret',
  'consumer_key',
  'api[_-]?key',
  'access[_-]?token',
  'auth[_-]?token',
];

const PATTERNS: Array<{ what: string; pattern: RegExp }> = [
  { what: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  {
    what: 'a connection string with a password',
    pattern: /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:(?!<|\$\{|\*{3})[^\s@/]+@/i,
  },
  { what: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { what: 'an AWS access key', pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { what: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/ },
  { what: 'an API key', pattern: /\bsk-[A-Za-z0-9_-]{20,}/ },
  { what: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/ },
  { what: 'a bearer token', pattern: /\bBearer\s+(?!<|\$\{|YOUR_|TOKEN\b)[A-Za-z0-9._~+/-]{16,}/ },
  {
    what: 'a password, secret or key value',
    // `name: value` or `name=value`, quoted or not, unless the value is a placeholder (<...>, ${...}, ***) or empty.
    pattern: new RegExp(
      `\\b(${SECRET_NAMES.join('|')})\\b["']?\\s*[:=]\\s*["']?(?!<|\\$\\{|\\*{3}|["']?\\s*$)[^\\s"',}]{6,}`,
      'i',
    ),
  },
];

/** Describes each credential-like thing found in `text`; empty when it is clean. */
export function findCredentials(text: string): string[] {
  return PATTERNS.filter(({ pattern }) => pattern.test(text)).map(({ what }) => what);
}
