import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type GateState, changeProgress, decideGate, goOffered } from '../../src/domain/gates.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import type { Gate } from '../../src/playbooks/schema.js';

const at = new Date('2026-12-06T22:00:00Z');
const gate = (checks: string[], rollback: string[] = []): Gate => ({
  name: 'g',
  title: 'All existing queries working',
  after_step: 2,
  checks,
  rollback,
});
const checked = (...results: Array<[string, 'pass' | 'degraded' | 'fail']>): GateState => ({
  state: 'checked',
  at,
  results: results.map(([check, status]) => ({ check, status })),
});

describe('GO/NO-GO gates', () => {
  it('offers GO only when every check ran and none failed (a slow pass passes)', () => {
    const g = gate(['database', 'redis']);
    expect(
      goOffered(g, [
        { check: 'database', status: 'pass' },
        { check: 'redis', status: 'degraded' },
      ]),
    ).toBe(true);
    expect(
      goOffered(g, [
        { check: 'database', status: 'pass' },
        { check: 'redis', status: 'fail' },
      ]),
    ).toBe(false);
    expect(goOffered(g, [{ check: 'database', status: 'pass' }])).toBe(false);
    expect(goOffered(gate([]), [])).toBe(true);
  });

  it('records GO with who, when and the results they saw', () => {
    const state = checked(['database', 'pass']);
    expect(decideGate(gate(['database']), state, 'go', 'U0ONCALL01', at)).toEqual({
      ok: true,
      state: { state: 'go', at, by: 'U0ONCALL01', results: [{ check: 'database', status: 'pass' }] },
      rollback: [],
    });
  });

  it('refuses GO while a check fails, saying which, and takes NO-GO', () => {
    const state = checked(['database', 'fail']);
    expect(decideGate(gate(['database']), state, 'go', 'U0ONCALL01', at)).toEqual({
      ok: false,
      reason: expect.stringContaining('database failed'),
    });
    expect(decideGate(gate(['database']), state, 'no-go', 'U0ONCALL01', at)).toMatchObject({
      ok: true,
      state: { state: 'no-go', by: 'U0ONCALL01' },
    });
  });

  it("offers the gate's rollback on NO-GO, else the runbook's", () => {
    const state = checked(['database', 'fail']);
    const own = decideGate(gate(['database'], ['database-rollback']), state, 'no-go', 'U0', at, ['redis-rollback']);
    expect(own).toMatchObject({ rollback: ['database-rollback'] });
    const fallback = decideGate(gate(['database']), state, 'no-go', 'U0', at, ['redis-rollback']);
    expect(fallback).toMatchObject({ rollback: ['redis-rollback'] });
  });

  it('refuses GO before the checks ran, and a second decision', () => {
    expect(decideGate(gate(['database']), { state: 'waiting' }, 'go', 'U0', at)).toMatchObject({ ok: false });
    expect(decideGate(gate([]), { state: 'waiting' }, 'go', 'U0', at)).toMatchObject({ ok: true });
    const decided: GateState = { state: 'go', at, by: 'U0', results: [] };
    expect(decideGate(gate([]), decided, 'no-go', 'U1', at)).toEqual({
      ok: false,
      reason: 'The gate "All existing queries working" was already decided GO.',
    });
  });
});

describe('a change walked phase by phase', async () => {
  const { playbooks } = await loadPlaybooks(resolve(import.meta.dirname, '../../playbooks'));
  const deploy = playbooks.find((p) => p.id === 'platform-deploy')!;
  const go: GateState = { state: 'go', at, by: 'U0', results: [] };

  it("is document 001's four phases and six gates", () => {
    expect(deploy.kind).toBe('change');
    expect(deploy.gates.map((g) => g.name)).toEqual(['database', 'redis', 'telemetry', 'webhooks', 'workers', 'ngrok']);
    expect(new Set(deploy.gates.map((g) => g.phase)).size).toBe(4);
  });

  it('is in the first phase, then at its gate, then past it', () => {
    expect(changeProgress(deploy, new Set(), [])).toMatchObject({ kind: 'in-phase', gate: 1, stepsLeft: [1, 2] });
    expect(changeProgress(deploy, new Set([1, 2]), [])).toEqual({ kind: 'at-gate', gate: 1 });
    expect(changeProgress(deploy, new Set([1, 2]), [go])).toMatchObject({ kind: 'in-phase', gate: 2 });
  });

  it('halts at a NO-GO and completes when every gate is GO and every step done', () => {
    const noGo: GateState = { state: 'no-go', at, by: 'U0', results: [] };
    expect(changeProgress(deploy, new Set([1, 2, 3, 4]), [go, noGo])).toEqual({ kind: 'halted', gate: 2 });
    const all = new Set(deploy.steps.map((_, i) => i + 1));
    expect(
      changeProgress(
        deploy,
        all,
        deploy.gates.map(() => go),
      ),
    ).toEqual({ kind: 'completed' });
  });
});

describe('NO-GO', () => {
  it('can be pressed before the checks ran; GO cannot', () => {
    const g = gate(['database']);
    expect(decideGate(g, { state: 'waiting' }, 'no-go', 'U1', at)).toMatchObject({ ok: true });
    expect(decideGate(g, { state: 'waiting' }, 'go', 'U1', at)).toMatchObject({ ok: false });
  });
});
