import type { LoopDelay, MemorySample } from '../botProcess.js';
import type { BenchContext } from '../support/context.js';
import { type ScenarioOutcome, atMost, below, ms, round } from '../support/figures.js';
import type { Template } from '../support/requests.js';
import { ADA } from '../support/stack.js';
import { describeRun } from './ack.js';

const RATE = 250;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const growth = (from: number, to: number) => ((to - from) / from) * 100;

/**
 * 10,000 interactions against a bot process of its own, at 250/s: step
 * clicks (80 %), notes (15 %) and new incidents (5 %). Memory is sampled
 * after a 1,000-interaction warm-up and again at the end, each time once the
 * bot has finished its work and after a full GC; event-loop delay is the
 * bot's own monitorEventLoopDelay over the measured run.
 */
export async function soakScenario(ctx: BenchContext): Promise<ScenarioOutcome> {
  const stack = await ctx.startStack('soak');
  const load = await ctx.load();
  try {
    const count = ctx.quick ? 500 : 10_000;
    const warmupCount = ctx.quick ? 200 : 500;
    const incidents = await stack.openIncidents(ctx.quick ? 4 : 10, ['auth-401', 'database']);
    ctx.progress(`opened ${incidents.length} incidents`);
    const templates: Template[] = [
      ...(await stack.stepClicks(incidents, [1, 2], 4)),
      ...(await Promise.all(
        incidents.map((i) =>
          stack.factory.command({ text: 'note soak: checked the dashboards again', user: ADA, channel: i.channel }, 3),
        ),
      )),
    ];
    for (const playbook of ['auth-401', 'database'])
      templates.push(
        await stack.factory.command(
          { text: `${playbook} soak benchmark`, user: ADA, channel: 'C0INCIDENTS' },
          incidents.length / 2,
        ),
      );
    const setup = {
      url: stack.bot.info.url,
      signingSecret: stack.emulator.signingSecret,
      requests: templates,
      maxInFlight: 128,
    };
    const run = (n: number) =>
      load.run(setup, {
        rate: RATE,
        warmupMs: 0,
        durationMs: (n * 1000) / RATE,
        drainMs: 10_000,
        responseUrls: stack.factory.responseUrls(templates, n),
      });

    ctx.progress(`warm-up: ${warmupCount} interactions`);
    await run(warmupCount);
    await stack.settle(120_000);
    const before = await stack.bot.call<MemorySample>('memory', { collect: true });
    await stack.bot.call<LoopDelay>('loopDelay', { reset: true });
    ctx.progress(`${count} interactions at ${RATE}/s`);
    const result = await run(count);
    const delay = await stack.bot.call<LoopDelay>('loopDelay', { reset: true });
    const settled = await stack.settle(120_000);
    const after = await stack.bot.call<MemorySample>('memory', { collect: true });

    const rss = growth(before.rss, after.rss);
    const figures = [
      below('rss_growth_pct', round(rss, 1), '%', 10),
      atMost('event_loop_delay_p99_ms', round(delay.p99), 'ms', 20),
    ];
    if (result.failed + result.unfinished > 0) figures[0]!.holds = false;
    const heapUsed = `${mb(before.heapUsed)} → ${mb(after.heapUsed)} (${round(growth(before.heapUsed, after.heapUsed), 1)} %)`;
    const memory = [
      `RSS ${mb(before.rss)} → ${mb(after.rss)} (${round(rss, 1)} %)`,
      `heap used ${heapUsed}`,
      `heap total ${mb(before.heapTotal)} → ${mb(after.heapTotal)}`,
      `external ${mb(before.external)} → ${mb(after.external)}`,
    ].join(', ');
    const delays = `p50 ${ms(delay.p50)}, p99 ${ms(delay.p99)}, max ${ms(delay.max)}`;
    const unsettled = settled.settled ? '' : ' (NOT settled)';
    return {
      figures,
      details: [
        `${count} interactions at ${RATE}/s after ${warmupCount} warm-up: ${describeRun(result)}`,
        `memory after a full GC, start → end: ${memory}`,
        `event-loop delay under load: ${delays}; the bot finished its work ${settled.ms} ms after the last request${unsettled}`,
      ],
    };
  } finally {
    await stack.close();
  }
}
