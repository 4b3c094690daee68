import type { ResponseTarget, ResponseUrls } from './responseUrl.js';
import { slackId } from './ids.js';
import { signedHeaders } from './signing.js';
import { definedProps } from '../../domain/defined.js';
import type { EnvelopeType } from './socketEnvelopes.js';
import type { Channel, User } from './state.js';
import type { WorkspaceStore } from './store.js';
import type { Triggers } from './triggers.js';

/** What the bot answered a request Slack sent it. */
export interface InboundResult {
  /** The HTTP status; over Socket Mode 200 once acked, 0 when no ack came within 3 s. */
  status: number;
  body: string;
  /** The body parsed, when it is JSON (over Socket Mode: the ack's payload). */
  json?: unknown;
  triggerId: string;
  responseUrl: string;
  /** How long the bot took to answer (Slack gives up after 3000 ms). */
  ackMs: number;
}

export interface SignOptions {
  /** Unix seconds for X-Slack-Request-Timestamp (default: the emulator's clock), to test stale requests. */
  timestamp?: number;
  /** Sent instead of the real signature, to test forgeries. */
  signature?: string;
  /** Sign with this secret instead of the emulator's. */
  signingSecret?: string;
  retryNum?: number;
  retryReason?: string;
}

export interface CommandOptions extends SignOptions {
  text: string;
  user?: string;
  channel?: string;
  command?: string;
  triggerId?: string;
}

export interface ClickOptions extends Omit<SignOptions, 'timestamp' | 'signature' | 'signingSecret'> {
  user: string;
  channel: string;
  /** The ts of the message (or ephemeral) holding the button. */
  ts: string;
  actionId: string;
  /** Sent instead of the button's own value. */
  value?: string;
  /** Picks the button when several blocks hold the same action_id. */
  blockId?: string;
  /** The option value chosen in a static_select or an overflow menu `actionId` (instead of pressing a button). */
  selected?: string;
  /** Reuse to deliver the same click twice. */
  actionTs?: string;
  triggerId?: string;
  threadTs?: string;
  /**
   * The blocks as the person's client still shows them: a click on a button the message has lost since (a
   * stale view, or a forged payload), which the bot must judge by its own state.
   */
  staleBlocks?: unknown[];
}

export interface InboundDeps {
  store: WorkspaceStore;
  triggers: Triggers;
  responses: ResponseUrls;
  signingSecret: string;
  verificationToken: string;
  eventsUrl: () => string;
  baseUrl: () => string;
  /** Set while the bot is reached over Socket Mode: sends an envelope and waits for its ack. */
  socket?: () => SocketSend | undefined;
}

/** An answer before the emulator adds the trigger_id and response_url it issued. */
export type Delivered = Omit<InboundResult, 'triggerId' | 'responseUrl'>;
export type SocketSend = (
  type: EnvelopeType,
  payload: Record<string, unknown>,
  retry: { retryNum?: number; retryReason?: string },
) => Promise<Delivered>;

/** Slack's limit for answering a request. */
export const ACK_TIMEOUT_MS = 3000;

