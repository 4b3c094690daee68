import { type Server, createServer } from 'node:http';
import { type AddressInfo, type Server as TcpServer, type Socket, createServer as createTcpServer } from 'node:net';

/** A local HTTP service with a /health endpoint whose answer a test sets. */
export class FakeService {
  health: { status: number; body: unknown } = {
    status: 200,
    body: { status: 'healthy', services: { database: 'healthy', rag_service: 'healthy', memory_usage: 'healthy' } },
  };
  readonly requests: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(
    routes: Record<string, (body: string) => { status: number; body: unknown }> = {},
  ): Promise<FakeService> {
    const holder: { service?: FakeService } = {};
    const server = createServer((req, res) => {
      const service = holder.service;
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        service!.requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
        const route = routes[`${req.method} ${req.url}`];
        const answer =
          req.url === '/health' ? service!.health : route ? route(body) : { status: 404, body: { error: 'not found' } };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.service = new FakeService(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.service;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A TCP server that accepts connections and never says a word: the hung target. */
export async function hungServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fake OAuth 2.0 token URL in Salesforce's style (no expires_in), counting the calls that reach it. */
export class FakeOAuth {
  calls = 0;
  issued: string[] = [];
  delayMs = 50;
  failNext = 0;
  /**
   * The token server's clock, sent as Salesforce's `issued_at` (a test that moves the bot's clock moves this one
   * too).
   */
  now: () => number = Date.now;
  /** While set, answers wait for it: a test holds the token URL until every request it wants is waiting. */
  gate: Promise<void> | undefined;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeOAuth> {
    const holder: { oauth?: FakeOAuth } = {};
    const server = createServer((req, res) => {
      const oauth = holder.oauth;
      req.resume();
      req.on('end', () => {
        oauth!.calls++;
        void Promise.resolve(oauth!.gate).then(() =>
          setTimeout(() => {
            if (oauth!.failNext > 0) {
              oauth!.failNext--;
              res.writeHead(500, { 'content-type': 'application/json' });
              res.end('{"error":"server_error"}');
              return;
            }
            const token = `00Dfake!${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
            oauth!.issued.push(token);
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(
              JSON.stringify({
                access_token: token,
                instance_url: 'https://example.invalid',
                token_type: 'Bearer',
                issued_at: String(oauth!.now()),
              }),
            );
          }, oauth!.delayMs),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.oauth = new FakeOAuth(
      server,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/oauth2/token`,
    );
    return holder.oauth;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A local service exporting Prometheus text at /metrics and JSON health at its other paths; a test sets both. */
export class FakeMetrics {
  metrics = '';
  health: Record<string, { status: number; body: unknown }> = {};
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeMetrics> {
    const holder: { service?: FakeMetrics } = {};
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const service = holder.service!;
        if (req.url === '/metrics') {
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
          res.end(service.metrics);
          return;
        }
        const answer = service.health[req.url ?? '/'] ?? { status: 404, body: { error: 'not found' } };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.service = new FakeMetrics(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.service;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
