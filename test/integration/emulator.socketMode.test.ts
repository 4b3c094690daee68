import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SEED, SlackEmulator } from '../../src/playground/emulator/index.js';

/**
 * The emulator's Socket Mode, spoken to with a bare WebSocket client: the
 * URL apps.connections.open hands out, `hello`, envelopes and their acks
 * matched by envelope_id, `disconnect`, and the errors Slack answers.
 */

type Json = Record<string, unknown>;
const { incidents } = SEED.channels;
const { ada } = SEED.users;

/** A bare Socket Mode client: every JSON message it received, in order. */
class RawClient {
  readonly received: Json[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.received.push(JSON.parse((data as Buffer).toString('utf8')) as Json);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static open(url: string): Promise<RawClient> {
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      const client = new RawClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  /** The first message (from `from` on) matching `test`. */
  async next(test: (m: Json) => boolean, from = 0): Promise<Json> {
    for (;;) {
      const found = this.received.slice(from).find(test);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  envelope(type: string): Promise<Json> {
    return this.next((m) => m.type === type && typeof m.envelope_id === 'string');
  }

  send(message: Json): void {
    this.ws.send(JSON.stringify(message));
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close(1000);
    });
  }
}

let slack: SlackEmulator;
const clients: RawClient[] = [];

async function openConnection(token = slack.appToken): Promise<{ ok: boolean; url?: string; error?: string }> {
  const response = await fetch(`${slack.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
  });
  return (await response.json()) as { ok: boolean; url?: string; error?: string };
}

async function connect(): Promise<RawClient> {
  const { url } = await openConnection();
  const client = await RawClient.open(`${url}&debug_reconnects=true`);
  clients.push(client);
  await client.next((m) => m.type === 'hello');
  return client;
}

beforeAll(async () => {
  slack = await SlackEmulator.start({ socketPingIntervalMs: 0 });
  slack.useSocketMode();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await slack.waitForSocket({ closed: true });
});
afterAll(() => slack.close());

describe('apps.connections.open', () => {
  it('answers a single-use ws:// URL on the emulator for the app-level token, and records the call', async () => {
    const answer = await openConnection();
    expect(answer).toMatchObject({ ok: true });
    expect(answer.url).toMatch(
      new RegExp(
        `^${slack.baseUrl.replace(/^http/, 'ws')}/emulator/socket\\?ticket=[0-9a-f]{32}&app_id=${SEED.bot.app_id}$`,
      ),
    );
    expect(slack.callsTo('apps.connections.open').at(-1)).toMatchObject({
      token: 'xapp-playground-token',
      response: { ok: true },
    });
  });

  it('refuses a wrong or missing token, the bot token, and the token as a POST parameter', async () => {
    expect(await openConnection('xapp-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await openConnection(slack.botToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    const unauthenticated = await fetch(`${slack.apiUrl}apps.connections.open`, { method: 'POST' });
    expect(await unauthenticated.json()).toEqual({ ok: false, error: 'not_authed' });
    const inBody = await fetch(`${slack.apiUrl}apps.connections.open`, {
      method: 'POST',
      body: new URLSearchParams({ token: slack.appToken }),
    });
    expect(await inBody.json()).toEqual({ ok: false, error: 'invalid_auth' });
  });

  it('does not let the app-level token call bot methods', async () => {
    const answer = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.appToken}` },
      body: new URLSearchParams({ channel: incidents, text: 'x' }),
    });
    expect(await answer.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });
});

describe('the WebSocket', () => {
  it('says hello with the number of connections and the app id', async () => {
    const first = await connect();
    expect(first.received[0]).toMatchObject({
      type: 'hello',
      num_connections: 1,
      connection_info: { app_id: SEED.bot.app_id },
      debug_info: { host: expect.any(String) },
    });
    const second = await connect();
    expect(second.received[0]).toMatchObject({ type: 'hello', num_connections: 2 });
    expect(slack.socketConnections).toBe(2);
  });

  it('refuses a ticket used before, an unknown ticket and other paths', async () => {
    const { url } = await openConnection();
    clients.push(await RawClient.open(url!));
    await expect(RawClient.open(url!)).rejects.toThrow('HTTP 401');
    await expect(RawClient.open(`${slack.baseUrl.replace(/^http/, 'ws')}/emulator/socket?ticket=nope`)).rejects.toThrow(
      'HTTP 401',
    );
    await expect(RawClient.open(`${slack.baseUrl.replace(/^http/, 'ws')}/elsewhere`)).rejects.toThrow('HTTP 404');
  });

  it('tells the app to reconnect with a disconnect message', async () => {
    const client = await connect();
    expect(slack.disconnectSocket('warning')).toBe(1);
    expect(await client.next((m) => m.type === 'disconnect')).toMatchObject({
      type: 'disconnect',
      reason: 'warning',
      debug_info: { host: expect.any(String) },
    });
  });

  it('resolves waitForSocket when the app connects and, with closed, when it goes', async () => {
    const waiting = slack.waitForSocket();
    const client = await connect();
    await waiting;
    await client.close();
    await slack.waitForSocket({ closed: true });
    expect(slack.socketConnections).toBe(0);
  });
});

