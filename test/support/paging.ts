import type { Config } from '../../src/config/schema.js';
import { type PagingProviders, startPagingProviders } from '../../src/playground/emulator/providers/index.js';
import { overrideConfig } from './config.js';

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

export const ADA = 'U0ONCALL01';
export const ADA_PHONE = '+15555550101';
export const ADA_EMAIL = 'ada@example.com';

/**
 * The harness's config with Ada paged through the emulators: Slack at once, SMS after 5 minutes, a call after 10
 * (`contacts` adds to her email and phone, e.g. her PagerDuty user).
 */
export function adaPagedBy(e: PagingEmulators, contacts: Record<string, string> = {}): (base: Config) => Config {
  const rules = [
    { via: 'slack', after: '0m' },
    { via: 'sms', after: '5m' },
    { via: 'voice', after: '10m' },
  ];
  const people = { [ADA]: { email: ADA_EMAIL, phone: ADA_PHONE, ...contacts, rules } };
  return (base) => overrideConfig(base, { people, paging: e.block() }, e.env);
}
