import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { escalationPolicySchema } from '../../src/config/escalation.js';
import { deadlineReminder, pageInThread } from '../../src/notify/messages.js';
import { levelClockWork, levelWork } from '../../src/app/work/escalation.js';
import { workHandlers } from '../../src/app/work/handlers.js';
import { type WorkKind, type WorkPayloadInput, WorkPayloads, newWork } from '../../src/app/work/payloads.js';
import { placeWork } from '../../src/app/work/place.js';
import { threadPostWork } from '../../src/app/work/threadPost.js';
import type { AppDeps } from '../../src/app/deps.js';
import { insertIncident } from '../../src/store/incidents.js';
import { type NewWork, claimDueWork, scheduleWork } from '../../src/store/work.js';
import { type TestDatabase, createTestDatabase } from '../support/db.js';
import { testIncident } from '../support/incident.js';
import { testPlaybook } from '../support/playbooks.js';

const T0 = new Date(Date.UTC(2026, 0, 1, 3, 0));

/** Every TypeScript file under a folder of src/. */
function sources(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/** The payloads of scheduled work (src/app/work/payloads.ts): a schema per kind, written and read back. */
describe('work payloads', () => {
  it('has a schema for every kind of work the bot handles, and a handler for every schema', () => {
    // The handlers are closures over deps: building the map calls nothing.
    const handlers = workHandlers({} as AppDeps);
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(WorkPayloads).sort());
    for (const [kind, handler] of Object.entries(handlers))
      expect(handler.payload, kind).toBe(WorkPayloads[kind as WorkKind]);
  });

  it('has a schema for every kind the code schedules, and app code schedules only through newWork', () => {
    const scheduled = new Set<string>();
    for (const { file, text } of sources('src')) {
      for (const m of text.matchAll(/newWork\(\s*'([^']+)'/g)) scheduled.add(m[1]!);
      // A NewWork written as an object literal (kind, dueAt, payload by hand) would skip the payload's type.
      if (file.startsWith(join('src', 'app')) && !file.endsWith('payloads.ts'))
        expect(text, file).not.toMatch(/\{\s*kind:[^{}]*\bdueAt:/);
    }
    scheduled.add('render'); // app/liveMessage.ts RENDER_KIND
    expect(scheduled.size).toBeGreaterThanOrEqual(8);
    for (const kind of scheduled) expect(Object.keys(WorkPayloads), kind).toContain(kind);
  });

  describe('written through scheduleWork to PostgreSQL, claimed and parsed', () => {
    let test: TestDatabase;
    let incidentId: number;
    beforeAll(async () => {
      test = await createTestDatabase('postgres');
      const { incident } = await insertIncident(test.db, {
        playbook: testPlaybook(),
        title: 'payloads',
        summary: '',
        severity: 'sev2',
        openedBy: 'U0ONCALL01',
        openedAt: T0,
      });
      incidentId = incident.id;
    });
    afterAll(() => test.drop());
    beforeEach(async () => {
      await test.db.query('TRUNCATE scheduled_work');
    });

    /** Writes the items, claims them, and answers each one's kind and parsed payload, in order. */
    const roundTrip = async (items: NewWork[]) => {
      await scheduleWork(test.db, items, T0);
      const claimed = await claimDueWork(test.db, 'w', new Date(T0.getTime() + 3_600_000), 15_000, 50);
      return claimed.map((w) => {
        const schema = WorkPayloads[w.kind as WorkKind];
        const parsed = schema.safeParse(w.payload);
        if (!parsed.success) throw new Error(`${w.kind}: ${parsed.error.message}`);
        return { kind: w.kind, payload: parsed.data };
      });
    };

    it("reads back each scheduler's payload as it was written, dates as Dates", async () => {
      const incident = testIncident({
        id: incidentId,
        escalationPolicy: escalationPolicySchema.parse({
          levels: [{ name: 'L1', responders: { users: ['U0ONCALL01'] }, acknowledged_within: '15m' }],
        }),
      });
      const startsAt = new Date('2026-01-01T02:59:12.345Z');
      const items = [
        placeWork(incident, T0, { opener: 'U0ONCALL01', dedicated: true }),
        threadPostWork(
          incidentId,
          { kind: 'alert-firing', alertname: 'HighErrorRate', labels: { a: 'b' }, annotations: {}, startsAt },
          T0,
          'alert',
        ),
        ...levelWork(incident, 1, 0, 'opened', T0, 4_000),
        ...levelClockWork(incident, 1, 0, 'opened', T0),
      ];
      const back = await roundTrip(items);
      expect(back.map((b) => b.kind)).toEqual(['place', 'thread.post', 'page', 'escalate']);
      expect(back[0]!.payload).toEqual({ opener: 'U0ONCALL01', dedicated: true });
      expect(back[1]!.payload).toEqual({
        post: { kind: 'alert-firing', alertname: 'HighErrorRate', labels: { a: 'b' }, annotations: {}, startsAt },
      });
      expect(back[2]!.payload).toEqual({ level: 1, cycle: 0, because: 'opened', lateByMs: 4_000 });
      expect(back[3]!.payload).toEqual({ level: 1, cycle: 0, clock: 'ack' });
    });

    it('reads back a payload of every kind', async () => {
      const facts = {
        key: 'INC-1',
        title: 'payloads',
        level: 1,
        levelName: 'L1',
        channelId: 'C0INC1',
        usergroups: [],
        users: ['U0ONCALL01'],
        playbooks: [],
        steps: [],
      };
      // One of each kind, keyed by kind: a kind added without a sample here does not compile.
      const samples: { [K in WorkKind]: WorkPayloadInput<K> } = {
        place: { opener: 'U0ONCALL01', dedicated: false },
        'storm.move': { opener: 'U0ONCALL01' },
        'thread.post': { post: { kind: 'alerts-joined', names: [{ name: 'A', count: 2 }], folded: 0 } },
        escalate: { level: 2, cycle: 1, clock: 'unresolved' },
        page: { level: 1, cycle: 0 },
        'page.rule': { person: 'U0ONCALL01', rule: 2, via: 'sms', level: 1 },
        'page.mirror': { to: 'pagerduty', action: 'acknowledge' },
        deliver: {
          to: 'C0STAKE01',
          thread: 'stakeholder',
          message: pageInThread(facts),
          record: { kind: 'notification.sent', data: { reason: 'opened', group: 'execs', to: 'C0STAKE01' } },
          meets: 'stakeholders_notified',
        },
        'deadline.remind': { name: 'first-update' },
        'deadline.check': { name: 'first-update' },
        render: { why: 'failed' },
        'action.expire': { runId: 12 },
        'action.announce': { runId: 12 },
        'watch.run': { window: 2 },
        'oncall.handoff': {
          schedule: 'auth',
          user: 'U0ONCALL01',
          start: new Date('2026-01-05T09:00:00Z'),
          end: new Date('2026-01-12T09:00:00Z'),
          phase: 'notice',
        },
      };
      const kinds = Object.keys(samples) as WorkKind[];
      const sample = <K extends WorkKind>(kind: K, i: number) =>
        newWork(kind, samples[kind], { incidentId, dueAt: new Date(T0.getTime() + i), dedupeKey: kind });
      const back = await roundTrip(kinds.map(sample));
      expect(back).toEqual(kinds.map((kind) => ({ kind, payload: samples[kind] })));
      // A reminder's message keeps its blocks as written.
      const [remind] = await roundTrip([
        newWork(
          'deliver',
          { thread: 'incident', message: deadlineReminder('U0ONCALL01', 'First update', T0) },
          { incidentId, dueAt: T0 },
        ),
      ]);
      expect(remind!.payload).toEqual({
        thread: 'incident',
        message: deadlineReminder('U0ONCALL01', 'First update', T0),
      });
    });

    it('refuses a payload of the wrong shape with a message that names the field', () => {
      const parsed = WorkPayloads.page.safeParse({ level: 'one', cycle: 0 });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['level']);
      // A field more (a row from a newer version) is read, and kept.
      expect(WorkPayloads.page.parse({ level: 1, cycle: 0, addedLater: true })).toEqual({
        level: 1,
        cycle: 0,
        addedLater: true,
      });
    });
  });
});
