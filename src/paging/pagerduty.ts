import type { PagingConfig } from '../config/paging.js';
import { providerRequest } from './http.js';
import type { IncidentMirror, MirrorAction, PageContent } from './port.js';
import { type RetryOptions, sendWithRetries } from './retry.js';

type PagerDutyConfig = NonNullable<PagingConfig['pagerduty']>;

const SEVERITY: Record<string, 'critical' | 'error' | 'warning' | 'info'> = {
  sev1: 'critical',
  sev2: 'error',
  sev3: 'warning',
  sev4: 'info',
};

/**
 * Incidents mirrored to PagerDuty through the Events API v2, `dedup_key` = the incident key: a repeat of the same
 * action is the same event to PagerDuty, so every failure that may work later is tried again.
 */
export function pagerdutyMirror(config: PagerDutyConfig, retry: Omit<RetryOptions, 'idempotent'> = {}): IncidentMirror {
  const url = `${config.events_url.replace(/\/$/, '')}/v2/enqueue`;
  return {
    name: 'pagerduty',
    mirror: (action: MirrorAction, page: PageContent) => {
      const event = {
        event_action: action,
        dedup_key: page.key,
        ...(action === 'trigger'
          ? {
              payload: {
                summary: `${page.key}: ${page.title}`.slice(0, 1024),
                source: 'incident-bot',
                severity: SEVERITY[page.severity] ?? 'error',
                custom_details: { summary: page.summary, severity: page.severity },
              },
              ...(page.link ? { links: [{ href: page.link, text: 'Incident channel in Slack' }] } : {}),
            }
          : {}),
      };
      return sendWithRetries(config, { ...retry, idempotent: true }, async (signal) => {
        const answer = await providerRequest(
          'PagerDuty',
          url,
          {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ routing_key: config.routing_key.reveal(), ...event }),
          },
          signal,
        );
        const key = (answer as { dedup_key?: unknown }).dedup_key;
        return typeof key === 'string' ? key : undefined;
      });
    },
  };
}