export async function sendSigned(
  deps: InboundDeps,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
  o: SignOptions = {},
): Promise<Delivered> {
  const timestamp = o.timestamp ?? deps.store.nowSeconds();
  const signed = signedHeaders(o.signingSecret ?? deps.signingSecret, timestamp, body);
  const all: Record<string, string> = { ...signed, 'content-type': contentType };
  if (o.signature !== undefined) all['x-slack-signature'] = o.signature;
  if (o.retryNum !== undefined) {
    all['x-slack-retry-num'] = String(o.retryNum);
    all['x-slack-retry-reason'] = o.retryReason ?? 'http_timeout';
  }
  Object.assign(all, headers);
  const started = performance.now();
  const response = await fetch(deps.eventsUrl(), {
    method: 'POST',
    headers: all,
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const ackMs = Math.round(performance.now() - started);
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, body: text, ackMs, ...definedProps({ json }) };
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * A request to the bot: over its Socket Mode connection as an envelope when
 * it has one, else signed to its events URL as Slack encodes each type
 * (command fields form-encoded, interactions as a `payload` form field,
 * events as JSON). The signing options only apply over HTTP.
 */
export function deliver(
  deps: InboundDeps,
  type: EnvelopeType,
  payload: Record<string, unknown>,
  o: SignOptions = {},
): Promise<Delivered> {
  const socket = deps.socket?.();
  if (socket)
    return socket(type, payload, {
      ...definedProps({ retryNum: o.retryNum, retryReason: o.retryReason }),
    });
  if (type === 'events_api') return sendSigned(deps, JSON.stringify(payload), 'application/json', {}, o);
  const form = type === 'interactive' ? { payload: JSON.stringify(payload) } : (payload as Record<string, string>);
  return sendSigned(deps, new URLSearchParams(form).toString(), FORM, {}, o);
}

export function userOf(store: WorkspaceStore, id: string): User {
  const user = store.user(id);
  if (!user) throw new Error(`no user ${id} in the emulated workspace`);
  return user;
}

export function channelOf(store: WorkspaceStore, id: string): Channel {
  const channel = store.channel(id) ?? store.channelByName(id);
  if (!channel) throw new Error(`no channel ${id} in the emulated workspace`);
  return channel;
}

export const who = (store: WorkspaceStore, user: User) => ({
  id: user.id,
  username: user.name,
  name: user.name,
  team_id: store.workspace.team.id,
});

/** A slash command, with the form fields Slack sends; a non-empty ack body is shown to the user as Slack shows it. */
export async function sendCommand(deps: InboundDeps, o: CommandOptions): Promise<InboundResult> {
  const { store } = deps;
  const user = userOf(store, o.user ?? 'U0ONCALL01');
  const channel = channelOf(store, o.channel ?? 'C0INCIDENTS');
  const command = o.command ?? '/incident';
  const triggerId = o.triggerId ?? deps.triggers.issue(user.id);
  if (o.triggerId) deps.triggers.reuse(o.triggerId, user.id);
  const target: ResponseTarget = { channel: channel.id, user: user.id };
  const responseUrl = deps.responses.issue(target);
  const { team, bot } = store.workspace;
  const fields = {
    token: deps.verificationToken,
    team_id: team.id,
    team_domain: team.domain,
    channel_id: channel.id,
    channel_name: channel.kind === 'im' ? 'directmessage' : channel.name,
    user_id: user.id,
    user_name: user.name,
    command,
    text: o.text,
    api_app_id: bot.app_id,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  };
  const result = { ...(await deliver(deps, 'slash_commands', fields, o)), triggerId, responseUrl };
  const posted = showAck(deps, target, command, result);
  if (posted) deps.responses.remember(responseUrl, posted);
  return result;
}

/** What Slack shows for a command's answer: its ack body, or the error it failed with. */
function showAck(
  deps: InboundDeps,
  target: ResponseTarget,
  command: string,
  result: Delivered,
): { ts: string; ephemeral: boolean } | undefined {
  const failed = (error: string) =>
    void deps.store.addEphemeral({ ...target, text: `${command} failed with the error "${error}"`, source: 'ack' });
  if (result.ackMs > ACK_TIMEOUT_MS || result.status === 0) return failed('operation_timeout');
  if (result.status !== 200) return failed('dispatch_failed');
  if (result.body.trim() === '') return undefined;
  const payload =
    result.json !== undefined && typeof result.json === 'object'
      ? (result.json as Record<string, unknown>)
      : { text: result.body };
  if (payload.text === undefined && payload.blocks === undefined && payload.attachments === undefined) return undefined;
  const delivery = deps.responses.deliver(target, payload, 'ack');
  if (delivery.status !== 200) return failed(String(delivery.body.error));
  return delivery.posted;
}

export interface EventOptions extends SignOptions {
  /** Reuse to deliver the same event again (a retry carries the same event_id). */
  eventId?: string;
}

/** An Events API event (app_mention, message, ...) in Slack's event_callback envelope, as JSON. */
export async function sendEvent(
  deps: InboundDeps,
  event: { type: string } & Record<string, unknown>,
  o: EventOptions = {},
): Promise<InboundResult> {
  const { team, bot } = deps.store.workspace;
  const ts = typeof event.ts === 'string' ? event.ts : deps.store.ts.next();
  const envelope = {
    token: deps.verificationToken,
    team_id: team.id,
    context_team_id: team.id,
    api_app_id: bot.app_id,
    event: { event_ts: ts, ...event },
    type: 'event_callback',
    event_id: o.eventId ?? `Ev${slackId('', 10)}`,
    event_time: deps.store.nowSeconds(),
    authorizations: [
      { enterprise_id: null, team_id: team.id, user_id: bot.user_id, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
  return { ...(await deliver(deps, 'events_api', envelope, o)), triggerId: '', responseUrl: '' };
}
