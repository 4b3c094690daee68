import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED, SlackEmulator } from '../../src/playground/emulator/index.js';
import { until } from '../support/wait.js';

const { incidents } = SEED.channels;

let slack: SlackEmulator;
beforeAll(async () => {
  slack = await SlackEmulator.start();
  await call('conversations.join', { channel: incidents });
});
afterAll(() => slack.close());
afterEach(() => slack.clearFaults());

/** One raw Web API call, as a client without retries makes it. */
async function call(method: string, params: Record<string, string>) {
  const response = await fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(params),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

const post = (text: string) => call('chat.postMessage', { channel: incidents, text });
const posted = (text: string) => slack.messages(incidents).filter((m) => m.text === text);

describe('failMethod: a Web API method failing on command', () => {
  it('answers an HTTP 500 for the next calls asked for, without doing them, then recovers', async () => {
    const fault = slack.failMethod('chat.postMessage', { status: 500, times: 2 });
    expect((await post('a')).status).toBe(500);
    expect((await post('a')).status).toBe(500);
    expect(posted('a')).toHaveLength(0);
    expect((await post('a')).body.ok).toBe(true);
    expect(fault).toMatchObject({ hits: 2, active: false });
  });

  it('answers 429 with Retry-After, only for the calls that match', async () => {
    slack.failMethod('chat.postMessage', {
      status: 'ratelimited',
      retryAfterSeconds: 30,
      match: (p) => p.text === 'limited',
    });
    expect(await post('limited')).toMatchObject({ status: 429, retryAfter: '30', body: { error: 'ratelimited' } });
    expect((await post('free')).status).toBe(200);
  });

  it("answers Slack's own ok: false error", async () => {
    slack.failMethod('conversations.info', { status: 'error', error: 'fatal_error', times: 1 });
    expect((await call('conversations.info', { channel: incidents })).body).toMatchObject({
      ok: false,
      error: 'fatal_error',
    });
  });

  it('fails for a while (untilMs), then answers again', async () => {
    const fault = slack.failMethod('chat.postMessage', { status: 503, untilMs: 100 });
    expect((await post('b')).status).toBe(503);
    await until(() => !fault.active, { what: 'the fault to end' });
    expect((await post('b')).status).toBe(200);
  });

  it('hangs a call without an answer until the fault is released, then drops the connection', async () => {
    const fault = slack.failMethod('chat.postMessage', { status: 'hang' });
    const since = slack.calls.length;
    const hung = post('c').then(
      () => 'answered',
      () => 'dropped',
    );
    await slack.waitForCall('chat.postMessage', { since });
    fault.release();
    expect(await hung).toBe('dropped');
    expect(posted('c')).toHaveLength(0);
  });

  it('does the call but drops the connection before the answer (drop)', async () => {
    slack.failMethod('chat.postMessage', { status: 'drop', times: 1 });
    await expect(post('d')).rejects.toThrow();
    expect(posted('d')).toHaveLength(1);
    expect(slack.calls.at(-1)).toMatchObject({ method: 'chat.postMessage', status: 0 });
  });

  it('does the call and answers late', async () => {
    slack.failMethod('chat.postMessage', { status: 'late', delayMs: 50, times: 1 });
    expect((await post('e')).body.ok).toBe(true);
    expect(posted('e')).toHaveLength(1);
  });
});
