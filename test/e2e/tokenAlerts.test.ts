import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokensDue } from '../../src/app/scheduled.js';
import type { AppDeps } from '../../src/app/deps.js';
import type { RunningBot } from '../../src/bot.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { validateBlocks } from '../../src/playground/emulator/index.js';
import { overrideConfig } from '../support/config.js';
import { type Harness, startHarness } from '../support/harness.js';
import { FakeOAuth } from '../support/targets.js';

const ALERTS = 'C0ENGINEER';
const SECRET = 'consumer-secret-placeholder-7q6w';
const MINUTE = 60_000;

/**
 * Document 000: "token expiration alerts at 20-minute mark". The proactive
 * refresh job tells the provider's alert channel when it cannot keep a token
 * fresh, once per token however often it runs and on however many replicas,
 * and once when the refresh works again.
 */
describe('token alerts', () => {
  let h: Harness;
  let oauth: FakeOAuth;
  let replica: RunningBot;
  let clock: ManualClock;
  const deps = (bot: RunningBot): AppDeps => bot.deps!;
  const alerts = () => h.slack.messages(ALERTS).filter((m) => m.user === h.slack.workspace.bot.user_id);
  const run = async (bot: RunningBot = h.bot) => refreshTokensDue(deps(bot));

  beforeAll(async () => {
    oauth = await FakeOAuth.start();
    clock = new ManualClock(new Date());
    oauth.now = () => clock.now().getTime();
    h = await startHarness({
      clock,
      log: silentLogger, // every refresh here fails on purpose; the alerts are what is checked
      config: (base) =>
        overrideConfig(
          base,
          {
            tokens: {
              salesforce: {
                token_url: oauth.url,
                client_id: '${SF_ID}',
                client_secret: '${SF_SECRET}',
                lifetime: '2h',
                retries: 0,
                alert_channel: ALERTS,
              },
            },
          },
          { SF_ID: 'consumer-key-placeholder', SF_SECRET: SECRET },
        ),
    });
    replica = await h.startReplica();
  });
  afterAll(async () => {
    await h.stop();
    await oauth.close();
  });

  it('alerts the channel when the first token cannot be obtained, once however often the job runs and on every replica', async () => {
    oauth.failNext = 100;
    expect(await run()).toBe('0 refreshed, 1 failed, 1 alert posted');
    await run();
    await run(replica);
    expect(alerts()).toHaveLength(1);
    const [alert] = alerts();
    expect(alert!.text).toBe('Token salesforce could not be refreshed');
    const shown = JSON.stringify(alert!.blocks);
    expect(shown).toContain('has never been obtained');
    expect(shown).toContain('/incident token refresh salesforce');
    expect(shown).not.toContain(SECRET);
    expect(validateBlocks(alert!.blocks ?? [], 'message')).toEqual([]);
  });

  it('says once that the token is fresh again when a refresh works', async () => {
    oauth.failNext = 0;
    expect(await run()).toBe('1 refreshed, 0 failed, 1 alert posted');
    await run(replica);
    expect(alerts()).toHaveLength(2);
    expect(alerts()[1]!.text).toBe('Token salesforce refreshed again');
  });

  it('stays quiet while the token is fresh and while it is within 20 minutes of expiry but refreshing works', async () => {
    clock.advance(100 * MINUTE); // 20 minutes left: expiring, not yet in the 15-minute refresh window
    expect(await run()).toBe('0 refreshed, 0 failed, 0 alerts posted');
    clock.advance(7 * MINUTE); // 13 minutes left: refreshed, fine
    expect(await run()).toBe('1 refreshed, 0 failed, 0 alerts posted');
    expect(alerts()).toHaveLength(2);
  });

  it('alerts when the token is within 20 minutes of expiry and its refresh fails, with when it expires', async () => {
    clock.advance(107 * MINUTE); // the new token has 13 minutes left
    oauth.failNext = 100;
    expect(await run()).toBe('0 refreshed, 1 failed, 1 alert posted');
    await run(replica);
    expect(alerts()).toHaveLength(3);
    const shown = JSON.stringify(alerts()[2]!.blocks);
    expect(shown).toContain('is close to expiry');
    expect(shown).toMatch(/It expires <!date\^\d+\^/);
    clock.advance(10 * MINUTE); // past the buffer: the same token, now expired, is not alerted twice
    await run();
    expect(alerts()).toHaveLength(3);
    oauth.failNext = 0;
  });
});
