import { describe, expect, it } from 'vitest';
import type { DeadlineView } from '../../src/domain/deadlines.js';
import { buildReport, type ReportInput } from '../../src/domain/report.js';
import { stepBoard } from '../../src/domain/steps.js';
import type { TimelineEvent, TimelineKind } from '../../src/domain/timeline.js';
import { testIncident } from '../support/incident.js';

const OPENED = { key: 'INC-7', playbook: 'auth-401', title: 'Auth', summary: 'login failing', severity: 'sev2' };
const openedAt = new Date('2026-11-23T03:00:00Z');
const at = (minutes: number) => new Date(openedAt.getTime() + minutes * 60_000);

let id = 0;
const event = (minutes: number, kind: TimelineKind, data: Record<string, unknown> = {}, actor = 'U0ONCALL01') =>
  ({ id: ++id, incidentId: 7, occurredAt: at(minutes), actor, kind, data }) satisfies TimelineEvent;

const report = (overrides: Partial<ReportInput> = {}) =>
  buildReport({
    incident: testIncident(),
    steps: stepBoard(3, []),
    deadlines: [],
    events: [event(0, 'incident.opened', OPENED)],
    now: at(90),
    ...overrides,
  });

const lines = (markdown: string, heading: string) => {
  const rest = markdown.split(`## ${heading}\n\n`)[1] ?? '';
  return rest.split('\n\n')[0]!.split('\n');
};

