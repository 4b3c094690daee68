import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { type FaultHarness, startFaultHarness } from './support/stack.js';

const ADA = 'U0ONCALL01';
const MINUTE = 60_000;

/**
 * Opening an incident while Slack fails (item 3 of issue 14). The incident and its `place` work commit together;
 * the channel, invite, live message and pin are that work's steps, retried; nobody is paged and no stakeholder is
 * told until the incident can be seen.
 */
describe('opening an incident while Slack fails', () => {
  let h: FaultHarness;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(new Date());
    // The failures below make the bot warn on purpose: kept out of the test output.
    h = await startFaultHarness({ clock, log: silentLogger });
  });
  afterEach(() => h.slack.clearFaults());
  afterAll(() => h.stop());

  const incident = async (key: string) =>
    (
      await h.db.query<{ id: number; channel_id: string | null; message_ts: string | null; placed_at: Date | null }>(
        'SELECT id, channel_id, message_ts, placed_at FROM incidents WHERE key = $1',
        [key],
      )
    ).rows[0]!;
  const events = async (key: string, kind: string) =>
    (
      await h.db.query<{ data: Record<string, unknown> }>(
        'SELECT e.data FROM timeline_events e JOIN incidents i ON i.id = e.incident_id WHERE i.key = $1 AND e.kind = $2',
        [key, kind],
      )
    ).rows;
  const dmsTo = (user: string) => {
    const im = h.slack.workspace.channels.find((c) => c.kind === 'im' && c.im_user === user);
    return im ? h.slack.messages(im.id) : [];
  };
  const pagesFor = (key: string) =>
    h.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.status === 200 && String(c.params.text).includes(`paged for ${key}`),
    );

  it('Invisible incident: conversations.create answering 500 when an incident opens', async () => {
    h.slack.failNext('conversations.create', { status: 500 }, { always: true });
    await h.slack.sendCommand({ text: 'auth-401 logins answer 401', user: ADA });
    await h.settle();

    // Committed, answered with its key, and invisible: nobody paged, no stakeholder told, no clock running.
    const opened = await incident('INC-1');
    expect(opened).toMatchObject({ channel_id: null, message_ts: null, placed_at: null });
    expect(
      h.slack.ephemerals({ user: ADA }).some((e) => e.text.includes('INC-1* is open; its channel is being created')),
    ).toBe(true);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(await events('INC-1', 'escalation.paged')).toHaveLength(0);

    // Slack keeps failing: after 3 attempts the opener is told, once, and the timeline says so.
    for (let i = 0; i < 10 && (await events('INC-1', 'incident.place_failed')).length === 0; i++)
      await h.advance(20_000);
    expect(await events('INC-1', 'incident.place_failed')).toHaveLength(1);
    await h.slack.waitFor(() => dmsTo(ADA).find((m) => m.text.includes('keeps failing to create its channel')), {
      what: 'the DM telling the opener',
    });

    // Typing the command again answers with the same incident instead of opening INC-2.
    await h.slack.sendCommand({ text: 'auth-401 still 401', user: ADA });
    await h.settle();
    expect(
      h.slack.ephemerals({ user: ADA }).some((e) => e.text.includes('INC-1* is already open for this playbook')),
    ).toBe(true);
    expect((await h.db.query('SELECT 1 FROM incidents')).rowCount).toBe(1);

    // Twenty minutes of Slack failing: level 2 is not paged for an incident nobody can see.
    for (let i = 0; i < 4; i++) await h.advance(5 * MINUTE);
    expect(pagesFor('INC-1')).toHaveLength(0);
    expect(await events('INC-1', 'incident.escalated')).toHaveLength(0);

    // Slack recovers: placed once, then level 1 paged once, the stakeholders told, the opener told where.
    h.slack.clearFaults('conversations.create');
    await h.advance(10 * MINUTE);
    const placed = await incident('INC-1');
    expect(placed.message_ts).not.toBeNull();
    expect(placed.placed_at).not.toBeNull();
    expect(h.slack.workspace.channels.filter((c) => c.name.startsWith('inc-1-'))).toHaveLength(1);
    expect(h.slack.workspace.channels.find((c) => c.id === placed.channel_id)?.pins).toEqual([placed.message_ts]);
    expect(await events('INC-1', 'incident.placed')).toHaveLength(1);
    expect(await events('INC-1', 'escalation.paged')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ level: 1 }) }),
    ]);
    expect(dmsTo(ADA).filter((m) => m.text.includes('paged for INC-1'))).toHaveLength(1);
    expect(dmsTo(ADA).some((m) => m.text.includes('INC-1 is ready'))).toBe(true);
    expect((await events('INC-1', 'notification.sent')).length).toBeGreaterThan(0);

    // Level 2's clock started when the incident became visible, not when it was committed.
    const { rows } = await h.db.query<{ due_at: Date }>(
      `SELECT due_at FROM scheduled_work WHERE incident_id = $1 AND kind = 'escalate' AND done_at IS NULL`,
      [placed.id],
    );
    expect(rows.map((r) => new Date(r.due_at).getTime())).toEqual([
      new Date(placed.placed_at!).getTime() + 15 * MINUTE,
    ]);
  });

  it('a lost create answer does not create a second channel', async () => {
    // The channel is created but the answer is lost (the connection drops): the retry finds it taken, and adopts it.
    h.slack.failNext('conversations.create', { dropAfterDoing: true }, 1);
    await h.slack.sendCommand({ text: 'redis-down cache misses', user: ADA });
    await h.settle();
    for (
      let i = 0;
      i < 5 && !(await h.db.query(`SELECT 1 FROM incidents WHERE key = 'INC-2' AND placed_at IS NOT NULL`)).rowCount;
      i++
    )
      await h.advance(20_000);
    const placed = await incident('INC-2');
    const channels = h.slack.workspace.channels.filter((c) => c.name.startsWith('inc-2-'));
    expect(h.slack.callsTo('conversations.create').map((c) => c.status === 0 || c.response.error)).toEqual(
      expect.arrayContaining([true, 'name_taken']),
    );
    expect(channels.map((c) => c.name)).toEqual(['inc-2-redis-down']);
    expect(placed.channel_id).toBe(channels[0]!.id);
    expect(channels[0]!.purpose).toContain('INC-2');
    expect(h.slack.messages(placed.channel_id!).filter((m) => m.ts === placed.message_ts)).toHaveLength(1);
  });

  it('a lost live-message answer does not post a second live message', async () => {
    h.slack.failNext(
      'chat.postMessage',
      { dropAfterDoing: true },
      { match: (params) => JSON.stringify(params.metadata ?? '').includes('incidentbot_live_message') },
    );
    await h.slack.sendCommand({ text: 'auth-401 second one', user: ADA });
    await h.settle();
    for (
      let i = 0;
      i < 5 && !(await h.db.query(`SELECT 1 FROM incidents WHERE key = 'INC-3' AND placed_at IS NOT NULL`)).rowCount;
      i++
    )
      await h.advance(20_000);
    const placed = await incident('INC-3');
    const live = h.slack
      .messages(placed.channel_id!)
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
      .filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'incidentbot_live_message');
    expect(live.map((m) => m.ts)).toEqual([placed.message_ts]);
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.status === 0)).toHaveLength(1);
  });

  it('acknowledged while Slack fails to create its channel: placed later without paging anyone', async () => {
    h.slack.failNext('conversations.create', { status: 500 }, { always: true });
    await h.slack.sendCommand({ text: 'database slow', user: ADA });
    await h.settle();
    const { rows } = await h.db.query<{ key: string }>(`SELECT key FROM incidents WHERE playbook_id = 'database'`);
    const key = rows[0]!.key;
    await h.slack.sendCommand({ text: `ack ${key}`, user: ADA });
    await h.settle();
    h.slack.clearFaults();
    await h.advance(MINUTE);
    expect((await incident(key)).placed_at).not.toBeNull();
    expect(await events(key, 'incident.acknowledged')).toHaveLength(1);
    expect(pagesFor(key)).toHaveLength(0);
    expect(await events(key, 'escalation.paged')).toHaveLength(0);
  });

  it('adopts only the channel it asked for: never an unmarked one of the bot left from before a database reset', async () => {
    const next = (await h.db.query<{ n: number }>('SELECT coalesce(max(number), 0)::int + 1 AS n FROM incidents'))
      .rows[0]!.n;
    const name = `inc-${next}-redis-down`;
    // The bot made this channel for an INC-<next> of an earlier database, and never set its purpose.
    const created = await fetch(`${h.slack.apiUrl}conversations.create`, {
      method: 'POST',
      body: new URLSearchParams({ token: h.slack.botToken, name }),
    });
    const stale = ((await created.json()) as { channel: { id: string } }).channel.id;
    // And the create of the name it moves on to loses its answer: the retry must adopt that one.
    h.slack.failNext('conversations.create', { dropAfterDoing: true }, { match: (p) => p.name === `${name}-2` });
    await h.slack.sendCommand({ text: 'redis-down after a database reset', user: ADA });
    await h.settle();
    for (let i = 0; i < 5 && !(await incident(`INC-${next}`)).placed_at; i++) await h.advance(20_000);

    const placed = await incident(`INC-${next}`);
    const channels = h.slack.workspace.channels.filter((c) => c.name.startsWith(name));
    expect(channels.map((c) => c.name)).toEqual([name, `${name}-2`]);
    expect(placed.channel_id).toBe(channels[1]!.id);
    expect(channels[1]!.purpose).toContain(`INC-${next}`);
    const old = channels.find((c) => c.id === stale)!;
    expect(old.purpose).toBe('');
    expect(h.slack.messages(stale)).toEqual([]);
  });
});

