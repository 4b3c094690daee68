import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { type Route, sendJson } from '../../http/server.js';
import type { WebApi } from './api.js';
import type { ClickOptions, CommandOptions, InboundResult } from './inbound.js';
import { receiveUpload } from './methods/files.js';
import { BadRequest, readRaw } from './params.js';
import type { ResponseUrls } from './responseUrl.js';
import type { SubmitOptions } from './submit.js';
import type { EmulatorChange, Message, RecordedCall, Workspace } from './state.js';
import type { WorkspaceStore } from './store.js';

export interface HttpDeps {
  api: WebApi;
  store: WorkspaceStore;
  responses: ResponseUrls;
  /** Emits 'change' (EmulatorChange) for the SSE stream. */
  events: EventEmitter;
  sendCommand(o: CommandOptions): Promise<InboundResult>;
  click(o: ClickOptions): Promise<InboundResult>;
  submitView(o: SubmitOptions): Promise<InboundResult>;
  closeView(o: { user: string; viewId: string }): Promise<InboundResult | undefined>;
  postAsUser(o: { user: string; channel: string; text: string; threadTs?: string }): Message;
}

/** The workspace without file bytes: what the playground page renders. */
export function snapshot(workspace: Workspace): Workspace {
  return { ...workspace, files: workspace.files.map(({ content_base64: _bytes, ...file }) => file) };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = (await readRaw(req, 5_000_000)).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  const text = type.startsWith('application/x-www-form-urlencoded')
    ? (new URLSearchParams(raw).get('payload') ?? '')
    : raw;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('invalid_json');
  }
}

/** The upload URL takes the raw bytes, or the file part of a multipart form (what WebClient sends). */
async function readUpload(req: IncomingMessage): Promise<Buffer> {
  const raw = await readRaw(req);
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return raw;
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
  const parts: (string | Blob)[] = [];
  form.forEach((value) => parts.push(value));
  const file = parts.find((p): p is Blob => typeof p !== 'string');
  if (file) return Buffer.from(await file.arrayBuffer());
  return Buffer.from(typeof parts[0] === 'string' ? parts[0] : '');
}

const commandBody = z.object({
  text: z.string(),
  user: z.string().optional(),
  channel: z.string().optional(),
  command: z.string().optional(),
});
const clickBody = z.object({
  user: z.string(),
  channel: z.string(),
  ts: z.string(),
  actionId: z.string(),
  value: z.string().optional(),
  blockId: z.string().optional(),
  selected: z.string().optional(),
});
const submitBody = z.object({
  user: z.string(),
  viewId: z.string(),
  values: z.record(z.string(), z.record(z.string(), z.unknown())),
});
const closeBody = z.object({ user: z.string(), viewId: z.string() });
const messageBody = z.object({
  user: z.string(),
  channel: z.string(),
  text: z.string().min(1),
  threadTs: z.string().optional(),
});

/**
 * The emulator's HTTP routes, under its base URL:
 * - `POST|GET /api/<method>`: the Web API, form-encoded, JSON or query params.
 * - `POST /emulator/response/<id>`: response URLs handed to the bot.
 * - `POST /emulator/upload/<fileId>`, `GET /emulator/files/<fileId>[/<name>]`: file bytes.
 * - `GET /emulator/socket?ticket=…` (WebSocket upgrade): Socket Mode, on the emulator's own
 *   server; on another server once `attachSocketMode(server)` is called.
 * - For the playground page: `GET /emulator/state` (the workspace as JSON, no file
 *   bytes), `GET /emulator/calls?since=n`, `GET /emulator/events` (SSE: `change` and
 *   `call` events), and `POST /emulator/{command,click,submit,close-view,message}`
 *   with the JSON options of sendCommand, click, submitView, closeView, postAsUser.
 */
