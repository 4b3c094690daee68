import type { AddressInfo } from 'node:net';
import { App, type BlockAction, type Logger, LogLevel } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/clock.js';
import { SEED, SlackEmulator } from '../../src/playground/emulator/index.js';

/**
 * The emulator against a real Bolt App with its HTTPReceiver: Bolt verifies
 * every signature exactly as it does for Slack, and its WebClient calls the
 * emulator's Web API.
 */

const { incidents, stakeholders } = SEED.channels;
const { ada, grace } = SEED.users;
const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

const clock = new AdjustableClock();
let slack: SlackEmulator;
let app: App;
let client: WebClient;
const received: { body: Record<string, unknown>; retryNum: number | undefined; retryReason: string | undefined }[] = [];
const clicks: BlockAction[] = [];
let lastTrigger = '';
const mentions: Record<string, unknown>[] = [];
const closed: string[] = [];
const mentionWaiters: (() => void)[] = [];
/** Events are acked before Bolt runs the listener: wait for it. */
const nextMention = () => new Promise<void>((resolve) => mentionWaiters.push(resolve));

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const resolveModal = {
  type: 'modal' as const,
  callback_id: 'resolve',
  title: plain('Resolve INC-1'),
  submit: plain('Resolve'),
  blocks: [
    {
      type: 'input',
      block_id: 'summary',
      label: plain('Summary'),
      element: { type: 'plain_text_input', action_id: 'text' },
    },
  ],
};

beforeAll(async () => {
  slack = await SlackEmulator.start({ now: () => clock.now() });
  app = new App({
    token: slack.botToken,
    signingSecret: slack.signingSecret,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logger: quiet,
  });
  app.use(async ({ body, context, next }) => {
    received.push({
      body: body as Record<string, unknown>,
      retryNum: context.retryNum,
      retryReason: context.retryReason,
    });
    await next();
  });
  app.command('/incident', async ({ command, ack, respond, client: bot }) => {
    lastTrigger = command.trigger_id;
    switch (command.text) {
      case 'help':
        return ack({
          response_type: 'ephemeral',
          text: 'Usage: /incident <playbook>',
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Usage*' } }],
        });
      case 'plain':
        return ack('Opening INC-1…');
      case 'announce':
        return ack({ response_type: 'in_channel', text: 'INC-1 opened' });
      case 'bad-blocks':
        return ack({
          text: 'x',
          blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'not plain' } } as unknown as KnownBlock],
        });
      case 'later':
        await ack();
        await respond({ text: 'Checks are green' });
        return;
      case 'modal':
        await ack();
        await bot.views.open({ trigger_id: command.trigger_id, view: resolveModal });
        return;
      default:
        return ack();
    }
  });
  app.action('step.done.1', async ({ ack, body, respond }) => {
    clicks.push(body as BlockAction);
    await ack();
    await respond({ replace_original: true, text: 'Step 1 done by Ada' });
  });
  app.event('app_mention', async ({ event }) => {
    mentions.push(event as unknown as Record<string, unknown>);
    for (const wake of mentionWaiters.splice(0)) wake();
  });
  app.view({ type: 'view_closed', callback_id: 'resolve' }, async ({ ack, body }) => {
    closed.push(body.view.id);
    await ack();
  });
  app.view('resolve', async ({ ack, view }) => {
    const summary = view.state.values.summary?.text?.value ?? '';
    await (summary.length < 5
      ? ack({ response_action: 'errors', errors: { summary: 'Tell us a little more' } })
      : ack());
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  slack.connectBot(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
  client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logger: quiet });
});
afterAll(async () => {
  await app.stop();
  await slack.close();
});

const platformError = (call: Promise<unknown>) =>
  call.then(
    () => 'ok',
    (e: WebAPIPlatformError) => e.data?.error,
  );

