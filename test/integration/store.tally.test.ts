import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncident } from '../../src/store/incidents.js';
import { recordStepMove } from '../../src/store/steps.js';
import type { Database } from '../../src/store/db.js';
import { tallyTimeline } from '../../src/store/tally.js';
import { appendKeyedTimelineEvents, appendTimelineEvent } from '../../src/store/timeline.js';
import { type DatabaseKind, type TestDatabase, createTestDatabase } from '../support/db.js';
import { testPlaybook } from '../support/playbooks.js';

const at = new Date(Date.UTC(2026, 0, 1, 3, 0));
const key = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe.each<DatabaseKind>(['postgres', 'embedded'])('the timeline tally on %s', (kind) => {
  let test: TestDatabase;
  let counted: string[];
  let db: Database;
  beforeAll(async () => {
    test = await createTestDatabase(kind, { migrated: true });
  });
  afterAll(() => test.drop());

  const fresh = () => {
    counted = [];
    db = tallyTimeline(test.db, (written) => counted.push(written));
  };
  const open = async () =>
    (
      await insertIncident(db, {
        playbook: testPlaybook(),
        title: 'Authentication errors (401/403)',
        summary: 'login failing',
        severity: 'sev2',
        openedBy: 'U0ONCALL01',
        openedAt: at,
      })
    ).incident;
  const note = (incidentId: number) => ({
    incidentId,
    occurredAt: at,
    actor: 'U0ONCALL01',
    kind: 'note.added' as const,
    data: { text: 'restarted the pods' },
  });

  it('counts the opening event once its transaction has committed', async () => {
    fresh();
    await open();
    expect(counted).toEqual(['incident.opened']);
  });

  it('counts an event written outside a transaction at once', async () => {
    fresh();
    const incident = await open();
    await appendTimelineEvent(db, note(incident.id));
    expect(counted).toEqual(['incident.opened', 'note.added']);
  });

  it('counts nothing a transaction wrote before it rolled back, and waits for the commit otherwise', async () => {
    fresh();
    const incident = await open();
    counted = [];
    await expect(
      db.transaction(async (tx) => {
        await appendTimelineEvent(tx, note(incident.id));
        throw new Error('PostgreSQL went away');
      }),
    ).rejects.toThrow('PostgreSQL went away');
    expect(counted).toEqual([]);
    await db.transaction(async (tx) => {
      await appendTimelineEvent(tx, note(incident.id));
      expect(counted).toEqual([]);
    });
    expect(counted).toEqual(['note.added']);
  });

  it('counts a step move once when two people click at once, and the spool replay only for rows it wrote', async () => {
    fresh();
    const incident = await open();
    counted = [];
    const move = (actor: string) =>
      recordStepMove(db, { incidentId: incident.id, step: 2, to: 'done', actor, at, kind: 'step.done' });
    await Promise.all([move('U0ONCALL01'), move('U0SECOND02')]);
    expect(counted).toEqual(['step.done']);
    counted = [];
    const spooled = [
      { ...note(incident.id), key: key(1) },
      { ...note(incident.id), key: key(2) },
    ];
    expect(await appendKeyedTimelineEvents(db, spooled)).toBe(2);
    expect(await appendKeyedTimelineEvents(db, spooled)).toBe(0);
    expect(counted).toEqual(['note.added', 'note.added']);
  });

  it('leaves the bare adapter silent: only the tallied database counts', async () => {
    fresh();
    const incident = await open();
    counted = [];
    await appendTimelineEvent(test.db, note(incident.id));
    expect(counted).toEqual([]);
  });
});
