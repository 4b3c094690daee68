import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { type Route, closeServer } from '../../http/server.js';
import { type Logger, silentLogger } from '../../log.js';
import { WebApi } from './api.js';
import { EmulatorHttp } from './http.js';
import { randomHex } from './ids.js';
import type { ClickOptions, CommandOptions, InboundDeps, InboundResult } from './inbound.js';
import type { EmulatorOptions } from './options.js';
import { Persistence, loadWorkspace } from './persist.js';
import { RateLimits } from './rateLimits.js';
import { ResponseUrls } from './responseUrl.js';
import { createWorkspace } from './seed.js';
import { type SocketChange, SocketMode } from './socketMode.js';
import type { EmulatorChange, Message, Workspace } from './state.js';
import type { SubmitOptions } from './submit.js';
import type { UserMessage } from './messageStore.js';
import { WorkspaceStore } from './store.js';
import { Triggers } from './triggers.js';
import { definedProps } from '../../domain/defined.js';

/**
 * The emulator's parts, wired together: the workspace and its store, the Web API, Socket Mode, the page's HTTP
 * routes and persistence. SlackEmulator (index.ts) is this with its controls on top, in layers by topic:
 * webApiControls.ts (what the bot called, and how Slack fails), then index.ts (what Slack sends the bot, the
 * people in the workspace, reading state). The page's routes call the inbound controls, so they are declared here.
 */
export abstract class EmulatorCore extends EventEmitter {
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly workspace: Workspace;
  /** The `token` field Slack puts in commands and payloads (the legacy verification token). */
  readonly verificationToken = randomHex(12);
  protected readonly store: WorkspaceStore;
  protected readonly api: WebApi;
  protected readonly limits = new RateLimits();
  protected readonly triggers: Triggers;
  protected readonly responses: ResponseUrls;
  protected readonly http: EmulatorHttp;
  protected readonly persistence: Persistence | undefined;
  protected readonly log: Logger;
  protected readonly sockets: SocketMode;
  protected base = 'http://127.0.0.1';
  protected eventsUrl: string | undefined;
  protected overSocket = false;
  protected server: Server | undefined;
  protected detachSocket: (() => void) | undefined;

  abstract sendCommand(o: CommandOptions): Promise<InboundResult>;
  abstract click(o: ClickOptions): Promise<InboundResult>;
  abstract submitView(o: SubmitOptions): Promise<InboundResult>;
  abstract closeView(o: { user: string; viewId: string }): Promise<InboundResult | undefined>;
  abstract postAsUser(o: UserMessage): Message;

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
      ...definedProps({ pingIntervalMs: options.socketPingIntervalMs }),
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

  protected get deps(): InboundDeps {
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
