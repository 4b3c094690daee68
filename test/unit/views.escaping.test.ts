import { describe, expect, it } from 'vitest';
import type { IncidentSnapshot, ThreadPost } from '../../src/app/ports.js';
import type { Incident } from '../../src/domain/incident.js';
import { stepBoard } from '../../src/domain/steps.js';
import {
  deadlineMissed,
  deadlineReminder,
  pageByDirectMessage,
  pageInThread,
  placeFailed,
  statusUpdate,
} from '../../src/notify/messages.js';
import { incidentMessage } from '../../src/slack/views/incidentMessage.js';
import { replyMessage } from '../../src/slack/views/replies.js';
import { threadMessage } from '../../src/slack/views/thread.js';
import { testIncident } from '../support/incident.js';
import { testPlaybook } from '../support/playbooks.js';

/** What a person or an alert could type to ping everyone, impersonate a mention, or hide a link. */
const HOSTILE = '<!channel> <@U123> <http://evil|click> <!here>';

/**
 * Every string Slack parses as mrkdwn (the `text` fallback, mrkdwn blocks and
 * confirm texts), skipping plain_text objects, which Slack never parses.
 */
function parsedTexts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) parsedTexts(item, out);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.type === 'plain_text') return out;
    for (const [key, inner] of Object.entries(record)) {
      if (key === 'text' && typeof inner === 'string') out.push(inner);
      else parsedTexts(inner, out);
    }
  }
  return out;
}

function expectNothingLive(message: unknown): void {
  const texts = parsedTexts(message);
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) {
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<!here>');
    expect(text).not.toContain('<@U123>');
    expect(text).not.toContain('<http://evil');
  }
}

const incident = (overrides: Partial<Incident> = {}): Incident =>
  testIncident({
    title: `Auth ${HOSTILE}`,
    summary: HOSTILE,
    playbook: testPlaybook({ steps: [{ title: 'Look', detail: 'Look at it' }] }),
    ...overrides,
  });

