import type { z } from 'zod';
import { type ContentCheck, type MessageContent, checkContent, contentErrorBody } from '../content.js';
import type { Channel, Workspace } from '../state.js';
import type { WorkspaceStore } from '../store.js';
import type { Triggers } from '../triggers.js';

/** What a Web API method handler may use. */
export interface MethodContext {
  readonly store: WorkspaceStore;
  readonly workspace: Workspace;
  /** Where the emulator's routes are reachable, without a trailing slash. */
  readonly baseUrl: string;
  readonly triggers: Triggers;
  readonly now: () => Date;
  /** Issues a Socket Mode ticket: the `ws://` URL apps.connections.open answers. */
  readonly openSocket: () => string;
}

export type MethodResult = Record<string, unknown>;
export type MethodRun = (ctx: MethodContext, params: Record<string, unknown>) => MethodResult | Promise<MethodResult>;

/** An `ok: false` answer: Slack's error name and any extra fields (errors, response_metadata). */
export class ApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

export function fail(error: string, extra?: Record<string, unknown>): never {
  throw new ApiError(error, extra);
}

/**
 * A method: its arguments parsed with zod, its answer computed by `handle`.
 * A missing argument named in `missing` answers that error (as Slack does,
 * e.g. `channel_not_found`); any other bad argument answers `invalid_arguments`.
 */
export function defineMethod<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  handle: (ctx: MethodContext, params: z.output<S>) => MethodResult | Promise<MethodResult>,
  missing: Record<string, string> = {},
): MethodRun {
  return (ctx, raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? '');
        const error = missing[key];
        if (error && (raw[key] === undefined || raw[key] === '')) fail(error);
      }
      fail('invalid_arguments', {
        response_metadata: {
          messages: parsed.error.issues.map((i) => `[ERROR] ${i.message} [json-pointer:/${i.path.join('/')}]`),
        },
      });
    }
    return handle(ctx, parsed.data);
  };
}

/** Message content checked as Slack checks it, or the matching ok:false answer. */
export function content(
  input: { text?: unknown; blocks?: unknown; attachments?: unknown },
  requireContent = true,
): MessageContent {
  const check: ContentCheck = checkContent(input, requireContent);
  if (!check.ok) {
    const { ok: _ok, error, ...extra } = contentErrorBody(check);
    fail(String(error), extra);
  }
  const { ok: _ok, ...rest } = check;
  return rest;
}

/** A conversation the bot may read or write: unknown and hidden private ones are `channel_not_found`. */
export function visibleChannel(ctx: MethodContext, ref: string | undefined): Channel {
  const channel = ref ? ctx.store.resolveChannel(ref) : undefined;
  if (!channel) fail('channel_not_found');
  if (channel.kind !== 'public' && !ctx.store.isMember(channel, ctx.store.botUserId)) fail('channel_not_found');
  return channel;
}

/** A conversation the bot must be a member of (posting, history, pins): `not_in_channel` otherwise. */
export function memberChannel(ctx: MethodContext, ref: string | undefined): Channel {
  const channel = visibleChannel(ctx, ref);
  if (!ctx.store.isMember(channel, ctx.store.botUserId)) fail('not_in_channel');
  if (channel.is_archived) fail('is_archived');
  return channel;
}

/** Opaque cursors over a list, as Slack's `response_metadata.next_cursor`. */
export function page<T>(
  items: T[],
  cursor: string | undefined,
  limit: number | undefined,
  max = 1000,
): { items: T[]; next_cursor: string } {
  let start = 0;
  if (cursor) {
    const decoded = Number(
      Buffer.from(cursor, 'base64')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0) fail('invalid_cursor');
    start = decoded;
  }
  const size = Math.min(limit && limit > 0 ? limit : 100, max);
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(`offset:${start + size}`).toString('base64') : '';
  return { items: slice, next_cursor: next };
}
