import { type Server, type Socket, connect, createServer } from 'node:net';

/**
 * A TCP proxy in front of a real service (the shared PostgreSQL or Redis), so a test can make that service
 * disappear for the bot and come back, without touching the service other tests use:
 *
 * - `cut()`: the open connections are reset and the port stops listening, so a new connection is refused
 *   (ECONNREFUSED), exactly as when the server is down;
 * - `restore()`: the proxy listens on the same port again; the bot's pool reconnects by itself.
 *
 * The test keeps its own direct connection to the service to look at state while the bot's path is cut.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly open = new Set<Socket>();
  private constructor(
    private readonly upstream: { host: string; port: number },
    readonly port: number,
  ) {}

  /** Listens on a free port of 127.0.0.1 and forwards to `upstream`. */
  static async start(upstream: { host: string; port: number }): Promise<TcpProxy> {
    const probe = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const proxy = new TcpProxy(upstream, port);
    await proxy.restore();
    return proxy;
  }

  /** Whether connections are forwarded now. */
  get up(): boolean {
    return this.server !== undefined;
  }

  /** The service goes away: open connections are reset, new ones refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.open) socket.destroy();
    this.open.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The service is back. */
  async restore(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private forward(client: Socket): void {
    const server = connect(this.upstream.port, this.upstream.host);
    this.open.add(client);
    this.open.add(server);
    const end = () => {
      client.destroy();
      server.destroy();
      this.open.delete(client);
      this.open.delete(server);
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
    client.pipe(server);
    server.pipe(client);
  }
}
