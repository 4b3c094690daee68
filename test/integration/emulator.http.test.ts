import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySlackRequest } from '@slack/bolt';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/clock.js';
import { closeServer, readBody } from '../../src/http/server.js';
import { SEED, SlackEmulator } from '../../src/playground/emulator/index.js';

/**
 * The emulator's own endpoints (response URLs, uploads, the playground's
 * JSON and SSE hooks), driven by a tiny bot that checks every signature with
 * Bolt's own verifySlackRequest and acks with an empty body.
 */

const { incidents } = SEED.channels;
const { ada } = SEED.users;
const clock = new AdjustableClock();
let slack: SlackEmulator;
let bot: Server;
const requests: { headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  slack = await SlackEmulator.start({ now: () => clock.now() });
  bot = createServer((req, res) => {
    void readBody(req).then((body) => {
      try {
        verifySlackRequest({
          signingSecret: slack.signingSecret,
          body,
          headers: {
            'x-slack-signature': String(req.headers['x-slack-signature']),
            'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
          },
          nowMilliseconds: clock.now().getTime(),
        });
      } catch {
        res.writeHead(401).end();
        return;
      }
      requests.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
  slack.connectBot(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/slack/events`);
});
afterAll(async () => {
  await closeServer(bot, 1000);
  await slack.close();
});

const postJson = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('inbound requests', () => {
  it('carry exactly the content type and signature headers Slack sends', async () => {
    const seconds = () => Math.floor(clock.now().getTime() / 1000);
    const before = seconds();
    await slack.sendCommand({ text: 'status' });
    const after = seconds();
    const headers: IncomingMessage['headers'] = requests.at(-1)?.headers ?? {};
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    // The emulator's clock, in whole seconds; the request may cross a second boundary.
    const sent = Number(headers['x-slack-request-timestamp']);
    expect(sent).toBeGreaterThanOrEqual(before);
    expect(sent).toBeLessThanOrEqual(after);
    expect(headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(headers['x-slack-retry-num']).toBeUndefined();
  });

  it('can be sent raw with sendSigned', async () => {
    const body = new URLSearchParams({ payload: JSON.stringify({ type: 'shortcut', callback_id: 'x' }) }).toString();
    expect((await slack.sendSigned(body, 'application/x-www-form-urlencoded')).status).toBe(200);
    expect(requests.at(-1)?.body).toBe(body);
  });

  it('need a connected bot', async () => {
    const lonely = new SlackEmulator();
    await expect(lonely.sendCommand({ text: 'x' })).rejects.toThrow(/connectBot/);
  });
});

describe('response_url', () => {
  it('shows an ephemeral by default and an in_channel message as the app, up to 5 times', async () => {
    const { responseUrl } = await slack.sendCommand({ text: 'status' });
    expect((await postJson(responseUrl, { text: 'Only you see this' })).status).toBe(200);
    expect(slack.ephemerals({ user: ada }).at(-1)).toMatchObject({
      channel: incidents,
      text: 'Only you see this',
      source: 'response_url',
    });
    await postJson(responseUrl, { response_type: 'in_channel', text: 'Everyone sees this' });
    expect(slack.messages(incidents).at(-1)).toMatchObject({ text: 'Everyone sees this', user: 'U0BOT00001' });
    await postJson(responseUrl, { replace_original: true, text: 'Edited in place' });
    expect(slack.messages(incidents).at(-1)?.text).toBe('Edited in place');
    await postJson(responseUrl, { text: 'four' });
    await postJson(responseUrl, { text: 'five' });
    const sixth = await postJson(responseUrl, { text: 'six' });
    expect([sixth.status, await sixth.json()]).toEqual([404, { ok: false, error: 'used_url' }]);
  });

  it('refuses invalid blocks and expires after 30 minutes', async () => {
    const { responseUrl } = await slack.sendCommand({ text: 'status' });
    const bad = await postJson(responseUrl, {
      text: 'x',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      errors: [expect.stringContaining('/blocks/0/text/text')],
    });
    clock.advance(30 * 60 * 1000 + 1);
    const late = await postJson(responseUrl, { text: 'too late' });
    expect([late.status, await late.json()]).toEqual([404, { ok: false, error: 'expired_url' }]);
  });

  it('deletes the original message with delete_original', async () => {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
    await client.conversations.join({ channel: incidents });
    const posted = await client.chat.postMessage({
      channel: incidents,
      text: 'Confirm?',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'confirm', text: { type: 'plain_text', text: 'Yes' } }],
        },
      ],
    });
    const { responseUrl } = await slack.click({
      user: ada,
      channel: incidents,
      ts: posted.ts as string,
      actionId: 'confirm',
    });
    await postJson(responseUrl, { delete_original: true });
    expect(slack.message(incidents, posted.ts as string)).toBeUndefined();
  });
});

describe('playground hooks', () => {
  it('serves the workspace as JSON, without file bytes', async () => {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
    await client.filesUploadV2({ channel_id: incidents, filename: 'a.md', content: '# a' });
    const state = (await (await fetch(`${slack.baseUrl}/emulator/state`)).json()) as {
      team: { id: string };
      channels: unknown[];
      files: Record<string, unknown>[];
    };
    expect(state.team.id).toBe('T0PLAYGRND');
    expect(state.files[0]).toMatchObject({ name: 'a.md', completed: true });
    expect(state.files[0]).not.toHaveProperty('content_base64');
    const calls = (await (await fetch(`${slack.baseUrl}/emulator/calls?since=${slack.calls.length - 1}`)).json()) as {
      method: string;
    }[];
    expect(calls.map((c) => c.method)).toEqual(['files.completeUploadExternal']);
  });

  it('streams each change as a server-sent event', async () => {
    const response = await fetch(`${slack.baseUrl}/emulator/events`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // ': connected'
    slack.postAsUser({ user: ada, channel: incidents, text: 'anyone?' });
    let text = '';
    while (!text.includes('\n\n', text.indexOf('event: change')))
      text += new TextDecoder().decode((await reader.read()).value);
    const data = JSON.parse(/data: (.*)/.exec(text)?.[1] ?? '{}') as Record<string, unknown>;
    expect(data).toMatchObject({ type: 'message', channel: incidents, ts: slack.messages(incidents).at(-1)?.ts });
    await reader.cancel();
  });

  it('sends a command for the page and answers with the bot’s ack', async () => {
    const response = await postJson(`${slack.baseUrl}/emulator/command`, {
      text: 'from the page',
      user: ada,
      channel: incidents,
    });
    expect(await response.json()).toMatchObject({
      status: 200,
      triggerId: expect.any(String),
      responseUrl: expect.stringContaining('/emulator/response/'),
    });
    expect(new URLSearchParams(requests.at(-1)?.body).get('text')).toBe('from the page');
    const bad = await postJson(`${slack.baseUrl}/emulator/click`, {
      user: ada,
      channel: incidents,
      ts: '1.000001',
      actionId: 'x',
    });
    expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([
      400,
      `click: no message with ts 1.000001 in ${incidents}`,
    ]);
  });

  it('lets a person type a message for the page', async () => {
    const response = await postJson(`${slack.baseUrl}/emulator/message`, {
      user: ada,
      channel: incidents,
      text: 'is it down for everyone?',
    });
    expect(await response.json()).toMatchObject({ channel: incidents, user: ada, text: 'is it down for everyone?' });
    const stranger = await postJson(`${slack.baseUrl}/emulator/message`, {
      user: 'U0NOBODY00',
      channel: incidents,
      text: 'hi',
    });
    expect(stranger.status).toBe(400);
  });

  it('takes raw bytes at the upload URL as well as a multipart form', async () => {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
    const { upload_url, file_id } = await client.files.getUploadURLExternal({ filename: 'raw.txt', length: 5 });
    const upload = await fetch(upload_url as string, { method: 'POST', body: 'hello' });
    expect([upload.status, await upload.text()]).toEqual([200, 'OK - 5']);
    await client.files.completeUploadExternal({ files: [{ id: file_id as string }] });
    expect(await (await fetch(`${slack.baseUrl}/emulator/files/${file_id}`)).text()).toBe('hello');
  });
});
