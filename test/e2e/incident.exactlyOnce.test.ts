import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/bot.js';
import { RedisCoordinator } from '../../src/coord/redis.js';
import { silentLogger } from '../../src/log.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';

describe('exactly once', () => {
  let h: Harness;
  let replica: RunningBot;
  const eventsUrl = (bot: RunningBot) => `${bot.url}/slack/events`;

  beforeAll(async () => {
    h = await startHarness();
    replica = await h.startReplica();
  });
  afterAll(() => h.stop());

  const count = async (sql: string, params: unknown[] = []) =>
    (await h.db.query<{ n: number }>(sql, params)).rows[0]!.n;

  it('opens one incident for a command Slack retries, on this replica or another', async () => {
    const before = await count('SELECT count(*)::int AS n FROM incidents');
    const first = await h.slack.sendCommand({
      text: 'timeout api calls hang',
      user: ADA,
      triggerId: 'trigger-retried-1',
    });
    h.slack.connectBot(eventsUrl(replica));
    const retries = await Promise.all(
      [1, 2].map((retryNum) =>
        h.slack.sendCommand({
          text: 'timeout api calls hang',
          user: ADA,
          triggerId: 'trigger-retried-1',
          retryNum,
          retryReason: 'http_timeout',
        }),
      ),
    );
    h.slack.connectBot(eventsUrl(h.bot));
    expect([first, ...retries].map((r) => r.status)).toEqual([200, 200, 200]);
    await h.settle();
    expect(await count('SELECT count(*)::int AS n FROM incidents')).toBe(before + 1);
    expect(
      h.slack.callsTo('conversations.create').filter((c) => String(c.params.name).endsWith('-timeout')),
    ).toHaveLength(1);
  });

  it('opens one incident for a retried command even when Redis is down', async () => {
    const deadRedis = new RedisCoordinator({ url: 'redis://127.0.0.1:1', prefix: 'dead:', log: silentLogger });
    const blind = await h.startReplica({ coord: deadRedis });
    h.slack.connectBot(eventsUrl(blind));
    const before = await count('SELECT count(*)::int AS n FROM incidents');
    for (const retryNum of [undefined, 1, 2]) {
      const result = await h.slack.sendCommand({
        text: 'cache hit rate low',
        user: ADA,
        triggerId: 'trigger-no-redis',
        ...(retryNum ? { retryNum } : {}),
      });
      expect(result.status).toBe(200);
    }
    await h.settle();
    h.slack.connectBot(eventsUrl(h.bot));
    expect(await count('SELECT count(*)::int AS n FROM incidents')).toBe(before + 1);
  });

  it('marks a step done once when its button is double-clicked', async () => {
    const { key, channel, ts } = await h.open('auth-401 double click');
    await Promise.all([
      h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.3' }),
      h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.3' }),
    ]);
    await h.settle();
    expect((await timelineOf(h.db, key)).filter((e) => e.kind === 'step.done')).toHaveLength(1);
  });

  it('applies the same click delivered to two replicas once', async () => {
    const { key, channel, ts } = await h.open('auth-401 two replicas');
    const actionTs = '1763870000.000100';
    h.slack.connectBot(eventsUrl(h.bot));
    const a = h.slack.click({ user: GRACE, channel, ts, actionId: 'incident.ack', actionTs });
    h.slack.connectBot(eventsUrl(replica));
    const b = h.slack.click({ user: GRACE, channel, ts, actionId: 'incident.ack', actionTs, retryNum: 1 });
    await Promise.all([a, b]);
    h.slack.connectBot(eventsUrl(h.bot));
    await h.settle();
    expect((await timelineOf(h.db, key)).filter((e) => e.kind === 'incident.acknowledged')).toHaveLength(1);
  });

  it('keeps both updates when two people click different steps at the same moment on two replicas', async () => {
    const { key, channel, ts } = await h.open('auth-401 concurrent clicks');
    h.slack.connectBot(eventsUrl(h.bot));
    const ada = h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.2' });
    h.slack.connectBot(eventsUrl(replica));
    const grace = h.slack.click({ user: GRACE, channel, ts, actionId: 'step.done.3' });
    await Promise.all([ada, grace]);
    h.slack.connectBot(eventsUrl(h.bot));
    await h.settle();
    const json = await h.slack.waitFor(
      () => {
        const text = JSON.stringify(h.slack.message(channel, ts)?.blocks);
        return text.includes(`Done by <@${ADA}>`) && text.includes(`Done by <@${GRACE}>`) ? text : undefined;
      },
      { what: 'both steps done in the live message' },
    );
    expect(json).not.toContain('"step.done.2"');
    expect(json).not.toContain('"step.done.3"');
    expect(
      (await timelineOf(h.db, key))
        .filter((e) => e.kind === 'step.done')
        .map((e) => e.actor)
        .sort(),
    ).toEqual([ADA, GRACE].sort());
  });

  it('acknowledges once when two people acknowledge at once', async () => {
    const { key, channel, ts } = await h.open('auth-401 two acks');
    await Promise.all([
      h.slack.click({ user: ADA, channel, ts, actionId: 'incident.ack' }),
      h.slack.sendCommand({ text: `ack ${key}`, user: GRACE }),
    ]);
    await h.settle();
    expect((await timelineOf(h.db, key)).filter((e) => e.kind === 'incident.acknowledged')).toHaveLength(1);
    const told = h.slack
      .ephemerals()
      .filter((e) => e.text.includes(`${key} is already acknowledged`) || e.text.includes(`You acknowledged ${key}`));
    expect(told).toHaveLength(2);
  });
});
