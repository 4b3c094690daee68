import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import {
  DuplicateRequestError,
  changeEscalationLevel,
  changeSeverity,
  changeStatus,
  findIncidentByKey,
  getIncident,
  insertIncident,
  listOpenIncidents,
} from '../../src/store/incidents.js';
import { readStepStates, recordStepMove } from '../../src/store/steps.js';
import { appendTimelineEvent, readTimeline } from '../../src/store/timeline.js';
import { type DatabaseKind, type TestDatabase, createTestDatabase } from '../support/db.js';
import { testPlaybook } from '../support/playbooks.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 3, minute));

describe.each<DatabaseKind>(['postgres', 'embedded'])('incident store on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind, { migrated: false });
  });
  afterAll(() => test.drop());

  const open = (overrides: { requestKey?: string; openedBy?: string } = {}) =>
    insertIncident(test.db, {
      playbook: testPlaybook(),
      title: 'Authentication errors (401/403)',
      summary: 'login failing',
      severity: 'sev2',
      openedBy: overrides.openedBy ?? 'U0ONCALL01',
      openedAt: at(0),
      ...overrides,
    });

  describe('migrations', () => {
    it('apply every file once, in order, recorded in schema_migrations', async () => {
      const applied = await migrate(test.db);
      expect(applied.length).toBeGreaterThan(0);
      expect(applied).toEqual([...applied].sort());
      const { rows } = await test.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(applied);
      expect(await migrate(test.db)).toEqual([]);
    });
  });

  describe('opening', () => {
    it('gives the incident an INC key and writes its first timeline event in the same transaction', async () => {
      const { incident, event } = await open();
      expect(incident.key).toMatch(/^INC-\d+$/);
      expect(incident).toMatchObject({
        status: 'open',
        escalationLevel: 1,
        commander: 'U0ONCALL01',
        openedBy: 'U0ONCALL01',
        severity: 'sev2',
      });
      expect(incident.playbook.steps).toHaveLength(3);
      expect(event).toMatchObject({ incidentId: incident.id, kind: 'incident.opened', actor: 'U0ONCALL01' });
      expect(await findIncidentByKey(test.db, incident.key.toLowerCase())).toMatchObject({ id: incident.id });
    });

    it('gives 50 incidents opened at once 50 distinct keys and 50 first events', async () => {
      const opened = await Promise.all(
        Array.from({ length: 50 }, (_, i) => open({ openedBy: `U0LOAD${String(i).padStart(4, '0')}` })),
      );
      const keys = new Set(opened.map((o) => o.incident.key));
      expect(keys.size).toBe(50);
      const { rows } = await test.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM timeline_events WHERE kind = 'incident.opened' AND incident_id = ANY($1::bigint[])`,
        [opened.map((o) => o.incident.id)],
      );
      expect(rows[0]!.n).toBe(50);
    });

    it('opens nothing for a request it has already handled', async () => {
      const before = (await listOpenIncidents(test.db, 1000)).length;
      await open({ requestKey: 'cmd:trigger-1' });
      await expect(open({ requestKey: 'cmd:trigger-1' })).rejects.toBeInstanceOf(DuplicateRequestError);
      expect((await listOpenIncidents(test.db, 1000)).length).toBe(before + 1);
    });
  });

  describe('status changes', () => {
    it('acknowledges once, with its time and event, however many times it is asked', async () => {
      const { incident } = await open();
      const results = await Promise.all(
        ['U0ONCALL01', 'U0SECOND02', 'U0ONCALL01'].map((actor) =>
          changeStatus(test.db, { incidentId: incident.id, to: 'acknowledged', actor, at: at(5) }),
        ),
      );
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      const after = await getIncident(test.db, incident.id);
      expect(after).toMatchObject({ status: 'acknowledged', acknowledgedAt: at(5) });
      const events = await readTimeline(test.db, incident.id);
      expect(events.map((e) => e.kind)).toEqual(['incident.opened', 'incident.acknowledged']);
      expect(events[1]!.data).toMatchObject({ from: 'open', to: 'acknowledged' });
    });

    it('refuses to acknowledge a resolved incident and writes nothing', async () => {
      const { incident } = await open();
      expect(
        (await changeStatus(test.db, { incidentId: incident.id, to: 'resolved', actor: 'U0ONCALL01', at: at(9) }))
          .changed,
      ).toBe(true);
      const refused = await changeStatus(test.db, {
        incidentId: incident.id,
        to: 'acknowledged',
        actor: 'U0ONCALL01',
        at: at(10),
      });
      expect(refused).toMatchObject({ changed: false, incident: { status: 'resolved' } });
      expect((await readTimeline(test.db, incident.id)).map((e) => e.kind)).toEqual([
        'incident.opened',
        'incident.resolved',
      ]);
      expect((await listOpenIncidents(test.db, 1000)).some((i) => i.id === incident.id)).toBe(false);
    });

    it('changes severity and escalation level, each with its event', async () => {
      const { incident } = await open();
      expect(
        await changeSeverity(test.db, { incidentId: incident.id, severity: 'sev1', actor: 'U0ONCALL01', at: at(1) }),
      ).toMatchObject({ changed: true, event: { data: { from: 'sev2', to: 'sev1' } } });
      expect(
        (await changeSeverity(test.db, { incidentId: incident.id, severity: 'sev1', actor: 'U0ONCALL01', at: at(2) }))
          .changed,
      ).toBe(false);
      expect(
        await changeEscalationLevel(test.db, {
          incidentId: incident.id,
          level: 2,
          actor: 'system',
          at: at(3),
          onlyFrom: 1,
        }),
      ).toMatchObject({ changed: true, incident: { escalationLevel: 2 } });
      // A stale scheduled escalation planned from level 1 does nothing now.
      expect(
        (
          await changeEscalationLevel(test.db, {
            incidentId: incident.id,
            level: 2,
            actor: 'system',
            at: at(4),
            onlyFrom: 1,
          })
        ).changed,
      ).toBe(false);
      const kinds = (await readTimeline(test.db, incident.id)).map((e) => e.kind);
      expect(kinds).toEqual(['incident.opened', 'incident.severity_changed', 'incident.escalated']);
    });
  });

  describe('steps', () => {
    it('marks a step done once, even when two people click at once', async () => {
      const { incident } = await open();
      const results = await Promise.all(
        ['U0ONCALL01', 'U0SECOND02'].map((actor) =>
          recordStepMove(test.db, {
            incidentId: incident.id,
            step: 2,
            to: 'done',
            actor,
            at: at(3),
            kind: 'step.done',
          }),
        ),
      );
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      const states = await readStepStates(test.db, incident.id);
      expect(states).toHaveLength(1);
      expect(states[0]).toMatchObject({ step: 2, state: 'done' });
      expect((await getIncident(test.db, incident.id))!.version).toBe(incident.version + 1);
    });

    it('lets a failed step be retried but never undoes a done one', async () => {
      const { incident } = await open();
      const move = (to: 'failed' | 'running' | 'done' | 'pending') =>
        recordStepMove(test.db, {
          incidentId: incident.id,
          step: 1,
          to,
          actor: 'system',
          at: at(4),
          kind: 'step.failed',
        });
      expect((await move('failed')).changed).toBe(true);
      expect((await move('running')).changed).toBe(true);
      expect((await move('done')).changed).toBe(true);
      expect((await move('pending')).changed).toBe(false);
    });
  });

  describe('timeline', () => {
    it('reads events in the order they happened, not the order they were written', async () => {
      const { incident } = await open();
      await appendTimelineEvent(test.db, {
        incidentId: incident.id,
        occurredAt: at(20),
        actor: 'U0ONCALL01',
        kind: 'note.added',
        data: { text: 'later' },
      });
      await appendTimelineEvent(test.db, {
        incidentId: incident.id,
        occurredAt: at(10),
        actor: 'U0ONCALL01',
        kind: 'note.added',
        data: { text: 'earlier' },
      });
      const notes = (await readTimeline(test.db, incident.id))
        .filter((e) => e.kind === 'note.added')
        .map((e) => e.data.text);
      expect(notes).toEqual(['earlier', 'later']);
    });

    it('is append-only', async () => {
      const { incident } = await open();
      await expect(
        test.db.query('UPDATE timeline_events SET actor = $1 WHERE incident_id = $2', ['someone', incident.id]),
      ).rejects.toThrow(/append-only/);
      await expect(test.db.query('DELETE FROM timeline_events WHERE incident_id = $1', [incident.id])).rejects.toThrow(
        /append-only/,
      );
    });
  });
});

describe('two migrators starting at once', () => {
  it('both succeed and apply each migration once', async () => {
    const test = await createTestDatabase('postgres', { migrated: false });
    try {
      const replicas = [test.connectAnother(), test.connectAnother(), test.connectAnother()];
      const results = await Promise.all(replicas.map((db) => migrate(db)));
      const all = results.flat();
      expect(new Set(all).size).toBe(all.length);
      const { rows } = await test.db.query<{ name: string }>('SELECT name FROM schema_migrations');
      expect(rows.map((r) => r.name).sort()).toEqual([...all].sort());
    } finally {
      await test.drop();
    }
  });
});
