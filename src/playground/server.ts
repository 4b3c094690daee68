import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { z } from 'zod';
import type { AdjustableClock } from '../clock.js';
import { type Route, readBody, sendJson } from '../http/server.js';

/**
 * The playground's own routes on the bot's port: the page, its compiled
 * modules, what the page needs to know, and the clock controls. They exist
 * only when main.ts starts the playground; a bot connected to Slack has none.
 */

export interface PlaygroundRoutesOptions {
  clock: AdjustableClock;
  /** Keeps the offset across restarts. */
  saveOffset(offsetMs: number): Promise<void>;
  /** Runs the bot's due work once; answers how many items ran. */
  tick(): Promise<number>;
  dryRun: boolean;
  /** This run's token: written into the page, required on the page's POSTs (see `localOnly`). */
  token: string;
  /** dist/playground/public (index.html, style.css) and dist/playground/web (the page's modules). */
  publicDir: string;
  webDir: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

// The page loads only its own scripts and styles; Block Kit images may come from anywhere over https.
const CSP = [
  "default-src 'self'",
  "img-src 'self' https: data:",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The page's placeholder for this run's token (index.html: `<meta name="playground-token" content="">`). */
const TOKEN_META = '<meta name="playground-token" content="">';

async function sendFile(res: ServerResponse, dir: string, name: string, token?: string): Promise<void> {
  // One plain file name: no separators, no dot-dot, no hidden files.
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name) || !(extname(name) in TYPES))
    return sendJson(res, 404, { error: 'not_found' });
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, name));
  } catch {
    return sendJson(res, 404, { error: 'not_found' });
  }
  if (token !== undefined)
    bytes = Buffer.from(
      bytes.toString('utf8').replace(TOKEN_META, `<meta name="playground-token" content="${token}">`),
    );
  res.writeHead(200, {
    'content-type': TYPES[extname(name)]!,
    'content-length': bytes.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(name.endsWith('.html') ? { 'content-security-policy': CSP } : {}),
  });
  res.end(bytes);
}

const clockBody = z.object({
  minutes: z
    .number()
    .int()
    .positive()
    .max(7 * 24 * 60),
});

/** Moves the clock, then drains what fell due, as the cron tick would after that much real time. */
async function moveClock(o: PlaygroundRoutesOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: z.infer<typeof clockBody>;
  try {
    body = clockBody.parse(JSON.parse(await readBody(req, 10_000)));
  } catch {
    return sendJson(res, 400, { error: 'send {"minutes": n} with n a whole number of minutes from 1 to 10080' });
  }
  sendJson(res, 200, await advanceAndDrain(o, body.minutes * 60_000));
}

/** Moves the clock `ms` forward, keeps the offset, and runs what fell due. */
export async function advanceAndDrain(
  o: Pick<PlaygroundRoutesOptions, 'clock' | 'saveOffset' | 'tick'>,
  ms: number,
): Promise<{ offsetMs: number; now: string; ran: number }> {
  o.clock.advance(ms);
  await o.saveOffset(o.clock.offset);
  let ran = 0;
  // Work that ran may schedule more that is already due (the next escalation level); bounded, as a tick is.
  for (let round = 0; round < 20; round++) {
    const count = await o.tick();
    ran += count;
    if (count === 0) break;
  }
  return { offsetMs: o.clock.offset, now: o.clock.now().toISOString(), ran };
}

export function playgroundRoutes(o: PlaygroundRoutesOptions): Route[] {
  return [
    { method: 'GET', path: '/', handler: (_req, res) => sendFile(res, o.publicDir, 'index.html', o.token) },
    {
      method: 'GET',
      path: '/playground/static/*',
      handler: (_req, res, url) =>
        sendFile(res, o.publicDir, decodeURIComponent(url.pathname.slice('/playground/static/'.length))),
    },
    {
      method: 'GET',
      path: '/playground/web/*',
      handler: (_req, res, url) =>
        sendFile(res, o.webDir, decodeURIComponent(url.pathname.slice('/playground/web/'.length))),
    },
    {
      method: 'GET',
      path: '/playground/info',
      handler: (_req, res) =>
        sendJson(res, 200, { dryRun: o.dryRun, clock: { offsetMs: o.clock.offset, now: o.clock.now().toISOString() } }),
    },
    { method: 'POST', path: '/playground/clock', handler: (req, res) => moveClock(o, req, res) },
  ];
}

/** The header the page sends its token in; a custom header also makes a cross-origin fetch need a preflight. */
export const TOKEN_HEADER = 'x-playground-token';

/** POSTs the bot itself makes to the emulator (response URLs, file uploads, the Web API): no page token. */
const botPaths = /^\/(api|emulator\/response|emulator\/upload)\//;

/**
 * Only this machine's browser may drive the playground:
 * - the Host must be a loopback name (against DNS rebinding);
 * - a browser's Origin, when sent, must be the page's own, and `Sec-Fetch-Site`, when sent, `same-origin` or
 *   `none` (against another site posting commands, or loading `/api/…?token=` in an image);
 * - the page's POSTs (commands, clicks, the clock) carry this run's token, which only the page has (it is in
 *   its HTML, which another origin cannot read), so no cross-site request can create a channel or move the clock.
 */
export function localOnly(route: Route, token: string): Route {
  const wanted = Buffer.from(token);
  return {
    ...route,
    handler: (req, res, url) => {
      const host = req.headers.host ?? '';
      const hostname = host.replace(/:\d+$/, '');
      const loopback = hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
      const origin = req.headers.origin;
      const sameOrigin = origin === undefined || origin === `http://${host}`;
      const site = req.headers['sec-fetch-site'];
      const sameSite = site === undefined || site === 'same-origin' || site === 'none';
      if (!loopback || !sameOrigin || !sameSite)
        return sendJson(res, 403, { error: 'the playground only answers its own page on this machine' });
      if (req.method === 'POST' && !botPaths.test(url.pathname)) {
        const given = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ''));
        if (given.length !== wanted.length || !timingSafeEqual(given, wanted))
          return sendJson(res, 403, { error: 'reload the page: this request does not carry the playground token' });
      }
      return route.handler(req, res, url);
    },
  };
}
