import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/bot.js';
import { ALERT_HOOK_PATH } from '../../src/http/alertHook.js';
import { alertNotification, alertsConfig, postAlerts } from '../support/alertsHarness.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

/** One firing or resolved alert of the api job, in a group of its name. */
function webhook(
  status: 'firing' | 'resolved',
  alert: { alertname: string; fingerprint: string; startsAt: string; summary?: string },
) {
  return alertNotification(status, { labels: { alertname: alert.alertname }, common: { job: 'api' } }, [
    {
      fingerprint: alert.fingerprint,
      labels: { instance: 'api-1' },
      annotations: alert.summary ? { summary: alert.summary } : {},
      startsAt: alert.startsAt,
      generatorURL: 'http://prometheus.invalid/graph?g0.expr=up',
    },
  ]);
}

/**
 * Alertmanager's webhook receiver: a matching firing alert opens one
 * incident with its playbook, however often it is repeated or delivered, and
 * its resolution is said there once.
 */
describe('alerts from Alertmanager', () => {
  let h: Harness;
  let replica: RunningBot;
  const send = (body: unknown, options: { token?: string; to?: RunningBot } = {}) =>
    postAlerts(options.to ?? h.bot, body, options.token);
  const incidents = async () =>
    (
      await h.db.query<{ key: string; playbook_id: string; severity: string; summary: string }>(
        'SELECT key, playbook_id, severity, summary FROM incidents ORDER BY id',
      )
    ).rows;
  const firing = {
    alertname: 'RedisDown',
    fingerprint: 'a1b2c3d4e5f60718',
    startsAt: '2026-11-30T03:00:00Z',
    summary: 'Redis <!channel> is down on cache-1',
  };

  beforeAll(async () => {
    h = await startHarness({ config: alertsConfig() });
    replica = await h.startReplica();
  });
  afterAll(() => h.stop());

  it('refuses a missing or wrong token with 401, and a body that is not a webhook with 400, opening nothing', async () => {
    expect((await send(webhook('firing', firing), { token: 'wrong' })).status).toBe(401);
    expect(
      (
        await fetch(`${h.bot.url}${ALERT_HOOK_PATH}`, {
          method: 'POST',
          body: JSON.stringify(webhook('firing', firing)),
        })
      ).status,
    ).toBe(401);
    expect((await send('{not json')).status).toBe(400);
    const wrongShape = await send({ version: '4', status: 'firing', receiver: 'x', alerts: [{ labels: {} }] });
    expect(wrongShape.status).toBe(400);
    expect(((await wrongShape.json()) as { problems: string[] }).problems.join('\n')).toMatch(/alerts\.0\.fingerprint/);
    expect(await incidents()).toEqual([]);
  });

  it("opens one incident with the route's playbook and severity, even when two replicas each get the alert twice at once", async () => {
    const answers = await Promise.all([
      send(webhook('firing', firing)),
      send(webhook('firing', firing)),
      send(webhook('firing', firing), { to: replica }),
      send(webhook('firing', firing), { to: replica }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const outcomes = (await Promise.all(answers.map((a) => a.json()))) as Array<{ opened: string[]; known: number }>;
    expect(outcomes.flatMap((o) => o.opened)).toHaveLength(1);
    await h.settle();
    const rows = await incidents();
    expect(rows).toEqual([
      expect.objectContaining({
        playbook_id: 'redis-down',
        severity: 'sev1',
        summary: 'Alertmanager: RedisDown: Redis <!channel> is down on cache-1',
      }),
    ]);
    const { key } = rows[0]!;
    const {
      rows: [placed],
    } = await h.db.query<{ channel_id: string; message_ts: string }>(
      'SELECT channel_id, message_ts FROM incidents WHERE key = $1',
      [key],
    );
    const details = h.slack
      .thread(placed!.channel_id, placed!.message_ts)
      .find((m) => JSON.stringify(m.blocks).includes('Opened by the Alertmanager alert'));
    expect(JSON.stringify(details!.blocks)).toContain('alertname=RedisDown');
    // What the alert says is shown as text, never as a mention.
    expect(JSON.stringify(h.slack.calls)).not.toContain('<!channel>');
  });

  it('does not open another incident when Alertmanager repeats the firing alert a day later', async () => {
    // By then housekeeping has forgotten the request keys: the alert's own record holds.
    await h.db.query(`DELETE FROM handled_requests WHERE key LIKE 'alert:%'`);
    const answer = await send(webhook('firing', firing));
    expect(await answer.json()).toMatchObject({ opened: [], known: 1 });
    expect(await incidents()).toHaveLength(1);
  });

  it('ignores alerts that no route matches', async () => {
    const answer = await send(
      webhook('firing', { alertname: 'DiskSpace', fingerprint: 'ffff000011112222', startsAt: '2026-11-30T03:05:00Z' }),
    );
    expect(await answer.json()).toMatchObject({ opened: [], ignored: 1 });
    expect(await incidents()).toHaveLength(1);
  });

  it("says the resolution in the incident's thread and timeline once, and leaves the incident open", async () => {
    const [first, again] = await Promise.all([
      send(webhook('resolved', firing)),
      send(webhook('resolved', firing), { to: replica }),
    ]);
    const outcomes = (await Promise.all([first.json(), again.json()])) as Array<{ resolved: string[] }>;
    const { key } = (await incidents())[0]!;
    expect(outcomes.flatMap((o) => o.resolved)).toEqual([key]);
    const events = await timelineOf(h.db, key);
    expect(events.filter((e) => e.kind === 'alert.resolved')).toEqual([
      expect.objectContaining({ actor: 'system', data: expect.objectContaining({ alertname: 'RedisDown' }) }),
    ]);
    expect(events.map((e) => e.kind)).not.toContain('incident.resolved');
    // The line is durable work (the webhook does not wait for Slack): it is read once the bot has settled.
    await h.settle();
    expect(
      h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.params.text === 'Alert RedisDown resolved'),
    ).toHaveLength(1);
  });

  it('answers Alertmanager once the incident is committed, while Slack is still making its channel', async () => {
    h.slack.failMethod('conversations.create', { status: 'late', delayMs: 2_000, times: 1 });
    const slow = { alertname: 'RedisDown', fingerprint: 'f0e1d2c3b4a59687', startsAt: '2026-12-01T03:00:00Z' };
    const answer = await send({ ...webhook('firing', slow), groupKey: '{}:{alertname="slow"}' });
    expect(answer.status).toBe(200);
    const [key] = ((await answer.json()) as { opened: string[] }).opened;
    const placed = () =>
      h.db.query<{ channel_id: string | null }>('SELECT channel_id FROM incidents WHERE key = $1', [key]);
    // Answered before Slack answered the create: not placed yet.
    expect((await placed()).rows[0]).toEqual({ channel_id: null });
    await h.settle();
    expect((await placed()).rows[0]!.channel_id).toMatch(/^C/);
  });
});
