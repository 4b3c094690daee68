import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { opsgenieWebhook, pagerdutyWebhook } from '../../src/playground/emulator/providers/inbound.js';
import { type Harness, startHarness } from '../support/harness.js';
import { ADA, ADA_PHONE, type PagingEmulators, adaPagedBy, startPagingEmulators } from '../support/paging.js';
import { timelineOf } from '../support/timeline.js';

const MINUTE = 60_000;

describe('paging: PagerDuty, Opsgenie and replicas', () => {
  let e: PagingEmulators;
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    e = await startPagingEmulators();
    clock = new ManualClock(new Date());
    h = await startHarness({
      clock,
      config: adaPagedBy(e, { pagerduty_user: 'PADA001' }),
    });
  });
  afterEach(async () => {
    await h.stop();
    await e.close();
  });

  const statusOf = async (key: string) =>
    (await h.db.query<{ status: string }>('SELECT status FROM incidents WHERE key = $1', [key])).rows[0]!.status;
  const actions = (key: string) => ({
    pagerduty: e.providers.pagerduty.filter((p) => p.dedup_key === key).map((p) => p.event_action),
    opsgenie: e.providers.opsgenie.filter((o) => o.alias === key).map((o) => o.action),
  });

  it('mirrors the incident to PagerDuty and Opsgenie when it opens', async () => {
    const { key } = await h.open('auth-401 login failing');
    expect(actions(key)).toEqual({ pagerduty: ['trigger'], opsgenie: ['create'] });
    const mirrored = (await timelineOf(h.db, key)).filter((ev) => ev.kind === 'page.sent' && ev.data.action);
    expect(mirrored.map((ev) => ev.data.channel).sort()).toEqual(['opsgenie', 'pagerduty']);
  });

  it("takes an acknowledgement made in PagerDuty as that person's, and tells Opsgenie and Slack", async () => {
    const { key, channel, ts } = await h.open('auth-401 login failing');
    const answer = await pagerdutyWebhook(e.providers, h.bot.url, {
      type: 'incident.acknowledged',
      key,
      agent: 'PADA001',
    });
    expect(answer.status).toBe(200);
    await h.settle();
    expect(await statusOf(key)).toBe('acknowledged');
    const timeline = await timelineOf(h.db, key);
    expect(timeline.filter((ev) => ev.kind === 'incident.acknowledged').map((ev) => ev.actor)).toEqual([ADA]);
    expect(timeline.find((ev) => ev.kind === 'page.acknowledged')).toMatchObject({
      actor: ADA,
      data: { channel: 'pagerduty' },
    });
    expect(actions(key)).toEqual({ pagerduty: ['trigger', 'acknowledge'], opsgenie: ['create', 'acknowledge'] });
    expect(JSON.stringify(h.slack.message(channel, ts)!.blocks)).toContain('Acknowledged');
    // The rule chain stopped: no SMS five minutes on.
    await h.advance(10 * MINUTE);
    expect(e.providers.sms.filter((m) => m.to === ADA_PHONE)).toEqual([]);
  });

  it('resolves ours when the alert is closed in Opsgenie, and the same webhook again changes nothing', async () => {
    const { key } = await h.open('auth-401 login failing');
    await opsgenieWebhook(e.providers, h.bot.url, { action: 'Close', key, username: 'ada@example.com' });
    await h.settle();
    expect(await statusOf(key)).toBe('resolved');
    expect(actions(key).pagerduty).toEqual(['trigger', 'resolve']);
    await opsgenieWebhook(e.providers, h.bot.url, { action: 'Close', key, username: 'ada@example.com' });
    await h.settle();
    const timeline = await timelineOf(h.db, key);
    expect(timeline.filter((ev) => ev.kind === 'incident.resolved').map((ev) => ev.actor)).toEqual([ADA]);
  });

  it('refuses a PagerDuty webhook with a bad signature and an Opsgenie one with a bad token', async () => {
    const { key } = await h.open('auth-401 login failing');
    const pd = await pagerdutyWebhook(e.providers, h.bot.url, { type: 'incident.resolved', key }, { signWith: 'nope' });
    const og = await opsgenieWebhook(e.providers, h.bot.url, { action: 'Close', key }, { token: 'nope' });
    expect([pd.status, og.status]).toEqual([403, 403]);
    await h.settle();
    expect(await statusOf(key)).toBe('open');
  });

  it('ignores PagerDuty incidents that are not ours', async () => {
    await h.open('auth-401 login failing');
    const answer = await pagerdutyWebhook(e.providers, h.bot.url, {
      type: 'incident.acknowledged',
      key: 'checkout-42',
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ignored: 'incident.acknowledged' });
  });

  it('sends each page once with two replicas, and once more after a restart', async () => {
    await h.startReplica();
    const { key } = await h.open('auth-401 login failing');
    await h.advance(5 * MINUTE);
    expect(e.providers.sms.filter((m) => m.to === ADA_PHONE)).toHaveLength(1);
    await h.bot.stop();
    const restarted = await h.startReplica();
    h.slack.connectBot(`${restarted.url}/slack/events`);
    await h.advance(5 * MINUTE);
    await h.advance(5 * MINUTE);
    expect(e.providers.sms.filter((m) => m.to === ADA_PHONE)).toHaveLength(1);
    expect(e.providers.calls.filter((c) => c.to === ADA_PHONE)).toHaveLength(1);
    const sent = (await timelineOf(h.db, key)).filter((ev) => ev.kind === 'page.sent' && ev.data.person === ADA);
    expect(sent.map((ev) => ev.data.channel)).toEqual(['sms', 'voice']);
    expect(actions(key).pagerduty).toEqual(['trigger']);
  });

  it('does not send again a page whose sender died in the middle: "may have been sent"', async () => {
    const { key } = await h.open('auth-401 login failing');
    const { rows } = await h.db.query<{ id: number; incident_id: number }>(
      `SELECT id, incident_id FROM scheduled_work WHERE kind = 'page.rule' AND payload->>'via' = 'sms'`,
    );
    // What a replica killed during the send leaves: the attempt written, its outcome never.
    await h.db.query(
      `INSERT INTO page_attempts (attempt_key, incident_id, person, via, state, started_at)
       VALUES ($1, $2, $3, 'sms', 'sending', now())`,
      [`rule:${rows[0]!.id}`, rows[0]!.incident_id, ADA],
    );
    await h.advance(5 * MINUTE);
    expect(e.providers.sms.filter((m) => m.to === ADA_PHONE)).toEqual([]);
    const failed = (await timelineOf(h.db, key)).find((ev) => ev.kind === 'page.failed');
    expect(failed).toMatchObject({ data: { channel: 'sms', person: ADA, uncertain: true } });
  });
});
