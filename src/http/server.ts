import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Logger } from '../log.js';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface Route {
  method: 'GET' | 'POST' | '*';
  /** An exact path, or a prefix ending in `/*`. */
  path: string;
  handler: Handler;
}

/**
 * One HTTP server for everything on PORT: Slack's requests, health and
 * metrics, and (locally) the playground. Routes are matched in order.
 */
export function createHttpServer(routes: Route[], log: Logger): Server {
  const match = (method: string, path: string) =>
    routes.find(
      (r) =>
        (r.method === '*' || r.method === method) &&
        (r.path.endsWith('/*')
          ? path.startsWith(r.path.slice(0, -1)) || path === r.path.slice(0, -2)
          : r.path === path),
    );
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = match(req.method ?? 'GET', url.pathname);
    if (!route) {
      sendJson(res, 404, { error: 'not_found' });
      return;
    }
    Promise.resolve(route.handler(req, res, url)).catch((error: unknown) => {
      log.error({ err: error, path: url.pathname }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
      else res.end();
    });
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

/** A request's body as bytes, refusing more than `limit`. */
export function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      if (!refused) {
        refused = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
      }
      // The rest is read and dropped, so the client gets the answer (413) rather than a reset; far over, it is cut off.
      if (size > limit * 4) req.destroy();
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  return (await readBytes(req, limit)).toString('utf8');
}

/** Resolves once the server listens; gives the port it got (PORT=0 picks a free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Stops taking connections and waits for the ones in flight, up to `graceMs`. */
export function closeServer(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
