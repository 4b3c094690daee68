import { describe, expect, it } from 'vitest';
import { planDeadlines, reminderAt } from '../../src/domain/deadlines.js';
import { testPlaybook } from '../support/playbooks.js';

const openedAt = new Date('2026-11-23T03:00:00Z');
const plus = (ms: number, from = openedAt) => new Date(from.getTime() + ms);

describe('planning deadlines', () => {
  it('counts each due time from when the incident opened and keeps what meets it', () => {
    const { deadlines } = testPlaybook({
      deadlines: [
        { name: 'notify', title: 'Tell stakeholders', within: '15m', met_by: { event: 'stakeholders_notified' } },
        { name: 'verify', title: 'Verify credentials', within: '1h', met_by: { step: 3 } },
      ],
    });
    expect(planDeadlines(deadlines, openedAt)).toEqual([
      {
        name: 'notify',
        title: 'Tell stakeholders',
        dueAt: plus(15 * 60_000),
        metByStep: null,
        metByEvent: 'stakeholders_notified',
      },
      { name: 'verify', title: 'Verify credentials', dueAt: plus(3_600_000), metByStep: 3, metByEvent: null },
    ]);
  });

  it('plans nothing for a playbook without deadlines', () => {
    expect(planDeadlines(testPlaybook().deadlines, openedAt)).toEqual([]);
  });
});

describe('when to remind the commander', () => {
  const dueAt = plus(30 * 60_000);

  it('is `before` ahead of the due time', () => {
    expect(reminderAt(dueAt, 5 * 60_000, openedAt)).toEqual(plus(25 * 60_000));
  });

  it('is never, when that moment has already passed or is now', () => {
    expect(reminderAt(dueAt, 5 * 60_000, plus(26 * 60_000))).toBeUndefined();
    expect(reminderAt(dueAt, 5 * 60_000, plus(25 * 60_000))).toBeUndefined();
    expect(reminderAt(dueAt, 45 * 60_000, openedAt)).toBeUndefined();
  });
});
