import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, readBytes } from '../../http/server.js';
import { z } from 'zod';

/**
 * Web API arguments arrive form-encoded (every value a string, objects as
 * JSON strings), as JSON, or as GET query params. These schemas accept each.
 */
export const id = z.string().min(1);
export const ts = z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1));
export const flag = z
  .union([z.boolean(), z.number(), z.string()])
  .transform((v) => v === true || v === 1 || v === 'true' || v === '1');
export const count = z.coerce.number().int().min(0);
export const idList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));
/** Text where Slack accepts a string; numbers are stringified as form encoding would. */
export const text = z.union([z.string(), z.number()]).transform(String);

/** Arguments Slack takes as JSON-encoded strings: decoded for handlers and for `calls`. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'files', 'metadata'] as const;

export class BadRequest extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

export async function decodeParams(
  contentType: string | undefined,
  raw: Buffer,
  query: URLSearchParams,
): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length > 0) {
    if (type === 'application/json') {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new BadRequest('invalid_json');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('invalid_json');
      Object.assign(params, body);
    } else if (type === 'multipart/form-data') {
      const form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': contentType ?? '' },
      }).formData();
      form.forEach((value, key) => {
        if (typeof value === 'string') params[key] = value;
      });
    } else {
      Object.assign(params, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
    }
  }
  for (const field of JSON_FIELDS) {
    const value = params[field];
    if (typeof value !== 'string' || value === '') continue;
    try {
      params[field] = JSON.parse(value);
    } catch {
      // Left as a string: the method answers invalid_blocks_format / invalid_arguments.
    }
  }
  return params;
}

/** `Bearer xoxb-...` from the Authorization header, else the `token` argument. */
export function tokenOf(authorization: string | undefined, params: Record<string, unknown>): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (bearer?.[1]) return bearer[1];
  return typeof params.token === 'string' && params.token !== '' ? params.token : undefined;
}

/** The raw request body as bytes (uploads are binary). */
export async function readRaw(req: IncomingMessage, limit = 50_000_000): Promise<Buffer> {
  try {
    return await readBytes(req, limit);
  } catch (error) {
    throw error instanceof BodyTooLargeError ? new BadRequest('request_too_large') : error;
  }
}
