import { playbookSchema, type Playbook } from '../../src/playbooks/schema.js';

/** A small playbook for tests that do not care which one. */
export function testPlaybook(overrides: Partial<Record<keyof Playbook, unknown>> = {}): Playbook {
  return playbookSchema.parse({
    id: 'auth-401',
    aliases: ['auth-403'],
    title: 'Authentication errors (401/403)',
    symptom: 'Requests fail with 401 or 403.',
    severity: 'sev2',
    source: { document: '000', section: 'Incident Response Procedures > Symptom: Authentication Errors (401/403)' },
    steps: [
      { title: 'Check token status', detail: 'Run the health check.' },
      { title: 'Force a token refresh' },
      { title: 'Verify credentials', manual: true },
    ],
    ...overrides,
  });
}
