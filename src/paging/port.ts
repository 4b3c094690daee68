/**
 * The paging port: one adapter per provider behind it (email, Twilio SMS and voice, the generic webhook), and the
 * incident mirrors (PagerDuty, Opsgenie). The engine only sends and says how it went; app/ decides when, records
 * the attempt and writes the timeline.
 */

/** What a page says, whichever way it goes out. Never a contact value: those are the recipient's. */
export interface PageContent {
  key: string;
  title: string;
  summary: string;
  severity: string;
  /** The escalation level that paged (absent for a test page). */
  level?: number;
  levelName?: string;
  /** A test page (`/incident page-test`): says so, and asks for nothing. */
  test?: boolean;
  /** Where to look: a link to the incident's Slack channel. */
  link?: string;
}

/** Who a page goes to, with the address the channel needs. */
export interface Recipient {
  /** Their Slack user id: named in the generic webhook's payload and in logs. */
  user: string;
  email?: string;
  phone?: string;
}

/**
 * How a send went. `uncertain`: the request may have reached the provider and its answer was lost (a timeout, a
 * connection dropped after the request): it "may have been sent", and a channel without an idempotency key does
 * not send it again.
 */
export type SendOutcome =
  | { ok: true; attempts: number; providerId?: string }
  | { ok: false; attempts: number; error: string; uncertain: boolean };

/** The ways of reaching a person the engine has adapters for (Slack is the bot's own). */
export type PagerVia = 'email' | 'sms' | 'voice' | 'webhook';

export interface PersonChannel {
  readonly via: PagerVia;
  /** `idempotencyKey` is the same for every try of one page (sent where the API takes one). */
  send(to: Recipient, page: PageContent, idempotencyKey: string): Promise<SendOutcome>;
}

/** What happens to an incident that a mirror reflects. */
export type MirrorAction = 'trigger' | 'acknowledge' | 'resolve';

/** A provider the bot's incidents are mirrored to; its own key (dedup_key, alias) is the incident key. */
export interface IncidentMirror {
  readonly name: 'pagerduty' | 'opsgenie';
  mirror(action: MirrorAction, page: PageContent): Promise<SendOutcome>;
}
