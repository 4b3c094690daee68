import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type Harness, startHarness } from '../support/harness.js';

const ADA = 'U0ONCALL01';

describe('changes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ clock: new ManualClock(new Date()) });
  });
  afterEach(() => h.stop());

  const said = async (text: string, words: string) => {
    await h.slack.sendCommand({ text, user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    return h.slack.waitFor(() => h.slack.ephemerals({ user: ADA }).find((e) => e.text.includes(words)), {
      what: words,
    });
  };

  it('starts CHG-1 from a change runbook, lists it in status and aborts it with the reason recorded', async () => {
    await said('change platform-deploy release 42', 'CHG-1');
    const { rows } = await h.db.query<{ key: string; kind: string }>('SELECT key, kind FROM incidents');
    expect(rows).toEqual([{ key: 'CHG-1', kind: 'change' }]);
    expect((await said('change status', 'Open changes')).text).toContain('CHG-1');
    await said('change abort CHG-1 window closed', 'is aborted');
    const events = await h.db.query<{ kind: string; data: { reason?: string } }>(
      'SELECT kind, data FROM timeline_events ORDER BY id',
    );
    expect(events.rows[0]!.kind).toBe('change.started');
    expect(events.rows.find((e) => e.kind === 'change.aborted')?.data.reason).toBe('window closed');
  });

  it('refuses an incident playbook and an abort with no open change, changing nothing', async () => {
    expect((await said('change auth-401', 'not a change runbook')).text).toContain(
      '`auth-401` is an incident playbook',
    );
    await said('change abort', 'nothing to abort');
    expect((await h.db.query('SELECT 1 FROM incidents')).rowCount).toBe(0);
  });
});
