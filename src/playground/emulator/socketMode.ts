import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { randomHex } from './ids.js';
import type { Delivered } from './inbound.js';
import { waitOn } from './wait.js';

/** Where the bot's WebSocket connects, on the emulator's own HTTP server. */
export const SOCKET_PATH = '/emulator/socket';
/** A URL from apps.connections.open is good for one connection, within this long. */
export const TICKET_TTL_MS = 30_000;
/** Slack's limit for acking an envelope (as for an HTTP request). */
export const SOCKET_ACK_TIMEOUT_MS = 3000;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** What Slack sends the app over the socket for each request. */
export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** Emitted as 'socket' whenever a connection opens or closes. */
export interface SocketChange {
  type: 'open' | 'closed';
  /** 1 for the first connection the emulator accepted, 2 for the next... */
  connection: number;
  /** Open connections after the change. */
  open: number;
}

export interface SocketModeOptions {
  appId: () => string;
  now: () => Date;
  /** Default SOCKET_ACK_TIMEOUT_MS. */
  ackTimeoutMs?: number;
  /** Pings each connection this often, as Slack does; 0 for never. Default 10 s. */
  pingIntervalMs?: number;
}

interface Connection {
  ws: WebSocket;
  number: number;
  host: string;
}

interface Pending {
  connection: Connection;
  finish: (payload: Record<string, unknown> | undefined, acked: boolean) => void;
}

/**
 * Slack's Socket Mode: single-use tickets handed out by apps.connections.open,
 * the WebSocket endpoint they open (`hello` on connect, pings, `disconnect`),
 * and envelopes sent to the bot and matched with its acks by envelope_id.
 */
export class SocketMode extends EventEmitter {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, number>();
  private readonly open: Connection[] = [];
  private readonly pending = new Map<string, Pending>();
  private accepted = 0;
  private turn = 0;

  constructor(private readonly options: SocketModeOptions) {
    super();
    this.setMaxListeners(0);
  }

  /** apps.connections.open: a fresh single-use `ws://` URL on the server at `baseUrl`. */
  connectionUrl(baseUrl: string): string {
    const now = this.options.now().getTime();
    for (const [ticket, expires] of this.tickets) if (expires < now) this.tickets.delete(ticket);
    const ticket = randomHex(16);
    this.tickets.set(ticket, now + TICKET_TTL_MS);
    const ws = baseUrl.replace(/^http/i, 'ws').replace(/\/+$/, '');
    return `${ws}${SOCKET_PATH}?ticket=${ticket}&app_id=${encodeURIComponent(this.options.appId())}`;
  }

  /** How many connections are open. */
  get connections(): number {
    return this.open.length;
  }

