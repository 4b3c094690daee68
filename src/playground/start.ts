import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type RunningBot, startBot } from '../bot.js';
import { SLACK_PACE } from '../slack/limits.js';
import { AdjustableClock } from '../clock.js';
import type { RuntimeEnv } from '../config/env.js';
import type { Config } from '../config/schema.js';
import type { Coordinator } from '../coord/coordinator.js';
import type { Logger } from '../log.js';
import type { Playbook } from '../playbooks/schema.js';
import type { Database } from '../store/db.js';
import { readClockOffset, writeClockOffset } from './clockFile.js';
import { SlackEmulator } from './emulator/index.js';
import { type PagingProviders, startPagingProviders } from './emulator/providers/index.js';
import { onCallRoutes } from './oncall.js';
import { phoneRoutes } from './phones.js';
import { localOnly, playgroundRoutes } from './server.js';

export interface PlaygroundParts {
  env: RuntimeEnv;
  config: Config;
  playbooks: readonly Playbook[];
  db: Database;
  coord: Coordinator;
  log: Logger;
}

export interface RunningPlayground {
  bot: RunningBot;
  emulator: SlackEmulator;
  /** The paging providers (SMTP, Twilio, PagerDuty, Opsgenie, webhook) the bot pages instead of real ones. */
  paging: PagingProviders;
  /** What to open: http://localhost:<port>/ */
  url: string;
  /** This run's token: the page's POSTs carry it (header `x-playground-token`). */
  token: string;
  dryRun: boolean;
  stop(): Promise<void>;
}

/** Where the page's files are once built: beside this module in dist/playground/. */
const here = import.meta.dirname;

/**
 * `npm start` without Slack credentials: the bot in HTTP mode with a
 * generated signing secret, talking to the one Slack emulator, and the page
 * on the bot's own port, all on 127.0.0.1 only.
 */
export async function startPlayground(parts: PlaygroundParts): Promise<RunningPlayground> {
  const dir = resolve(parts.env.DATA_DIR, 'playground');
  await mkdir(dir, { recursive: true });
  const clock = new AdjustableClock();
  clock.restore(await readClockOffset(dir));
  // The emulator keeps real time: Bolt checks request signatures against the wall clock.
  // A bot token of this run only: the Web API takes it in a query string, which another site could otherwise guess.
  const emulator = new SlackEmulator({
    dataDir: dir,
    log: parts.log.child({ component: 'emulator' }),
    botToken: `xoxb-playground-${randomBytes(12).toString('hex')}`,
    // Slack's own limits, so the playground shows the pacing a real workspace imposes.
    rateLimits: true,
  });
  const token = randomBytes(24).toString('base64url');
  // Like Slack, every paging provider is emulated: the config's people are paged, its paging block is replaced.
  const paging = await startPagingProviders({}, () => clock.now());

  const dryRun = parts.config.dry_run || !parts.config.playground.run_actions;
  let bot: RunningBot | undefined;
  const routes = playgroundRoutes({
    clock,
    saveOffset: (offsetMs) => writeClockOffset(dir, offsetMs),
    tick: async () => (await bot?.worker?.tick()) ?? 0,
    dryRun,
    token,
    publicDir: resolve(here, 'public'),
    webDir: resolve(here, 'web'),
  });
  routes.push(
    ...onCallRoutes({
      clock,
      saveOffset: (offsetMs) => writeClockOffset(dir, offsetMs),
      tick: async () => (await bot?.worker?.tick()) ?? 0,
      deps: () => bot?.deps,
    }),
  );
  const pagingConfig = paging.config();
  // The Phones panel: what each person's phone and inbox received, and their replies, signed as the providers sign.
  const phones = phoneRoutes({
    people: parts.config.people,
    paging,
    twilioNumber: pagingConfig.twilio?.from ?? '+15005550006',
    botUrl: () => bot?.url ?? '',
    now: () => clock.now(),
  });
  try {
    bot = await startBot({
      // Slack's Web API is the emulator on the bot's own port: known once the bot listens.
      env: {
        PORT: parts.env.PORT,
        slack: (selfUrl) => {
          emulator.setBaseUrl(selfUrl);
          return {
            mode: 'http',
            botToken: emulator.botToken,
            signingSecret: emulator.signingSecret,
            apiUrl: emulator.apiUrl,
          };
        },
      },
      config: { ...parts.config, dry_run: dryRun, paging: pagingConfig },
      playbooks: parts.playbooks,
      db: parts.db,
      coord: parts.coord,
      clock,
      // The emulator keeps Slack's limits: the bot keeps its pace under them, as in a real workspace.
      slackPace: SLACK_PACE,
      log: parts.log,
      host: '127.0.0.1',
      spoolFile: resolve(dir, 'timeline-spool.jsonl'),
      routes: [...routes, ...phones, ...emulator.routes()].map((route) => localOnly(route, token)),
    });
  } catch (error) {
    await emulator.close();
    await paging.close();
    throw error;
  }
  const running = bot;
  emulator.connectBot(`${running.url}/slack/events`);
  return {
    bot: running,
    emulator,
    paging,
    url: `http://localhost:${running.port}/`,
    token,
    dryRun,
    async stop() {
      // Open event streams would hold the bot's server open for its whole grace period.
      emulator.closeStreams();
      await running.stop();
      await emulator.close();
      await paging.close();
      await writeClockOffset(dir, clock.offset);
    },
  };
}
