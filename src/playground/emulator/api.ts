import type { IncomingMessage, ServerResponse } from 'node:http';
import { METHODS } from './methods/index.js';
import { ApiError, type MethodContext } from './methods/method.js';
import { BadRequest, decodeParams, readRaw, tokenOf } from './params.js';
import {
  type Armed,
  type Fault,
  type FaultOptions,
  Faults,
  type ParamsMatch,
  type SlackFault,
  refuses,
} from './faults.js';
import { definedProps } from '../../domain/defined.js';
import type { RecordedCall } from './state.js';
import type { RateLimits } from './rateLimits.js';

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** A `hang` fault: no answer is sent until this fault is released or the emulator closes. */
  hold?: Armed;
}

export interface WebApiOptions {
  botToken: string;
  /** The app-level token (xapp-…) apps.connections.open takes. */
  appToken: string;
  now: () => Date;
  context: () => MethodContext;
  /** Called once per call, after it is answered and recorded. */
  onCall: (call: RecordedCall) => void;
  /** Slack's rate limits (rateLimits.ts), when they are on. */
  limits?: RateLimits;
}

/** Methods called with the app-level token rather than the bot token. */
const APP_TOKEN_METHODS: ReadonlySet<string> = new Set(['apps.connections.open']);

/**
 * `POST /api/<method>` as Slack answers it: HTTP 200 with `ok: false` for
 * every error except rate limiting (HTTP 429 with Retry-After). Every call is
 * recorded, answered or not. The bot token works everywhere but
 * apps.connections.open, which takes the app-level token, and only from the
 * Authorization header; each token elsewhere is `not_allowed_token_type`.
 */
export type { ParamsMatch } from './faults.js';

/** One request body the emulator received from the bot, as sent: what a secret scanner reads. */
export interface ReceivedBody {
  /** The Web API method, `response_url` or `upload`. */
  method: string;
  body: string;
}

export class WebApi {
  readonly calls: RecordedCall[] = [];
  private readonly faults = new Faults();
  /** Answers held back by a `hang` fault: ended when the emulator closes. */
  private readonly hung = new Set<ServerResponse>();
  /** Every body the bot sent: Web API calls, response_url posts and file uploads, in order. */
  readonly received: ReceivedBody[] = [];

  constructor(private readonly options: WebApiOptions) {}

  rateLimit(method: string, times: number, retryAfterSeconds: number, match?: ParamsMatch): void {
    this.faults.arm(method, { ratelimited: retryAfterSeconds }, { times, ...definedProps({ match }) });
  }

  /** The next matching calls are carried out, but their answer never arrives: the connection drops. */
  loseResponses(method: string, times: number, match?: ParamsMatch): void {
    this.faults.arm(method, { dropAfterDoing: true }, { times, ...definedProps({ match }) });
  }

  /** Arms a fault (faults.ts): a platform error, an HTTP status, a 429, a hang, a lost or a late answer. */
  fail(method: string, fault: SlackFault, options: FaultOptions = {}): Fault {
    return this.faults.arm(method, fault, options);
  }

  clearFaults(method?: string): void {
    this.faults.clear(method);
  }

  /** Drops the connections of calls left hanging. */
  releaseHung(): void {
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = decodeURIComponent(url.pathname.replace(/^\/api\/?/, ''));
    let params: Record<string, unknown> = {};
    let token: string | undefined;
    let answer: Answer;
    try {
      const raw = await readRaw(req, 10_000_000);
      this.received.push({ method, body: raw.toString('utf8') });
      params = await decodeParams(req.headers['content-type'], raw, url.searchParams);
      token = tokenOf(req.headers.authorization, params);
      const inHeader = /^Bearer\s+\S+$/i.test(req.headers.authorization ?? '');
      delete params.token;
      answer = await this.answer(method, params, token, inHeader);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      answer = { status: 200, body: { ok: false, error: error.error } };
    }
    const armed = answer.status === 200 ? this.faults.take(method, params, (f) => !refuses(f)) : undefined;
    const after = armed?.fault;
    if (answer.hold || (after && 'hangAfterDoing' in after)) {
      // A hang (before or after doing the call): recorded, never answered; dropped when its fault is released.
      this.calls.push({ method, params, token, at: this.options.now(), status: 0, response: answer.body });
      this.hung.add(res);
      const forget = (answer.hold ?? armed)!.whenReleased(() => res.destroy());
      res.on('close', () => {
        this.hung.delete(res);
        forget();
      });
      this.options.onCall(this.calls.at(-1)!);
      return;
    }
    if (after && 'delayMs' in after) await new Promise((resolve) => setTimeout(resolve, after.delayMs));
    if (after && 'dropAfterDoing' in after) {
      const call: RecordedCall = { method, params, token, at: this.options.now(), status: 0, response: answer.body };
      this.calls.push(call);
      res.destroy();
      this.options.onCall(call);
      return;
    }
    const call: RecordedCall = {
      method,
      params,
      token,
      at: this.options.now(),
      status: answer.status,
      response: answer.body,
    };
    this.calls.push(call);
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...answer.headers,
    });
    res.end(text);
    this.options.onCall(call);
  }

  private async answer(
    method: string,
    params: Record<string, unknown>,
    token: string | undefined,
    inHeader: boolean,
  ): Promise<Answer> {
    const run = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
    if (!run) return { status: 200, body: { ok: false, error: 'unknown_method' } };
    const armed = this.faults.take(method, params, refuses);
    const fault = armed?.fault;
    if (fault && 'ratelimited' in fault) return ratelimited(fault.ratelimited);
    if (fault && 'error' in fault) return { status: 200, body: { ok: false, error: fault.error } };
    if (fault && 'status' in fault) return { status: fault.status, body: { ok: false, error: 'fatal_error' } };
    if (armed) return { status: 0, body: { ok: false, error: 'hang' }, hold: armed };
    const limited = this.options.limits?.take(method, params);
    if (limited) return ratelimited(limited.retryAfter);
    const denied = this.authError(method, token, inHeader);
    if (denied) return { status: 200, body: { ok: false, error: denied } };
    try {
      return { status: 200, body: { ok: true, ...(await run(this.options.context(), params)) } };
    } catch (error) {
      if (error instanceof ApiError) return { status: 200, body: { ok: false, error: error.error, ...error.extra } };
      // An emulator bug: answered the way Slack answers its own (HTTP 200, so WebClient does not retry).
      return {
        status: 200,
        body: {
          ok: false,
          error: 'internal_error',
          emulator_error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        },
      };
    }
  }

  private authError(method: string, token: string | undefined, inHeader: boolean): string | undefined {
    const { botToken, appToken } = this.options;
    if (!token) return 'not_authed';
    if (APP_TOKEN_METHODS.has(method)) {
      if (token === botToken) return 'not_allowed_token_type';
      return token === appToken && inHeader ? undefined : 'invalid_auth';
    }
    if (token === appToken) return 'not_allowed_token_type';
    return token === botToken ? undefined : 'invalid_auth';
  }
}

/** Slack's answer to a call over its rate limit. */
const ratelimited = (retryAfterSeconds: number): Answer => ({
  status: 429,
  body: { ok: false, error: 'ratelimited' },
  headers: { 'retry-after': String(retryAfterSeconds) },
});
