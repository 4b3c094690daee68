import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { captureLogs } from '../support/logs.js';

describe('logging', () => {
  it('writes one JSON object per line', () => {
    const { log, text } = captureLogs('info');
    log.info({ incident: 'INC-1' }, 'opened');
    expect(JSON.parse(text())).toMatchObject({ level: 30, msg: 'opened', incident: 'INC-1' });
  });

  it('redacts tokens, secrets, signing secrets and Authorization headers wherever they appear', () => {
    const { log, text } = captureLogs('info');
    const botToken = 'xoxb-1111-2222-abcdefabcdef';
    log.info(
      {
        token: 'plain-token-value-1',
        signingSecret: 'signing-secret-value-2',
        headers: { authorization: 'Bearer bearer-value-3', 'x-other': 'fine' },
        nested: { deeper: { client_secret: 'client-secret-value-4', access_token: 'access-token-value-5' } },
        config: { secret: new Secret('secret-object-value-6') },
        url: 'postgres://app:database-password-7@db:5432/app',
        list: [{ password: 'password-value-8' }],
      },
      `calling Slack with ${botToken}`,
    );
    log.error({ err: new Error(`auth failed for Bearer error-bearer-9 and ${botToken}`) }, 'refresh failed');
    const output = text();
    for (const leaked of [
      'plain-token-value-1',
      'signing-secret-value-2',
      'bearer-value-3',
      'client-secret-value-4',
      'access-token-value-5',
      'secret-object-value-6',
      'database-password-7',
      'password-value-8',
      'error-bearer-9',
      botToken,
    ]) {
      expect(output).not.toContain(leaked);
    }
    expect(output).toContain('[redacted]');
    expect(output).toContain('x-other');
    expect(output).toContain('refresh failed');
  });
});
