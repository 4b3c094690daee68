import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { envFields } from '../../src/config/fields.js';
import { pagingSchema } from '../../src/config/paging.js';
import { type Pager, createPager } from '../../src/paging/index.js';
import type { PageContent } from '../../src/paging/port.js';
import { type PagingEmulators, startPagingEmulators } from '../support/paging.js';

const PAGE: PageContent = { key: 'INC-9', title: 'Checkout down', summary: '5xx on /pay', severity: 'sev1', level: 2 };
const ADA = { user: 'U0ONCALL01', phone: '+15555550101' };

describe('paging providers against their emulators', () => {
  let e: PagingEmulators;
  let pager: Pager;
  beforeAll(async () => {
    e = await startPagingEmulators();
    pager = createPager(pagingSchema(envFields(e.env)).parse(e.block()), 'https://bot.example.com');
  });
  afterAll(() => e.close());
  beforeEach(() => e.providers.clearFaults());

  const sms = () => pager.channel('sms')!;
  const pagerduty = () => pager.mirrors.find((m) => m.name === 'pagerduty')!;
  const opsgenie = () => pager.mirrors.find((m) => m.name === 'opsgenie')!;
  const texts = () => e.providers.sms.filter((m) => m.to === ADA.phone).length;

  describe('Twilio SMS', () => {
    it('sends a text that names the incident and how to acknowledge', async () => {
      expect(await sms().send(ADA, PAGE, 'k1')).toMatchObject({
        ok: true,
        attempts: 1,
        providerId: expect.stringMatching(/^SM/),
      });
      expect(e.providers.sms.at(-1)).toMatchObject({ to: ADA.phone, from: '+15005550006' });
      expect(e.providers.sms.at(-1)!.body).toBe('INC-9 [sev1] Checkout down. Level 2. Reply ACK to acknowledge.');
    });

    it('waits as a 429 says, then sends once', async () => {
      e.providers.fail('twilio.sms', { ratelimited: 0 });
      const before = texts();
      expect(await sms().send(ADA, PAGE, 'k2')).toMatchObject({ ok: true, attempts: 2 });
      expect(texts()).toBe(before + 1);
    });

    it('tries again after a 5xx, and gives up after its retries', async () => {
      e.providers.fail('twilio.sms', { status: 503 }, { times: 5 });
      const outcome = await sms().send(ADA, PAGE, 'k3');
      expect(outcome).toMatchObject({ ok: false, attempts: 3, uncertain: false });
    });

    it('does not text twice when the answer is lost: "may have been sent"', async () => {
      e.providers.fail('twilio.sms', { dropAfterDoing: true });
      const before = texts();
      expect(await sms().send(ADA, PAGE, 'k4')).toMatchObject({ ok: false, attempts: 1, uncertain: true });
      expect(texts()).toBe(before + 1);
    });

    it('does not text again after a timeout: "may have been sent"', async () => {
      const hang = e.providers.fail('twilio.sms', { hang: true });
      // A short timeout only here: the emulator holds this request and never answers.
      const quick = createPager(e.config({ twilio: { timeout: '300ms' } }), 'https://bot.example.com');
      const outcome = await quick.channel('sms')!.send(ADA, PAGE, 'k5');
      hang.release();
      expect(outcome).toMatchObject({ ok: false, attempts: 1, uncertain: true });
      expect(outcome.ok ? '' : outcome.error).toContain('did not answer in time');
    });

    it('is refused without retries when the credentials are wrong', async () => {
      const wrong = createPager(
        pagingSchema(envFields({ ...e.env, TWILIO_AUTH_TOKEN: 'wrong' })).parse(e.block()),
        'https://bot.example.com',
      );
      expect(await wrong.channel('sms')!.send(ADA, PAGE, 'k6')).toMatchObject({
        ok: false,
        attempts: 1,
        uncertain: false,
      });
    });
  });

  describe('Twilio voice', () => {
    it('calls with TwiML that reads the incident and asks for 1, posted back to the bot', async () => {
      expect(await pager.channel('voice')!.send(ADA, PAGE, 'v1')).toMatchObject({ ok: true });
      const call = e.providers.calls.at(-1)!;
      expect(call.twiml).toContain('<Say>Incident I N C   9, severity 1: Checkout down. Level 2.</Say>');
      expect(call.action).toBe('https://bot.example.com/hooks/twilio/voice?incident=INC-9');
    });
  });

  describe('PagerDuty Events API v2', () => {
    it('triggers, acknowledges and resolves with dedup_key = the incident key', async () => {
      for (const action of ['trigger', 'acknowledge', 'resolve'] as const)
        expect(await pagerduty().mirror(action, PAGE)).toMatchObject({ ok: true, providerId: 'INC-9' });
      const events = e.providers.pagerduty.filter((p) => p.dedup_key === 'INC-9');
      expect(events.map((p) => p.event_action)).toEqual(['trigger', 'acknowledge', 'resolve']);
      expect(events[0]!.payload).toMatchObject({
        summary: 'INC-9: Checkout down',
        severity: 'critical',
        source: 'incident-bot',
      });
    });

    it('tries again after a lost answer: the dedup_key makes the repeat the same event', async () => {
      e.providers.fail('pagerduty', { dropAfterDoing: true });
      expect(await pagerduty().mirror('acknowledge', PAGE)).toMatchObject({ ok: true, attempts: 2 });
    });

    it('tries again after a timeout, a 429 and a 500', async () => {
      const mirror = createPager(
        pagingSchema(envFields(e.env)).parse(e.block({ pagerduty: { timeout: '300ms', retries: 6 } })),
        'https://bot.example.com',
      ).mirrors[0]!;
      e.providers.fail('pagerduty', { hang: true });
      e.providers.fail('pagerduty', { ratelimited: 0 });
      e.providers.fail('pagerduty', { status: 500 });
      // At least four tries: the three faults, then the answer (a busy machine may time out one more).
      const outcome = await mirror.mirror('trigger', PAGE);
      expect(outcome).toMatchObject({ ok: true });
      expect(outcome.attempts).toBeGreaterThanOrEqual(4);
    });
  });

  describe('Opsgenie Alerts API', () => {
    it('creates the alert with alias = the incident key, then acknowledges and closes it', async () => {
      for (const action of ['trigger', 'acknowledge', 'resolve'] as const)
        expect(await opsgenie().mirror(action, PAGE)).toMatchObject({ ok: true });
      expect(e.providers.opsgenie.filter((o) => o.alias === 'INC-9').map((o) => o.action)).toEqual([
        'create',
        'acknowledge',
        'close',
      ]);
      expect(e.providers.opsgenie.find((o) => o.action === 'create')!.body).toMatchObject({ priority: 'P1' });
    });

    it('tries again after a 502 and a lost answer', async () => {
      e.providers.fail('opsgenie', { status: 502 });
      e.providers.fail('opsgenie', { dropAfterDoing: true });
      expect(await opsgenie().mirror('acknowledge', PAGE)).toMatchObject({ ok: true, attempts: 3 });
    });
  });

  describe('the generic webhook', () => {
    it('posts the documented payload, signed over "<timestamp>.<body>"', async () => {
      expect(await pager.channel('webhook')!.send(ADA, PAGE, 'w1')).toMatchObject({ ok: true });
      const delivery = e.providers.webhooks.at(-1)!;
      const timestamp = delivery.headers['x-incidentbot-timestamp']!;
      const expected = createHmac('sha256', e.env.PAGING_WEBHOOK_SECRET!)
        .update(`${timestamp}.${delivery.body}`)
        .digest('hex');
      expect(delivery.headers['x-incidentbot-signature']).toBe(`v1=${expected}`);
      expect(delivery.headers['idempotency-key']).toBe('w1');
      expect(JSON.parse(delivery.body)).toEqual({
        version: 1,
        type: 'page',
        id: 'w1',
        person: 'U0ONCALL01',
        incident: { key: 'INC-9', title: 'Checkout down', summary: '5xx on /pay', severity: 'sev1', level: 2 },
      });
      expect(delivery.body).not.toContain(ADA.phone);
    });

    it('tries again after a 500 and a lost answer (the id lets the receiver drop a repeat)', async () => {
      e.providers.fail('webhook', { status: 500 });
      e.providers.fail('webhook', { dropAfterDoing: true });
      expect(await pager.channel('webhook')!.send(ADA, PAGE, 'w2')).toMatchObject({ ok: true, attempts: 3 });
    });
  });
});
