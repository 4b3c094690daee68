import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Fault, type FaultDecision, type FaultSpec, FaultTable } from './faults.js';
import { METHODS } from './methods/index.js';
import { ApiError, type MethodContext } from './methods/method.js';
import { BadRequest, decodeParams, readRaw, tokenOf } from './params.js';
import type { RecordedCall } from './state.js';

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface WebApiOptions {
  botToken: string;
  /** The app-level token (xapp-…) apps.connections.open takes. */
  appToken: string;
  now: () => Date;
  context: () => MethodContext;
  /** Called once per call, after it is answered and recorded. */
  onCall: (call: RecordedCall) => void;
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
/** Picks which calls of a method a fault applies to, by their parameters. */
export type ParamsMatch = (params: Record<string, unknown>) => boolean;

export class WebApi {
  readonly calls: RecordedCall[] = [];
  private readonly rateLimits = new Map<string, { times: number; retryAfterSeconds: number; match?: ParamsMatch }>();
  private readonly failures = new Map<string, { error: string; times: number }[]>();
  private readonly lostResponses = new Map<string, { times: number; match?: ParamsMatch }>();
  private readonly faults: FaultTable;

  constructor(private readonly options: WebApiOptions) {
    this.faults = new FaultTable(() => options.now().getTime());
  }

  /** Makes a method fail for a number of calls or for a while (faults.ts). */
  failMethod(method: string, spec: FaultSpec): Fault {
    return this.faults.add(method, spec);
  }

  /** Ends every injected fault; calls held by `hang` are dropped. */
  clearFaults(): void {
    this.faults.clear();
  }

  rateLimit(method: string, times: number, retryAfterSeconds: number, match?: ParamsMatch): void {
    this.rateLimits.set(method, { times, retryAfterSeconds, ...(match ? { match } : {}) });
  }

  /** The next matching calls are carried out, but their answer never arrives: the connection drops. */
  loseResponses(method: string, times: number, match?: ParamsMatch): void {
    this.lostResponses.set(method, { times, ...(match ? { match } : {}) });
  }

  failNext(method: string, error: string, times: number): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ error, times });
    this.failures.set(method, queue);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = decodeURIComponent(url.pathname.replace(/^\/api\/?/, ''));
    let params: Record<string, unknown> = {};
    let token: string | undefined;
    let answer: Answer;
    let fault: FaultDecision = { kind: 'none' };
    try {
      params = await decodeParams(req.headers['content-type'], await readRaw(req, 10_000_000), url.searchParams);
      token = tokenOf(req.headers.authorization, params);
      const inHeader = /^Bearer\s+\S+$/i.test(req.headers.authorization ?? '');
      delete params.token;
      fault = this.faults.decide(method, params);
      if (fault.kind === 'answer') answer = fault;
      else if (fault.kind === 'hang') {
        const call: RecordedCall = { method, params, token, at: this.options.now(), status: 0, response: {} };
        this.calls.push(call);
        this.options.onCall(call);
        await fault.until;
        res.destroy();
        return;
      } else answer = await this.answer(method, params, token, inHeader);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      answer = { status: 200, body: { ok: false, error: error.error } };
    }
    if (fault.kind === 'late') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const lost = this.lostResponses.get(method);
    if (fault.kind === 'drop') {
      const call: RecordedCall = { method, params, token, at: this.options.now(), status: 0, response: answer.body };
      this.calls.push(call);
      res.destroy();
      this.options.onCall(call);
      return;
    }
    if (lost && lost.times > 0 && answer.status === 200 && (!lost.match || lost.match(params))) {
      lost.times -= 1;
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
    const limited = this.rateLimits.get(method);
    if (limited && limited.times > 0 && (!limited.match || limited.match(params))) {
      limited.times -= 1;
      return {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { 'retry-after': String(limited.retryAfterSeconds) },
      };
    }
    const failure = this.failures.get(method)?.[0];
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) this.failures.get(method)?.shift();
      return { status: 200, body: { ok: false, error: failure.error } };
    }
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
