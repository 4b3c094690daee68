import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';

/**
 * An incident walked from `/incident auth-401 login failing` to resolved,
 * through the real bot in HTTP mode, the real PostgreSQL and Redis, and the
 * Slack emulator at the network edge.
 */
describe('an incident walked through its playbook', () => {
  let h: Harness;
  let key: string;
  let channel: string;
  let ts: string;
  const live = () => JSON.stringify(h.slack.message(channel, ts)?.blocks ?? []);
  const liveAfter = async (predicate: (json: string) => boolean) => {
    await h.settle();
    await h.slack.waitFor(() => predicate(live()), { what: 'the live message to change' });
    return live();
  };

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('opens the incident in a dedicated channel, invites the opener and pins the live message', async () => {
    const result = await h.slack.sendCommand({ text: 'auth-401 login failing', user: ADA, channel: 'C0INCIDENTS' });
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ response_type: 'ephemeral' });
    const created = await h.slack.waitForCall('conversations.create');
    const { rows } = await h.db.query<{ key: string; channel_id: string; message_ts: string }>(
      `SELECT key, channel_id, message_ts FROM incidents`,
    );
    await h.slack.waitForCall('pins.add');
    const { rows: placed } = await h.db.query<{ key: string; channel_id: string; message_ts: string }>(
      `SELECT key, channel_id, message_ts FROM incidents`,
    );
    expect(rows).toHaveLength(1);
    ({ key, channel_id: channel, message_ts: ts } = placed[0]!);
    expect(created.params.name).toBe(`inc-${key.slice(4)}-auth-401`);
    expect(h.slack.callsTo('conversations.invite')[0]!.params).toMatchObject({ channel, users: ADA });
    const message = h.slack.message(channel, ts)!;
    expect(message.text).toContain(key);
    expect(live()).toContain(`${key} · Authentication errors (401/403)`);
    expect(live()).toContain('login failing');
    expect(live()).toContain(`<@${ADA}>`);
    // The origin channel hears where the incident lives.
    await h.slack.waitFor(() => h.slack.messages('C0INCIDENTS').find((m) => m.text.includes(key)), {
      what: 'the announcement in #incidents',
    });
    // Level 1's page is due at once and may already have followed: the opening comes first, once.
    const events = await timelineOf(h.db, key);
    expect(events[0]).toEqual(
      expect.objectContaining({
        kind: 'incident.opened',
        actor: ADA,
        data: expect.objectContaining({ summary: 'login failing' }),
      }),
    );
    expect(events.slice(1).map((e) => e.kind)).not.toContain('incident.opened');
  });

  it('marks a step done in place when its Done button is clicked', async () => {
    const click = await h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.3' });
    expect(click.status).toBe(200);
    const json = await liveAfter((j) => j.includes(`Done by <@${ADA}>`));
    expect(json).not.toContain('"step.done.3"');
    expect((await h.slack.waitForCall('chat.update')).params).toMatchObject({ channel, ts });
  });

  it('skips a step with its Skip button', async () => {
    await h.slack.click({ user: GRACE, channel, ts, actionId: 'step.skip.2' });
    await liveAfter((j) => j.includes(`Skipped by <@${GRACE}>`));
  });

  it("runs the step's checks from its Run check button: a running line, one result per check, the step failed with why", async () => {
    await h.slack.click({ user: ADA, channel, ts, actionId: 'step.run.1' });
    await h.settle();
    const thread = h.slack.thread(channel, ts);
    expect(thread.some((m) => m.text === 'Running auth')).toBe(true);
    const results = JSON.stringify(thread.find((m) => m.text.startsWith('Health auth'))!.blocks);
    // Nobody set the Salesforce credentials on this machine, and there is no health_check.py here.
    expect(results).toContain('salesforce-token');
    expect(results).toContain('health-script');
    expect(results).toMatch(/red_circle/);
    await liveAfter((j) => j.includes(':x: Failed'));
  });

  it('acknowledges, escalates, takes a note and changes severity from the incident channel', async () => {
    for (const text of ['ack', 'escalate', 'note checked the token cache: <!channel> stale entries', 'severity sev1']) {
      const result = await h.slack.sendCommand({ text, user: ADA, channel });
      expect(result.status, text).toBe(200);
      await h.settle();
    }
    const json = await liveAfter((j) => j.includes('SEV1') && j.includes('Acknowledged') && j.includes('Level 2'));
    expect(json).toContain('Level 2 of 3');
    const note = h.slack.thread(channel, ts).find((m) => m.text.includes('checked the token cache'))!;
    expect(JSON.stringify(note.blocks)).not.toContain('<!channel>');
  });

  it("escalates again from the live message's Escalate button", async () => {
    await h.slack.click({ user: GRACE, channel, ts, actionId: 'incident.escalate' });
    await liveAfter((j) => j.includes('Level 3 of 3'));
  });

  it('resolves, and the live message closes', async () => {
    const result = await h.slack.sendCommand({
      text: `resolve ${key} rotated the client secret`,
      user: ADA,
      channel: 'C0INCIDENTS',
    });
    expect(result.status).toBe(200);
    const json = await liveAfter((j) => j.includes('Resolved'));
    expect(json).not.toContain('"step.done.1"');
    expect(json).toContain('"incident.report"');
  });

  it('has written every command and click to the timeline, with its actor, in order', async () => {
    await h.settle();
    const events = (await timelineOf(h.db, key)).filter((e) => e.actor !== 'system');
    expect(events.map((e) => [e.kind, e.actor])).toEqual([
      ['incident.opened', ADA],
      ['step.done', ADA],
      ['step.skipped', GRACE],
      ['step.started', ADA],
      ['check.result', ADA],
      ['check.result', ADA],
      ['incident.acknowledged', ADA],
      ['incident.escalated', ADA],
      ['note.added', ADA],
      ['incident.severity_changed', ADA],
      ['incident.escalated', GRACE],
      ['incident.resolved', ADA],
    ]);
    expect(events.at(-1)!.data).toMatchObject({
      summary: 'rotated the client secret',
      from: 'acknowledged',
      to: 'resolved',
    });
  });

  it('paged each level it reached and told stakeholders of each change, on its own', async () => {
    const system = (await timelineOf(h.db, key)).filter((e) => e.actor === 'system');
    expect(system.filter((e) => e.kind === 'escalation.paged').map((e) => e.data.level)).toEqual([1, 2, 3]);
    // Acknowledging stopped the acknowledgement clock; level 3's unresolved clock ran until resolve.
    expect(system.filter((e) => e.kind === 'escalation.stopped').map((e) => e.data.reason)).toEqual([
      'acknowledged',
      'resolved',
    ]);
    const told = system.filter((e) => e.kind === 'notification.sent').map((e) => `${e.data.reason}:${e.data.to}`);
    // engineering (the playbook's) and support (sev2) from the start; leadership too once it is sev1.
    expect(told).toEqual(
      expect.arrayContaining([
        'opened:C0ENGINEER',
        'opened:C0SUPPORT0',
        'severity:C0STAKEHOLD',
        'severity:U0STAKE003',
        'resolved:C0STAKEHOLD',
        'resolved:C0ENGINEER',
      ]),
    );
    // One thread per incident in each stakeholder channel.
    const inEngineering = h.slack.messages('C0ENGINEER').filter((m) => m.text.startsWith(key));
    expect(inEngineering).toHaveLength(1);
    expect(h.slack.thread('C0ENGINEER', inEngineering[0]!.ts).length).toBeGreaterThanOrEqual(4);
  });

  it('shows the timeline to whoever asks, and records that they looked', async () => {
    await h.slack.sendCommand({ text: 'timeline', user: GRACE, channel });
    await h.settle();
    const shown = await h.slack.waitFor(() =>
      h.slack.ephemerals({ user: GRACE }).find((e) => e.text.startsWith(`Timeline of ${key}`)),
    );
    const json = JSON.stringify(shown.blocks);
    expect(json).toContain('opened the incident');
    expect(json).toContain('resolved it: rotated the client secret');
    expect((await timelineOf(h.db, key)).at(-1)).toMatchObject({ kind: 'timeline.viewed', actor: GRACE });
  });

  it('lists open incidents', async () => {
    await h.slack.sendCommand({ text: 'list', user: ADA });
    await h.settle();
    await h.slack.waitFor(() => h.slack.ephemerals({ user: ADA }).find((e) => e.text === 'No open incidents.'));
  });
});
