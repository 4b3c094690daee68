import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/bot.js';
import { overrideConfig } from '../support/config.js';
import { captureLogs } from '../support/logs.js';
import { type Harness, startHarness } from '../support/harness.js';
import { FakeOAuth } from '../support/targets.js';
import { timelineOf } from '../support/timeline.js';
import { until } from '../support/wait.js';

const ADA = 'U0ONCALL01';

describe('token refreshes from Slack', () => {
  let h: Harness;
  let oauth: FakeOAuth;
  let replica: RunningBot;
  let sinkFile: string;
  let logText: () => string;

  beforeAll(async () => {
    oauth = await FakeOAuth.start();
    sinkFile = join(await mkdtemp(join(tmpdir(), 'sink-')), 'tokens', 'salesforce.json');
    const env = { SF_ID: 'consumer-key-placeholder', SF_SECRET: 'consumer-secret-placeholder-9x8y' };
    const captured = captureLogs();
    logText = captured.text;
    const log = captured.log;
    h = await startHarness({
      log,
      config: (base) =>
        overrideConfig(
          base,
          {
            tokens: {
              salesforce: {
                token_url: oauth.url,
                client_id: '${SF_ID}',
                client_secret: '${SF_SECRET}',
                lifetime: '2h',
                retries: 3,
                backoff: { initial: '20ms', max: '100ms' },
                sink: { kind: 'file', path: sinkFile },
              },
            },
          },
          env,
        ),
    });
    replica = await h.startReplica();
  });
  afterAll(async () => {
    await h.stop();
    await oauth.close();
  });

  it("refreshes from the step's Refresh token button: the sink file is written 0600, the step is done, the timeline says so", async () => {
    await h.slack.sendCommand({ text: 'auth-401 tokens rejected', user: ADA });
    await h.settle();
    const { rows } = await h.db.query<{ key: string; channel_id: string; message_ts: string }>(
      'SELECT key, channel_id, message_ts FROM incidents',
    );
    const { key, channel_id: channel, message_ts: ts } = rows[0]!;
    await h.slack.click({ user: ADA, channel, ts, actionId: 'step.run.2' });
    await h.settle();
    const file = JSON.parse(await readFile(sinkFile, 'utf8'));
    expect(file.access_token).toBe(oauth.issued.at(-1));
    expect((await stat(sinkFile)).mode & 0o777).toBe(0o600);
    expect(
      (await timelineOf(h.db, key)).some((e) => e.kind === 'token.refreshed' && e.data.provider === 'salesforce'),
    ).toBe(true);
    expect(JSON.stringify(h.slack.message(channel, ts)!.blocks)).toMatch(/Done by/);
  });

  it('makes one call to the token URL for 50 concurrent refresh requests across two bot instances', async () => {
    const before = oauth.calls;
    let release = () => {};
    oauth.gate = new Promise((resolve) => (release = resolve));
    const sends = Array.from({ length: 50 }, (_, i) => {
      h.slack.connectBot(`${(i % 2 === 0 ? h.bot : replica).url}/slack/events`);
      return h.slack.sendCommand({ text: 'token refresh salesforce', user: ADA, channel: 'C0ENGINEER' });
    });
    await Promise.all(sends);
    // All 50 requests are in the bots' hands, waiting on the one refresh: now let the token URL answer.
    await until(() => h.bot.slack!.inflight.size + replica.slack!.inflight.size === 50, {
      what: '50 refreshes waiting',
    });
    release();
    oauth.gate = undefined;
    await h.settle();
    h.slack.connectBot(`${h.bot.url}/slack/events`);
    expect(oauth.calls - before).toBe(1);
    expect(
      h.slack.ephemerals({ user: ADA }).filter((e) => e.text.startsWith('The `salesforce` token is fresh')).length,
    ).toBeGreaterThanOrEqual(50);
  });

  it('retries a failing token URL with backoff', async () => {
    const before = oauth.calls;
    oauth.failNext = 2;
    await h.slack.sendCommand({ text: 'token refresh salesforce', user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    expect(oauth.calls - before).toBe(3);
  });

  it("shows each provider's state on /incident token status", async () => {
    await h.slack.sendCommand({ text: 'token status', user: ADA, channel: 'C0ENGINEER' });
    await h.settle();
    const status = await h.slack.waitFor(() =>
      h.slack.ephemerals({ user: ADA }).find((e) => e.text === 'Token status'),
    );
    expect(JSON.stringify(status.blocks)).toMatch(/salesforce.*valid, valid until/);
  });

  it('never puts a token or the client secret in Slack or in a log line', () => {
    const slackTraffic =
      JSON.stringify(h.slack.calls) + JSON.stringify(h.slack.ephemerals()) + JSON.stringify(h.slack.workspace);
    const logs = logText();
    expect(logs).toContain('token refreshed');
    expect(oauth.issued.length).toBeGreaterThan(0);
    for (const token of oauth.issued) {
      expect(slackTraffic).not.toContain(token);
      expect(logs).not.toContain(token);
    }
    expect(slackTraffic).not.toContain('consumer-secret-placeholder-9x8y');
    expect(logs).not.toContain('consumer-secret-placeholder-9x8y');
  });
});
