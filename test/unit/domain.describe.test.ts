import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/domain/describe.js';
import { TIMELINE_KINDS, readEvent, type TimelineEvent, type TimelineKind } from '../../src/domain/timeline.js';

/**
 * One event of every kind, with the data its writer writes, and the line it
 * reads as. A kind added to TIMELINE_KINDS without a line here does not compile.
 */
const LINES: Record<TimelineKind, [data: Record<string, unknown>, line: string]> = {
  'incident.opened': [
    { key: 'INC-7', playbook: 'auth-401', title: 'Auth', summary: 'login failing', severity: 'sev2' },
    'opened the incident: login failing',
  ],
  'incident.acknowledged': [{ from: 'open', to: 'acknowledged' }, 'acknowledged'],
  'incident.mitigated': [
    { from: 'acknowledged', to: 'mitigated', summary: 'rolled back' },
    'marked it mitigated: rolled back',
  ],
  'incident.resolved': [{ from: 'mitigated', to: 'resolved', summary: 'fixed' }, 'resolved it: fixed'],
  'incident.severity_changed': [{ from: 'sev3', to: 'sev1' }, 'changed severity sev3 → sev1'],
  'incident.commander_changed': [{ from: 'U0A', to: 'U0B' }, 'handed command to @U0B'],
  'incident.escalated': [
    { from: 1, to: 2, clock: 'ack', dueAt: '2026-11-23T03:15:00.000Z' },
    'escalated level 1 → 2 (nobody acknowledged in time)',
  ],
  'note.added': [{ text: 'checked the logs' }, 'noted: checked the logs'],
  'step.done': [{ step: 2, title: 'Refresh the token' }, 'finished step 2 (Refresh the token)'],
  'step.skipped': [{ step: 3, title: 'Verify' }, 'skipped step 3 (Verify)'],
  'step.failed': [{ step: 1, title: 'Check', reason: 'app-health: 503' }, 'step 1 (Check) failed: app-health: 503'],
  'step.started': [{ step: 1, title: 'Check', check: 'app-health' }, 'started step 1 (Check)'],
  'step.requested': [
    { step: 2, title: 'Refresh', runner: 'token', name: 'okta', configured: false },
    'asked to run step 2 (Refresh): token okta (not configured)',
  ],
  'check.result': [
    { check: 'app-health', target: 'prod', status: 'fail', latencyMs: 1_500, attempts: 2, failure: 'HTTP 503' },
    'check app-health: fail in 2s (HTTP 503)',
  ],
  'token.refreshed': [
    { provider: 'okta', attempts: 1, by: 'refresh', expiresAt: '2026-11-23T04:00:00.000Z' },
    'refreshed token okta, valid until 2026-11-23T04:00:00.000Z',
  ],
  'token.refresh_failed': [
    { provider: 'okta', attempts: 3, by: 'refresh', error: 'invalid_client' },
    'token okta refresh failed: invalid_client',
  ],
  'escalation.paged': [
    { level: 2, cycle: 0, name: 'Platform', usergroups: [], users: ['U0A', 'U0B'] },
    'paged level 2 (Platform): @U0A, @U0B',
  ],
  'escalation.stopped': [{ reason: 'acknowledged', level: 1 }, 'escalation stopped: acknowledged'],
  'deadline.reminded': [
    { name: 'notify', title: 'Tell stakeholders', dueAt: '2026-11-23T03:15:00.000Z', commander: 'U0A' },
    'reminded @U0A that "Tell stakeholders" is due',
  ],
  'deadline.met': [
    { name: 'notify', title: 'Tell stakeholders', dueAt: '2026-11-23T03:15:00.000Z' },
    'met the deadline "Tell stakeholders"',
  ],
  'deadline.missed': [
    { name: 'notify', title: 'Tell stakeholders', dueAt: '2026-11-23T03:15:00.000Z' },
    'missed the deadline "Tell stakeholders"',
  ],
  'notification.sent': [
    { reason: 'opened', group: 'execs', to: 'C0EXEC', ts: '1.2' },
    'told stakeholders (opened) in #C0EXEC',
  ],
  'notification.failed': [
    { to: 'U0EXEC', error: 'channel_not_found' },
    'could not tell stakeholders in @U0EXEC: channel_not_found',
  ],
  'action.requested': [
    { action: 'rollback', runId: 4, plan: 'POST /rollback', dryRun: true, approval: true },
    'requested rollback (dry run)',
  ],
  'action.refused': [{ action: 'rollback', reason: 'not allowed' }, 'was refused rollback: not allowed'],
  'action.approved': [{ action: 'rollback', runId: 4, requester: 'U0A' }, 'approved rollback requested by @U0A'],
  'action.denied': [{ action: 'rollback', runId: 4, requester: 'U0A' }, 'denied rollback requested by @U0A'],
  'action.expired': [{ action: 'rollback', runId: 4, requester: 'U0A' }, 'the approval request for rollback expired'],
  'action.started': [
    { action: 'rollback', runId: 4, summary: 'POST /rollback', dryRun: false },
    'started rollback: POST /rollback',
  ],
  'action.finished': [
    { action: 'rollback', runId: 4, outcome: 'succeeded', durationMs: 90_000, targetMs: 60_000, targetMissed: true },
    'rollback succeeded in 1m 30s — missed its 1m target',
  ],
  'report.posted': [{ bytes: 2_048 }, 'posted the incident report'],
  'timeline.viewed': [{}, 'viewed the timeline'],
  'alert.resolved': [
    { alertname: 'HighErrorRate', fingerprint: 'abc' },
    'Alertmanager resolved the alert HighErrorRate',
  ],
  'action.interrupted': [
    { action: 'rollback', runId: 4, requester: 'U0A', lastHeartbeat: '2026-11-23T03:15:00.000Z', host: 'bot-1' },
    'rollback was interrupted: the bot running it stopped before it finished',
  ],
  'action.cancelled': [
    { action: 'rollback', runId: 4, requester: 'U0A', reason: 'incident resolved' },
    'the request for rollback was cancelled: incident resolved',
  ],
  'access.refused': [{ action: 'resolve', intent: 'change' }, 'was refused: may not resolve this incident'],
  'alert.joined': [
    { alertname: 'HighErrorRate', fingerprint: 'abc', folded: true },
    'the alert HighErrorRate joined this incident (too many alert incidents at once)',
  ],
  'incident.placed': [
    { channelId: 'C0INC', messageTs: '1.2', channelName: 'inc-7-auth-401', attempts: 3, afterMs: 65_000 },
    'made it visible in #C0INC after 3 attempts (1m 5s after it was opened)',
  ],
  'incident.moved': [
    { fromChannelId: 'C0STORM', channelId: 'C0INC', messageTs: '3.4', channelName: 'inc-7-auth-401' },
    'moved it from #C0STORM to its own channel #C0INC',
  ],
  'incident.place_failed': [
    { attempts: 3, error: 'internal_error' },
    'could not create its channel or live message after 3 attempts (internal_error); still trying, nobody paged yet',
  ],
  'page.sent': [{ channel: 'sms', person: 'U0ONCALL01', rule: 2, attempts: 1 }, 'paged @U0ONCALL01 by sms'],
  'page.failed': [
    { channel: 'email', person: 'U0ONCALL01', rule: 1, error: "the mail server's answer was lost", uncertain: true },
    "paging @U0ONCALL01 by email may have been sent: the mail server's answer was lost",
  ],
  'page.acknowledged': [{ channel: 'pagerduty' }, 'acknowledged from pagerduty'],
  'change.started': [
    { key: 'CHG-1', playbook: 'platform-deploy', title: 'Deploy', summary: 'release 42', severity: 'sev2' },
    'started the change: release 42',
  ],
  'change.gate_checked': [
    { gate: 1, name: 'database', title: 'Queries work', results: [{ check: 'database', status: 'fail' }] },
    'ran the checks of gate 1 (Queries work): database fail',
  ],
  'change.gate_go': [
    { gate: 3, name: 'telemetry', title: 'Traces in Dash0', results: [] },
    'pressed GO at gate 3 (Traces in Dash0); checks: none (judged by the person)',
  ],
  'change.gate_no_go': [
    { gate: 2, name: 'redis', title: 'Reconnects', results: [], rollback: ['redis-rollback'] },
    'pressed NO-GO at gate 2 (Reconnects); rollback offered: redis-rollback',
  ],
  'change.completed': [{}, 'completed the change: every gate GO'],
  'change.aborted': [{ reason: 'window closed' }, 'aborted the change: window closed'],
  'change.watch_started': [
    { windows: [{ window: 1, checks: ['deploy-critical'], everyMs: 300_000, endsAt: '2026-12-07T11:00:00.000Z' }] },
    'started the post-deploy watch: deploy-critical every 5m',
  ],
  'change.watch_failed': [
    { window: 1, failuresInARow: 2, failures: [{ check: 'app-health', failure: 'HTTP 503' }] },
    'watch window 1 failed (2 in a row): app-health: HTTP 503',
  ],
  'change.watch_tripped': [
    { window: 1, failuresInARow: 3, incident: 'INC-4', playbook: 'critical' },
    'the watch tripped after 3 failed runs in a row and opened INC-4',
  ],
  'change.watch_passed': [{ runs: 12 }, 'the post-deploy watch passed (12 runs)'],
  'incident.from_change': [
    { change: 'CHG-2', window: 1, checks: ['deploy-critical'] },
    'opened by the post-deploy watch of CHG-2 (deploy-critical kept failing)',
  ],
};

