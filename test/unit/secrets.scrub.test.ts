import { describe, expect, it } from 'vitest';
import { knownSecrets, scrubText, secretsFound } from '../../src/domain/secrets.js';
import { captureLogs } from '../support/logs.js';

const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

/** Each credential shape, in a line as a command or an error would print it, and what must remain of the line. */
const cases: Array<[string, string, string, string]> = [
  [
    'a URL with a password',
    'connecting to postgres://app:s3cr3t-pw@db.internal:5432/app',
    's3cr3t-pw',
    'postgres://app:[redacted]@db.internal:5432/app',
  ],
  [
    'a Slack bot token',
    'SLACK_BOT_TOKEN=xoxb-1234567890-0987654321-AbCdEfGhIjKl',
    'xoxb-1234567890',
    'SLACK_BOT_TOKEN=[redacted]',
  ],
  ['a Slack user token', 'token xoxp-111-222-333-abcdef', 'xoxp-111', 'token [redacted]'],
  ['a Slack app token', 'app xapp-1-A0123-456-abcdef0123', 'xapp-1-A0123', 'app [redacted]'],
  ['a GitHub token', 'pushing with ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', 'ghp_aBcD', 'pushing with [redacted]'],
  [
    'a GitHub fine-grained token',
    'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
    'github_pat_11',
    '[redacted]',
  ],
  [
    'an AWS access key id',
    'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
    'AKIAIOSFODNN7EXAMPLE',
    'aws_access_key_id = [redacted]',
  ],
  [
    'a bearer token',
    'curl -H "Authorization: Bearer abc.def-ghi_jkl" https://x',
    'abc.def-ghi_jkl',
    'Bearer [redacted]',
  ],
  [
    'a bearer token without its header',
    'sent Bearer 0123456789abcdef to the API',
    '0123456789abcdef',
    'sent Bearer [redacted] to the API',
  ],
  [
    'a JWT',
    'id_token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'dozjgNryP4J3',
    'id_token [redacted]',
  ],
  [
    'a PEM block',
    `key:\n${PEM}\ndone`,
    'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
    'key:\n[redacted]\ndone',
  ],
  [
    'a password assignment',
    'login failed: password=hunter2-long user=ada',
    'hunter2-long',
    'password=[redacted] user=ada',
  ],
];

describe('the one scrubber', () => {
  it.each(cases)('removes %s and keeps the rest of the line readable', (_name, line, secret, kept) => {
    const out = scrubText(line);
    expect(out).not.toContain(secret);
    expect(out).toContain(kept);
    expect(secretsFound(line).length).toBeGreaterThan(0);
    expect(secretsFound(out)).toEqual([]);
  });

  it('removes known values whatever they look like, and the start of one left at the end of cut output', () => {
    const known = knownSecrets(['plain-value-77', 'Bearer tok-12345678', 'ab']);
    expect(known).toEqual(['Bearer tok-12345678', 'plain-value-77', 'tok-12345678']);
    expect(scrubText('env: plain-value-77 and tok-12345678; ab stays', known)).toBe(
      'env: [redacted] and [redacted]; ab stays',
    );
    expect(scrubText('cut at plain-val', known, true)).toBe('cut at [redacted]');
  });

  it('leaves prose alone: a short word after Bearer, URLs without a password, ordinary words', () => {
    const prose =
      'Bearer auth is used at https://example.com/path?x=1 and postgres://db:5432/app; the token was refreshed.';
    expect(scrubText(prose)).toBe(prose);
    expect(secretsFound(prose)).toEqual([]);
  });

  it('is what the log uses: every pattern is gone from a log line too', () => {
    const { log, text } = captureLogs('info');
    log.warn({ output: cases.map(([, line]) => line).join('\n') }, `failed: ${cases[0]![1]}`);
    for (const [, , secret] of cases) expect(text()).not.toContain(secret);
  });
});
