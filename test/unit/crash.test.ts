import { describe, expect, it } from 'vitest';
import { crashGuards, isDependencyFailure } from '../../src/crash.js';
import { captureLogs } from '../support/logs.js';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('what the process does with an error nobody caught', () => {
  it('tells a dependency failing (PostgreSQL, Redis, Slack, the network) from a programming error', () => {
    expect(isDependencyFailure(refused)).toBe(true);
    expect(isDependencyFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDependencyFailure(Object.assign(new Error('admin shutdown'), { code: '57P01' }))).toBe(true);
    expect(isDependencyFailure(new Error('Connection is closed.'))).toBe(true);
    expect(isDependencyFailure(Object.assign(new Error('x'), { code: 'slack_webapi_request_error' }))).toBe(true);
    expect(isDependencyFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
  });

  it('stays up on an unhandled rejection and on a dependency failing, and exits saying why on a programming error', () => {
    const logs = captureLogs('info');
    const exits: number[] = [];
    const guards = crashGuards(logs.log, (code) => exits.push(code));
    guards.unhandledRejection(refused);
    guards.unhandledRejection(new TypeError('a bug in a background task'));
    guards.uncaughtException(refused);
    expect(exits).toEqual([]);
    guards.uncaughtException(new TypeError('x is not a function'));
    expect(exits).toEqual([1]);
    const last = logs.lines().at(-1)!;
    expect(last.level).toBe(60);
    expect(String(last.msg)).toMatch(/^exiting: .*programming error/);
  });
});
