import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TIMELINE_DATA, TIMELINE_KINDS, readEvent, timelineEvent } from '../../src/domain/timeline.js';
import { timelineContractTable } from '../../src/domain/timelineContract.js';

const HEADING = "### The timeline's contract";
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe("the timeline's contract", () => {
  it('gives every kind a schema and says when it is written, and has no entry for a kind that does not exist', () => {
    expect(Object.keys(TIMELINE_DATA).sort()).toEqual([...TIMELINE_KINDS].sort());
    for (const kind of TIMELINE_KINDS) expect(TIMELINE_DATA[kind].when, kind).toMatch(/^[a-zA-Z"].{5,}/);
  });

  it('is a table with one row per kind, in order, naming every field of its data', () => {
    const rows = timelineContractTable().split('\n').slice(2);
    expect(rows.map((row) => /^\| `([a-z._]+)` \|/.exec(row)?.[1])).toEqual([...TIMELINE_KINDS]);
    for (const [i, kind] of TIMELINE_KINDS.entries())
      for (const field of Object.keys(TIMELINE_DATA[kind].shape))
        expect(rows[i]).toMatch(new RegExp(`\`${field}\\??\``));
  });

  it('marks a field that is not always written with ?', () => {
    const escalated = timelineContractTable()
      .split('\n')
      .find((row) => row.startsWith('| `incident.escalated`'));
    expect(escalated).toContain('`from` number');
    expect(escalated).toContain('`late?` boolean');
    expect(escalated).toContain('`clock?` ack \\| unresolved');
  });

  it('is the table the README publishes', () => {
    expect(readme).toContain(HEADING);
    expect(readme.split(HEADING)[1]).toContain(`\n${timelineContractTable()}\n`);
  });
});

describe('reading an event', () => {
  const event = (kind: string, data: Record<string, unknown>) =>
    ({ id: 1, incidentId: 1, occurredAt: new Date(0), actor: 'system', kind, data }) as Parameters<typeof readEvent>[0];

  it('gives the data typed by its kind, unknown extra fields kept', () => {
    const read = readEvent(event('deadline.met', { name: 'n', title: 'T', dueAt: 'x', extra: 1 }));
    expect(read).toMatchObject({ kind: 'deadline.met', data: { name: 'n', title: 'T', dueAt: 'x', extra: 1 } });
  });

  it('reads nothing from a row whose data has the wrong shape or whose kind it does not know', () => {
    expect(readEvent(event('deadline.met', { name: 'n' }))).toBeUndefined();
    expect(readEvent(event('report.posted', { bytes: 'many' }))).toBeUndefined();
    expect(readEvent(event('incident.merged', {}))).toBeUndefined();
  });

  it('builds an event from a kind and data of that kind', () => {
    expect(timelineEvent('note.added', { text: 'hi' })).toEqual({ kind: 'note.added', data: { text: 'hi' } });
  });
});
