import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/domain/command.js';
import { parsePhoneReply, planRules } from '../../src/domain/paging.js';
import {
  pagerdutySignature,
  twilioSignature,
  verifyPagerDuty,
  verifyTwilio,
  webhookSignature,
} from '../../src/paging/signatures.js';
import { smsText, voiceTwiml } from '../../src/paging/texts.js';
import { pageTestMessage } from '../../src/slack/views/pageTest.js';
import { validateBlocks } from '../../src/playground/emulator/blockKit.js';

const T0 = new Date('2026-03-01T03:00:00Z');

describe("a person's rules", () => {
  it('plans each rule at its delay, leaving out the Slack DM the page itself sends', () => {
    const planned = planRules(
      [
        { via: 'slack', after: 0 },
        { via: 'sms', after: 5 * 60_000 },
        { via: 'voice', after: 10 * 60_000 },
        { via: 'slack', after: 15 * 60_000 },
      ],
      T0,
    );
    expect(planned.map((p) => [p.rule, p.via, p.dueAt.getTime() - T0.getTime()])).toEqual([
      [2, 'sms', 300_000],
      [3, 'voice', 600_000],
      [4, 'slack', 900_000],
    ]);
  });
});

describe('what a phone says back', () => {
  it.each([
    ['ACK', { kind: 'ack' }],
    [' ack ', { kind: 'ack' }],
    ['1', { kind: 'ack' }],
    ['Ack inc-0042', { kind: 'ack', key: 'INC-42' }],
    ['resolve INC-7', { kind: 'resolve', key: 'INC-7' }],
    ['who is this?', { kind: 'unknown' }],
  ])('reads %j', (text, reply) => expect(parsePhoneReply(text)).toEqual(reply));
});

describe('provider signatures', () => {
  it("computes Twilio's signature as its documentation's example does", () => {
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+12349013030',
      Digits: '1234',
      From: '+12349013030',
      To: '+18005551212',
    };
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(twilioSignature('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(verifyTwilio('12345', url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(true);
    expect(verifyTwilio('12345', url, { ...params, Digits: '1' }, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(false);
    expect(verifyTwilio('12345', url, params, undefined)).toBe(false);
  });

  it('accepts any of several PagerDuty signatures (a secret being rotated), and no other', () => {
    const body = '{"event":{}}';
    const good = pagerdutySignature('s3cret', body);
    expect(verifyPagerDuty('s3cret', body, `v1=${'0'.repeat(64)}, ${good}`)).toBe(true);
    expect(verifyPagerDuty('s3cret', `${body} `, good)).toBe(false);
  });

  it('signs the generic webhook over "<timestamp>.<body>"', () => {
    expect(webhookSignature('k', 1700000000, '{}')).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(webhookSignature('k', 1700000000, '{}')).not.toBe(webhookSignature('k', 1700000001, '{}'));
  });
});

describe('what pages say', () => {
  const page = { key: 'INC-3', title: 'Payments <down> & "slow"', summary: '', severity: 'sev1', level: 1 };

  it('keeps the TwiML well-formed whatever the title says, and asks for 1', () => {
    const twiml = voiceTwiml(page, 'https://bot.example.com/hooks/twilio/voice?incident=INC-3&x=1');
    expect(twiml).not.toContain('<down>');
    expect(twiml).toContain('action="https://bot.example.com/hooks/twilio/voice?incident=INC-3&#38;x=1"');
    expect(twiml).toContain('<Gather numDigits="1"');
  });

  it('keeps an SMS short', () => {
    expect(smsText({ ...page, title: 'x'.repeat(500) }).length).toBeLessThanOrEqual(300);
  });
});

describe('/incident page-test', () => {
  it('parses with and without a person', () => {
    expect(parseCommand('page-test')).toEqual({ ok: true, command: { kind: 'page-test' } });
    expect(parseCommand('page-test <@U0ONCALL01>')).toEqual({
      ok: true,
      command: { kind: 'page-test', user: 'U0ONCALL01' },
    });
    expect(parseCommand('page-test @ada @grace')).toMatchObject({ ok: false });
  });

  it('answers with valid blocks that say what reached the person', () => {
    const message = pageTestMessage({
      kind: 'page-test',
      person: 'U0ONCALL01',
      results: [
        { via: 'slack', outcome: 'sent' },
        { via: 'sms', outcome: 'uncertain', error: "Twilio's answer was lost" },
        { via: 'email', outcome: 'not-set-up', error: 'add a paging.smtp block' },
      ],
    });
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    expect(message.text).toBe('Test page for U0ONCALL01: 1 of 3 channels reached');
  });
});