describe('slash commands', () => {
  it('arrive with the form fields Slack sends, signed so that Bolt accepts them', async () => {
    const result = await slack.sendCommand({ text: 'noop', channel: incidents });
    expect(result.status).toBe(200);
    expect(received.at(-1)?.body).toEqual({
      token: slack.verificationToken,
      team_id: 'T0PLAYGRND',
      team_domain: 'playground',
      channel_id: incidents,
      channel_name: 'incidents',
      user_id: ada,
      user_name: 'ada',
      command: '/incident',
      text: 'noop',
      api_app_id: 'A0PLAYGRND',
      is_enterprise_install: 'false',
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
    });
    expect(result.responseUrl.startsWith(`${slack.baseUrl}/emulator/response/`)).toBe(true);
    expect(result.triggerId).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
    expect(slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('show a JSON ack body to the user as an ephemeral message', async () => {
    await slack.sendCommand({ text: 'help', user: grace });
    expect(slack.ephemerals({ user: grace }).at(-1)).toMatchObject({
      channel: incidents,
      text: 'Usage: /incident <playbook>',
      blocks: [{ type: 'section' }],
      source: 'ack',
    });
  });

  it('show a plain-text ack body as an ephemeral message', async () => {
    await slack.sendCommand({ text: 'plain' });
    expect(slack.ephemerals({ user: ada }).at(-1)).toMatchObject({ text: 'Opening INC-1…', source: 'ack' });
  });

  it('post an in_channel ack body as a message from the app, even where the bot is not a member', async () => {
    await slack.sendCommand({ text: 'announce', channel: stakeholders });
    expect(slack.messages(stakeholders).at(-1)).toMatchObject({
      text: 'INC-1 opened',
      user: 'U0BOT00001',
      bot_id: 'B0BOT00001',
    });
  });

  it('deliver respond() through the response_url as an ephemeral message', async () => {
    await slack.sendCommand({ text: 'later', user: grace });
    const shown = await slack.waitFor(() =>
      slack.ephemerals({ user: grace }).find((e) => e.text === 'Checks are green'),
    );
    expect(shown).toMatchObject({ channel: incidents, source: 'response_url' });
  });

  it('carry retries in X-Slack-Retry-Num and X-Slack-Retry-Reason, which Bolt puts on the context', async () => {
    await slack.sendCommand({ text: 'noop', retryNum: 2, retryReason: 'http_timeout' });
    expect(received.at(-1)).toMatchObject({ retryNum: 2, retryReason: 'http_timeout' });
  });

  it('are refused with 401 when forged, signed with another secret, or stale — and Slack tells the user', async () => {
    const before = received.length;
    expect((await slack.sendCommand({ text: 'noop', signature: `v0=${'0'.repeat(64)}` })).status).toBe(401);
    expect((await slack.sendCommand({ text: 'noop', signingSecret: 'not-the-secret' })).status).toBe(401);
    expect((await slack.sendCommand({ text: 'noop', timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(
      401,
    );
    expect(received.length).toBe(before);
    expect(slack.ephemerals({ user: ada }).at(-1)?.text).toBe('/incident failed with the error "dispatch_failed"');
  });

  it('tell the user when the ack body breaks Block Kit rules', async () => {
    await slack.sendCommand({ text: 'bad-blocks', user: grace });
    expect(slack.ephemerals({ user: grace }).at(-1)?.text).toBe('/incident failed with the error "invalid_blocks"');
  });
});

describe('modals', () => {
  it('open with the trigger_id of the command, which can be exchanged only once', async () => {
    const result = await slack.sendCommand({ text: 'modal' });
    const view = await slack.waitFor(() =>
      slack.workspace.views.find((v) => v.open && v.user === ada && v.view.callback_id === 'resolve'),
    );
    expect(view.view).toMatchObject({
      id: expect.stringMatching(/^V[A-Z0-9]{10}$/),
      type: 'modal',
      title: plain('Resolve INC-1'),
    });
    expect(await platformError(client.views.open({ trigger_id: result.triggerId, view: resolveModal }))).toBe(
      'exchanged_trigger_id',
    );
  });

  it('refuse a trigger_id older than 3 seconds', async () => {
    await slack.sendCommand({ text: 'noop' });
    clock.advance(3001);
    expect(await platformError(client.views.open({ trigger_id: lastTrigger, view: resolveModal }))).toBe(
      'expired_trigger_id',
    );
  });

  it('answer invalid_arguments for a view that breaks Block Kit rules, without spending the trigger', async () => {
    await slack.sendCommand({ text: 'noop', user: grace });
    const error = await client.views
      .open({ trigger_id: lastTrigger, view: { ...resolveModal, title: plain('A title that is far too long') } })
      .catch((e: WebAPIPlatformError) => e.data);
    expect(error).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] view: title must be at most 24 characters (got 28) [json-pointer:/view/title/text]'],
      },
    });
    expect((await client.views.open({ trigger_id: lastTrigger, view: resolveModal })).ok).toBe(true);
  });

  it('stay open with the errors the bot answers a submission with, and close on an empty ack', async () => {
    const view = slack.workspace.views.find((v) => v.open && v.user === grace);
    expect(view).toBeDefined();
    const id = view?.id as string;
    await slack.submitView({
      user: grace,
      viewId: id,
      values: { summary: { text: { type: 'plain_text_input', value: 'meh' } } },
    });
    expect(slack.workspace.views.find((v) => v.id === id)).toMatchObject({
      open: true,
      errors: { summary: 'Tell us a little more' },
    });
    const submitted = received.at(-1)?.body as { type: string; view: { id: string; state: unknown } };
    expect(submitted).toMatchObject({
      type: 'view_submission',
      view: { id, state: { values: { summary: { text: { value: 'meh' } } } } },
    });
    await slack.submitView({
      user: grace,
      viewId: id,
      values: { summary: { text: { type: 'plain_text_input', value: 'Token refreshed, errors gone' } } },
    });
    expect(slack.workspace.views.find((v) => v.id === id)?.open).toBe(false);
  });

  it('close when the user dismisses them, telling the bot only when the view asked for notify_on_close', async () => {
    await slack.sendCommand({ text: 'noop' });
    const quietView = await client.views.open({ trigger_id: lastTrigger, view: resolveModal });
    expect(await slack.closeView({ user: ada, viewId: quietView.view?.id as string })).toBeUndefined();
    await slack.sendCommand({ text: 'noop' });
    const noisy = await client.views.open({
      trigger_id: lastTrigger,
      view: { ...resolveModal, notify_on_close: true },
    });
    const result = await slack.closeView({ user: ada, viewId: noisy.view?.id as string });
    expect(result?.status).toBe(200);
    expect(closed).toEqual([noisy.view?.id]);
    const ids = [quietView.view?.id, noisy.view?.id];
    expect(slack.workspace.views.filter((v) => ids.includes(v.id)).map((v) => v.open)).toEqual([false, false]);
  });
});

describe('button clicks', () => {
  let ts = '';
  beforeAll(async () => {
    await client.conversations.join({ channel: incidents });
    const posted = await client.chat.postMessage({
      channel: incidents,
      text: 'INC-1 playbook',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*1.* Check the auth service' } },
        {
          type: 'actions',
          block_id: 'step.1',
          elements: [
            { type: 'button', action_id: 'step.done.1', text: plain('Done'), value: '1', style: 'primary' },
            { type: 'button', action_id: 'step.skip.1', text: plain('Skip'), value: '1' },
          ],
        },
      ],
    });
    ts = posted.ts as string;
  });

  it('send a block_actions payload built from the stored message', async () => {
    const result = await slack.click({ user: ada, channel: incidents, ts, actionId: 'step.done.1' });
    expect(result.status).toBe(200);
    const click = clicks.at(-1);
    expect(click).toMatchObject({
      type: 'block_actions',
      user: { id: ada, username: 'ada', name: 'ada', team_id: 'T0PLAYGRND' },
      api_app_id: 'A0PLAYGRND',
      token: slack.verificationToken,
      container: { type: 'message', message_ts: ts, channel_id: incidents, is_ephemeral: false },
      trigger_id: result.triggerId,
      channel: { id: incidents, name: 'incidents' },
      message: { ts, text: 'INC-1 playbook', user: 'U0BOT00001' },
      response_url: result.responseUrl,
      actions: [
        {
          action_id: 'step.done.1',
          block_id: 'step.1',
          text: plain('Done'),
          value: '1',
          type: 'button',
          style: 'primary',
        },
      ],
    });
    expect(click?.message?.blocks).toHaveLength(2);
    expect(click?.actions[0]?.action_ts).toMatch(/^\d+\.\d{6}$/);
  });

  it('let respond({ replace_original }) replace the message it came from', async () => {
    await slack.waitFor(() => slack.message(incidents, ts)?.text === 'Step 1 done by Ada', {
      what: 'the message to be replaced',
    });
    expect(slack.message(incidents, ts)).toMatchObject({ blocks: [], edited: { user: 'U0BOT00001' } });
  });

  it('deliver the same click twice when asked, with the same action_ts', async () => {
    const message = await client.chat.postMessage({
      channel: incidents,
      text: 'again',
      blocks: [
        { type: 'actions', elements: [{ type: 'button', action_id: 'step.done.1', text: plain('Done'), value: '1' }] },
      ],
    });
    await slack.click({
      user: ada,
      channel: incidents,
      ts: message.ts as string,
      actionId: 'step.done.1',
      actionTs: '1767225600.000001',
    });
    await slack.click({
      user: ada,
      channel: incidents,
      ts: message.ts as string,
      actionId: 'step.done.1',
      actionTs: '1767225600.000001',
      retryNum: 1,
    });
    expect(clicks.slice(-2).map((c) => c.actions[0]?.action_ts)).toEqual(['1767225600.000001', '1767225600.000001']);
    expect(received.at(-1)?.retryNum).toBe(1);
  });

  it('throw a clear error for a message or button that does not exist', async () => {
    await expect(
      slack.click({ user: ada, channel: incidents, ts: '1.000001', actionId: 'step.done.1' }),
    ).rejects.toThrow(`click: no message with ts 1.000001 in ${incidents}`);
    await expect(slack.click({ user: ada, channel: incidents, ts, actionId: 'step.done.9' })).rejects.toThrow(
      /has no button "step\.done\.9" \(buttons: none\)/,
    );
  });
});

describe('events', () => {
  it('arrive as a JSON event_callback envelope, signed, with the same event_id on a retry', async () => {
    const handled = nextMention();
    const first = await slack.sendEvent(
      { type: 'app_mention', user: ada, text: '<@U0BOT00001> status', channel: incidents },
      { eventId: 'Ev0PLAYGRND1' },
    );
    expect(first.status).toBe(200);
    await handled;
    expect(mentions.at(-1)).toMatchObject({
      type: 'app_mention',
      user: ada,
      channel: incidents,
      text: '<@U0BOT00001> status',
      event_ts: expect.stringMatching(/^\d+\.\d{6}$/),
    });
    expect(received.at(-1)?.body).toMatchObject({
      type: 'event_callback',
      event_id: 'Ev0PLAYGRND1',
      team_id: 'T0PLAYGRND',
      api_app_id: 'A0PLAYGRND',
    });
    const retried = nextMention();
    await slack.sendEvent(
      { type: 'app_mention', user: ada, text: '<@U0BOT00001> status', channel: incidents },
      { eventId: 'Ev0PLAYGRND1', retryNum: 1, retryReason: 'http_timeout' },
    );
    await retried;
    expect(received.at(-1)).toMatchObject({
      retryNum: 1,
      retryReason: 'http_timeout',
      body: { event_id: 'Ev0PLAYGRND1' },
    });
  });
});
