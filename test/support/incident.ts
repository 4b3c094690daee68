import type { Incident } from '../../src/domain/incident.js';
import { testPlaybook } from './playbooks.js';

/** An open incident as the store would return it, for tests of pure code (views, the report). */
export function testIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 7,
    number: 7,
    key: 'INC-7',
    playbookId: 'auth-401',
    title: 'Authentication errors (401/403)',
    summary: 'login failing',
    severity: 'sev2',
    status: 'open',
    escalationLevel: 1,
    commander: 'U0ONCALL01',
    channelId: 'C0INC7',
    messageTs: '1.000001',
    openedBy: 'U0ONCALL01',
    openedAt: new Date('2026-11-23T03:00:00Z'),
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    playbook: testPlaybook(),
    version: 1,
    escalationPolicy: null,
    escalationPolicyName: null,
    escalationCycle: 0,
    kind: 'incident',
    ...overrides,
  };
}