describe('opening an in_place incident while Slack fails', () => {
  let h: FaultHarness;
  beforeAll(async () => {
    h = await startFaultHarness({
      clock: new ManualClock(new Date()),
      log: silentLogger,
      config: (c) => ({ ...c, incident_channel: 'in_place' }),
    });
  });
  afterAll(() => h.stop());

  it('Invisible incident, in place: chat.postMessage answering 500 for the live message; placed once Slack recovers', async () => {
    const isLive = (p: Record<string, unknown>) =>
      JSON.stringify(p.metadata ?? '').includes('incidentbot_live_message');
    h.slack.failNext('chat.postMessage', { status: 500 }, { always: true, match: isLive });
    await h.slack.sendCommand({ text: 'auth-401 in place', user: ADA, channel: 'C0INCIDENTS' });
    await h.settle();
    await h.advance(20_000);
    const before = await h.db.query<{ channel_id: string; message_ts: string | null }>(
      `SELECT channel_id, message_ts FROM incidents WHERE key = 'INC-1'`,
    );
    expect(before.rows[0]).toEqual({ channel_id: 'C0INCIDENTS', message_ts: null });
    expect(h.slack.callsTo('conversations.create')).toHaveLength(0);
    expect(h.slack.calls.filter((c) => String(c.params.text).includes('paged for INC-1'))).toHaveLength(0);

    h.slack.clearFaults();
    await h.advance(MINUTE);
    const after = await h.db.query<{ message_ts: string }>(`SELECT message_ts FROM incidents WHERE key = 'INC-1'`);
    const live = h.slack
      .messages('C0INCIDENTS')
      .filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'incidentbot_live_message');
    expect(live.map((m) => m.ts)).toEqual([after.rows[0]!.message_ts]);
    expect(h.slack.callsTo('conversations.create')).toHaveLength(0);
    await h.slack.waitFor(() => h.slack.calls.find((c) => String(c.params.text).includes('paged for INC-1')), {
      what: 'level 1 paged once placed',
    });
  });
});
