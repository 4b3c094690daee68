import type { Server } from 'node:http';
import { createHttpServer, listen } from '../../http/server.js';
import { click } from './clicks.js';
import * as inbound from './inbound.js';
import type { ClickOptions, CommandOptions, EventOptions, InboundResult } from './inbound.js';
import { DEFAULT_WAIT_MS, type StartOptions } from './options.js';
import type { Channel, EphemeralMessage, Message } from './state.js';
import type { UserMessage } from './messageStore.js';
import { type SubmitOptions, dismissView, submitView } from './submit.js';
import { waitOn } from './wait.js';
import { WebApiControls } from './webApiControls.js';

export type { EmulatorOptions, StartOptions, WaitOptions } from './options.js';

/**
 * Slack at the network edge: the Web API (`/api/<method>`) the bot's WebClient
 * calls, and the signed requests Slack sends to the bot's `/slack/events`.
 * Emits 'change' (EmulatorChange) whenever the workspace changes, 'call'
 * (RecordedCall) after each Web API call and 'socket' (SocketChange) when a
 * Socket Mode connection opens or closes. The bot is reached over HTTP
 * (`connectBot`) or, after `useSocketMode()`, over its WebSocket (socketMode.ts).
 *
 * Its routes are listed in http.ts.
 */
export class SlackEmulator extends WebApiControls {
  static async start(options: StartOptions = {}): Promise<SlackEmulator> {
    const emulator = new SlackEmulator(options);
    const host = options.host ?? '127.0.0.1';
    const server = createHttpServer(emulator.routes(), emulator.log);
    const port = await listen(server, options.port ?? 0, host);
    emulator.server = server;
    emulator.detachSocket = emulator.attachSocketMode(server);
    const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    emulator.setBaseUrl(`http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`);
    return emulator;
  }

  // --- inbound: what Slack sends the bot -----------------------------------

  /** Sends the bot's requests over HTTP, signed, to its events URL (`…/slack/events`). */
  connectBot(eventsUrl: string): void {
    this.eventsUrl = eventsUrl;
    this.overSocket = false;
  }

  /**
   * Sends the bot's requests as Socket Mode envelopes; results keep the HTTP shape (200 once acked, 0 after 3 s
   * without an ack).
   */
  useSocketMode(): void {
    this.overSocket = true;
  }

  /** Takes Socket Mode upgrades on a server the emulator's routes are mounted on; returns a function that detaches. */
  attachSocketMode(server: Server): () => void {
    return this.sockets.attach(server);
  }

  /** Resolves once the bot has a Socket Mode connection open (or, with `closed`, once it has none). */
  waitForSocket(options: { closed?: boolean; timeoutMs?: number } = {}): Promise<void> {
    return this.sockets.waitFor(options);
  }

  /** Open Socket Mode connections. */
  get socketConnections(): number {
    return this.sockets.connections;
  }

  /** Sends Slack's `disconnect` message on every Socket Mode connection; answers how many got it. */
  disconnectSocket(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): number {
    return this.sockets.disconnect(reason);
  }

  sendCommand(o: CommandOptions): Promise<InboundResult> {
    return inbound.sendCommand(this.deps, o);
  }

  click(o: ClickOptions): Promise<InboundResult> {
    return click(this.deps, o);
  }

  submitView(o: SubmitOptions): Promise<InboundResult> {
    return submitView(this.deps, o);
  }

  /** The user closes a modal; the bot hears view_closed only when the view set notify_on_close. */
  closeView(o: { user: string; viewId: string }): Promise<InboundResult | undefined> {
    return dismissView(this.deps, o);
  }

  /** An Events API event (e.g. `{ type: 'app_mention', user, text, channel, ts }`) in its event_callback envelope. */
  sendEvent(event: { type: string } & Record<string, unknown>, options?: EventOptions): Promise<InboundResult> {
    return inbound.sendEvent(this.deps, event, options);
  }

  async sendSigned(body: string, contentType: string, headers: Record<string, string> = {}): Promise<InboundResult> {
    return { ...(await inbound.sendSigned(this.deps, body, contentType, headers)), triggerId: '', responseUrl: '' };
  }

  // --- people in the workspace ---------------------------------------------

  /** A person types a message (or a thread reply) in a channel they belong to. No event is sent to the bot. */
  postAsUser(o: UserMessage): Message {
    return this.store.postAsUser(o);
  }

  /** A person joins a channel (as with Slack's "Join channel"); false when they were already in it. */
  joinChannel(channelId: string, user: string): boolean {
    const channel = this.workspace.channels.find((c) => c.id === channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    return this.store.join(channel, user);
  }

  // --- reading state --------------------------------------------------------

  /**
   * Resolves with the first truthy value of `read()`, re-checked after every
   * state change and Web API call (no polling); rejects after `timeoutMs`.
   */
  waitFor<T>(
    read: () => T | undefined | null | false,
    options: { timeoutMs?: number; what?: string } = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return waitOn(
      this,
      ['change', 'call'],
      read,
      timeoutMs,
      () => `${options.what ?? 'the condition'} did not hold within ${timeoutMs} ms`,
    );
  }

  messages(channel: string): Message[] {
    return this.store.messages(channel);
  }

  thread(channel: string, ts: string): Message[] {
    return this.store.thread(channel, ts);
  }

  message(channel: string, ts: string): Message | undefined {
    return this.store.message(channel, ts);
  }

  ephemerals(filter: { user?: string; channel?: string } = {}): EphemeralMessage[] {
    return this.workspace.ephemerals.filter(
      (e) => (!filter.user || e.user === filter.user) && (!filter.channel || e.channel === filter.channel),
    );
  }

  channelByName(name: string): Channel | undefined {
    return this.store.channelByName(name);
  }
}

export { validateBlocks, validateView, LIMITS, MAX_MESSAGE_TEXT, type Surface } from './blockKit.js';
export { channelNameError, MAX_CHANNEL_NAME } from './channelName.js';
export type { ClickOptions, CommandOptions, EventOptions, InboundResult, SignOptions } from './inbound.js';
export type { SubmitOptions } from './submit.js';
export { SOCKET_ACK_TIMEOUT_MS, SOCKET_PATH, TICKET_TTL_MS, type SocketChange } from './socketMode.js';
export type { Envelope, EnvelopeType } from './socketEnvelopes.js';
export { SEED, createWorkspace } from './seed.js';
export { signedHeaders, slackSignature } from './signing.js';
export type * from './state.js';
export type { Fault, FaultOptions, FaultSpec, SlackFault } from './faults.js';
