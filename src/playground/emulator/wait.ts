import type { EventEmitter } from 'node:events';
import { DEFAULT_WAIT_MS, type WaitOptions } from './options.js';
import type { RecordedCall } from './state.js';

/**
 * Resolves with the first truthy value of `read()`, checked now and again on
 * each of `events` (no polling); rejects with `describe()` after `timeoutMs`.
 */
export function waitOn<T>(
  emitter: EventEmitter,
  events: string[],
  read: () => T | undefined | null | false,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const first = read();
  if (first) return Promise.resolve(first);
  return new Promise((resolve, reject) => {
    const check = () => {
      const value = read();
      if (!value) return;
      stop();
      resolve(value);
    };
    const stop = () => {
      clearTimeout(timer);
      for (const event of events) emitter.off(event, check);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(describe()));
    }, timeoutMs);
    for (const event of events) emitter.on(event, check);
  });
}

/** The first Web API call (from `options.since` on) that matches; the error lists the last calls made. */
export function waitForCall(
  emitter: EventEmitter,
  calls: () => RecordedCall[],
  match: string | ((call: RecordedCall) => boolean),
  options: WaitOptions,
): Promise<RecordedCall> {
  const test = typeof match === 'string' ? (c: RecordedCall) => c.method === match : match;
  const since = options.since ?? 0;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  return waitOn(
    emitter,
    ['call'],
    () => calls().slice(since).find(test),
    timeoutMs,
    () => {
      const recent = calls()
        .slice(-10)
        .map((c) => `  ${c.method} → ${c.status} ${c.response.ok ? 'ok' : String(c.response.error)}`);
      const wanted = typeof match === 'string' ? match : 'a call matching the predicate';
      return `no Web API call to ${wanted} within ${timeoutMs} ms (since #${since}); last calls:\n${recent.join('\n') || '  (none)'}`;
    },
  );
}
