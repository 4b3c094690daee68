import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overrideConfig } from '../support/config.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';

describe('incidents in place, commanders and long timelines', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: (base) => overrideConfig(base, { incident_channel: 'in_place' }) });
  });
  afterAll(() => h.stop());

  it('posts the live message where the command was typed, joining the channel first, and creates no channel', async () => {
    const first = await h.open('timeout api calls hang', { channel: 'C0ENGINEER' });
    expect(first.channel).toBe('C0ENGINEER');
    expect(h.slack.callsTo('conversations.create')).toHaveLength(0);
    expect(h.slack.callsTo('conversations.join').some((c) => c.params.channel === 'C0ENGINEER')).toBe(true);
    expect(h.slack.messages('C0ENGINEER').some((m) => m.ts === first.ts && m.text.startsWith(first.key))).toBe(true);
  });

  it('asks which incident is meant when two are open in one channel, and takes the named one', async () => {
    const second = await h.open('cache hit rate down', { channel: 'C0ENGINEER' });
    await h.slack.sendCommand({ text: 'ack', user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    expect(
      h.slack.ephemerals({ user: ADA }).some((e) => e.text.startsWith('2 incidents are open in this channel')),
    ).toBe(true);
    await h.slack.sendCommand({ text: `ack ${second.key}`, user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    expect((await timelineOf(h.db, second.key)).some((e) => e.kind === 'incident.acknowledged')).toBe(true);
  });

  it('hands command to someone else by mention, by id or by @handle', async () => {
    const { key, channel, ts } = await h.open('asyncio event loop errors', { channel: 'C0SUPPORT0' });
    await h.slack.sendCommand({ text: `commander @grace ${key}`, user: ADA, channel });
    await h.settle();
    expect(JSON.stringify(h.slack.message(channel, ts)!.blocks)).toContain(`*Commander*\\n<@${GRACE}>`);
    expect((await timelineOf(h.db, key)).find((e) => e.kind === 'incident.commander_changed')).toMatchObject({
      actor: ADA,
      data: { from: ADA, to: GRACE },
    });
    await h.slack.sendCommand({ text: `commander @nobody-here ${key}`, user: ADA, channel });
    await h.settle();
    expect(h.slack.ephemerals({ user: ADA }).some((e) => e.text.includes('There is nobody called @nobody-here'))).toBe(
      true,
    );
  });

  it('pages a long timeline with Later and Earlier buttons', async () => {
    const { key, channel } = await h.open('slow responses everywhere', { channel: 'C0SUPPORT0' });
    for (let i = 0; i < 45; i++)
      await h.slack.sendCommand({ text: `note ${key} observation ${i}`, user: ADA, channel });
    await h.settle();
    await h.slack.sendCommand({ text: `timeline ${key}`, user: GRACE, channel });
    await h.settle();
    const page1 = await h.slack.waitFor(() =>
      h.slack.ephemerals({ user: GRACE }).find((e) => e.text === `Timeline of ${key}`),
    );
    expect(JSON.stringify(page1.blocks)).toMatch(/events 1–40 of \d+/);
    await h.slack.click({ user: GRACE, channel, ts: page1.ts, actionId: 'timeline.page.later' });
    await h.settle();
    const page2 = h.slack
      .ephemerals({ user: GRACE })
      .filter((e) => e.text === `Timeline of ${key}`)
      .at(-1)!;
    expect(JSON.stringify(page2.blocks)).toMatch(/events 41–\d+ of \d+/);
    expect(JSON.stringify(page2.blocks)).toContain('observation 44');
  });
});
