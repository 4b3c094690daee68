import { ErrorCode, type Logger, LogLevel, WebClient, WebClientEvent, type WebAPIPlatformError } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, SlackEmulator } from '../../src/playground/emulator/index.js';

const { incidents, stakeholders, support, engineering } = SEED.channels;
const { ada, grace, sam } = SEED.users;

/** WebClient logs a platform error's [ERROR] lines even at LogLevel.ERROR; these tests assert on them instead. */
const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

let slack: SlackEmulator;
let client: WebClient;

beforeAll(async () => {
  slack = await SlackEmulator.start();
  client = new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    logger: quiet,
    retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 },
  });
});
afterAll(() => slack.close());

/** The `ok: false` answer a WebClient call was rejected with. */
async function platformError(call: Promise<unknown>): Promise<WebAPIPlatformError['data']> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as WebAPIPlatformError | undefined;
  expect(error?.code).toBe(ErrorCode.PlatformError);
  return (error as WebAPIPlatformError).data;
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('authentication', () => {
  it('answers auth.test with the seeded bot identity', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({
      ok: true,
      team_id: 'T0PLAYGRND',
      user_id: 'U0BOT00001',
      bot_id: 'B0BOT00001',
      user: 'incident-bot',
    });
  });

  it('answers invalid_auth for a wrong token and not_authed for none', async () => {
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, logger: quiet });
    expect((await platformError(wrong.auth.test())).error).toBe('invalid_auth');
    const none = new WebClient(undefined, { slackApiUrl: slack.apiUrl, logger: quiet });
    expect((await platformError(none.auth.test())).error).toBe('not_authed');
  });

  it('answers unknown_method for a method Slack does not have', async () => {
    expect((await platformError(client.apiCall('chat.postMesage', { channel: incidents }))).error).toBe(
      'unknown_method',
    );
    expect((await platformError(client.apiCall('constructor'))).error).toBe('unknown_method');
  });

  it('accepts GET query params and JSON bodies as Slack does', async () => {
    const get = await fetch(`${slack.apiUrl}users.info?user=${ada}&token=${slack.botToken}`);
    expect(await get.json()).toMatchObject({ ok: true, user: { id: ada, real_name: 'Ada Lovelace' } });
    const json = await fetch(`${slack.apiUrl}users.info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: grace }),
    });
    expect(await json.json()).toMatchObject({ ok: true, user: { id: grace } });
  });
});

describe('chat.postMessage', () => {
  it('answers not_in_channel until the bot joins a public channel', async () => {
    expect((await platformError(client.chat.postMessage({ channel: incidents, text: 'hello' }))).error).toBe(
      'not_in_channel',
    );
    await client.conversations.join({ channel: incidents });
    const posted = await client.chat.postMessage({ channel: incidents, text: 'hello' });
    expect(posted).toMatchObject({
      ok: true,
      channel: incidents,
      message: { text: 'hello', user: 'U0BOT00001', bot_id: 'B0BOT00001' },
    });
    expect(slack.messages(incidents).map((m) => m.text)).toEqual(['hello']);
  });

  it('answers channel_not_found for an unknown channel and no_text for an empty message', async () => {
    expect((await platformError(client.chat.postMessage({ channel: 'C0NOSUCH00', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    expect((await platformError(client.chat.postMessage({ channel: incidents, text: '' }))).error).toBe('no_text');
  });

  it('answers msg_too_long for text beyond 40,000 characters', async () => {
    expect((await platformError(client.chat.postMessage({ channel: incidents, text: 'x'.repeat(40_001) }))).error).toBe(
      'msg_too_long',
    );
  });

  it('gives strictly increasing ts values shaped like Slack’s', async () => {
    const a = await client.chat.postMessage({ channel: incidents, text: 'one' });
    const b = await client.chat.postMessage({ channel: incidents, text: 'two' });
    expect(a.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
  });

  it('records the call with blocks decoded from the form encoding', async () => {
    const since = slack.calls.length;
    await client.chat.postMessage({ channel: incidents, text: 'fallback', blocks: [section('*INC-1*')] });
    const call = await slack.waitForCall('chat.postMessage', { since });
    expect(call).toMatchObject({
      token: slack.botToken,
      status: 200,
      params: { channel: incidents, text: 'fallback', blocks: [section('*INC-1*')] },
      response: { ok: true },
    });
    expect(call.params).not.toHaveProperty('token');
  });

  it('surfaces invalid_blocks as a platform error listing each problem', async () => {
    const data = await platformError(
      client.chat.postMessage({
        channel: incidents,
        text: 'x',
        blocks: [section('ok'), { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      }),
    );
    expect(data.error).toBe('invalid_blocks');
    expect((data as unknown as { errors: string[] }).errors).toEqual([
      expect.stringMatching(/^blocks\[1\] \(header\).*150.*json-pointer:\/blocks\/1\/text\/text/),
    ]);
    expect(data.response_metadata?.messages?.[0]).toMatch(/^\[ERROR\]/);
  });

  it('threads replies under the parent and counts them', async () => {
    const parent = await client.chat.postMessage({ channel: incidents, text: 'INC-2 opened' });
    const first = await client.chat.postMessage({
      channel: incidents,
      text: 'step 1 done',
      thread_ts: parent.ts as string,
    });
    await client.chat.postMessage({ channel: incidents, text: 'reply to a reply', thread_ts: first.ts as string });
    expect(slack.message(incidents, parent.ts as string)).toMatchObject({
      reply_count: 2,
      thread_ts: parent.ts,
      reply_users: ['U0BOT00001'],
    });
    expect(slack.thread(incidents, parent.ts as string).map((m) => m.text)).toEqual([
      'step 1 done',
      'reply to a reply',
    ]);
    expect(slack.messages(incidents).map((m) => m.text)).not.toContain('step 1 done');
    const replies = await client.conversations.replies({ channel: incidents, ts: parent.ts as string });
    expect(replies.messages?.map((m) => m.text)).toEqual(['INC-2 opened', 'step 1 done', 'reply to a reply']);
  });

  it('posts to a user id as the bot’s DM with that user', async () => {
    const posted = await client.chat.postMessage({ channel: sam, text: 'FYI: INC-2' });
    expect(posted.channel).toMatch(/^D[A-Z0-9]{9}$/);
    const opened = await client.conversations.open({ users: sam });
    expect(opened.channel?.id).toBe(posted.channel);
    expect(slack.messages(posted.channel as string).map((m) => m.text)).toEqual(['FYI: INC-2']);
  });
});

describe('chat.update', () => {
  it('edits the bot’s message and marks it edited', async () => {
    const posted = await client.chat.postMessage({
      channel: incidents,
      text: 'INC-3 · open',
      blocks: [section('open')],
    });
    const updated = await client.chat.update({
      channel: incidents,
      ts: posted.ts as string,
      text: 'INC-3 · acknowledged',
      blocks: [section('acknowledged')],
    });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'INC-3 · acknowledged' });
    const stored = slack.message(incidents, posted.ts as string);
    expect(stored).toMatchObject({
      text: 'INC-3 · acknowledged',
      blocks: [section('acknowledged')],
      edited: { user: 'U0BOT00001' },
    });
  });

  it('answers message_not_found and cant_update_message', async () => {
    expect((await platformError(client.chat.update({ channel: incidents, ts: '1.000001', text: 'x' }))).error).toBe(
      'message_not_found',
    );
    const human = slack.postAsUser({ user: ada, channel: incidents, text: 'I am looking at it' });
    expect((await platformError(client.chat.update({ channel: incidents, ts: human.ts, text: 'x' }))).error).toBe(
      'cant_update_message',
    );
  });
});

describe('chat.postEphemeral', () => {
  it('shows a message to one member and answers user_not_in_channel for others', async () => {
    await client.conversations.join({ channel: support });
    const shown = await client.chat.postEphemeral({ channel: support, user: ada, text: 'only for Ada' });
    expect(slack.ephemerals({ user: ada, channel: support })).toEqual([
      expect.objectContaining({ ts: shown.message_ts, text: 'only for Ada', source: 'chat.postEphemeral' }),
    ]);
    await client.conversations.create({ name: 'ephemeral-test' });
    const created = slack.channelByName('ephemeral-test');
    expect(
      (await platformError(client.chat.postEphemeral({ channel: created?.id as string, user: ada, text: 'x' }))).error,
    ).toBe('user_not_in_channel');
  });
});

describe('conversations', () => {
  it('creates channels under Slack’s name rules, with the bot as member', async () => {
    const created = await client.conversations.create({ name: 'inc-42-auth-401' });
    expect(created.channel).toMatchObject({ name: 'inc-42-auth-401', is_member: true, is_private: false });
    expect(created.channel?.id).toMatch(/^C[A-Z0-9]{9}$/);
    for (const [name, error] of [
      ['INC-42', 'invalid_name_specials'],
      ['x'.repeat(81), 'invalid_name_maxlength'],
      ['inc-42-auth-401', 'name_taken'],
      ['incidents', 'name_taken'],
    ]) {
      expect((await platformError(client.conversations.create({ name: name as string })))?.error).toBe(error);
    }
  });

  it('invites people, refusing the bot itself, strangers and members', async () => {
    const { channel } = await client.conversations.create({ name: 'inc-43' });
    const id = channel?.id as string;
    await client.conversations.invite({ channel: id, users: `${ada},${grace}` });
    expect((await client.conversations.members({ channel: id })).members).toEqual(['U0BOT00001', ada, grace]);
    expect((await platformError(client.conversations.invite({ channel: id, users: ada }))).error).toBe(
      'already_in_channel',
    );
    expect((await platformError(client.conversations.invite({ channel: id, users: 'U0BOT00001' }))).error).toBe(
      'cant_invite_self',
    );
    expect((await platformError(client.conversations.invite({ channel: id, users: 'U0NOBODY00' }))).error).toBe(
      'user_not_found',
    );
  });

  it('reads history newest first and lists the channels the bot can see', async () => {
    await client.conversations.join({ channel: engineering });
    for (const text of ['a', 'b', 'c']) await client.chat.postMessage({ channel: engineering, text });
    const page1 = await client.conversations.history({ channel: engineering, limit: 2 });
    expect(page1.messages?.map((m) => m.text)).toEqual(['c', 'b']);
    expect(page1.has_more).toBe(true);
    const page2 = await client.conversations.history({
      channel: engineering,
      limit: 2,
      cursor: page1.response_metadata?.next_cursor,
    });
    expect(page2.messages?.map((m) => m.text)).toEqual(['a']);
    expect((await platformError(client.conversations.history({ channel: stakeholders }))).error).toBe('not_in_channel');
    const names = (await client.conversations.list()).channels?.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['incidents', 'stakeholders', 'support', 'engineering']));
    expect((await client.conversations.info({ channel: stakeholders })).channel).toMatchObject({
      name: 'stakeholders',
      is_member: false,
    });
  });
});

describe('users, user groups and pins', () => {
  it('answers the seeded people and groups', async () => {
    expect((await client.users.info({ user: ada })).user).toMatchObject({ real_name: 'Ada Lovelace', name: 'ada' });
    expect((await platformError(client.users.info({ user: 'U0NOBODY00' }))).error).toBe('user_not_found');
    expect((await client.users.list({})).members?.map((m) => m.id)).toEqual(
      expect.arrayContaining([ada, grace, sam, 'U0BOT00001']),
    );
    const groups = await client.usergroups.list({ include_users: true });
    expect(groups.usergroups?.find((g) => g.id === 'S0ROLLBACK')).toMatchObject({
      handle: 'rollback',
      users: [ada, grace],
    });
    expect((await client.usergroups.users.list({ usergroup: 'S0LEVEL3' })).users).toEqual(['U0LEAD0005']);
    expect((await platformError(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).error).toBe('no_such_subteam');
  });

  it('pins a message once and gives a permalink', async () => {
    const posted = await client.chat.postMessage({ channel: incidents, text: 'pin me' });
    await client.pins.add({ channel: incidents, timestamp: posted.ts as string });
    expect((await platformError(client.pins.add({ channel: incidents, timestamp: posted.ts as string }))).error).toBe(
      'already_pinned',
    );
    expect(
      (await client.pins.list({ channel: incidents })).items?.map(
        (i) => (i as { message?: { text?: string } }).message?.text,
      ),
    ).toEqual(['pin me']);
    const { permalink } = await client.chat.getPermalink({ channel: incidents, message_ts: posted.ts as string });
    expect(permalink).toBe(
      `https://playground.slack.com/archives/${incidents}/p${(posted.ts as string).replace('.', '')}`,
    );
  });
});

