import type { PageVia, PagingConfig } from '../config/paging.js';
import { emailChannel } from './email.js';
import { opsgenieMirror } from './opsgenie.js';
import { pagerdutyMirror } from './pagerduty.js';
import type { IncidentMirror, PersonChannel } from './port.js';
import { twilioChannels } from './twilio.js';
import { webhookChannel } from './webhook.js';
import { definedProps } from '../domain/defined.js';

export type { IncidentMirror, MirrorAction, PageContent, PersonChannel, Recipient, SendOutcome } from './port.js';

/** The configured paging channels: a person's ways (by rule `via`) and the incident mirrors. */
export interface Pager {
  channel(via: Exclude<PageVia, 'slack'>): PersonChannel | undefined;
  readonly mirrors: readonly IncidentMirror[];
}

/** Builds one adapter per configured block; `publicUrl` is where Twilio posts a call's key press. */
export function createPager(
  config: PagingConfig,
  publicUrl: string,
  options: { now?: () => Date; sleep?: (ms: number) => Promise<void> } = {},
): Pager {
  const retry = options.sleep ? { sleep: options.sleep } : {};
  const twilio = config.twilio ? twilioChannels(config.twilio, config.public_url ?? publicUrl, retry) : undefined;
  const webhook = config.webhook ? webhookChannel(config.webhook, options.now ?? (() => new Date()), retry) : undefined;
  const channels: Partial<Record<Exclude<PageVia, 'slack'>, PersonChannel>> = {
    ...(config.smtp ? { email: emailChannel(config.smtp, retry) } : {}),
    ...(twilio ? { sms: twilio.sms, voice: twilio.voice } : {}),
    ...definedProps({ webhook, push: webhook }),
  };
  return {
    channel: (via) => channels[via],
    mirrors: [
      ...(config.pagerduty ? [pagerdutyMirror(config.pagerduty, retry)] : []),
      ...(config.opsgenie ? [opsgenieMirror(config.opsgenie, retry)] : []),
    ],
  };
}
