import type { PagingConfig } from '../config/paging.js';
import { providerRequest } from './http.js';
import type { IncidentMirror, MirrorAction, PageContent } from './port.js';
import { type RetryOptions, sendWithRetries } from './retry.js';

type OpsgenieConfig = NonNullable<PagingConfig['opsgenie']>;

const PRIORITY: Record<string, string> = { sev1: 'P1', sev2: 'P2', sev3: 'P3', sev4: 'P4' };

/**
 * Incidents mirrored to Opsgenie through its Alerts API, alias = the incident key: creating an alias that is open
 * does not make a second alert, and acknowledging or closing twice is harmless, so a lost answer is tried again.
 */
export function opsgenieMirror(config: OpsgenieConfig, retry: Omit<RetryOptions, 'idempotent'> = {}): IncidentMirror {
  const base = `${config.api_url.replace(/\/$/, '')}/v2/alerts`;
  return {
    name: 'opsgenie',
    mirror: (action: MirrorAction, page: PageContent) => {
      const alias = encodeURIComponent(page.key);
      const request =
        action === 'trigger'
          ? {
              url: base,
              body: {
                message: `${page.key}: ${page.title}`.slice(0, 130),
                alias: page.key,
                description: page.summary.slice(0, 15_000),
                priority: PRIORITY[page.severity] ?? 'P3',
                source: 'incident-bot',
                ...(page.link ? { details: { slack: page.link } } : {}),
              },
            }
          : {
              url: `${base}/${alias}/${action === 'acknowledge' ? 'acknowledge' : 'close'}?identifierType=alias`,
              body: {
                source: 'incident-bot',
                note: `${action === 'acknowledge' ? 'Acknowledged' : 'Resolved'} in Slack`,
              },
            };
      return sendWithRetries(config, { ...retry, idempotent: true }, async (signal) => {
        const answer = await providerRequest(
          'Opsgenie',
          request.url,
          {
            headers: { 'content-type': 'application/json', authorization: `GenieKey ${config.api_key.reveal()}` },
            body: JSON.stringify(request.body),
          },
          signal,
        );
        const id = (answer as { requestId?: unknown }).requestId;
        return typeof id === 'string' ? id : undefined;
      });
    },
  };
}
