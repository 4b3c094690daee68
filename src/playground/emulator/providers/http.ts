import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { type Route, closeServer, createHttpServer, listen, readBody, sendJson } from '../../../http/server.js';
import { silentLogger } from '../../../log.js';
import { type Fault, type FaultOptions, Faults, type SlackFault } from '../faults.js';
import { randomHex } from '../ids.js';
import { presentProps } from '../../../domain/defined.js';
import type { CallRecord, OpsgenieRequest, PagerDutyEvent, SmsRecord, WebhookDelivery } from './records.js';

/** The calls a fault can be armed on. */
export type ProviderCall = 'twilio.sms' | 'twilio.call' | 'pagerduty' | 'opsgenie' | 'webhook';

/** The credentials the emulated providers accept (and sign their webhooks with). */
export interface ProviderCredentials {
  twilioAccountSid: string;
  twilioAuthToken: string;
  pagerdutyRoutingKey: string;
  pagerdutyWebhookSecret: string;
  opsgenieApiKey: string;
  opsgenieWebhookToken: string;
  webhookSecret: string;
}

/**
 * Twilio's REST API (Messages, Calls), PagerDuty's Events API v2, Opsgenie's Alerts API and a receiver for the
 * generic webhook, on one local HTTP server: what the bot's paging adapters call in tests and the playground. Each
 * call can be failed on purpose (the Slack emulator's faults: a status, 429 with Retry-After, a hang, an answer
 * lost after the work is done). Emits 'change' after every recorded request. What the providers send back to the
 * bot (an SMS reply, a key press, a PagerDuty or Opsgenie webhook) is in inbound.ts.
 */
export class ProviderHttpEmulator extends EventEmitter {
  readonly sms: SmsRecord[] = [];
  readonly calls: CallRecord[] = [];
  readonly pagerduty: PagerDutyEvent[] = [];
  readonly opsgenie: OpsgenieRequest[] = [];
  readonly webhooks: WebhookDelivery[] = [];
  private readonly faults = new Faults();
  private server: Server | undefined;
  url = 'http://127.0.0.1';

  constructor(
    readonly credentials: ProviderCredentials,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
    this.setMaxListeners(0);
  }

  static async start(credentials: Partial<ProviderCredentials> = {}, now?: () => Date): Promise<ProviderHttpEmulator> {
    const emulator = new ProviderHttpEmulator({ ...randomCredentials(), ...credentials }, now);
    emulator.server = createHttpServer(emulator.routes(), silentLogger);
    const port = await listen(emulator.server, 0, '127.0.0.1');
    emulator.url = `http://127.0.0.1:${port}`;
    return emulator;
  }

  /** The next matching call(s) fail this way (default once). */
  fail(call: ProviderCall, fault: SlackFault, options: FaultOptions = {}): Fault {
    return this.faults.arm(call, fault, options);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  async close(): Promise<void> {
    this.faults.clear();
    if (this.server) await closeServer(this.server, 200);
  }

  private routes(): Route[] {
    return [
      this.route('/2010-04-01/Accounts/*', (req, body) => this.twilio(req, body)),
      this.route('/v2/enqueue', (_req, body) => this.enqueue(body)),
      this.route('/v2/alerts', (req, body) => this.alert(req, body, 'create')),
      this.route('/v2/alerts/*', (req, body) => this.alert(req, body)),
      this.route('/webhook', (req, body) => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        return {
          call: 'webhook',
          status: 200,
          answer: { ok: true },
          record: () => this.webhooks.push({ headers, body, at: this.now() }),
        };
      }),
    ];
  }

  /** A POST route: the handler says which call it is, its answer and what to record once the fault allows it. */
  private route(path: string, handle: (req: IncomingMessage, body: string) => Handled): Route {
    return {
      method: 'POST',
      path,
      handler: async (req, res) => {
        const body = await readBody(req);
        const handled = handle(req, body);
        if (!handled.record) return sendJson(res, handled.status, handled.answer);
        const fault = this.faults.take(handled.call, { body }, () => true);
        if (fault) return this.answerFault(fault.fault, fault, req, res, handled);
        handled.record();
        this.emit('change');
        sendJson(res, handled.status, handled.answer);
      },
    };
  }

  private answerFault(
    fault: SlackFault,
    armed: { whenReleased(end: () => void): () => void },
    req: IncomingMessage,
    res: ServerResponse,
    handled: Handled,
  ): void {
    if ('status' in fault) return sendJson(res, fault.status, { message: 'emulated failure', status: fault.status });
    if ('ratelimited' in fault) {
      res.setHeader('retry-after', String(fault.ratelimited));
      return sendJson(res, 429, { message: 'Too Many Requests', status: 429 });
    }
    if ('hang' in fault || 'hangAfterDoing' in fault) {
      if ('hangAfterDoing' in fault) this.done(handled);
      armed.whenReleased(() => req.socket.destroy());
      return;
    }
    this.done(handled);
    if ('dropAfterDoing' in fault) return void req.socket.destroy();
    if ('delayMs' in fault) return void setTimeout(() => sendJson(res, handled.status, handled.answer), fault.delayMs);
    sendJson(res, 400, { message: 'emulated error' });
  }

