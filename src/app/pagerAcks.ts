import { type PhoneReply, parsePhoneReply } from '../domain/paging.js';
import { SYSTEM_ACTOR, timelineEvent } from '../domain/timeline.js';
import { isBotError } from '../errors.js';
import { getIncident } from '../store/incidents.js';
import { lastPagedIncident } from '../store/pages.js';
import { appendTimelineEvent } from '../store/timeline.js';
import { incidentFor } from './access.js';
import type { Actor, AppDeps } from './deps.js';
import { type Target, acknowledge, resolve } from './lifecycle.js';
import type { Reply } from './replies.js';

/**
 * Acknowledging (or resolving) from where the page reached someone: an SMS reply, a key pressed on the call,
 * PagerDuty or Opsgenie. Each goes through the same use case as the Slack button (lifecycle.ts): one
 * `incident.acknowledged`, the clocks stop, every channel that paged is told. `page.acknowledged` says where from.
 */
export type FromChannel = 'sms' | 'voice' | 'pagerduty' | 'opsgenie';

export interface ChannelAck {
  channel: FromChannel;
  action: 'acknowledge' | 'resolve';
  /** The incident: named (a key), or for an SMS without one the last one paged to this person by phone. */
  target: Target;
  /** Who, when the channel names them and they are in `people:`; else the system on the channel's behalf. */
  person?: string;
  /** The provider's id of the request (a message sid, a webhook event id): its retry is a no-op. */
  requestKey: string;
}

/** Answers a sentence for the person (an SMS or the call says it); never throws for a person's mistake. */
export async function acknowledgeFromChannel(deps: AppDeps, ack: ChannelAck): Promise<string> {
  const actor: Actor = { user: ack.person ?? SYSTEM_ACTOR, requestKey: `${ack.channel}:${ack.requestKey}` };
  try {
    const before = await incidentFor(deps, ack.target, { intent: 'change', what: ack.action, actor });
    const reply =
      ack.action === 'acknowledge'
        ? await acknowledge(deps, { incidentId: before.id }, actor)
        : await resolve(deps, { incidentId: before.id }, `Resolved from ${ack.channel}`, actor);
    const after = await getIncident(deps.db, before.id);
    const changed = after !== undefined && after.status !== before.status;
    if (changed)
      await appendTimelineEvent(deps.db, {
        incidentId: before.id,
        occurredAt: deps.clock.now(),
        actor: actor.user,
        ...timelineEvent('page.acknowledged', {
          channel: ack.channel,
          ...(ack.action === 'resolve' ? { resolved: true } : {}),
        }),
      });
    return changed ? `${ack.action === 'acknowledge' ? 'Acknowledged' : 'Resolved'} ${before.key}.` : plain(reply);
  } catch (error) {
    if (isBotError(error)) return plain({ kind: 'text', text: error.userMessage });
    throw error;
  }
}

/** An SMS reply or a key press from a phone: who it is by their number, which incident, and what they said. */
export async function acknowledgeFromPhone(
  deps: AppDeps,
  call: { channel: 'sms' | 'voice'; phone: string; said: string; key?: string; requestKey: string },
): Promise<string> {
  const person = Object.entries(deps.config.people).find(([, p]) => p.phone === call.phone)?.[0];
  if (!person) return 'This number is not set up to acknowledge incidents.';
  const reply: PhoneReply = call.channel === 'voice' ? voiceKey(call.said) : parsePhoneReply(call.said);
  if (reply.kind === 'unknown')
    return call.channel === 'voice'
      ? 'No acknowledgement. Goodbye.'
      : 'Reply ACK to acknowledge, or ACK INC-42 for one incident.';
  const key = reply.key ?? call.key;
  const incidentId = key ? undefined : await lastPagedIncident(deps.db, person, ['sms', 'voice']);
  if (!key && incidentId === undefined) return 'No incident was paged to this number. Reply ACK INC-42 to name one.';
  return acknowledgeFromChannel(deps, {
    channel: call.channel,
    action: reply.kind === 'ack' ? 'acknowledge' : 'resolve',
    target: key ? { key } : { incidentId: incidentId! },
    person,
    requestKey: call.requestKey,
  });
}

const voiceKey = (digits: string): PhoneReply => (digits.trim() === '1' ? { kind: 'ack' } : { kind: 'unknown' });

/** A reply read on a phone: no Slack markup. */
function plain(reply: Reply): string {
  const text = reply.kind === 'text' ? reply.text : 'Done.';
  return text.replace(/[*_`]/g, '').replace(/<[^|>]*\|([^>]*)>/g, '$1');
}
