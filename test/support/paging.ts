import { type PagingProviders, startPagingProviders } from '../../src/playground/emulator/providers/index.js';

/** Fast retries, so a test of 429 / 5xx / timeouts does not wait for the production backoff. */
export const FAST_RETRIES = { timeout: '2s', retries: 2, backoff: { initial: '10ms', max: '50ms', jitter: false } };

export interface PagingEmulators extends PagingProviders {
  /** Every credential a scanner must never find in the timeline or the logs. */
  secrets(): string[];
}

/** The paging providers' emulators with fast retries in every channel's block. */
export async function startPagingEmulators(): Promise<PagingEmulators> {
  const providers = await startPagingProviders(FAST_RETRIES);
  return { ...providers, secrets: () => Object.values(providers.env) };
}
