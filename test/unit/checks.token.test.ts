import { describe, expect, it } from 'vitest';
import { runCheck, type CheckTokenState, type TokenStateSource } from '../../src/checks/index.js';
import { ManualClock } from '../../src/clock.js';
import { checkSchema } from '../../src/config/checks.js';
import { envFields } from '../../src/config/fields.js';

const schema = checkSchema(envFields({}));
const tokenCheck = schema.parse({
  kind: 'token',
  title: 'Salesforce token',
  provider: 'salesforce',
  retries: 2,
  backoff: { initial: '1ms' },
});
const clock = new ManualClock('2026-01-01T12:00:00Z');
const inMinutes = (m: number) => new Date(clock.now().getTime() + m * 60_000);

function tokens(states: Record<string, CheckTokenState>): TokenStateSource {
  return { state: (provider) => states[provider] };
}

const run = (states: Record<string, CheckTokenState>) =>
  runCheck('salesforce-token', tokenCheck, { clock, tokens: tokens(states) });

describe('token checks', () => {
  it('pass while the token is valid', async () => {
    const result = await run({ salesforce: { status: 'valid', expiresAt: inMinutes(95) } });
    expect(result).toMatchObject({
      name: 'salesforce-token',
      title: 'Salesforce token',
      kind: 'token',
      status: 'pass',
      attempts: 1,
    });
    expect(result.failure).toBeUndefined();
    expect(result.details).toEqual(['✓ token salesforce is valid, expires in 1h 35m']);
    expect(result.startedAt).toEqual(clock.now());
  });

  it('are degraded while the token is inside its alert window', async () => {
    const result = await run({ salesforce: { status: 'expiring', expiresAt: inMinutes(12) } });
    expect(result).toMatchObject({ status: 'degraded', failure: 'token salesforce expires in 12m', attempts: 1 });
  });

  it('fail once the token has expired or was never fetched, and say how to refresh it', async () => {
    const expired = await run({ salesforce: { status: 'expired', expiresAt: inMinutes(-5) } });
    expect(expired).toMatchObject({ status: 'fail', failure: 'token salesforce expired 5m ago', attempts: 1 });
    expect(expired.details.join('\n')).toContain('/incident token refresh salesforce');
    const missing = await run({ salesforce: { status: 'missing' } });
    expect(missing).toMatchObject({ status: 'fail', failure: 'no token for salesforce', attempts: 1 });
  });

  it('say when an expired token is only past its safety buffer, and why the last refresh failed', async () => {
    const result = await run({
      salesforce: { status: 'expired', expiresAt: inMinutes(4), lastError: 'the token URL answered 401' },
    });
    expect(result.failure).toBe('token salesforce is past its safety buffer (expires in 4m)');
    expect(result.details[0]).toContain('(last refresh: the token URL answered 401)');
  });

  it('fail for an unknown provider or when no token states are available', async () => {
    expect((await run({})).failure).toBe('no token provider salesforce is configured');
    expect((await runCheck('t', tokenCheck)).failure).toBe('token states are not available to this check run');
  });

  it('never throw, even when the token source does', async () => {
    const broken: TokenStateSource = {
      state: () => {
        throw new Error('token store exploded');
      },
    };
    const result = await runCheck('t', tokenCheck, { tokens: broken, sleep: async () => undefined });
    expect(result).toMatchObject({ status: 'fail', failure: 'token store exploded' });
  });
});
