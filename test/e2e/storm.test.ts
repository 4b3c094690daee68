import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { overrideConfig } from '../support/config.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';
const STORM = 'C0INCIDENTS';
const SECOND = 1_000;

describe('storms', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({
      clock: new ManualClock(new Date()),
      config: (base) => overrideConfig(base, { storm: { channel: STORM, new_channels_per_minute: 2 } }),
    });
  });
  afterEach(() => h.stop());

  const creates = () => h.slack.callsTo('conversations.create').length;

  it('opens incidents beyond the minute’s channels as threads of the storm channel, paged there at once', async () => {
    const own = [await h.open('timeout api calls hang'), await h.open('cache hit rate down')];
    const stormed = [await h.open('asyncio event loop errors'), await h.open('critical api down in all regions')];
    expect(own.every((incident) => incident.channel !== STORM)).toBe(true);
    expect(creates()).toBe(2);
    for (const { key, ts } of stormed) {
      const live = h.slack.message(STORM, ts)!;
      expect(live.text.startsWith(key)).toBe(true);
      expect(h.slack.thread(STORM, ts).some((m) => m.text.startsWith('Paging level'))).toBe(true);
      const placed = (await timelineOf(h.db, key)).find((e) => e.kind === 'incident.placed')!;
      expect(placed.data).toMatchObject({ channelId: STORM, storm: true });
    }
    // Its buttons work where it is.
    await h.slack.click({ user: ADA, channel: STORM, ts: stormed[0]!.ts, actionId: 'incident.ack' });
    await h.settle();
    expect((await timelineOf(h.db, stormed[0]!.key)).some((e) => e.kind === 'incident.acknowledged')).toBe(true);
  });

  it('gives each one still open its own channel once the storm has passed, and leaves a pointer behind', async () => {
    await h.open('timeout api calls hang');
    await h.open('cache hit rate down');
    const stormed = await h.open('asyncio event loop errors');
    const resolved = await h.open('critical api down in all regions');
    await h.slack.sendCommand({ text: `resolve ${resolved.key} flapped`, user: ADA, channel: STORM });
    await h.settle();

    await h.advance(30 * SECOND);
    expect(creates()).toBe(2); // four opened in the last minute: the storm goes on

    await h.advance(31 * SECOND);
    expect(creates()).toBe(3); // only the open one moves
    const moved = (await timelineOf(h.db, stormed.key)).find((e) => e.kind === 'incident.moved')!;
    expect(moved.data).toMatchObject({ fromChannelId: STORM });
    const home = moved.data.channelId as string;
    expect(home).not.toBe(STORM);
    const { rows } = await h.db.query<{ channel_id: string; message_ts: string }>(
      'SELECT channel_id, message_ts FROM incidents WHERE key = $1',
      [stormed.key],
    );
    expect(rows[0]).toEqual({ channel_id: home, message_ts: moved.data.messageTs });
    expect(h.slack.message(home, rows[0]!.message_ts)!.text.startsWith(stormed.key)).toBe(true);
    expect(h.slack.message(STORM, stormed.ts)!.text).toBe(`${stormed.key} moved to its own channel`);
    expect(JSON.stringify(h.slack.message(STORM, stormed.ts)!.blocks)).not.toContain('incident.ack');
    expect((await timelineOf(h.db, resolved.key)).some((e) => e.kind === 'incident.moved')).toBe(false);

    // The incident lives on in its own channel: its live message there answers.
    await h.slack.click({ user: ADA, channel: home, ts: rows[0]!.message_ts, actionId: 'incident.ack' });
    await h.settle();
    expect((await timelineOf(h.db, stormed.key)).some((e) => e.kind === 'incident.acknowledged')).toBe(true);

    await h.advance(60 * SECOND);
    expect(creates()).toBe(3);
  });
});
