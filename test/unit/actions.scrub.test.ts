import { describe, expect, it } from 'vitest';
import { envAllowValues, headerSecrets, scrub, scrubOutput, secretsOf } from '../../src/actions/scrub.js';

describe('scrubbing secrets from output', () => {
  const secrets = secretsOf(
    headerSecrets({
      Authorization: 'Bearer tok-12345678',
      'Content-Type': 'application/json',
      'X-Api-Key': 'k-abcdef',
    }),
  );

  it('scrubs credential values and the token of a Bearer header, never the scheme or plain headers', () => {
    expect(secrets).toEqual(['Bearer tok-12345678', 'tok-12345678', 'k-abcdef']);
    expect(scrub('token tok-12345678 key k-abcdef as application/json with Bearer auth', secrets)).toBe(
      'token [redacted] key [redacted] as application/json with Bearer auth',
    );
  });

  it('scrubs any Authorization header value, known or not', () => {
    expect(scrub('Authorization: Bearer other.jwt.value\n"authorization":"Basic dXNlcjpwYXNz"', [])).toBe(
      'Authorization: Bearer [redacted]\n"authorization":"Basic [redacted]"',
    );
  });

  it('scrubs the start of a secret left at the end of cut output, before the note', () => {
    expect(scrubOutput('xxxx tok-1234\n… 8 more characters not shown', secrets, true)).toBe(
      'xxxx [redacted]\n… 8 more characters not shown',
    );
    expect(scrubOutput('xxxx tok-1234', secrets, false)).toBe('xxxx tok-1234');
  });

  it('takes the value of every allowed environment variable, whatever its name', () => {
    expect(
      envAllowValues(['DEPLOY_API_TOKEN', 'DB_PASSWORD', 'HOME', 'DATABASE', 'UNSET'], {
        DEPLOY_API_TOKEN: 't',
        DB_PASSWORD: 'p',
        HOME: '/root',
        DATABASE: 'postgres://app:pw@db/app',
      }),
    ).toEqual(['t', 'p', '/root', 'postgres://app:pw@db/app']);
  });
});
