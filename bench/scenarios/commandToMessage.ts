import { randomBytes } from 'node:crypto';
import type { BenchContext } from '../support/context.js';
import { type ScenarioOutcome, atMost, round } from '../support/figures.js';
import { summarizeSamples } from '../support/histogram.js';
import { ADA, INCIDENTS_CHANNEL } from '../support/stack.js';
import { OPEN_PLAYBOOKS, describeLatency } from './ack.js';

/**
 * From Slack sending `/incident <id>` to the emulator receiving the new
 * incident's live message (its first chat.postMessage in the new channel),
 * at a steady 10 commands/s; the first ones warm up and are not counted.
 */
export async function commandToMessageScenario(ctx: BenchContext): Promise<ScenarioOutcome> {
  const stack = await ctx.mainStack();
  const rate = 10;
  const warmup = ctx.quick ? 3 : 10;
  const count = ctx.quick ? 10 : 100;
  const samples: number[] = [];
  const failures: string[] = [];
  const sends: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < warmup + count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const marker = `bench${randomBytes(6).toString('hex')}`;
    const seen = stack.watcher.expect(marker);
    const sent = performance.now();
    sends.push(
      stack.emulator
        .sendCommand({
          text: `${OPEN_PLAYBOOKS[i % OPEN_PLAYBOOKS.length]} ${marker}`,
          user: ADA,
          channel: INCIDENTS_CHANNEL,
        })
        .then(async (answer) => {
          if (answer.status !== 200) throw new Error(`answered ${answer.status}`);
          const { at } = await seen;
          if (i >= warmup) samples.push(at - sent);
        })
        .catch((error: unknown) => {
          failures.push(error instanceof Error ? error.message : String(error));
        }),
    );
  }
  await Promise.all(sends);
  await stack.settle(60_000);
  if (samples.length === 0) throw new Error(`no live message arrived: ${failures.slice(0, 3).join('; ')}`);
  const latency = summarizeSamples(samples);
  const figure = atMost('command_to_message_p95_ms', round(latency.p95), 'ms', 100);
  if (failures.length > 0) figure.holds = false;
  const lost = failures.length ? `; ${failures.length} never got their message (${failures[0]})` : '';
  return {
    figures: [figure],
    details: [`${count} commands at ${rate}/s after ${warmup} warm-up: ${describeLatency(latency)}${lost}`],
  };
}
