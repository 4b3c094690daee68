import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED, SlackEmulator } from '../../src/playground/emulator/index.js';
import { SLACK_RATE_LIMITS } from '../../src/playground/emulator/rateLimits.js';

const { incidents, support: general } = SEED.channels;

let slack: SlackEmulator;
afterEach(() => slack.close());

/** One raw Web API call, as a client without retries makes it. */
async function call(method: string, params: Record<string, string>) {
  const response = await fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(params),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

const post = (channel: string, text: string) => call('chat.postMessage', { channel, text });

describe("the emulator's Slack rate limits", () => {
  describe('off unless asked', () => {
    beforeEach(async () => {
      slack = await SlackEmulator.start();
      await call('conversations.join', { channel: incidents });
    });

    it('answers every call when the limits are off (the default in tests)', async () => {
      for (let i = 0; i < 10; i++) expect((await post(incidents, `m${i}`)).status).toBe(200);
      expect(slack.rateLimits).toBeUndefined();
    });
  });

  describe("Slack's table", () => {
    beforeEach(async () => {
      slack = await SlackEmulator.start({ rateLimits: true });
      for (const channel of [incidents, general]) await call('conversations.join', { channel });
    });

    it('lets a burst of posts into one channel through, then answers 429 ratelimited with Retry-After', async () => {
      const { burst } = SLACK_RATE_LIMITS.postsPerChannel;
      for (let i = 0; i < burst; i++) expect((await post(incidents, `burst ${i}`)).status).toBe(200);
      const refused = await post(incidents, 'one too many');
      expect(refused).toMatchObject({ status: 429, body: { ok: false, error: 'ratelimited' } });
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      // Refused: not posted.
      expect(slack.messages(incidents).some((m) => m.text === 'one too many')).toBe(false);
    });

    it('keeps each channel its own limit: another channel still takes posts', async () => {
      const { burst } = SLACK_RATE_LIMITS.postsPerChannel;
      for (let i = 0; i <= burst; i++) await post(incidents, `burst ${i}`);
      expect((await post(incidents, 'limited')).status).toBe(429);
      expect((await post(general, 'free')).status).toBe(200);
    });

    it("limits a Tier 2 method per workspace after its burst, and leaves other tiers' methods alone", async () => {
      const { burst } = SLACK_RATE_LIMITS.tiers[2];
      for (let i = 0; i < burst; i++)
        expect((await call('conversations.create', { name: `storm-${i}` })).body.ok).toBe(true);
      const refused = await call('conversations.create', { name: 'storm-over' });
      expect(refused).toMatchObject({ status: 429, body: { error: 'ratelimited' } });
      // 20 a minute: the next token is three seconds away.
      expect(Number(refused.retryAfter)).toBe(3);
      expect((await call('conversations.info', { channel: incidents })).status).toBe(200);
    });

    it('is adjustable per test: a method moved to Tier 1 is refused after one call, for a minute', async () => {
      slack.setRateLimits({ methods: { 'conversations.info': 1 } });
      expect((await call('conversations.info', { channel: incidents })).status).toBe(200);
      const refused = await call('conversations.info', { channel: incidents });
      expect(refused).toMatchObject({ status: 429, retryAfter: '60' });
      slack.setRateLimits(false);
      expect((await call('conversations.info', { channel: incidents })).status).toBe(200);
    });
  });
});
