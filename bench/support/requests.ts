import { type Server, createServer } from 'node:http';
import { readBody } from '../../src/http/server.js';
import type { ClickOptions, CommandOptions, RecordedCall, SlackEmulator } from '../../src/playground/emulator/index.js';
import type { ResponseTarget } from '../../src/playground/emulator/responseUrl.js';
import { ACTION_TS, type PreparedRequest, RESPONSE_URL, TRIGGER_ID } from './loadPlan.js';

/** A prepared request and where Slack would send its answers. */
export interface Template extends PreparedRequest {
  target: ResponseTarget;
}

/**
 * Prepares requests from the emulator's own payloads: the emulator sends a
 * command or a click to a capture endpoint here instead of the app, and the
 * body it built (form fields, block_actions payload with the message) becomes
 * a template whose trigger_id, action_ts and response_url the load generator
 * makes fresh for every request.
 */
export class RequestFactory {
  private waiting: ((body: string) => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly emulator: SlackEmulator,
    private readonly server: Server,
    private readonly captureUrl: string,
    private readonly appUrl: string,
  ) {}

  static async start(emulator: SlackEmulator, appUrl: string): Promise<RequestFactory> {
    const captured: { to?: (body: string) => void } = {};
    const server = createServer((req, res) => {
      void readBody(req).then((body) => {
        res.writeHead(200).end();
        captured.to?.(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const factory = new RequestFactory(emulator, server, `http://127.0.0.1:${port}/slack/events`, appUrl);
    captured.to = (body) => factory.waiting?.(body);
    return factory;
  }

  async command(o: CommandOptions, weight = 1): Promise<Template> {
    const body = await this.capture(() => this.emulator.sendCommand(o));
    const fields = new URLSearchParams(body);
    const responseUrl = fields.get('response_url') ?? '';
    fields.set('trigger_id', TRIGGER_ID);
    fields.set('response_url', RESPONSE_URL);
    return {
      body: fields.toString(),
      responseUrl,
      weight,
      target: { channel: fields.get('channel_id') ?? '', user: fields.get('user_id') ?? '' },
    };
  }

  async click(o: ClickOptions, weight = 1): Promise<Template> {
    const body = await this.capture(() => this.emulator.click(o));
    const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '{}') as {
      trigger_id: string;
      response_url: string;
      actions: Array<{ action_ts: string }>;
      user: { id: string };
      container: { channel_id: string; message_ts: string; thread_ts?: string };
    };
    const responseUrl = payload.response_url;
    payload.trigger_id = TRIGGER_ID;
    payload.response_url = RESPONSE_URL;
    payload.actions[0]!.action_ts = ACTION_TS;
    const { channel_id: channel, message_ts: ts, thread_ts: threadTs } = payload.container;
    return {
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      responseUrl,
      weight,
      target: { channel, user: payload.user.id, message: { ts, ephemeral: false }, ...(threadTs ? { threadTs } : {}) },
    };
  }

  /** One sequence of fresh response URLs per template, enough for `total` requests shared by weight. */
  responseUrls(templates: readonly Template[], total: number): string[][] {
    const issuer = issuerOf(this.emulator);
    const weights = templates.reduce((sum, t) => sum + (t.weight ?? 1), 0);
    return templates.map((t) =>
      Array.from({ length: Math.ceil((total * (t.weight ?? 1)) / weights) + 5 }, () => issuer.issue(t.target)),
    );
  }

  /** One capture at a time: the emulator has one Request URL. */
  private capture(send: () => Promise<unknown>): Promise<string> {
    const turn = this.queue.then(() => this.captureNow(send));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async captureNow(send: () => Promise<unknown>): Promise<string> {
    const got = new Promise<string>((resolve) => {
      this.waiting = resolve;
    });
    this.emulator.connectBot(this.captureUrl);
    try {
      await send();
      return await got;
    } finally {
      this.waiting = undefined;
      this.emulator.connectBot(this.appUrl);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface Issuer {
  issue(target: ResponseTarget): string;
}

/**
 * Response URLs the emulator answers, issued without sending anything. The
 * emulator issues them only while it sends a request; this reaches its
 * ResponseUrls (private) and fails loudly if that ever moves.
 */
function issuerOf(emulator: SlackEmulator): Issuer {
  const responses = (emulator as unknown as { responses?: Partial<Issuer> }).responses;
  if (typeof responses?.issue !== 'function')
    throw new Error('the Slack emulator no longer has responses.issue(target): update bench/support/requests.ts');
  return responses as Issuer;
}

/** Seen live messages: the first chat.postMessage whose content carries a marker. */
export class PostWatcher {
  private readonly waiting = new Map<string, (seen: { channel: string; ts: string; at: number }) => void>();
  private readonly listener = (call: RecordedCall) => {
    if (call.method !== 'chat.postMessage' || this.waiting.size === 0) return;
    const response = call.response as { ok?: boolean; channel?: string; ts?: string };
    if (!response.ok) return;
    const at = performance.now();
    const text = JSON.stringify(call.params);
    for (const [marker, resolve] of this.waiting) {
      if (!text.includes(marker)) continue;
      this.waiting.delete(marker);
      resolve({ channel: String(response.channel), ts: String(response.ts), at });
      return;
    }
  };

  constructor(private readonly emulator: SlackEmulator) {
    emulator.on('call', this.listener);
  }

  /** Resolves when a post carrying `marker` reaches the emulator (`at`: performance.now() then). */
  expect(marker: string, timeoutMs = 30_000): Promise<{ channel: string; ts: string; at: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(marker);
        reject(new Error(`no chat.postMessage carrying ${marker} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(marker, (seen) => {
        clearTimeout(timer);
        resolve(seen);
      });
    });
  }

  close(): void {
    this.emulator.off('call', this.listener);
  }
}
