import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, SlackEmulator } from '../../src/playground/emulator/index.js';

const { incidents } = SEED.channels;

let slack: SlackEmulator;
let client: WebClient;

beforeAll(async () => {
  slack = await SlackEmulator.start();
  client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
  await client.conversations.join({ channel: incidents });
});
afterAll(() => slack.close());

const REPORT = '# INC-9 post-incident report\n\n- 03:00 opened by <@U0ONCALL01>\n- 03:12 resolved — token refreshed\n';

describe('filesUploadV2', () => {
  it('uploads a Markdown report into a thread through the three Slack steps, and it can be downloaded', async () => {
    const parent = await client.chat.postMessage({ channel: incidents, text: 'INC-9 resolved' });
    const since = slack.calls.length;
    const result = await client.filesUploadV2({
      channel_id: incidents,
      thread_ts: parent.ts as string,
      filename: 'INC-9-report.md',
      title: 'INC-9 report',
      content: REPORT,
      initial_comment: 'Report attached',
    });
    expect(result.ok).toBe(true);

    expect(slack.calls.slice(since).map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    const [reply] = slack.thread(incidents, parent.ts as string);
    expect(reply).toMatchObject({
      text: 'Report attached',
      user: 'U0BOT00001',
      files: [
        { name: 'INC-9-report.md', title: 'INC-9 report', mimetype: 'text/markdown', size: Buffer.byteLength(REPORT) },
      ],
    });

    const fileId = reply?.files?.[0]?.id as string;
    const info = await client.files.info({ file: fileId });
    expect(info.file).toMatchObject({ id: fileId, filetype: 'markdown', channels: [incidents] });
    expect(info.content).toBe(REPORT);
    const download = await fetch(info.file?.url_private_download as string);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await download.text()).toBe(REPORT);
  });

  it('shows the file with its URL in the thread, and counts the reply on the parent', async () => {
    const { messages } = await client.conversations.history({ channel: incidents, limit: 1 });
    expect(messages?.[0]).toMatchObject({ text: 'INC-9 resolved', reply_count: 1 });
    const thread = await client.conversations.replies({ channel: incidents, ts: messages?.[0]?.ts as string });
    expect(thread.messages?.[1]?.files?.[0]?.url_private).toMatch(
      new RegExp(`^${slack.baseUrl}/emulator/files/F[A-Z0-9]{10}/INC-9-report\\.md$`),
    );
  });

  it('answers file_not_found when completing an upload whose bytes never arrived', async () => {
    const { file_id } = await client.files.getUploadURLExternal({ filename: 'empty.md', length: 10 });
    const error = await client.files
      .completeUploadExternal({ files: [{ id: file_id as string }], channel_id: incidents })
      .catch((e: { data: { error: string } }) => e.data.error);
    expect(error).toBe('file_not_found');
  });

  it('answers not_in_channel when sharing into a channel the bot has not joined', async () => {
    const error = await client
      .filesUploadV2({ channel_id: SEED.channels.support, filename: 'a.txt', content: 'a' })
      .catch((e: { data: { error: string } }) => e.data.error);
    expect(error).toBe('not_in_channel');
  });
});
