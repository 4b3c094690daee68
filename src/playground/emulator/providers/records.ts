/** What the provider emulators received, as a test or the playground's Phones panel reads it. */

export interface SmsRecord {
  kind: 'sms';
  sid: string;
  to: string;
  from: string;
  body: string;
  at: Date;
}

export interface CallRecord {
  kind: 'call';
  sid: string;
  to: string;
  from: string;
  twiml: string;
  /** The Gather's action URL, where a key press is posted (absent for a call that asks nothing). */
  action?: string;
  at: Date;
}

export interface EmailRecord {
  kind: 'email';
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** The SMTP session had upgraded to TLS (STARTTLS) and logged in. */
  secure: boolean;
  user?: string;
  at: Date;
}

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key: string;
  payload?: { summary: string; severity: string; source: string };
  at: Date;
}

export interface OpsgenieRequest {
  action: 'create' | 'acknowledge' | 'close';
  alias: string;
  body: Record<string, unknown>;
  at: Date;
}

export interface WebhookDelivery {
  headers: Record<string, string>;
  body: string;
  at: Date;
}

/** A message the phone received or a call it rang with: one list per number for the Phones panel. */
export type PhoneRecord = SmsRecord | CallRecord;
