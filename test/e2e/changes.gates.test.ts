import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { overrideConfig } from '../support/config.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { PLAYBOOKS_DIR, type Harness, startHarness } from '../support/harness.js';
import { FakeService } from '../support/targets.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01';
const GRACE = 'U0SECOND02';

const healthy = { status: 200, body: { status: 'healthy' } };
const failing = { status: 503, body: { status: 'unhealthy' } };

/** What #engineering (platform-deploy's and readiness-ops' stakeholders) was told, threads included. */
const stakeholderPosts = (h: Harness) =>
  h.slack.messages('C0ENGINEER').flatMap((m) => [m, ...h.slack.thread(m.channel, m.ts)]);

/**
 * A change walked through the GO/NO-GO gates of `platform-deploy` (document 001's deployment sequence): the
 * gate's check is the test's own HTTP service, so the test decides whether it passes.
 */
describe('change gates', () => {
  let h: Harness;
  let service: FakeService;
  let channel: string;
  let ts: string;
  let beforeNoGo: unknown[] = [];
  const live = () => JSON.stringify(h.slack.message(channel, ts)?.blocks ?? []);
  const buttons = () =>
    (h.slack.message(channel, ts)?.blocks ?? []).flatMap((b) =>
      'elements' in b && Array.isArray(b.elements)
        ? (b.elements as Array<{ type: string; action_id?: string }>)
            .filter((e) => e.type === 'button')
            .map((e) => e.action_id)
        : [],
    );
  const press = async (actionId: string, user = ADA) => {
    const click = await h.slack.click({ user, channel, ts, actionId });
    expect(click.status).toBe(200);
    await h.settle();
  };
  const reply = (words: string, user = ADA) =>
    h.slack.waitFor(() => h.slack.ephemerals({ user }).find((e) => e.text.includes(words)), { what: words });
  const kinds = async () => (await timelineOf(h.db, 'CHG-1')).map((e) => e.kind);

  beforeAll(async () => {
    service = await FakeService.start();
    h = await startHarness({
      clock: new ManualClock(new Date()),
      config: (base) =>
        overrideConfig(base, {
          checks: {
            database: { kind: 'http', url: `${service.url}/health`, timeout: '2s', retries: 0 },
          },
        }),
    });
    await h.slack.sendCommand({ text: 'change platform-deploy release 42', user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    await reply('CHG-1');
    const { rows } = await h.db.query<{ channel_id: string; message_ts: string }>(
      `SELECT channel_id, message_ts FROM incidents WHERE key = 'CHG-1'`,
    );
    ({ channel_id: channel, message_ts: ts } = rows[0]!);
  });
  afterAll(async () => {
    await h.stop();
    await service.close();
  });

  it('shows the gates in the live message, with no gate button before the phase is done', () => {
    expect(live()).toContain('Gates');
    expect(live()).toContain('0 of 6 GO');
    expect(live()).not.toContain('Acknowledge');
    expect(buttons()).not.toContain('gate.check.1');
  });

  it('refuses GO at a gate whose phase is not done, changing nothing', async () => {
    await h.slack.click({ user: ADA, channel, ts, actionId: 'step.done.1' });
    await h.settle();
    expect(buttons()).not.toContain('gate.go.1');
    expect(await kinds()).not.toContain('change.gate_go');
  });

  it('offers the gate checks once its phase is done, and no GO while a check fails', async () => {
    await press('step.done.2');
    expect(buttons()).toEqual(expect.arrayContaining(['gate.check.1', 'gate.nogo.1']));
    expect(buttons()).not.toContain('gate.go.1');
    service.health = failing;
    await press('gate.check.1');
    expect((await reply('GO is not offered')).text).toContain('database failed');
    expect(buttons()).not.toContain('gate.go.1');
    const checked = (await timelineOf(h.db, 'CHG-1')).find((e) => e.kind === 'change.gate_checked');
    expect(checked?.data).toMatchObject({
      gate: 1,
      name: 'database',
      results: [{ check: 'database', status: 'fail' }],
    });
  });

  it('offers GO once the checks pass, and records who pressed it with the results they saw', async () => {
    service.health = healthy;
    await press('gate.check.1');
    await reply('every check passed');
    expect(buttons()).toContain('gate.go.1');
    const stale = h.slack.message(channel, ts)!.blocks;
    await press('gate.go.1', GRACE);
    await reply('GO at gate 1', GRACE);
    // The same button pressed again from the message as it was: decided once.
    await h.slack.click({ user: ADA, channel, ts, actionId: 'gate.go.1', staleBlocks: stale });
    await h.settle();
    expect((await reply('gate 1 is already decided')).text).toContain('CHG-1');
    expect((await kinds()).filter((k) => k === 'change.gate_go')).toHaveLength(1);
    const go = (await timelineOf(h.db, 'CHG-1')).find((e) => e.kind === 'change.gate_go');
    expect(go).toMatchObject({
      actor: GRACE,
      data: { gate: 1, results: [{ check: 'database', status: 'pass' }] },
    });
    expect(live()).toContain('1 of 6 GO');
    expect(live()).toContain(`*GO* by <@${GRACE}>`);
  });

  it('halts at NO-GO, offers the gate’s rollback in the live message and tells the stakeholders', async () => {
    await press('step.done.3');
    await press('step.done.4');
    beforeNoGo = h.slack.message(channel, ts)?.blocks ?? [];
    await press('gate.nogo.2');
    await reply('is halted');
    expect(live()).toContain('Halted at gate 2');
    // Gate 2's own rollback list: the Redis revert and the push.
    expect(buttons()).toEqual(expect.arrayContaining(['action.request.redis-rollback', 'action.request.deploy-push']));
    expect(buttons()).not.toContain('action.request.telemetry-rollback');
    const noGo = (await timelineOf(h.db, 'CHG-1')).find((e) => e.kind === 'change.gate_no_go');
    expect(noGo?.data).toMatchObject({ gate: 2, rollback: ['redis-rollback', 'deploy-push'] });
    await h.slack.waitFor(() => stakeholderPosts(h).find((m) => m.text.includes('NO-GO at gate 2')), {
      what: 'the stakeholder update about the NO-GO',
    });
  });

  it('refuses a gate button once the change is halted, changing nothing', async () => {
    const before = await kinds();
    await h.slack.click({ user: GRACE, channel, ts, actionId: 'gate.nogo.2', staleBlocks: beforeNoGo });
    await h.settle();
    expect((await reply('halted by NO-GO at gate 2', GRACE)).text).toContain('CHG-1');
    expect((await kinds()).filter((k) => k.startsWith('change.'))).toEqual(
      before.filter((k) => k.startsWith('change.')),
    );
    await h.slack.sendCommand({ text: 'change status', user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    expect((await reply('Open changes')).text).toContain('halted by NO-GO at gate 2');
  });
});

describe('a change completed', () => {
  let h: Harness;
  let service: FakeService;
  beforeAll(async () => {
    service = await FakeService.start();
    service.health = healthy;
    const check = { kind: 'http', url: `${service.url}/health`, timeout: '2s', retries: 0 } as const;
    h = await startHarness({
      clock: new ManualClock(new Date()),
      config: (base) => overrideConfig(base, { checks: { 'response-time': check, 'streamlit-caches': check } }),
    });
  });
  afterAll(async () => {
    await h.stop();
    await service.close();
  });

  it('completes when every gate is GO and every step done, and the stakeholders hear it ended', async () => {
    // readiness-ops: six gates, one with checks (the others a person's judgement), no watch.
    await h.slack.sendCommand({ text: 'change readiness-ops', user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    await h.slack.waitFor(() => h.slack.ephemerals({ user: ADA }).find((e) => e.text.includes('CHG-1')), {
      what: 'CHG-1 started',
    });
    const { rows } = await h.db.query<{ id: number; channel_id: string; message_ts: string }>(
      `SELECT id, channel_id, message_ts FROM incidents WHERE key = 'CHG-1'`,
    );
    const { id, channel_id: channel, message_ts: ts } = rows[0]!;
    const { playbooks } = await loadPlaybooks(PLAYBOOKS_DIR);
    const playbook = playbooks.find((p) => p.id === 'readiness-ops')!;
    for (let step = 1; step <= playbook.steps.length; step++) {
      await h.slack.click({ user: ADA, channel, ts, actionId: `step.skip.${step}` });
      await h.settle();
      const gate = playbook.gates.findIndex((g) => g.after_step === step) + 1;
      if (gate > 0) {
        if (playbook.gates[gate - 1]!.checks.length) {
          await h.slack.click({ user: ADA, channel, ts, actionId: `gate.check.${gate}` });
          await h.settle();
        }
        await h.slack.click({ user: ADA, channel, ts, actionId: `gate.go.${gate}` });
        await h.settle();
      }
    }
    const events = await timelineOf(h.db, 'CHG-1');
    expect(events.filter((e) => e.kind === 'change.gate_go')).toHaveLength(playbook.gates.length);
    const lastGo = events.findLastIndex((e) => e.kind === 'change.gate_go');
    expect(events.findIndex((e) => e.kind === 'change.completed')).toBeGreaterThan(lastGo);
    const status = await h.db.query<{ status: string }>('SELECT status FROM incidents WHERE id = $1', [id]);
    expect(status.rows[0]!.status).toBe('resolved');
    await h.slack.waitFor(() => stakeholderPosts(h).find((m) => m.text.includes('The change is completed')), {
      what: 'the stakeholder update that the change ended',
    });
  });
});