export class EmulatorHttp {
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly deps: HttpDeps) {}

  routes(): Route[] {
    return [
      { method: '*', path: '/api/*', handler: (req, res, url) => this.deps.api.handle(req, res, url) },
      { method: '*', path: '/emulator/*', handler: (req, res, url) => this.emulator(req, res, url) },
    ];
  }

  /** Ends the SSE streams, so the server can close. */
  closeStreams(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  private async emulator(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const [, , section, id] = url.pathname.split('/').map(decodeURIComponent);
    const method = req.method ?? 'GET';
    try {
      if (method === 'POST' && section === 'response' && id) {
        const payload = await readJson(req);
        this.deps.api.received.push({ method: 'response_url', body: JSON.stringify(payload) });
        const delivery = this.deps.responses.respond(id, payload);
        return sendJson(res, delivery.status, delivery.body);
      }
      if (method === 'POST' && section === 'upload' && id) {
        const bytes = await readUpload(req);
        this.deps.api.received.push({ method: 'upload', body: bytes.toString('utf8') });
        const file = receiveUpload(this.deps.store, id, bytes);
        if (!file) return sendText(res, 404, 'file_not_found');
        return sendText(res, 200, `OK - ${file.size}`);
      }
      if (method === 'GET' && section === 'files' && id) return this.download(res, id);
      if (method === 'GET' && section === 'state') return sendJson(res, 200, snapshot(this.deps.store.workspace));
      if (method === 'GET' && section === 'calls')
        return sendJson(res, 200, this.deps.api.calls.slice(Number(url.searchParams.get('since') ?? 0)));
      if (method === 'GET' && section === 'events') return this.stream(req, res);
      if (method === 'POST' && section === 'command')
        return sendJson(res, 200, await this.deps.sendCommand(commandBody.parse(await readJson(req))));
      if (method === 'POST' && section === 'click')
        return sendJson(res, 200, await this.deps.click(clickBody.parse(await readJson(req))));
      if (method === 'POST' && section === 'submit')
        return sendJson(res, 200, await this.deps.submitView(submitBody.parse(await readJson(req))));
      if (method === 'POST' && section === 'close-view')
        return sendJson(res, 200, (await this.deps.closeView(closeBody.parse(await readJson(req)))) ?? { status: 0 });
      if (method === 'POST' && section === 'message')
        return sendJson(res, 200, this.deps.postAsUser(messageBody.parse(await readJson(req))));
      return sendJson(res, 404, { ok: false, error: 'not_found' });
    } catch (error) {
      if (error instanceof BadRequest) return sendJson(res, 400, { ok: false, error: error.error });
      if (error instanceof z.ZodError)
        return sendJson(res, 400, { ok: false, error: 'invalid_arguments', issues: error.issues });
      if (error instanceof Error && section !== 'response' && section !== 'upload')
        return sendJson(res, 400, { ok: false, error: error.message });
      throw error;
    }
  }

  private download(res: ServerResponse, id: string): void {
    const file = this.deps.store.workspace.files.find((f) => f.id === id);
    if (!file || file.content_base64 === undefined) return sendText(res, 404, 'file_not_found');
    const bytes = Buffer.from(file.content_base64, 'base64');
    res.writeHead(200, {
      'content-type': file.mimetype.startsWith('text/') ? `${file.mimetype}; charset=utf-8` : file.mimetype,
      'content-length': bytes.length,
      'content-disposition': `inline; filename="${file.name.replace(/"/g, '')}"`,
    });
    res.end(bytes);
  }

  /** Server-sent events for the playground page: `change` per state change, `call` per Web API call. */
  private stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const send = (change: EmulatorChange) => res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
    const call = (c: RecordedCall) => {
      const summary = {
        index: this.deps.api.calls.indexOf(c),
        method: c.method,
        status: c.status,
        ok: c.response.ok === true,
        error: c.response.error,
        at: c.at,
      };
      res.write(`event: call\ndata: ${JSON.stringify(summary)}\n\n`);
    };
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    heartbeat.unref();
    this.streams.add(res);
    this.deps.events.on('change', send);
    this.deps.events.on('call', call);
    const stop = () => {
      clearInterval(heartbeat);
      this.deps.events.off('change', send);
      this.deps.events.off('call', call);
      this.streams.delete(res);
    };
    req.on('close', stop);
    res.on('close', stop);
  }
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