  private done(handled: Handled): void {
    handled.record?.();
    this.emit('change');
  }

  private twilio(req: IncomingMessage, body: string): Handled {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(
      new URL(req.url ?? '/', this.url).pathname,
    );
    const c = this.credentials;
    const basic = `Basic ${Buffer.from(`${c.twilioAccountSid}:${c.twilioAuthToken}`).toString('base64')}`;
    if (!match || match[1] !== c.twilioAccountSid)
      return refusal(404, { code: 20404, message: 'The requested resource was not found' });
    if (req.headers.authorization !== basic) return refusal(401, { code: 20003, message: 'Authenticate' });
    const form = Object.fromEntries(new URLSearchParams(body));
    const { To: to, From: from } = form;
    if (!to || !from) return refusal(400, { code: 21604, message: "A 'To' and a 'From' phone number are required." });
    const at = this.now();
    if (match[2] === 'Messages') {
      if (!form.Body) return refusal(400, { code: 21602, message: 'Message body is required.' });
      const sid = `SM${randomHex(16)}`;
      const record: SmsRecord = { kind: 'sms', sid, to, from, body: form.Body, at };
      return {
        call: 'twilio.sms',
        status: 201,
        answer: { sid, status: 'queued', to, from },
        record: () => this.sms.push(record),
      };
    }
    if (!form.Twiml && !form.Url) return refusal(400, { code: 21205, message: 'Url or Twiml is required.' });
    const sid = `CA${randomHex(16)}`;
    const action = /action="([^"]+)"/
      .exec(form.Twiml ?? '')?.[1]
      ?.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
    const record: CallRecord = {
      kind: 'call',
      sid,
      to,
      from,
      twiml: form.Twiml ?? '',
      ...presentProps({ action }),
      at,
    };
    return {
      call: 'twilio.call',
      status: 201,
      answer: { sid, status: 'queued', to, from },
      record: () => this.calls.push(record),
    };
  }

  private enqueue(body: string): Handled {
    const event = parseObject(body);
    const action = event?.event_action;
    if (!event || event.routing_key !== this.credentials.pagerdutyRoutingKey)
      return refusal(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['routing_key'] });
    if (action !== 'trigger' && action !== 'acknowledge' && action !== 'resolve')
      return refusal(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['event_action'] });
    const dedup = typeof event.dedup_key === 'string' ? event.dedup_key : randomHex(16);
    const record = { ...(event as unknown as PagerDutyEvent), dedup_key: dedup, at: this.now() };
    return {
      call: 'pagerduty',
      status: 202,
      answer: { status: 'success', message: 'Event processed', dedup_key: dedup },
      record: () => this.pagerduty.push(record),
    };
  }

  private alert(req: IncomingMessage, body: string, create?: 'create'): Handled {
    if (req.headers.authorization !== `GenieKey ${this.credentials.opsgenieApiKey}`)
      return refusal(401, { message: 'Could not authenticate', took: 0, requestId: randomHex(8) });
    const parsed = parseObject(body) ?? {};
    const path = new URL(req.url ?? '/', this.url).pathname;
    const action = create ?? (/\/(acknowledge|close)$/.exec(path)?.[1] as 'acknowledge' | 'close' | undefined);
    const alias = create
      ? typeof parsed.alias === 'string'
        ? parsed.alias
        : ''
      : decodeURIComponent(path.split('/')[3] ?? '');
    if (!action || !alias) return refusal(400, { message: 'Request is not valid', took: 0, requestId: randomHex(8) });
    const record: OpsgenieRequest = { action, alias, body: parsed, at: this.now() };
    const answer = { result: 'Request will be processed', took: 0.01, requestId: randomHex(18) };
    return { call: 'opsgenie', status: 202, answer, record: () => this.opsgenie.push(record) };
  }
}

interface Handled {
  call: ProviderCall;
  status: number;
  answer: unknown;
  /** Absent for a refusal (bad auth, a wrong body): answered at once, nothing recorded, no fault used. */
  record?: () => void;
}

const refusal = (status: number, answer: unknown): Handled => ({ call: 'webhook', status, answer });

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function randomCredentials(): ProviderCredentials {
  return {
    twilioAccountSid: `AC${randomHex(16)}`,
    twilioAuthToken: randomHex(16),
    pagerdutyRoutingKey: randomHex(16),
    pagerdutyWebhookSecret: randomHex(16),
    opsgenieApiKey: randomHex(16),
    opsgenieWebhookToken: randomHex(16),
    webhookSecret: randomHex(16),
  };
}
