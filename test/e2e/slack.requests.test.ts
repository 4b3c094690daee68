import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/playground/emulator/signing.js';
import { type Harness, startHarness } from '../support/harness.js';

/**
 * What reaches Bolt at `POST /slack/events`: signed requests as Slack sends them (the emulator signs), and
 * the ones refused before any listener runs: a body over 512 KB (413, before the signature is even checked)
 * and a timestamp more than five minutes away from now, in the past (Bolt) or in the future (ours).
 */

let h: Harness;
const ADA = 'U0ONCALL01';
/** Slack requests that reached a listener (counted when acked), once everything acked has finished. */
const handled = async () => {
  await h.settle();
  return (await h.bot.metrics.slackRequests.get()).values.reduce((sum, v) => sum + v.value, 0);
};

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('Slack requests', () => {
  it('answers a signed command signed now', async () => {
    const result = await h.slack.sendCommand({ text: 'help', user: ADA });
    expect(result.status).toBe(200);
  });

  it('refuses a body over 512 KB with 413 before checking the signature, and runs nothing', async () => {
    const before = await handled();
    const big = new URLSearchParams({ command: '/incident', text: 'a'.repeat(600 * 1024), user_id: ADA }).toString();
    expect((await h.slack.sendSigned(big, 'application/x-www-form-urlencoded')).status).toBe(413);
    // Unsigned and far over the limit: still 413, not 401, and the connection is not held open.
    const huge = await fetch(`${h.bot.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x'.repeat(3 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    // Just under the limit, signed: Bolt gets it (an unknown command shape, but not refused for its size).
    const under = new URLSearchParams({ command: '/incident', text: 'a'.repeat(500 * 1024), user_id: ADA }).toString();
    expect((await h.slack.sendSigned(under, 'application/x-www-form-urlencoded')).status).not.toBe(413);
    expect(await handled()).toBeLessThanOrEqual(before + 1);
  });

  it('refuses a timestamp more than five minutes in the future like a stale one (401), and runs nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = await handled();
    const future = await h.slack.sendCommand({ text: 'help', user: ADA, timestamp: now + 6 * 60 });
    expect(future.status).toBe(401);
    const stale = await h.slack.sendCommand({ text: 'help', user: ADA, timestamp: now - 6 * 60 });
    expect(stale.status).toBe(401);
    expect(await handled()).toBe(before);
    // A clock a little ahead of ours is Slack's, not an attack.
    expect((await h.slack.sendCommand({ text: 'help', user: ADA, timestamp: now + 60 })).status).toBe(200);
  });

  it('refuses a future timestamp even when the signature over it is right', async () => {
    const body = new URLSearchParams({ command: '/incident', text: 'help', user_id: ADA }).toString();
    const future = Math.floor(Date.now() / 1000) + 3600;
    const answer = await fetch(`${h.bot.url}/slack/events`, {
      method: 'POST',
      headers: signedHeaders(h.slack.signingSecret, future, body),
      body,
    });
    expect(answer.status).toBe(401);
  });
});