const event = (kind: TimelineKind, data: Record<string, unknown>): TimelineEvent => ({
  id: 1,
  incidentId: 7,
  occurredAt: new Date('2026-11-23T03:05:00Z'),
  actor: 'U0A',
  kind,
  data,
});

describe('describing a timeline event', () => {
  it.each(TIMELINE_KINDS)('describes %s in a sentence', (kind) => {
    const [data, line] = LINES[kind];
    expect(describeEvent(event(kind, data))).toBe(line);
  });

  it('describes every kind, and no kind twice', () => {
    expect(Object.keys(LINES).sort()).toEqual([...TIMELINE_KINDS].sort());
    expect(new Set(TIMELINE_KINDS).size).toBe(TIMELINE_KINDS.length);
  });

  it.each(TIMELINE_KINDS)('reads the data %s is written with against its schema', (kind) => {
    const [data] = LINES[kind];
    expect(readEvent(event(kind, data))?.data).toEqual(data);
  });

  it.each(TIMELINE_KINDS)('names %s by its kind when a row lacks what it needs, never throwing', (kind) => {
    const line = describeEvent(event(kind, {}));
    expect([LINES[kind][1], `recorded ${kind}`]).toContain(line);
  });

  it('reads a row with fields it does not know (a newer version wrote it) as before', () => {
    const [data, line] = LINES['incident.escalated'];
    expect(describeEvent(event('incident.escalated', { ...data, reason: 'new field', to: 2 }))).toBe(line);
  });

  it('names a row in a shape it cannot read, or of a kind it does not know, by its kind', () => {
    expect(describeEvent(event('incident.escalated', { from: 'one', to: 'two' }))).toBe('recorded incident.escalated');
    expect(describeEvent(event('check.result', { check: 'app-health', status: 'fail' }))).toBe('recorded check.result');
    const unknown = { ...event('note.added', {}), kind: 'incident.merged' } as unknown as TimelineEvent;
    expect(describeEvent(unknown)).toBe('recorded incident.merged');
  });

  it('passes free text through `quote`, user ids through `who` and channels through `channel`', () => {
    const line = describeEvent(
      event('notification.sent', { reason: '<!here>', group: 'execs', to: 'C0EXEC' }),
      (user) => `<@${user}>`,
      (text) => text.replace(/</g, '&lt;'),
      (id) => `<#${id}>`,
    );
    expect(line).toBe('told stakeholders (&lt;!here>) in <#C0EXEC>');
    expect(describeEvent(event('incident.commander_changed', { from: 'U0A', to: 'U0B' }), (user) => `<@${user}>`)).toBe(
      'handed command to <@U0B>',
    );
  });

  it('sends a notification addressed to a person to `who`, not `channel`', () => {
    expect(describeEvent(event('notification.sent', { reason: 'update', group: 'execs', to: 'U0EXEC' }))).toBe(
      'told stakeholders (update) in @U0EXEC',
    );
  });

  it('cuts free text at 300 characters', () => {
    expect(describeEvent(event('note.added', { text: 'x'.repeat(400) }))).toBe(`noted: ${'x'.repeat(300)}`);
  });

  it('says why an escalation happened: by hand, late, unacknowledged, unresolved, and the round it starts', () => {
    const escalated = (data: Record<string, unknown>) =>
      describeEvent(event('incident.escalated', { from: 1, to: 2, ...data }));
    expect(escalated({ manual: true })).toBe('escalated level 1 → 2 by hand');
    expect(escalated({ clock: 'ack', late: true, lateByMs: 600_000 })).toBe(
      'escalated level 1 → 2 (late by 10m: the bot was down when it fell due)',
    );
    expect(escalated({ clock: 'unresolved' })).toBe('escalated level 1 → 2 (still unresolved)');
    expect(escalated({ clock: 'ack', repeat: 1 })).toBe(
      'escalated level 1 → 2 (nobody acknowledged in time), starting round 2',
    );
  });

  it('tells a late page, a late deadline, a dry run and an action without a target apart', () => {
    expect(
      describeEvent(event('escalation.paged', { level: 1, cycle: 0, name: '', usergroups: [], users: [], late: true })),
    ).toBe('paged level 1 (late)');
    expect(
      describeEvent(
        event('deadline.met', { name: 'n', title: 'Notify', dueAt: '2026-11-23T03:15:00.000Z', late: true }),
      ),
    ).toBe('met the deadline "Notify" (after it was missed)');
    expect(
      describeEvent(event('action.started', { action: 'rollback', runId: 4, summary: 'POST', dryRun: true })),
    ).toBe('started rollback (dry run: nothing runs): POST');
    expect(
      describeEvent(event('action.finished', { action: 'rollback', runId: 4, outcome: 'failed', durationMs: 500 })),
    ).toBe('rollback failed in 500 ms');
  });
});
