import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, readBody } from '../../src/http/server.js';
import { SEED, SlackEmulator } from '../../src/playground/emulator/index.js';

/**
 * The playground page's static selects and overflow menus: a choice is sent
 * as Slack sends it, a block_actions payload with `selected_option` (and, for
 * a select, the choice in `state.values`), through POST /emulator/click.
 */

const { incidents } = SEED.channels;
const { ada } = SEED.users;
const plain = (text: string) => ({ type: 'plain_text' as const, text });
let slack: SlackEmulator;
let bot: Server;
const payloads: Record<string, unknown>[] = [];
let ts: string;

beforeAll(async () => {
  slack = await SlackEmulator.start();
  bot = createServer((req, res) => {
    void readBody(req).then((body) => {
      payloads.push(JSON.parse(new URLSearchParams(body).get('payload') ?? '{}') as Record<string, unknown>);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((done) => bot.listen(0, '127.0.0.1', done));
  slack.connectBot(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/slack/events`);
  const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
  await client.conversations.join({ channel: incidents });
  const posted = await client.chat.postMessage({
    channel: incidents,
    text: 'choose',
    blocks: [
      {
        type: 'section',
        block_id: 'more',
        text: { type: 'mrkdwn', text: 'More' },
        accessory: {
          type: 'overflow',
          action_id: 'more',
          options: [
            { text: plain('Timeline'), value: 'timeline' },
            { text: plain('Report'), value: 'report' },
          ],
        },
      },
      {
        type: 'actions',
        block_id: 'sev',
        elements: [
          {
            type: 'static_select',
            action_id: 'severity',
            placeholder: plain('Severity'),
            option_groups: [
              { label: plain('High'), options: [{ text: plain('SEV1'), value: 'sev1' }] },
              { label: plain('Low'), options: [{ text: plain('SEV4'), value: 'sev4' }] },
            ],
          },
        ],
      },
    ],
  });
  ts = posted.ts as string;
});

afterAll(async () => {
  await closeServer(bot, 1000);
  await slack.close();
});

const click = (body: Record<string, unknown>) =>
  fetch(`${slack.baseUrl}/emulator/click`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: ada, channel: incidents, ts, ...body }),
  });

describe('choices in a message', () => {
  it('an overflow option arrives as an overflow action with its selected_option', async () => {
    expect((await click({ actionId: 'more', selected: 'report' })).status).toBe(200);
    const payload = payloads.at(-1)!;
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: ada },
      container: { message_ts: ts, channel_id: incidents },
    });
    expect(payload.actions).toEqual([
      {
        type: 'overflow',
        action_id: 'more',
        block_id: 'more',
        selected_option: { text: plain('Report'), value: 'report' },
        action_ts: expect.any(String),
      },
    ]);
  });

  it('a select option (from an option group) arrives with its selected_option and in state.values', async () => {
    expect((await click({ actionId: 'severity', selected: 'sev4' })).status).toBe(200);
    const payload = payloads.at(-1)!;
    expect(payload.actions).toEqual([
      expect.objectContaining({
        type: 'static_select',
        action_id: 'severity',
        block_id: 'sev',
        selected_option: { text: plain('SEV4'), value: 'sev4' },
        placeholder: plain('Severity'),
      }),
    ]);
    expect(payload.state).toEqual({
      values: { sev: { severity: { type: 'static_select', selected_option: { text: plain('SEV4'), value: 'sev4' } } } },
    });
  });

  it('an option or element that is not there is a clear 400, and nothing is sent', async () => {
    const before = payloads.length;
    const missing = await click({ actionId: 'severity', selected: 'sev9' });
    expect([missing.status, await missing.json()]).toEqual([
      400,
      { ok: false, error: 'click: static_select "severity" has no option with value "sev9"' },
    ]);
    const none = await click({ actionId: 'nothing', selected: 'x' });
    expect(await none.json()).toMatchObject({
      ok: false,
      error: expect.stringContaining('no static_select or overflow "nothing"'),
    });
    expect(payloads.length).toBe(before);
  });
});
