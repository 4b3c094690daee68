import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { type Route, closeServer, createHttpServer, listen } from '../../http/server.js';
import { type Logger, silentLogger } from '../../log.js';
import { type ParamsMatch, type ReceivedBody, WebApi } from './api.js';
import { type Fault, type FaultOptions, type FaultSpec, type SlackFault, fromSpec } from './faults.js';
import { EmulatorHttp } from './http.js';
import { randomHex } from './ids.js';
import { click } from './clicks.js';
import * as inbound from './inbound.js';
import type { ClickOptions, CommandOptions, EventOptions, InboundDeps, InboundResult } from './inbound.js';
import { Persistence, loadWorkspace } from './persist.js';
import { ResponseUrls } from './responseUrl.js';
import { type RateLimitChange, type RateLimitTable, RateLimits } from './rateLimits.js';
import { createWorkspace } from './seed.js';
import { type SocketChange, SocketMode } from './socketMode.js';
import { type SubmitOptions, dismissView, submitView } from './submit.js';
import type { Channel, EmulatorChange, EphemeralMessage, Message, RecordedCall, Workspace } from './state.js';
import { type UserMessage, WorkspaceStore } from './store.js';
import { Triggers } from './triggers.js';
import { waitForCall, waitOn } from './wait.js';
import { DEFAULT_WAIT_MS, type EmulatorOptions, type StartOptions, type WaitOptions } from './options.js';

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
export class SlackEmulator extends EventEmitter {
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly workspace: Workspace;
  /** The `token` field Slack puts in commands and payloads (the legacy verification token). */
  readonly verificationToken = randomHex(12);
  private readonly store: WorkspaceStore;
  private readonly api: WebApi;
  private readonly limits = new RateLimits();
  private readonly triggers: Triggers;
  private readonly responses: ResponseUrls;
  private readonly http: EmulatorHttp;
  private readonly persistence: Persistence | undefined;
  private readonly log: Logger;
  private readonly sockets: SocketMode;
  private base = 'http://127.0.0.1';
  private eventsUrl: string | undefined;
  private overSocket = false;
  private server: Server | undefined;
  private detachSocket: (() => void) | undefined;

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

  constructor(options: EmulatorOptions = {}) {
    super();
    // SSE streams and waitFor/waitForCall each listen for a while; there may be many at once.
    this.setMaxListeners(0);
    const now = options.now ?? (() => new Date());
    this.botToken = options.botToken ?? 'xoxb-playground-token';
    this.appToken = options.appToken ?? 'xapp-playground-token';
    this.signingSecret = options.signingSecret ?? randomHex(16);
    this.log = options.log ?? silentLogger;
    this.workspace =
      (options.dataDir ? loadWorkspace(options.dataDir) : undefined) ?? createWorkspace(options.seed ?? true);
    this.persistence = options.dataDir ? new Persistence(options.dataDir, () => this.workspace, this.log) : undefined;
    this.store = new WorkspaceStore(this.workspace, now, (change) => this.changed(change));
    this.triggers = new Triggers(now);
    this.responses = new ResponseUrls(this.store, () => this.base);
    this.sockets = new SocketMode({
      appId: () => this.workspace.bot.app_id,
      now,
      ...(options.socketPingIntervalMs !== undefined ? { pingIntervalMs: options.socketPingIntervalMs } : {}),
    });
    this.sockets.on('socket', (change: SocketChange) => this.emit('socket', change));
    this.api = new WebApi({
      botToken: this.botToken,
      appToken: this.appToken,
      now,
      context: () => ({
        store: this.store,
        workspace: this.workspace,
        baseUrl: this.base,
        triggers: this.triggers,
        now,
        openSocket: () => this.sockets.connectionUrl(this.base),
      }),
      onCall: (call) => this.emit('call', call),
      limits: this.limits,
    });
    if (options.rateLimits) this.limits.set(options.rateLimits);
    this.http = new EmulatorHttp({
      api: this.api,
      store: this.store,
      responses: this.responses,
      events: this,
      sendCommand: (o) => this.sendCommand(o),
      click: (o) => this.click(o),
      submitView: (o) => this.submitView(o),
      closeView: (o) => this.closeView(o),
      postAsUser: (o) => this.postAsUser(o),
    });
    this.persistence?.schedule();
  }

  private changed(change: EmulatorChange): void {
    this.persistence?.schedule();
    this.emit('change', change);
  }

  routes(): Route[] {
    return this.http.routes();
  }

  setBaseUrl(url: string): void {
    this.base = url.replace(/\/+$/, '');
  }

  get baseUrl(): string {
    return this.base;
  }

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  // --- Web API: what the bot called ----------------------------------------

  get calls(): RecordedCall[] {
    return this.api.calls;
  }

  /** Every request body the bot sent (Web API, response_url, uploads), as sent: for secret scanning. */
  get received(): readonly ReceivedBody[] {
    return this.api.received;
  }

