import { mkdtemp, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overrideConfig } from '../support/config.js';
import { type Harness, startHarness } from '../support/harness.js';
import { timelineOf } from '../support/timeline.js';

const ADA = 'U0ONCALL01'; // in S0ROLLBACK
const writeArgs = "require('fs').writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))";

describe('actions that take inputs', () => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'action-inputs-'));
    h = await startHarness({
      config: (base) =>
        overrideConfig(base, {
          actions: {
            'redis-rollback': {
              kind: 'command',
              title: 'Revert the Redis connection commit',
              inputs: { commit: { label: 'Redis commit to revert', pattern: '^[0-9a-f]{7,40}$' } },
              argv: [process.execPath, '-e', writeArgs, join(dir, 'revert'), 'revert', '--no-edit', '{input.commit}'],
              allowed: { usergroups: ['S0ROLLBACK'] },
            },
            'service-restart': {
              kind: 'command',
              title: 'Restart a service',
              inputs: { service: { label: 'Service', enum: ['backend', 'redis'] } },
              argv: [process.execPath, '-e', writeArgs, join(dir, 'restart'), 'restart', '{input.service}'],
              allowed: { usergroups: ['S0ROLLBACK'] },
            },
            'cache-migration-rollback': {
              kind: 'command',
              title: 'Roll back the performance migration',
              only_if: { value: 'production', equals: 'development', because: 'development only (document 003).' },
              argv: [process.execPath, '-e', writeArgs, join(dir, 'migration'), 'rollback'],
              allowed: { usergroups: ['S0ROLLBACK'] },
            },
          },
        }),
    });
  });
  afterAll(() => h.stop());

  const seen = new Set<string>();
  /** The action form that opened for `user` since the last one. */
  const formFor = async (user: string) => {
    const form = await h.slack.waitFor(() =>
      h.slack.workspace.views.find(
        (v) => v.open && v.user === user && v.view.callback_id === 'action.inputs' && !seen.has(v.id),
      ),
    );
    seen.add(form.id);
    return form;
  };
  const actionEvents = async (key: string) =>
    (await timelineOf(h.db, key)).filter((e) => e.kind.startsWith('action.')).map((e) => e.kind);
  const text = (value: string) => ({ value: { type: 'plain_text_input', value } });

  it('opens a form on the button, refuses a bad commit beside its field and runs nothing', async () => {
    const { key, channel, ts } = await h.open('redis-down bad commit');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.redis-rollback' });
    const form = await formFor(ADA);
    expect(JSON.stringify(form.view.blocks)).toContain('Redis commit to revert');
    await h.slack.submitView({ user: ADA, viewId: form.id, values: { commit: text('HEAD; rm -rf /') } });
    await h.settle();
    expect(form.open).toBe(true);
    expect(form.errors).toEqual({ commit: 'Redis commit to revert must match ^[0-9a-f]{7,40}$.' });
    expect(existsSync(join(dir, 'revert'))).toBe(false);
    expect(await actionEvents(key)).toEqual([]);
  });

  it('runs with a valid commit placed as one argument of the argv', async () => {
    const { key, channel, ts } = await h.open('redis-down good commit');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.redis-rollback' });
    const form = await formFor(ADA);
    await h.slack.submitView({ user: ADA, viewId: form.id, values: { commit: text('0a1b2c3d') } });
    await h.settle();
    await h.slack.waitFor(() => existsSync(join(dir, 'revert')));
    expect(JSON.parse(await readFile(join(dir, 'revert'), 'utf8'))).toEqual(['revert', '--no-edit', '0a1b2c3d']);
    expect(await actionEvents(key)).toEqual(['action.requested', 'action.started', 'action.finished']);
    const requested = (await timelineOf(h.db, key)).find((e) => e.kind === 'action.requested')!;
    expect(requested.data.plan).toContain('0a1b2c3d');
  });

  it('offers an enum as a menu and runs the chosen service', async () => {
    const { channel, ts } = await h.open('cache-init restart the backend');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.service-restart' });
    const form = await formFor(ADA);
    expect(JSON.stringify(form.view.blocks)).toContain('"static_select"');
    await h.slack.submitView({
      user: ADA,
      viewId: form.id,
      values: { service: { value: { type: 'static_select', selected_option: { value: 'backend' } } } },
    });
    await h.settle();
    await h.slack.waitFor(() => existsSync(join(dir, 'restart')));
    expect(JSON.parse(await readFile(join(dir, 'restart'), 'utf8'))).toEqual(['restart', 'backend']);
  });

  it('refuses the typed rollback without its inputs, with a sentence, and runs nothing', async () => {
    const { key, channel } = await h.open('redis-down typed rollback');
    await h.slack.sendCommand({ text: 'rollback redis-rollback', user: ADA, channel });
    await h.settle();
    const answer = await h.slack.waitFor(() =>
      h.slack.ephemerals({ user: ADA }).find((e) => e.text.includes('was not run')),
    );
    expect(answer.text).toContain('Redis commit to revert is required.');
    expect(await actionEvents(key)).toEqual([]);
  });

  it('refuses a guarded action where its guard does not hold: the migration rollback outside development', async () => {
    const { key, channel, ts } = await h.open('cache-init migration rollback');
    await h.slack.click({ user: ADA, channel, ts, actionId: 'action.request.cache-migration-rollback' });
    await h.settle();
    const answer = await h.slack.waitFor(() =>
      h.slack.ephemerals({ user: ADA }).find((e) => e.text.includes('development only')),
    );
    expect(answer.text).toBe('Roll back the performance migration was not run: development only (document 003).');
    expect(existsSync(join(dir, 'migration'))).toBe(false);
    expect(await actionEvents(key)).toEqual(['action.refused']);
  });
});
