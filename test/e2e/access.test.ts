import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, type OpenedIncident, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01'; // opens the incidents (invited to their channels), level 1 responder
const LIN = 'U0LEAD0005'; // level 3 responder: never in the channel, never paged yet
const TOM = 'U0VIEWER04'; // in #incidents, not a responder
const SAM = 'U0STAKE003'; // opens many incidents

/**
 * Who may change an incident: its channel's members, its responders and the
 * configured groups. Everyone else reads a private sentence saying who may,
 * and only `access.refused` is written. Checked from Slack and the database,
 * never from what a button carries.
 */
describe('access to incidents', () => {
  let h: Harness;
  let a: OpenedIncident;
  const said = (user: string) => h.slack.ephemerals({ user }).map((e) => e.text);
  const row = async (key: string) =>
    (
      await h.db.query<{ status: string; severity: string; escalation_level: number; commander: string }>(
        'SELECT status, severity, escalation_level, commander FROM incidents WHERE key = $1',
        [key],
      )
    ).rows[0]!;
  const byTom = async (key: string) => (await timelineOf(h.db, key)).filter((e) => e.actor === TOM);

  beforeAll(async () => {
    h = await startHarness({
      config: (base) => ({ ...base, access: { ...base.access, max_opens_per_person: 3, open_window: 10 * 60_000 } }),
    });
    a = await h.open('auth-401 login failing', { user: ADA });
  });
  afterAll(() => h.stop());

  it('refuses the Acknowledge button to someone outside the incident, privately, saying who may; writes only access.refused', async () => {
    await h.slack.click({ user: TOM, channel: a.channel, ts: a.ts, actionId: 'incident.ack' });
    await h.settle();
    const sentence = said(TOM).find((t) => t.includes(`You may not acknowledge ${a.key}`));
    expect(sentence).toContain(`<#${a.channel}>`);
    expect(sentence).toContain('responders');
    expect((await row(a.key)).status).toBe('open');
    expect(await byTom(a.key)).toEqual([
      expect.objectContaining({ kind: 'access.refused', data: { action: 'acknowledge', intent: 'change' } }),
    ]);
    // Nothing about the refusal reaches the channel.
    expect(h.slack.messages(a.channel).some((m) => JSON.stringify(m).includes(TOM))).toBe(false);
  });

  it('refuses every change command from outside, each with its sentence and its access.refused event, changing nothing', async () => {
    const before = await row(a.key);
    const commands: Array<[string, string]> = [
      [`ack ${a.key}`, 'acknowledge'],
      [`escalate ${a.key}`, 'escalate'],
      [`severity sev1 ${a.key}`, 'change the severity of'],
      [`${a.key} commander @tom`, 'hand over command of'],
      [`step 1 done ${a.key}`, 'move a step of'],
      [`${a.key} note I was here`, 'add a note to'],
      [`${a.key} mitigate`, 'mitigate'],
      [`${a.key} resolve done`, 'resolve'],
      [`${a.key} rollback redis-rollback`, 'request an action on'],
      [`${a.key} health`, 'run health checks in'],
      [`${a.key} token refresh salesforce`, 'refresh a token in'],
    ];
    for (const [text] of commands) await h.slack.sendCommand({ text, user: TOM, channel: 'C0INCIDENTS' });
    await h.settle();
    for (const [text, what] of commands)
      expect(
        said(TOM).some((t) => t.startsWith(`You may not ${what} ${a.key}`)),
        text,
      ).toBe(true);
    const refused = (await byTom(a.key)).filter((e) => e.kind === 'access.refused').map((e) => e.data.action);
    expect(refused).toEqual(expect.arrayContaining(commands.map(([, what]) => what)));
    expect((await byTom(a.key)).every((e) => e.kind === 'access.refused')).toBe(true);
    expect(await row(a.key)).toEqual(before);
  });

  it('refuses the Resolve button before its form opens', async () => {
    const views = h.slack.callsTo('views.open').length;
    await h.slack.click({ user: TOM, channel: a.channel, ts: a.ts, actionId: 'incident.resolve' });
    await h.settle();
    expect(said(TOM).some((t) => t.startsWith(`You may not resolve ${a.key}`))).toBe(true);
    expect(h.slack.callsTo('views.open')).toHaveLength(views);
  });

  it('lets anyone read the timeline', async () => {
    await h.slack.sendCommand({ text: `timeline ${a.key}`, user: TOM, channel: 'C0INCIDENTS' });
    await h.settle();
    expect((await byTom(a.key)).map((e) => e.kind)).toContain('timeline.viewed');
  });

  it('lets a responder of a later level change the incident before being paged or joining the channel', async () => {
    await h.slack.sendCommand({ text: `severity sev1 ${a.key}`, user: LIN, channel: 'C0INCIDENTS' });
    await h.settle();
    expect((await row(a.key)).severity).toBe('sev1');
  });

  it('lets a member of the channel change it, as soon as they join (the cached members are asked again)', async () => {
    const c = await h.open('redis-down cache is gone', { user: ADA });
    h.slack.joinChannel(c.channel, TOM);
    await h.slack.click({ user: TOM, channel: c.channel, ts: c.ts, actionId: 'incident.ack' });
    await h.settle();
    expect((await row(c.key)).status).toBe('acknowledged');
    expect((await byTom(c.key)).map((e) => e.kind)).toEqual(['incident.acknowledged']);
    // Tom was refused in A's channel a moment ago (its members are cached without him); he joins and may.
    h.slack.joinChannel(a.channel, TOM);
    await h.slack.click({ user: TOM, channel: a.channel, ts: a.ts, actionId: 'step.skip.2' });
    await h.settle();
    expect((await byTom(a.key)).map((e) => e.kind)).toContain('step.skipped');
  });

  it('refuses a forged button payload naming another incident, whose channel the presser is not in', async () => {
    const b = await h.open('auth-401 another one', { user: ADA });
    // Tom joins A's channel and presses buttons on A's message, with B's id in their values.
    h.slack.joinChannel(a.channel, TOM);
    const id = String(
      (await h.db.query<{ id: number }>('SELECT id FROM incidents WHERE key = $1', [b.key])).rows[0]!.id,
    );
    await h.slack.click({ user: TOM, channel: a.channel, ts: a.ts, actionId: 'incident.ack', value: id });
    await h.slack.click({ user: TOM, channel: a.channel, ts: a.ts, actionId: 'step.done.1', value: `${id}:1` });
    await h.settle();
    expect((await row(b.key)).status).toBe('open');
    expect((await byTom(b.key)).map((e) => `${e.kind}:${String(e.data.action)}`).sort()).toEqual([
      'access.refused:acknowledge',
      'access.refused:move a step of',
    ]);
    expect(said(TOM).some((t) => t.startsWith(`You may not acknowledge ${b.key}`))).toBe(true);
    expect(
      (
        await h.db.query('SELECT 1 FROM step_states s JOIN incidents i ON i.id = s.incident_id WHERE i.key = $1', [
          b.key,
        ])
      ).rows,
    ).toEqual([]);
  });

  it('lets one person open at most max_opens_per_person incidents per window, and says so', async () => {
    const count = async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents')).rows[0]!.n;
    for (let i = 1; i <= 3; i++) await h.open(`redis-down storm ${i}`, { user: SAM });
    const before = await count();
    await h.slack.sendCommand({ text: 'redis-down one too many', user: SAM, channel: 'C0INCIDENTS' });
    await h.settle();
    expect(await count()).toBe(before);
    expect(said(SAM).some((t) => t.startsWith('You have opened 3 incidents in the last few minutes'))).toBe(true);
    // Someone else still may.
    await h.open('redis-down from someone else', { user: LIN });
    expect(await count()).toBe(before + 1);
  });

  it('posts a hostile note with no live mention or link in any field Slack receives', async () => {
    const hostile = '<!channel> <@U123> <http://evil|click>';
    await h.slack.sendCommand({ text: `note ${hostile}`, user: ADA, channel: a.channel });
    await h.settle();
    const note = (await timelineOf(h.db, a.key)).find((e) => e.kind === 'note.added');
    expect(note?.data.text).toBe(hostile);
    const sent = JSON.stringify([h.slack.calls, h.slack.ephemerals()]);
    expect(sent).toContain('&lt;!channel&gt;');
    for (const live of ['<!channel>', '<@U123>', '<http://evil']) expect(sent).not.toContain(live);
  });
});