describe('views.open', () => {
  it('refuses a trigger_id the emulator never issued', async () => {
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Resolve' }, blocks: [] };
    expect((await platformError(client.views.open({ trigger_id: '123.456.abcdef', view }))).error).toBe(
      'invalid_trigger_id',
    );
  });
});

describe('rate limiting and injected failures', () => {
  it('answers HTTP 429 with Retry-After; WebClient waits, retries, and the message is posted exactly once', async () => {
    const since = slack.calls.length;
    const waits: number[] = [];
    const onLimited = (seconds: number) => waits.push(seconds);
    client.on(WebClientEvent.RATE_LIMITED, onLimited);
    slack.rateLimit('chat.postMessage', { retryAfterSeconds: 1 });
    const posted = await client.chat.postMessage({ channel: incidents, text: 'after the limit' });
    client.off(WebClientEvent.RATE_LIMITED, onLimited);
    const attempts = slack.calls.slice(since).filter((c) => c.method === 'chat.postMessage');
    expect(attempts.map((c) => [c.status, c.response.ok ? 'ok' : c.response.error])).toEqual([
      [429, 'ratelimited'],
      [200, 'ok'],
    ]);
    expect(waits).toEqual([1]);
    expect(
      slack
        .messages(incidents)
        .filter((m) => m.text === 'after the limit')
        .map((m) => m.ts),
    ).toEqual([posted.ts]);
  });

  it('fails a method the way Slack fails on command: HTTP 500, a hang, a lost or a late answer, then recovers', async () => {
    const once = new WebClient(slack.botToken, {
      slackApiUrl: slack.apiUrl,
      logger: quiet,
      retryConfig: { retries: 0 },
      timeout: 300,
    });
    slack.failNext('conversations.info', { status: 500 }, { always: true });
    await expect(once.conversations.info({ channel: incidents })).rejects.toMatchObject({ code: ErrorCode.HTTPError });
    await expect(once.conversations.info({ channel: incidents })).rejects.toMatchObject({ code: ErrorCode.HTTPError });
    slack.clearFaults('conversations.info');
    expect((await once.conversations.info({ channel: incidents })).ok).toBe(true);

    // A hang: nothing done, no answer; the client gives up on its own timeout.
    slack.failNext('chat.postMessage', { hang: true });
    await expect(once.chat.postMessage({ channel: incidents, text: 'hung' })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
    });
    expect(slack.messages(incidents).some((m) => m.text === 'hung')).toBe(false);
    // Done, then no answer (a lost answer), and done, then answered late.
    slack.failNext('chat.postMessage', { hangAfterDoing: true });
    await expect(once.chat.postMessage({ channel: incidents, text: 'done, unanswered' })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
    });
    expect(slack.messages(incidents).filter((m) => m.text === 'done, unanswered')).toHaveLength(1);
    slack.failNext('chat.postMessage', { delayMs: 50 }, { match: (p) => p.text === 'late' });
    expect((await once.chat.postMessage({ channel: incidents, text: 'late' })).ok).toBe(true);
  });

  it('fails every matching call for a window of time', async () => {
    slack.failNext('conversations.info', 'internal_error', { forMs: 60_000 });
    expect((await platformError(client.conversations.info({ channel: incidents }))).error).toBe('internal_error');
    expect((await platformError(client.conversations.info({ channel: incidents }))).error).toBe('internal_error');
    slack.clearFaults();
    expect((await client.conversations.info({ channel: incidents })).ok).toBe(true);
  });

  it('fails the next call to a method with the error asked for, then recovers', async () => {
    slack.failNext('conversations.info', 'internal_error');
    expect((await platformError(client.conversations.info({ channel: incidents }))).error).toBe('internal_error');
    expect((await client.conversations.info({ channel: incidents })).ok).toBe(true);
  });
});

describe('waitForCall', () => {
  it('resolves when a matching call arrives and rejects listing the recent calls when none does', async () => {
    const since = slack.calls.length;
    const waiting = slack.waitForCall((c) => c.method === 'users.info' && c.params.user === sam, { since });
    await client.users.info({ user: sam });
    expect((await waiting).response).toMatchObject({ ok: true, user: { id: sam } });
    await expect(slack.waitForCall('views.publish', { since, timeoutMs: 50 })).rejects.toThrow(
      /no Web API call to views\.publish within 50 ms[\s\S]*users\.info → 200 ok/,
    );
  });
});
