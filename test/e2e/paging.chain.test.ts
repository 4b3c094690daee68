import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { pressKeys, replySms } from '../../src/playground/emulator/providers/inbound.js';
import { type Harness, startHarness } from '../support/harness.js';
import { captureLogs } from '../support/logs.js';
import {
  ADA,
  ADA_EMAIL,
  ADA_PHONE,
  type PagingEmulators,
  adaPagedBy,
  startPagingEmulators,
} from '../support/paging.js';
import { scanBody, scanSlackAndTimeline } from '../support/secretScanner.js';
import { timelineOf } from '../support/timeline.js';

const TWILIO_NUMBER = '+15005550006';
const MINUTE = 60_000;

describe("paging beyond Slack: a person's rule chain", () => {
  let e: PagingEmulators;
  let h: Harness;
  let clock: ManualClock;
  const logs = captureLogs('debug');

  beforeEach(async () => {
    e = await startPagingEmulators();
    clock = new ManualClock(new Date());
    h = await startHarness({
      clock,
      log: logs.log,
      config: adaPagedBy(e),
    });
  });
  afterEach(async () => {
    await h.stop();
    await e.close();
  });

  const pages = async (key: string) =>
    (await timelineOf(h.db, key))
      .filter((ev) => ev.kind.startsWith('page.') && ev.data.person === ADA)
      .map((ev) => `${ev.kind} ${String(ev.data.channel)}`);
  const smsTo = (phone: string) => e.providers.sms.filter((m) => m.to === phone);
  const callsTo = (phone: string) => e.providers.calls.filter((c) => c.to === phone);

  it('goes from Slack to SMS to a call while nobody acknowledges', async () => {
    const { key } = await h.open('auth-401 login failing');
    const smsBefore = smsTo(ADA_PHONE).length;
    const callsBefore = callsTo(ADA_PHONE).length;
    await h.advance(4 * MINUTE);
    expect(smsTo(ADA_PHONE)).toHaveLength(smsBefore);
    await h.advance(1 * MINUTE);
    expect(smsTo(ADA_PHONE)).toHaveLength(smsBefore + 1);
    expect(smsTo(ADA_PHONE).at(-1)!.body).toContain(`${key} [sev`);
    await h.advance(5 * MINUTE);
    expect(callsTo(ADA_PHONE)).toHaveLength(callsBefore + 1);
    const call = callsTo(ADA_PHONE).at(-1)!;
    expect(call.twiml).toContain('Press 1 to acknowledge');
    expect(call.action).toContain(`/hooks/twilio/voice?incident=${key}`);
    expect(await pages(key)).toEqual(['page.sent sms', 'page.sent voice']);
  });

  it('stops the chain when the person replies ACK to the SMS: one acknowledgement, by them, from SMS', async () => {
    const { key } = await h.open('auth-401 login failing');
    const callsBefore = callsTo(ADA_PHONE).length;
    await h.advance(5 * MINUTE);
    const answer = await replySms(e.providers, h.bot.url, { from: ADA_PHONE, to: TWILIO_NUMBER, body: 'ack' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(`<Response><Message>Acknowledged ${key}.</Message></Response>`);
    await h.advance(30 * MINUTE);
    expect(callsTo(ADA_PHONE)).toHaveLength(callsBefore);
    const timeline = await timelineOf(h.db, key);
    expect(timeline.filter((ev) => ev.kind === 'incident.acknowledged').map((ev) => ev.actor)).toEqual([ADA]);
    expect(timeline.find((ev) => ev.kind === 'page.acknowledged')).toMatchObject({
      actor: ADA,
      data: { channel: 'sms' },
    });
    expect(timeline.filter((ev) => ev.kind === 'incident.escalated')).toEqual([]);
    // Every channel that paged is told: PagerDuty and Opsgenie acknowledged, the live message says so.
    expect(e.providers.pagerduty.filter((p) => p.dedup_key === key).map((p) => p.event_action)).toEqual([
      'trigger',
      'acknowledge',
    ]);
    expect(e.providers.opsgenie.filter((o) => o.alias === key).map((o) => o.action)).toEqual(['create', 'acknowledge']);
    const { rows } = await h.db.query<{ status: string }>('SELECT status FROM incidents WHERE key = $1', [key]);
    expect(rows[0]!.status).toBe('acknowledged');
  });

  it('acknowledges when the person presses 1 on the call', async () => {
    const { key } = await h.open('auth-401 login failing');
    await h.advance(10 * MINUTE);
    const answer = await pressKeys(e.providers, callsTo(ADA_PHONE).at(-1)!, '1');
    expect(answer.body).toContain(`Acknowledged ${key}.`);
    await h.settle();
    const timeline = await timelineOf(h.db, key);
    expect(timeline.find((ev) => ev.kind === 'page.acknowledged')).toMatchObject({
      actor: ADA,
      data: { channel: 'voice' },
    });
  });

  it('refuses an SMS webhook with a bad signature and changes nothing', async () => {
    const { key } = await h.open('auth-401 login failing');
    await h.advance(5 * MINUTE);
    const answer = await replySms(
      e.providers,
      h.bot.url,
      { from: ADA_PHONE, to: TWILIO_NUMBER, body: 'ACK' },
      { signWith: 'not-the-auth-token' },
    );
    expect(answer.status).toBe(403);
    const timeline = await timelineOf(h.db, key);
    expect(timeline.some((ev) => ev.kind === 'incident.acknowledged')).toBe(false);
  });

  it('answers a number it does not know without acknowledging anything', async () => {
    await h.open('auth-401 login failing');
    const answer = await replySms(e.providers, h.bot.url, { from: '+15555559999', to: TWILIO_NUMBER, body: 'ACK' });
    expect(answer.body).toContain('not set up');
  });

  it('keeps every contact value and credential out of the timeline, Slack and the logs', async () => {
    const { key } = await h.open('auth-401 login failing');
    await h.advance(10 * MINUTE);
    await replySms(e.providers, h.bot.url, { from: ADA_PHONE, to: TWILIO_NUMBER, body: `ACK ${key}` });
    await h.settle();
    const known = [...e.secrets(), ADA_PHONE, ADA_EMAIL, ADA_PHONE.slice(1)];
    expect(await scanSlackAndTimeline(h.slack, h.db, { known })).toEqual([]);
    const lines = logs.text().split('\n').filter(Boolean);
    expect(lines.flatMap((line, i) => scanBody(`log line ${i + 1}`, line, { known }))).toEqual([]);
  });

  it("sends a test page through each of a person's channels and says which arrived", async () => {
    e.providers.fail('twilio.call', { status: 400 }, { times: 1 });
    const before = h.slack.ephemerals({ user: ADA }).length;
    await h.slack.sendCommand({ text: `page-test <@${ADA}>`, user: ADA });
    const answer = await h.slack.waitFor(
      () =>
        h.slack
          .ephemerals({ user: ADA })
          .slice(before)
          .find((m) => m.text.startsWith('Test page')),
      { what: 'the page-test answer' },
    );
    expect(answer.text).toBe(`Test page for ${ADA}: 2 of 3 channels reached`);
    const shown = JSON.stringify(answer.blocks);
    expect(shown).toContain('*sms*: arrived at the provider');
    expect(shown).toContain('*voice*: failed');
    expect(shown).not.toContain(ADA_PHONE);
    expect(smsTo(ADA_PHONE).at(-1)!.body).toContain('test page');
    await h.settle();
    expect(
      h.slack.callsTo('chat.postMessage').some((c) => JSON.stringify(c.params).includes('test page from incident-bot')),
    ).toBe(true);
  });
});
