import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type Harness, startHarness } from '../support/harness.js';

describe('a change runbook typed as an incident', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ clock: new ManualClock(new Date()) });
  });
  afterEach(() => h.stop());

  it('is refused with a sentence and opens nothing', async () => {
    await h.slack.sendCommand({ text: 'platform-deploy release 42', user: 'U0ONCALL01', channel: 'C0ENGINEER' });
    await h.settle();
    const answer = await h.slack.waitFor(() =>
      h.slack.ephemerals({ user: 'U0ONCALL01' }).find((e) => e.text.includes('change runbook')),
    );
    expect(answer.text).toContain('`platform-deploy` is a change runbook');
    expect((await h.db.query('SELECT 1 FROM incidents')).rowCount).toBe(0);
  });
});
