import type { EventEmitter } from 'node:events';

/**
 * Resolves with the first truthy value of `read()`, checked now and again on
 * each of `events` (no polling); rejects with `describe()` after `timeoutMs`.
 */
export function waitOn<T>(emitter: EventEmitter, events: string[], read: () => T | undefined | null | false, timeoutMs: number, describe: () => string): Promise<T> {
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