  /**
   * Takes WebSocket upgrades for SOCKET_PATH on `server`; upgrades for other
   * paths are refused unless another 'upgrade' listener is there to take them.
   * Returns a function that detaches.
   */
  attach(server: Server): () => void {
    const listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!this.upgrade(req, socket, head) && server.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found');
    };
    server.on('upgrade', listener);
    return () => server.off('upgrade', listener);
  }

  /** Handles one upgrade request: false when it is not for SOCKET_PATH (left alone). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== SOCKET_PATH) return false;
    const ticket = url.searchParams.get('ticket') ?? '';
    const expires = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (expires === undefined || this.options.now().getTime() > expires) {
      refuse(socket, 401, 'Unauthorized');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    return true;
  }

  private accept(ws: WebSocket): void {
    this.accepted += 1;
    const connection: Connection = { ws, number: this.accepted, host: `applink-emulator-${this.accepted}` };
    this.open.push(connection);
    const interval = this.options.pingIntervalMs ?? 10_000;
    const pinger = interval > 0 ? setInterval(() => ws.ping(), interval) : undefined;
    pinger?.unref();
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearInterval(pinger);
      this.dropped(connection);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.length,
        debug_info: { host: connection.host, build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: this.options.appId() },
      }),
    );
    this.emit('socket', { type: 'open', connection: connection.number, open: this.open.length } satisfies SocketChange);
  }

  private dropped(connection: Connection): void {
    const index = this.open.indexOf(connection);
    if (index < 0) return;
    this.open.splice(index, 1);
    // Envelopes waiting on this connection will never be acked.
    for (const pending of [...this.pending.values()])
      if (pending.connection === connection) pending.finish(undefined, false);
    this.emit('socket', {
      type: 'closed',
      connection: connection.number,
      open: this.open.length,
    } satisfies SocketChange);
  }

  /** An ack from the app: `{ envelope_id, payload? }`; anything else is ignored, as Slack ignores it. */
  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let message: unknown;
    try {
      message = JSON.parse(rawText(data));
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { envelope_id: id, payload } = message as { envelope_id?: unknown; payload?: unknown };
    const pending = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (!pending) return;
    pending.finish(
      typeof payload === 'object' && payload !== null && !Array.isArray(payload)
        ? (payload as Record<string, unknown>)
        : undefined,
      true,
    );
  }

  /**
   * Sends an envelope over an open connection (round robin, as Slack spreads
   * them) and waits for its ack: status 200 with the ack payload as the body,
   * or status 0 when no ack came within the timeout or the connection closed.
   */
  send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    retry: { retryNum?: number; retryReason?: string } = {},
  ): Promise<Delivered> {
    const connection = this.open[this.turn++ % Math.max(this.open.length, 1)];
    if (!connection)
      return Promise.reject(
        new Error(
          'the emulator has no Socket Mode connection from the bot: start it with an app token and await waitForSocket()',
        ),
      );
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload:
        type === 'slash_commands' || (type === 'interactive' && payload.type === 'view_submission'),
      ...(type === 'events_api' || retry.retryNum !== undefined
        ? {
            retry_attempt: retry.retryNum ?? 0,
            retry_reason: retry.retryNum !== undefined ? (retry.retryReason ?? 'timeout') : '',
          }
        : {}),
    };
    const started = performance.now();
    return new Promise((resolve) => {
      const finish = (ack: Record<string, unknown> | undefined, acked: boolean) => {
        clearTimeout(timer);
        this.pending.delete(envelope.envelope_id);
        resolve(delivered(acked, ack, Math.round(performance.now() - started)));
      };
      const timer = setTimeout(() => finish(undefined, false), this.options.ackTimeoutMs ?? SOCKET_ACK_TIMEOUT_MS);
      this.pending.set(envelope.envelope_id, { connection, finish });
      this.emit('envelope', envelope);
      connection.ws.send(JSON.stringify(envelope), (error) => {
        if (error) finish(undefined, false);
      });
    });
  }

  /**
   * Slack's `disconnect` message (`refresh_requested`, `warning`, `link_disabled`) on every open connection; the
   * app is expected to reconnect.
   */
  disconnect(reason = 'refresh_requested'): number {
    for (const { ws, host } of this.open) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host } }));
    return this.open.length;
  }

  /** Resolves once at least one connection is open (or, with `closed`, once none is). */
  waitFor(options: { closed?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const ready = () => (options.closed ? this.open.length === 0 : this.open.length > 0);
    const what = options.closed ? 'every Socket Mode connection to close' : 'the bot to open a Socket Mode connection';
    return waitOn(this, ['socket'], ready, timeoutMs, () => `timed out after ${timeoutMs} ms waiting for ${what}`).then(
      () => undefined,
    );
  }

  /** Drops every connection (the app sees its socket die, not a close handshake) and every unused ticket. */
  close(): void {
    for (const { ws } of [...this.open]) ws.terminate();
    this.tickets.clear();
    this.wss.close();
  }
}

function delivered(acked: boolean, payload: Record<string, unknown> | undefined, ackMs: number): Delivered {
  if (!acked) return { status: 0, body: '', ackMs };
  // `ack()` with nothing sends `payload: {}`: over HTTP that is an empty body.
  if (!payload || Object.keys(payload).length === 0) return { status: 200, body: '', ackMs };
  return { status: 200, body: JSON.stringify(payload), json: payload, ackMs };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
