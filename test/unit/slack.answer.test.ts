import { describe, expect, it } from 'vitest';
import { BotError } from '../../src/errors.js';
import { DATABASE_AWAY, sentenceFor } from '../../src/slack/answer.js';
import { captureLogs } from '../support/logs.js';

/** What a person reads when their request fails, and what the log keeps. */
describe('the sentence for a failed request', () => {
  it('says the database is not answering when PostgreSQL refused or dropped the connection, and logs the cause', () => {
    const logs = captureLogs('info');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(sentenceFor(refused, logs.log, { user: 'U1' })).toBe(DATABASE_AWAY);
    expect(sentenceFor(new Error('Connection terminated unexpectedly'), logs.log, {})).toBe(DATABASE_AWAY);
    expect(sentenceFor(Object.assign(new Error('shutting down'), { code: '57P01' }), logs.log, {})).toBe(DATABASE_AWAY);
    expect(logs.text()).toContain('ECONNREFUSED');
    expect(logs.lines().every((l) => l.level === 40 || l.level === 'warn')).toBe(true);
  });

  it("keeps a BotError's own sentence, and answers anything else with an error id", () => {
    const logs = captureLogs('info');
    expect(sentenceFor(new BotError('unavailable', 'Opened, not placed.'), logs.log, {})).toBe('Opened, not placed.');
    const other = sentenceFor(new TypeError('x is undefined'), logs.log, {});
    expect(other).toMatch(/^Something went wrong on our side \(error E[0-9A-Z]+\)/);
    expect(other).not.toContain('database');
  });
});