describe('text people or alerts supply never becomes a mention or a link', () => {
  it('in a note, in the text fallback as in the blocks', () => {
    expectNothingLive(threadMessage({ kind: 'note', actor: 'U0ONCALL01', text: HOSTILE }));
  });

  it('in a resolution summary', () => {
    expectNothingLive(
      threadMessage({ kind: 'resolved', actor: 'U0ONCALL01', key: 'INC-7', incidentId: 7, summary: HOSTILE }),
    );
  });

  it('in an alert name, label and annotation, firing and resolved', () => {
    expectNothingLive(
      threadMessage({
        kind: 'alert-firing',
        alertname: HOSTILE,
        labels: { alertname: HOSTILE, job: HOSTILE },
        annotations: { summary: HOSTILE },
        startsAt: new Date('2026-11-23T03:00:00Z'),
      }),
    );
    expectNothingLive(threadMessage({ kind: 'alert-resolved', alertname: HOSTILE, incidentOpen: true }));
    const joined = threadMessage({
      kind: 'alerts-joined',
      names: [{ name: HOSTILE, count: 3 }],
      folded: 3,
      cap: { max: 5, windowMs: 600_000 },
    });
    expectNothingLive(joined);
    expect(joined.text).toBe('3 more alerts joined this incident');
    expect(JSON.stringify(joined.blocks)).toContain('at most 5 incidents open from alerts per 10m');
  });

  it('in a step the playbook cannot run yet', () => {
    expectNothingLive(
      threadMessage({
        kind: 'step-not-configured',
        actor: 'U0ONCALL01',
        step: 1,
        title: HOSTILE,
        runner: 'check',
        name: HOSTILE,
      }),
    );
  });

  it('in changes to the incident said in its thread and in a recovered check group', () => {
    const changed = (change: Extract<ThreadPost, { kind: 'changed' }>['change']) =>
      threadMessage({ kind: 'changed', actor: 'U0ONCALL01', key: 'INC-7', change });
    expectNothingLive(changed({ kind: 'mitigated', summary: HOSTILE }));
    expectNothingLive(changed({ kind: 'escalated', level: 2, levelName: HOSTILE }));
    expectNothingLive(threadMessage({ kind: 'checks-recovered', group: HOSTILE, failedRuns: 2 }));
  });

  it('in answers about actions and steps', () => {
    expectNothingLive(replyMessage({ kind: 'action', title: HOSTILE, said: { kind: 'not-allowed' } }));
    expectNothingLive(replyMessage({ kind: 'step-runner-missing', step: 1, runner: 'check', name: HOSTILE }));
    expectNothingLive(replyMessage({ kind: 'token-refresh', provider: HOSTILE, ok: false, error: HOSTILE }));
    expectNothingLive(replyMessage({ kind: 'step-checks', step: 1, failure: { name: HOSTILE, reason: HOSTILE } }));
  });

  it('in health results and token posts', () => {
    const posts: ThreadPost[] = [
      { kind: 'check-running', actor: 'U0ONCALL01', target: HOSTILE, count: 1 },
      {
        kind: 'check-results',
        target: HOSTILE,
        results: [
          {
            name: 'x',
            title: HOSTILE,
            status: 'fail',
            latencyMs: 3,
            attempts: 1,
            failure: HOSTILE,
            details: [HOSTILE],
          },
        ],
      },
      { kind: 'token-refreshed', actor: 'U0ONCALL01', provider: HOSTILE, ok: false, error: HOSTILE },
      { kind: 'token-alert', provider: HOSTILE, title: HOSTILE, state: 'failing', status: 'expired', error: HOSTILE },
      { kind: 'token-alert', provider: HOSTILE, title: HOSTILE, state: 'recovered', status: 'valid' },
    ];
    for (const post of posts) expectNothingLive(threadMessage(post));
  });

  it('in action posts and the approval confirm dialog', () => {
    const base = { action: 'x', title: HOSTILE, plan: HOSTILE, dryRun: false } as const;
    expectNothingLive(
      threadMessage({
        kind: 'action-approval',
        ...base,
        runId: 1,
        incidentId: 7,
        requester: 'U0ONCALL01',
        expiresAt: new Date('2026-11-23T03:00:00Z'),
        approvers: [],
      }),
    );
    expectNothingLive(threadMessage({ kind: 'action-started', ...base, actor: 'U0ONCALL01' }));
    expectNothingLive(
      threadMessage({
        kind: 'action-finished',
        ...base,
        outcome: 'failed',
        output: HOSTILE,
        error: HOSTILE,
        durationMs: 5,
      }),
    );
  });

  it('in the live message: title, summary and the rollback confirm dialog', () => {
    const i = incident();
    const snapshot: IncidentSnapshot = {
      incident: i,
      steps: stepBoard(1, []),
      levelName: HOSTILE,
      rollbacks: [{ name: 'undo', title: HOSTILE, target: HOSTILE, approval: false, description: HOSTILE }],
    };
    expectNothingLive(incidentMessage(snapshot));
  });

  it('in the rollback list and its confirm dialogs', () => {
    expectNothingLive(
      replyMessage({
        kind: 'rollbacks',
        incident: incident(),
        actions: [{ name: 'undo', title: HOSTILE, plan: HOSTILE, target: HOSTILE, approval: true, dryRun: false }],
      }),
    );
  });

  it('in stakeholder updates, pages and deadline reminders', () => {
    const facts = {
      key: 'INC-7',
      title: HOSTILE,
      severityLabel: 'SEV2',
      status: 'open',
      level: 1,
      levelName: HOSTILE,
      commander: 'U0ONCALL01',
      channelId: 'C0INC7',
      summary: HOSTILE,
      symptom: HOSTILE,
    };
    expectNothingLive(statusUpdate(facts, { kind: 'mitigated', summary: HOSTILE }, undefined));
    expectNothingLive(statusUpdate(facts, { kind: 'opened' }, undefined));
    const page = {
      key: 'INC-7',
      title: HOSTILE,
      level: 1,
      levelName: HOSTILE,
      usergroups: [],
      users: ['U0ONCALL01'],
      playbooks: [HOSTILE],
      steps: [HOSTILE],
      channelId: 'C0INC7',
    };
    expectNothingLive(pageInThread(page));
    expectNothingLive(pageByDirectMessage(page));
    expectNothingLive(deadlineReminder('U0ONCALL01', HOSTILE, new Date('2026-11-23T03:00:00Z')));
    expectNothingLive(deadlineMissed('U0ONCALL01', HOSTILE, new Date('2026-11-23T03:00:00Z')));
    expectNothingLive(placeFailed('INC-7', HOSTILE, 3));
  });
});