  callsTo(method: string): RecordedCall[] {
    return this.api.calls.filter((c) => c.method === method);
  }

  waitForCall(match: string | ((call: RecordedCall) => boolean), options: WaitOptions = {}): Promise<RecordedCall> {
    return waitForCall(this, () => this.api.calls, match, options);
  }

  /**
   * Slack's rate limits (rateLimits.ts): `true` for Slack's table, a change to it (on), `false` for none. Buckets
   * start full.
   */
  setRateLimits(limits: boolean | RateLimitChange): void {
    this.limits.set(limits);
  }

  /** The limits in force, or undefined when they are off. */
  get rateLimits(): RateLimitTable | undefined {
    return this.limits.enabled ? this.limits.limits : undefined;
  }

  rateLimit(method: string, options: { times?: number; retryAfterSeconds?: number; match?: ParamsMatch } = {}): void {
    this.api.rateLimit(method, options.times ?? 1, options.retryAfterSeconds ?? 1, options.match);
  }

  /**
   * The next matching calls take effect but their answers are lost (the connection drops): the worst case for
   * "exactly once".
   */
  loseResponses(method: string, options: { times?: number; match?: ParamsMatch } = {}): void {
    this.api.loseResponses(method, options.times ?? 1, options.match);
  }

  /**
   * Makes the next calls to a method fail the way Slack fails (faults.ts): a platform error by name
   * (`'internal_error'`), or `{ status: 500 }`, `{ ratelimited: seconds }`, `{ hang: true }`,
   * `{ dropAfterDoing: true }`, `{ delayMs }`; for `times` calls (a number, default 1), or
   * `{ times, forMs, always, match }`.
   */
  failNext(method: string, fault: string | SlackFault, options: number | FaultOptions = 1): Fault {
    return this.api.fail(
      method,
      typeof fault === 'string' ? { error: fault } : fault,
      typeof options === 'number' ? { times: options } : options,
    );
  }

  /** Slack recovers: the armed faults of a method (or of every method) are disarmed; calls they hold are dropped. */
  clearFaults(method?: string): void {
    this.api.clearFaults(method);
  }

  /**
   * Makes a Web API method fail: an HTTP status, `ratelimited` (429 + Retry-After), `error` (ok: false), `hang`
   * (no answer until the fault ends), `drop` (done, answer lost) or `late`, for `times` calls and/or `untilMs`
   * (see faults.ts). Answers the fault, which says how often it hit and can be ended early with `release()`.
   *
   * @example emulator.failMethod('chat.update', { status: 500, untilMs: 15_000 })
   * @example emulator.failMethod('chat.postMessage', { status: 'ratelimited', retryAfterSeconds: 30, times: 1 })
   */
  failMethod(method: string, spec: FaultSpec): Fault {
    const { fault, options } = fromSpec(spec);
    return this.api.fail(method, fault, options);
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

  private get deps(): InboundDeps {
    return {
      store: this.store,
      triggers: this.triggers,
      responses: this.responses,
      signingSecret: this.signingSecret,
      verificationToken: this.verificationToken,
      baseUrl: () => this.base,
      eventsUrl: () => this.eventsUrl ?? failNotConnected(),
      socket: () => (this.overSocket ? (type, payload, retry) => this.sockets.send(type, payload, retry) : undefined),
    };
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

  /**
   * Ends the page's event streams (the page reconnects), so a server they are mounted on can close without
   * waiting for them.
   */
  closeStreams(): void {
    this.http.closeStreams();
  }

  async close(): Promise<void> {
    this.api.clearFaults();
    this.http.closeStreams();
    this.sockets.close();
    this.detachSocket?.();
    this.detachSocket = undefined;
    this.api.releaseHung();
    if (this.server) await closeServer(this.server, 2000);
    this.server = undefined;
    await this.persistence?.close();
  }
}

function failNotConnected(): never {
  throw new Error('the emulator has no bot to send to: call connectBot(eventsUrl) first');
}

export { validateBlocks, validateView, LIMITS, MAX_MESSAGE_TEXT, type Surface } from './blockKit.js';
export { channelNameError, MAX_CHANNEL_NAME } from './channelName.js';
export type { ClickOptions, CommandOptions, EventOptions, InboundResult, SignOptions } from './inbound.js';
export type { SubmitOptions } from './submit.js';
export {
  SOCKET_ACK_TIMEOUT_MS,
  SOCKET_PATH,
  TICKET_TTL_MS,
  type Envelope,
  type EnvelopeType,
  type SocketChange,
} from './socketMode.js';
export { SEED, createWorkspace } from './seed.js';
export { signedHeaders, slackSignature } from './signing.js';
export type * from './state.js';
export type { Fault, FaultOptions, FaultSpec, SlackFault } from './faults.js';