describe('envelopes', () => {
  it('carry a slash command; the ack with its envelope_id answers it, and its payload is shown like an HTTP ack body', async () => {
    const client = await connect();
    const sent = slack.sendCommand({ text: 'help', user: ada, channel: incidents });
    const envelope = await client.envelope('slash_commands');
    expect(envelope).toMatchObject({
      accepts_response_payload: true,
      payload: { command: '/incident', text: 'help', user_id: ada, channel_id: incidents, api_app_id: SEED.bot.app_id },
    });
    expect(envelope.retry_attempt).toBeUndefined();
    client.send({ envelope_id: 'not-this-one', payload: { text: 'wrong' } });
    client.send({
      envelope_id: envelope.envelope_id,
      payload: { response_type: 'ephemeral', text: 'Usage: /incident <playbook>' },
    });
    const result = await sent;
    expect(result).toMatchObject({ status: 200, json: { text: 'Usage: /incident <playbook>' } });
    expect(JSON.parse(result.body)).toEqual(result.json);
    expect(result.responseUrl).toMatch(/\/emulator\/response\//);
    expect(result.triggerId).toBe((envelope.payload as Json).trigger_id);
    expect(slack.ephemerals({ user: ada }).at(-1)).toMatchObject({
      text: 'Usage: /incident <playbook>',
      source: 'ack',
    });
  });

  it('treat an ack without payload as an empty body', async () => {
    const client = await connect();
    const shown = slack.ephemerals().length;
    const sent = slack.sendCommand({ text: 'quiet' });
    client.send({ envelope_id: (await client.envelope('slash_commands')).envelope_id });
    expect(await sent).toMatchObject({ status: 200, body: '' });
    expect(slack.ephemerals()).toHaveLength(shown);
  });

  it('carry a button click as an interactive envelope', async () => {
    const client = await connect();
    const message = slack.postAsUser({
      user: ada,
      channel: incidents,
      text: 'pick',
      blocks: [
        {
          type: 'actions',
          block_id: 'b',
          elements: [{ type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' }, value: 'v' }],
        },
      ],
    });
    const sent = slack.click({ user: ada, channel: incidents, ts: message.ts, actionId: 'go' });
    const envelope = await client.envelope('interactive');
    expect(envelope).toMatchObject({
      accepts_response_payload: false,
      payload: { type: 'block_actions', actions: [{ action_id: 'go', value: 'v' }], response_url: expect.any(String) },
    });
    client.send({ envelope_id: envelope.envelope_id, payload: {} });
    expect(await sent).toMatchObject({ status: 200, body: '' });
  });

  it('carry an event as events_api with its retry fields', async () => {
    const client = await connect();
    const sent = slack.sendEvent(
      { type: 'app_mention', user: ada, channel: incidents, text: '<@U0BOT00001> hi' },
      { eventId: 'Ev0RETRY', retryNum: 1, retryReason: 'timeout' },
    );
    const envelope = await client.envelope('events_api');
    expect(envelope).toMatchObject({
      retry_attempt: 1,
      retry_reason: 'timeout',
      accepts_response_payload: false,
      payload: { type: 'event_callback', event_id: 'Ev0RETRY', event: { type: 'app_mention' } },
    });
    client.send({ envelope_id: envelope.envelope_id, payload: {} });
    expect((await sent).status).toBe(200);
  });

  it('that are not acked within 3 s fail like an HTTP timeout', async () => {
    await connect();
    const result = await slack.sendCommand({ text: 'slow', user: ada });
    expect(result.status).toBe(0);
    expect(result.ackMs).toBeGreaterThanOrEqual(2900);
    expect(slack.ephemerals({ user: ada }).at(-1)?.text).toBe('/incident failed with the error "operation_timeout"');
  });

  it('fail at once when the connection closes before the ack, and need a connection', async () => {
    const client = await connect();
    const sent = slack.sendCommand({ text: 'x' });
    await client.envelope('slash_commands');
    await client.close();
    expect((await sent).status).toBe(0);
    await slack.waitForSocket({ closed: true });
    await expect(slack.sendCommand({ text: 'x' })).rejects.toThrow(/no Socket Mode connection/);
  });
});
