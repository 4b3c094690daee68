import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../../src/app/snapshot.js';
import type { GateState } from '../../src/domain/gates.js';
import type { StepStatus } from '../../src/domain/steps.js';
import { incidentMessage } from '../../src/slack/views/incidentMessage.js';
import { exampleConfigPath, loadConfigFile } from '../../src/config/load.js';
import { testIncident } from '../support/incident.js';
import { testPlaybook } from '../support/playbooks.js';

const at = new Date('2026-12-07T10:00:00Z');
const change = testIncident({
  kind: 'change',
  key: 'CHG-3',
  playbook: testPlaybook({
    kind: 'change',
    steps: [{ title: 'Deploy the database' }, { title: 'Deploy Redis' }],
    gates: [
      {
        name: 'db',
        title: 'All existing queries working',
        after_step: 1,
        checks: ['database'],
        rollback: ['service-restart'],
      },
      { name: 'redis', title: 'Redis reconnects', after_step: 2 },
    ],
  }),
});
const { config } = await loadConfigFile(exampleConfigPath, {}, { isExample: true });
const done = (step: number): StepStatus => ({ step, state: 'done', actor: 'U1', changedAt: at, detail: null });
const buttonsOf = (steps: StepStatus[], gates: GateState[]) =>
  incidentMessage(snapshotOf({ config }, change, steps, [], { gates }))
    .blocks.flatMap((b) => ('elements' in b ? (b.elements as Array<{ action_id?: string }>) : []))
    .map((e) => e.action_id);

describe('the live message of a change', () => {
  it('offers no gate button while the phase before the gate is open, and no Acknowledge or Escalate', () => {
    const buttons = buttonsOf([], []);
    expect(buttons.filter((b) => b?.startsWith('gate.'))).toEqual([]);
    expect(buttons).not.toContain('incident.ack');
    expect(buttons).not.toContain('incident.escalate');
  });

  it('offers the checks and NO-GO at the gate at hand, and GO only once its checks passed', () => {
    expect(buttonsOf([done(1)], [])).toEqual(expect.arrayContaining(['gate.check.1', 'gate.nogo.1']));
    expect(buttonsOf([done(1)], [])).not.toContain('gate.go.1');
    const failed: GateState = { state: 'checked', at, results: [{ check: 'database', status: 'fail' }] };
    expect(buttonsOf([done(1)], [failed])).not.toContain('gate.go.1');
    const passed: GateState = { state: 'checked', at, results: [{ check: 'database', status: 'degraded' }] };
    expect(buttonsOf([done(1)], [passed])).toContain('gate.go.1');
  });

  it('offers GO at once at a gate without checks, and no rollback while the change goes on', () => {
    const go: GateState = { state: 'go', at, by: 'U1', results: [] };
    const buttons = buttonsOf([done(1), done(2)], [go]);
    expect(buttons).toEqual(expect.arrayContaining(['gate.go.2', 'gate.nogo.2']));
    expect(buttons.filter((b) => b?.startsWith('action.request.'))).toEqual([]);
  });

  it('says it is halted after a NO-GO and offers the gate’s own rollback', () => {
    const noGo: GateState = { state: 'no-go', at, by: 'U2', results: [] };
    const message = incidentMessage(snapshotOf({ config }, change, [done(1)], [], { gates: [noGo] }));
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('Halted at gate 1 (NO-GO)');
    expect(json).toContain('*NO-GO* by <@U2>');
    expect(json.includes('gate.go.') || json.includes('gate.nogo.')).toBe(false);
    expect(json).toContain('action.request.service-restart');
  });
});
