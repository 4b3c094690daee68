import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';
const SECOND = 1_000;

/**
 * Slack lets a channel, a person's DM included, take about one message a second. In a storm one person can be
 * paged for dozens of incidents within seconds: the pages that come while a DM is paced go out together in its next
 * message, one line per incident, instead of queueing one a second.
 */
describe('pages by direct message, paced per person', () => {
  let h: Harness;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(new Date('2026-12-07T10:00:00Z'));
    h = await startHarness({
      clock,
      config: (base) => ({ ...base, paging: { ...base.paging, dm_min_interval: SECOND } }),
    });
  });
  afterEach(() => h.stop());

  const dmChannel = (user: string) =>
    (
      h.slack.callsTo('conversations.open').find((c) => c.params.users === user)!.response as {
        channel: { id: string };
      }
    ).channel.id;
  const pagesTo = (user: string) => h.slack.messages(dmChannel(user)).filter((m) => m.text.startsWith('You are paged'));

  it('sends the first page at once and the pages that came within the second together, each incident once', async () => {
    const first = await h.open('auth-401 login failing');
    expect(pagesTo(ADA).map((m) => m.text)).toEqual([
      expect.stringMatching(new RegExp(`^You are paged for ${first.key}:`)),
    ]);

    const others = [];
    for (const summary of ['tokens rejected', 'sessions dropped', 'SSO down'])
      others.push(await h.open(`auth-401 ${summary}`));
    // Paced: nothing more until Slack's second has passed.
    expect(pagesTo(ADA)).toHaveLength(1);
    for (const incident of others)
      expect((await timelineOf(h.db, incident.key)).map((e) => e.kind)).toContain('escalation.paged');

    await h.advance(SECOND);
    const pages = pagesTo(ADA);
    expect(pages).toHaveLength(2);
    expect(pages[1]!.text).toMatch(/^You are paged for 3 incidents: /);
    const said = JSON.stringify(pages[1]!.blocks);
    for (const incident of others) {
      expect(said.split(`*${incident.key}*`)).toHaveLength(2);
      expect(said).toContain(`<#${incident.channel}>`);
    }
    expect(said).not.toContain(`*${first.key}*`);

    // Nothing is left to send, and nothing is sent twice.
    await h.advance(10 * SECOND);
    expect(pagesTo(ADA)).toHaveLength(2);
  });
});