describe('the incident report', () => {
  it('starts with the key and title and a table of the facts', () => {
    const md = report();
    expect(md.startsWith('# INC-7 · Authentication errors (401/403)\n')).toBe(true);
    for (const row of [
      '| Playbook | `auth-401` (source: document 000, Incident Response Procedures > Symptom: Authentication Errors (401/403)) |',
      '| Severity | SEV2 major |',
      '| Status | open |',
      '| Commander | @U0ONCALL01 |',
      '| Opened | 2026-11-23 03:00:00 UTC by @U0ONCALL01 |',
      '| Time to acknowledge | not yet |',
      '| Escalation | level 1 |',
    ])
      expect(md).toContain(`${row}\n`);
  });

  it('gives the time to acknowledge, mitigate and resolve from when it opened', () => {
    const md = report({
      incident: testIncident({ status: 'resolved', acknowledgedAt: at(4), mitigatedAt: at(30), resolvedAt: at(75) }),
    });
    expect(md).toContain('| Time to acknowledge | 4m |');
    expect(md).toContain('| Time to mitigate | 30m |');
    expect(md).toContain('| Time to resolve | 1h 15m |');
  });

  it('says the severity it opened with when that changed, and the policy in force', () => {
    const md = report({
      incident: testIncident({ severity: 'sev1', escalationPolicyName: 'critical', escalationLevel: 2 }),
    });
    expect(md).toContain('| Severity | SEV1 critical (opened as sev2) |');
    expect(md).toContain('| Escalation | level 2 of policy `critical` |');
  });

  it('gives the summary, and the resolution from the last resolve', () => {
    const md = report({
      events: [
        event(0, 'incident.opened', OPENED),
        event(10, 'incident.resolved', { from: 'open', to: 'resolved', summary: 'first try' }),
        event(20, 'incident.resolved', { from: 'open', to: 'resolved', summary: 'token rotated' }),
      ],
    });
    expect(lines(md, 'Summary')).toEqual(['login failing']);
    expect(md).toContain('**Resolution:** token rotated');
    expect(report({ incident: testIncident({ summary: '' }) })).toContain(
      '_No summary was given when the incident opened._',
    );
  });

  it('lists deadlines with their due time, outcome and when they were settled', () => {
    const deadlines: DeadlineView[] = [
      { name: 'notify', title: 'Tell | stakeholders', dueAt: at(15), state: 'met', at: at(9) },
      { name: 'fix', title: 'Fix it', dueAt: at(60), state: 'pending' },
    ];
    expect(lines(report({ deadlines }), 'Deadlines')).toEqual([
      '| Deadline | Due | Outcome | Settled |',
      '|---|---|---|---|',
      '| Tell \\| stakeholders | 2026-11-23 03:15:00 UTC (+15m) | met | 2026-11-23 03:09:00 UTC |',
      '| Fix it | 2026-11-23 04:00:00 UTC (+1h) | pending | — |',
    ]);
    expect(lines(report(), 'Deadlines')).toEqual(['_This playbook sets no deadlines._']);
  });

  it('gathers escalations, checks and token refreshes, and actions in their own sections', () => {
    const md = report({
      events: [
        event(0, 'incident.opened', OPENED),
        event(
          2,
          'check.result',
          { check: 'app-health', target: 'prod', status: 'pass', latencyMs: 120, attempts: 1 },
          'system',
        ),
        event(3, 'token.refreshed', { provider: 'okta', attempts: 1, by: 'this-process' }),
        event(15, 'incident.escalated', { from: 1, to: 2, clock: 'ack' }, 'system'),
        event(15, 'escalation.paged', { level: 2, cycle: 0, name: '', usergroups: [], users: ['U0B'] }, 'system'),
        event(
          20,
          'action.finished',
          { action: 'rollback', runId: 1, outcome: 'succeeded', durationMs: 4_000 },
          'system',
        ),
      ],
    });
    expect(lines(md, 'Escalations')).toEqual([
      '- 2026-11-23 03:15:00 UTC (+15m) incident-bot escalated level 1 → 2 (nobody acknowledged in time)',
      '- 2026-11-23 03:15:00 UTC (+15m) incident-bot paged level 2: @U0B',
    ]);
    expect(lines(md, 'Checks and token refreshes')).toEqual([
      '- 2026-11-23 03:02:00 UTC (+2m) incident-bot check app-health: pass in 120 ms',
      '- 2026-11-23 03:03:00 UTC (+3m) @U0ONCALL01 refreshed token okta',
    ]);
    expect(lines(md, 'Actions')).toEqual(['- 2026-11-23 03:20:00 UTC (+20m) incident-bot rollback succeeded in 4s']);
  });

  it('says when there were no escalations, checks or actions', () => {
    const md = report();
    expect(lines(md, 'Escalations')).toEqual(['_No escalations._']);
    expect(lines(md, 'Checks and token refreshes')).toEqual(['_No checks were run._']);
    expect(lines(md, 'Actions')).toEqual(['_No actions were run._']);
  });

  it('lists every step with its state, who moved it and when', () => {
    const steps = stepBoard(3, [{ step: 2, state: 'done', actor: 'U0B', changedAt: at(5), detail: null }]);
    expect(lines(report({ steps }), 'Steps')).toEqual([
      '| # | Step | State | By | When |',
      '|---|---|---|---|---|',
      '| 1 | Check token status | pending | — | — |',
      '| 2 | Force a token refresh | done | @U0B | 2026-11-23 03:05:00 UTC |',
      '| 3 | Verify credentials | pending | — | — |',
    ]);
  });

  it('ends with the whole timeline in order, one line per event, and how it was made', () => {
    const md = report({
      events: [event(0, 'incident.opened', OPENED), event(1, 'note.added', { text: 'two\nlines | with a pipe' })],
    });
    expect(lines(md, 'Timeline')).toEqual([
      '| Time | Since opening | Who | What |',
      '|---|---|---|---|',
      '| 2026-11-23 03:00:00 UTC | +0 ms | @U0ONCALL01 | opened the incident: login failing |',
      '| 2026-11-23 03:01:00 UTC | +1m | @U0ONCALL01 | noted: two lines \\| with a pipe |',
    ]);
    expect(md.endsWith('_Report made 2026-11-23 04:30:00 UTC from 2 timeline events._\n')).toBe(true);
  });

  it('counts an event written before the incident opened as at the opening', () => {
    const md = report({ events: [event(-5, 'note.added', { text: 'early' })] });
    expect(lines(md, 'Timeline')[2]).toBe('| 2026-11-23 02:55:00 UTC | +0 ms | @U0ONCALL01 | noted: early |');
  });
});

describe('a report over rows it cannot read', () => {
  it('still reports, naming such a row by its kind and skipping it for the facts', () => {
    const md = report({
      incident: testIncident({ severity: 'sev1' }),
      events: [
        event(0, 'incident.opened', { title: 'written by an old version' }),
        event(3, 'incident.resolved', { summary: 7 }),
      ],
    });
    expect(md).toContain('| Severity | SEV1 critical |');
    expect(md).not.toContain('**Resolution:**');
    expect(lines(md, 'Timeline').slice(2)).toEqual([
      '| 2026-11-23 03:00:00 UTC | +0 ms | @U0ONCALL01 | recorded incident.opened |',
      '| 2026-11-23 03:03:00 UTC | +3m | @U0ONCALL01 | recorded incident.resolved |',
    ]);
  });
});
