import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Delivered } from './inbound.js';
import { type EnvelopeType, PendingAcks, envelopeOf } from './socketEnvelopes.js';
import { SocketTickets } from './socketTickets.js';
import { waitOn } from './wait.js';

/** Where the bot's WebSocket connects, on the emulator's own HTTP server. */
export const SOCKET_PATH = '/emulator/socket';
/** A URL from apps.connections.open is good for one connection, within this long. */
export const TICKET_TTL_MS = 30_000;
/** Slack's limit for acking an envelope (as for an HTTP request). */
export const SOCKET_ACK_TIMEOUT_MS = 3000;

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

/**
 * Slack's Socket Mode: single-use tickets handed out by apps.connections.open
 * (socketTickets.ts), the WebSocket endpoint they open (`hello` on connect,
 * pings, `disconnect`), and envelopes sent to the bot and matched with its acks
 * by envelope_id (socketEnvelopes.ts).
 */
export class SocketMode extends EventEmitter {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets: SocketTickets;
  private readonly open: Connection[] = [];
  private readonly acks = new PendingAcks<Connection>();
  private accepted = 0;
  private turn = 0;

  constructor(private readonly options: SocketModeOptions) {
    super();
    this.setMaxListeners(0);
    this.tickets = new SocketTickets(() => this.options.now(), TICKET_TTL_MS);
  }

  /** apps.connections.open: a fresh single-use `ws://` URL on the server at `baseUrl`. */
  connectionUrl(baseUrl: string): string {
    const ticket = this.tickets.issue();
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
    if (!this.tickets.redeem(url.searchParams.get('ticket') ?? '')) {
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
    ws.on('message', (data, isBinary) => this.acks.receive(data, isBinary));
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
    this.acks.dropped(connection);
    this.emit('socket', {
      type: 'closed',
      connection: connection.number,
      open: this.open.length,
    } satisfies SocketChange);
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
    const envelope = envelopeOf(type, payload, retry);
    return this.acks.wait(envelope, connection, this.options.ackTimeoutMs ?? SOCKET_ACK_TIMEOUT_MS, (failed) => {
      this.emit('envelope', envelope);
      connection.ws.send(JSON.stringify(envelope), (error) => {
        if (error) failed();
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

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
