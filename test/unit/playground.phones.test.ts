import { describe, expect, it } from 'vitest';
import type { PersonPhone } from '../../src/playground/phones.js';
import { spokenText } from '../../src/playground/phones.js';
import { personHtml } from '../../src/playground/web/phones.js';
import { voiceTwiml } from '../../src/paging/texts.js';

/** The Phones panel: what a call says, and one person's card. */

const ada: PersonPhone = {
  user: 'U0ONCALL01',
  phone: '+15555550101',
  email: 'oncall-primary@example.com',
  rules: [
    { via: 'slack', afterMinutes: 0 },
    { via: 'sms', afterMinutes: 5 },
    { via: 'voice', afterMinutes: 10 },
  ],
  sms: [
    {
      sid: 'SM1',
      from: '+15005550006',
      body: 'INC-1 [sev2] <b>Login</b> failing. Reply ACK.',
      at: '2026-01-01T00:05:00Z',
    },
  ],
  calls: [
    { sid: 'CA1', from: '+15005550006', spoken: 'Incident I N C 1.', canPress: true, at: '2026-01-01T00:10:00Z' },
  ],
  emails: [],
  answers: [],
};

describe('the Phones panel', () => {
  it('reads what a call says once, without the repeat after the Gather', () => {
    const twiml = voiceTwiml(
      { key: 'INC-7', title: 'Checkout & pay', summary: '', severity: 'sev1', level: 1 },
      'http://x/v',
    );
    const spoken = spokenText(twiml);
    expect(spoken).toContain('Checkout & pay');
    expect(spoken.endsWith('Press 1 to acknowledge.')).toBe(true);
    expect(spoken.match(/Press 1/g)).toHaveLength(1);
  });

  it("shows a person's rules, texts and calls newest first, each with the phone's button", () => {
    const html = personHtml(ada, 'Ada Lovelace');
    expect(html).toContain('Slack at once → SMS after 5 min → call after 10 min');
    expect(html.indexOf('phone-call')).toBeLessThan(html.indexOf('phone-sms'));
    expect(html).toContain('data-phone="reply" data-user="U0ONCALL01">Reply ACK</button>');
    expect(html).toContain('data-phone="press" data-sid="CA1">Press 1</button>');
    // What a provider received is text, never markup.
    expect(html).toContain('&lt;b&gt;Login&lt;/b&gt;');
  });

  it('says when nothing came yet, and offers no key on a call that asks for none', () => {
    expect(personHtml({ ...ada, sms: [], calls: [] }, 'Ada')).toContain('Nothing received yet.');
    expect(personHtml({ ...ada, sms: [], calls: [{ ...ada.calls[0]!, canPress: false }] }, 'Ada')).not.toContain(
      'Press 1</button>',
    );
  });
});
