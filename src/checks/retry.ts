import { setTimeout as wait } from 'node:timers/promises';

export { backoffDelay } from '../domain/backoff.js';

/** A wait that ends early (without throwing) when the caller cancels. */
export function abortableSleep(signal?: AbortSignal): (ms: number) => Promise<void> {
  return (ms) => wait(ms, undefined, { signal }).catch(() => undefined);
}
