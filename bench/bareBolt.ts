import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { serve } from './support/ipc.js';

/**
 * The baseline: a bare Bolt app of the same Bolt version, on Bolt's own
 * HTTPReceiver with the bot's signing secret and the emulator's Web API,
 * whose command and action listeners only ack.
 */
const signingSecret = process.env.BENCH_SIGNING_SECRET ?? '';
const apiUrl = process.env.BENCH_SLACK_API_URL ?? '';
const token = process.env.BENCH_BOT_TOKEN ?? '';

const receiver = new HTTPReceiver({
  signingSecret,
  endpoints: '/slack/events',
  processBeforeResponse: false,
  logLevel: LogLevel.WARN,
});
const app = new App({
  token,
  receiver,
  clientOptions: { slackApiUrl: apiUrl },
  logLevel: LogLevel.WARN,
  deferInitialization: true,
});
app.command(/^\/.+/, async ({ ack }) => {
  await ack();
});
app.action(/.*/, async ({ ack }) => {
  await ack();
});
await app.init();

const server = await app.start({ port: 0, host: '127.0.0.1' });
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;

serve(
  {
    stop: async () => {
      await app.stop();
      setTimeout(() => process.exit(0), 50);
      return true;
    },
  },
  { url: `http://127.0.0.1:${port}/slack/events`, pid: process.pid },
);
