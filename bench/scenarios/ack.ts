import type { Usage } from '../botProcess.js';
import type { BenchContext } from '../support/context.js';
import { type Figure, type ScenarioOutcome, atMost, ms, round } from '../support/figures.js';
import type { LatencySummary, LoadResult } from '../support/loadPlan.js';
import type { Template } from '../support/requests.js';
import { ADA, INCIDENTS_CHANNEL } from '../support/stack.js';

const RATE = 100;
/** Playbooks the `/incident <id>` requests open, in turn. */
export const OPEN_PLAYBOOKS = ['auth-401', 'database', 'cache', 'deploy-failed'];

export const describeLatency = (l: LatencySummary) =>
  `p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, p99 ${ms(l.p99)}, max ${ms(l.max)}`;
export const describeRun = (r: LoadResult) =>
  `${describeLatency(r.latency)} (${r.latency.count} measured; answered non-2xx: ${r.failed}${
    r.failed > 0
      ? ` [status ${Object.entries(r.statuses)
          .filter(([s]) => !s.startsWith('2'))
          .map(([s, n]) => `${s}: ${n}`)
          .join(', ')}]`
      : ''
  }, unanswered: ${r.unfinished}; generator lag p99 ${ms(r.sendLagP99Ms)})`;

/**
 * Ack latency at a steady 100 requests/s, open loop, of `/incident <id>`
 * (each opens a real incident: a channel, the live message, pages) and of
 * step button clicks (most are "already done" after the first), against the
 * bot and against the bare Bolt app in the same run.
 */
export async function ackScenario(ctx: BenchContext): Promise<ScenarioOutcome> {
  const stack = await ctx.mainStack();
  const bare = await ctx.bareBolt();
  const load = await ctx.load();
  const warmupMs = ctx.quick ? 500 : 2_000;
  const durationMs = ctx.quick ? 1_500 : 8_000;
  const total = Math.ceil((RATE * (warmupMs + durationMs)) / 1000);

  const commands: Template[] = [];
  for (const playbook of OPEN_PLAYBOOKS)
    commands.push(
      await stack.factory.command({ text: `${playbook} ack latency benchmark`, user: ADA, channel: INCIDENTS_CHANNEL }),
    );
  const incidents = await stack.openIncidents(ctx.quick ? 2 : 5, ['auth-401']);
  const clicks = await stack.stepClicks(incidents, [1, 2]);

  const measure = async (kind: string, templates: Template[]) => {
    const base = { signingSecret: stack.emulator.signingSecret, requests: templates, maxInFlight: 64 };
    const run = { rate: RATE, warmupMs, durationMs, drainMs: 5_000 };
    ctx.progress(`${kind}: bare Bolt at ${RATE}/s`);
    const baseline = await load.run({ ...base, url: bare.info.url }, run);
    ctx.progress(`${kind}: bot at ${RATE}/s`);
    const bot = await load.run(
      { ...base, url: stack.bot.info.url },
      { ...run, responseUrls: stack.factory.responseUrls(templates, total) },
    );
    return { bot, baseline };
  };

  // Measured on a quiet machine: what earlier scenarios left the bot to do would slow both apps alike.
  await stack.settle(180_000);
  const click = await measure('step clicks', clicks);
  await stack.settle(60_000);
  // Last, because the bot cannot open 100 incidents a second: what it still has to do when the run ends
  // is reported, and abandoned when the shared bot stops after this scenario.
  const command = await measure('/incident <id>', commands);
  const { inflight } = await stack.bot.call<Usage>('usage');
  ctx.progress(`/incident <id>: ${inflight} command(s) still being worked on when the run ended`);
  const ratio = (r: { bot: LoadResult; baseline: LoadResult }) =>
    r.bot.latency.p99 / Math.max(r.baseline.latency.p99, 0.001);
  const worst = Math.max(ratio(command), ratio(click));
  const figures: Figure[] = [
    atMost('ack_command_p99_ms', round(command.bot.latency.p99), 'ms', 25),
    atMost('ack_click_p99_ms', round(click.bot.latency.p99), 'ms', 25),
    atMost('ack_p99_vs_bare_bolt', round(worst), '×', 1.3),
  ];
  const unanswered = [command.bot, click.bot].some((r) => r.failed + r.unfinished > 0);
  if (unanswered) for (const f of figures) f.holds = false;
  return {
    figures,
    details: [
      `ack at ${RATE}/s, ${durationMs / 1000} s measured after ${warmupMs / 1000} s warm-up, latency from the scheduled send time:`,
      `  /incident <id>  bot:       ${describeRun(command.bot)}`,
      `  /incident <id>  bare Bolt: ${describeRun(command.baseline)}`,
      `  step click      bot:       ${describeRun(click.bot)}`,
      `  step click      bare Bolt: ${describeRun(click.baseline)}`,
      `  p99 ratio: command ${round(ratio(command))}×, click ${round(ratio(click))}× (the figure is the larger)`,
      `  when the command run ended the bot was still working on ${inflight} of the ${total} commands it had acked`,
    ],
  };
}
