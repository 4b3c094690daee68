import { describe, expect, it } from 'vitest';
import type { IncidentSnapshot } from '../../src/app/ports.js';
import type { Incident } from '../../src/domain/incident.js';
import { stepBoard } from '../../src/domain/steps.js';
import type { TimelineEvent } from '../../src/domain/timeline.js';
import { validateBlocks } from '../../src/playground/emulator/blockKit.js';
import { helpMessage, playbooksMessage } from '../../src/slack/views/help.js';
import { incidentMessage } from '../../src/slack/views/incidentMessage.js';
import { timelineMessage } from '../../src/slack/views/timeline.js';
import { testIncident } from '../support/incident.js';
import { testPlaybook } from '../support/playbooks.js';

const openedAt = new Date('2026-11-23T03:00:00Z');

function incident(overrides: Partial<Incident> = {}, stepCount = 3): Incident {
  const steps = Array.from({ length: stepCount }, (_, i) => ({
    title: `Step number ${i + 1} with a reasonably long title`,
    detail: 'Do the thing described in the runbook, carefully. '.repeat(8),
    ...(i % 3 === 0 ? { check: 'app-health' } : {}),
  }));
  return testIncident({ openedAt, playbook: testPlaybook({ steps }), ...overrides });
}

const snapshot = (i: Incident, recorded: IncidentSnapshot['steps'] = []): IncidentSnapshot => ({
  incident: i,
  steps: stepBoard(i.playbook.steps.length, recorded),
  levelName: 'Authentication issues',
  levelCount: 3,
});
const buttons = (blocks: unknown[]) => JSON.stringify(blocks).match(/"action_id":"[^"]+"/g) ?? [];

describe('the live incident message', () => {
  it('shows key, title, severity, status, level, commander, opening time and every step with its buttons', () => {
    const { blocks, text } = incidentMessage(snapshot(incident()));
    const json = JSON.stringify(blocks);
    expect(json).toContain('INC-7 · Authentication errors (401/403)');
    for (const part of [
      'SEV2 major',
      'Open',
      'Level 1 of 3 · Authentication issues',
      '<@U0ONCALL01>',
      '<!date^',
      'login failing',
    ])
      expect(json).toContain(part);
    expect(buttons(blocks)).toEqual(
      expect.arrayContaining([
        '"action_id":"step.done.1"',
        '"action_id":"step.skip.1"',
        '"action_id":"step.run.1"',
        '"action_id":"step.done.2"',
        '"action_id":"incident.ack"',
        '"action_id":"incident.escalate"',
        '"action_id":"incident.resolve"',
      ]),
    );
    expect(buttons(blocks)).not.toContain('"action_id":"step.run.2"'); // step 2 is manual
    expect(text).toContain('INC-7');
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it('shows who finished a step and when, and drops its buttons', () => {
    const { blocks } = incidentMessage(
      snapshot(incident(), [
        { step: 1, state: 'done', actor: 'U0SECOND02', changedAt: new Date('2026-11-23T03:05:00Z'), detail: null },
      ]),
    );
    const json = JSON.stringify(blocks);
    expect(json).toMatch(/Done by <@U0SECOND02>/);
    expect(buttons(blocks)).not.toContain('"action_id":"step.done.1"');
  });

  it('never turns a summary into a mention', () => {
    const { blocks } = incidentMessage(snapshot(incident({ summary: 'ping <!channel> and <@U123> & co' })));
    const json = JSON.stringify(blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt;');
  });

  it("fits Slack's limits with a 40-step playbook, collapsing finished steps and summarising the rest", () => {
    const big = incident({}, 40);
    const done = Array.from({ length: 12 }, (_, i) => ({
      step: i + 1,
      state: 'done' as const,
      actor: 'U0ONCALL01',
      changedAt: openedAt,
      detail: null,
    }));
    const { blocks } = incidentMessage(snapshot(big, done));
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    const json = JSON.stringify(blocks);
    expect(json).toContain('Finished (12)');
    expect(json).toMatch(/and \d+ more steps/);
    expect(buttons(blocks)).toContain('"action_id":"step.done.13"');
  });

  it('offers Timeline and Report once resolved, and no step buttons', () => {
    const { blocks } = incidentMessage(
      snapshot(incident({ status: 'resolved', resolvedAt: new Date('2026-11-23T04:12:00Z') })),
    );
    expect(buttons(blocks)).toEqual(['"action_id":"incident.timeline"', '"action_id":"incident.report"']);
    expect(JSON.stringify(blocks)).toContain('after 1h 12m');
  });

  it('puts a confirm dialog on every rollback button', () => {
    const s = {
      ...snapshot(incident()),
      rollbacks: [
        {
          name: 'redis-rollback',
          title: 'Roll back Redis connection logic',
          target: 'production',
          targetTimeMs: 300_000,
          approval: false,
          description: './scripts/rollback.sh redis',
        },
      ],
    };
    const { blocks } = incidentMessage(s);
    const rollback = JSON.stringify(blocks.find((b) => (b as { block_id?: string }).block_id === 'incident.rollback'));
    expect(rollback).toContain('"confirm"');
    expect(rollback).toContain('done within 5m');
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });
});

describe('the timeline', () => {
  const event = (i: number): TimelineEvent => ({
    id: i,
    incidentId: 7,
    occurredAt: new Date(openedAt.getTime() + i * 60_000),
    actor: 'U0ONCALL01',
    kind: 'note.added',
    data: { text: `note ${i} ${'x'.repeat(200)}` },
  });

  it('pages long timelines within the limits, with Earlier and Later buttons', () => {
    const events = Array.from({ length: 40 }, (_, i) => event(i + 41));
    const { blocks } = timelineMessage(incident(), events, 40, 120, 40);
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    expect(JSON.stringify(blocks)).toContain('events 41–80 of 120');
    expect(buttons(blocks)).toEqual(['"action_id":"timeline.page.earlier"', '"action_id":"timeline.page.later"']);
  });
});

describe('help and playbooks', () => {
  it('fit in one message', () => {
    expect(validateBlocks(helpMessage().blocks, 'message')).toEqual([]);
    const many = Array.from({ length: 200 }, (_, i) => testPlaybook({ id: `playbook-${i}`, aliases: [`alias-${i}`] }));
    expect(validateBlocks(playbooksMessage(many).blocks, 'message')).toEqual([]);
  });
});
