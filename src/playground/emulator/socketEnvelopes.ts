import { randomUUID } from 'node:crypto';
import type { RawData } from 'ws';
import type { Delivered } from './inbound.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** What Slack sends the app over the socket for each request. */
export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/**
 * A request wrapped as Slack wraps it: a fresh envelope_id; a response payload accepted for commands and view
 * submissions; retry fields on every event and on any retried request.
 */
export function envelopeOf(
  type: EnvelopeType,
  payload: Record<string, unknown>,
  retry: { retryNum?: number; retryReason?: string },
): Envelope {
  return {
    envelope_id: randomUUID(),
    type,
    payload,
    accepts_response_payload:
      type === 'slash_commands' || (type === 'interactive' && payload.type === 'view_submission'),
    ...(type === 'events_api' || retry.retryNum !== undefined
      ? {
          retry_attempt: retry.retryNum ?? 0,
          retry_reason: retry.retryNum !== undefined ? (retry.retryReason ?? 'timeout') : '',
        }
      : {}),
  };
}

interface Pending<C> {
  connection: C;
  finish: (payload: Record<string, unknown> | undefined, acked: boolean) => void;
}

/**
 * The envelopes sent and not yet acked, by envelope_id, each with the connection it went out on. Each ends once:
 * acked, timed out, or lost with its connection.
 */
export class PendingAcks<C> {
  private readonly pending = new Map<string, Pending<C>>();

  /**
   * Waits for the ack of `envelope`, which `send` puts on `connection` (calling `failed` if it cannot): status 200
   * with the ack payload as the body, or status 0 when no ack came within `timeoutMs` or the connection closed.
   */
  wait(envelope: Envelope, connection: C, timeoutMs: number, send: (failed: () => void) => void): Promise<Delivered> {
    const started = performance.now();
    return new Promise((resolve) => {
      const finish = (ack: Record<string, unknown> | undefined, acked: boolean) => {
        clearTimeout(timer);
        this.pending.delete(envelope.envelope_id);
        resolve(delivered(acked, ack, Math.round(performance.now() - started)));
      };
      const timer = setTimeout(() => finish(undefined, false), timeoutMs);
      this.pending.set(envelope.envelope_id, { connection, finish });
      send(() => finish(undefined, false));
    });
  }

  /** An ack from the app: `{ envelope_id, payload? }`; anything else is ignored, as Slack ignores it. */
  receive(data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let message: unknown;
    try {
      message = JSON.parse(rawText(data));
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { envelope_id: id, payload } = message as { envelope_id?: unknown; payload?: unknown };
    const pending = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (!pending) return;
    pending.finish(
      typeof payload === 'object' && payload !== null && !Array.isArray(payload)
        ? (payload as Record<string, unknown>)
        : undefined,
      true,
    );
  }

  /** Envelopes waiting on a connection that closed will never be acked. */
  dropped(connection: C): void {
    for (const pending of [...this.pending.values()])
      if (pending.connection === connection) pending.finish(undefined, false);
  }
}

function delivered(acked: boolean, payload: Record<string, unknown> | undefined, ackMs: number): Delivered {
  if (!acked) return { status: 0, body: '', ackMs };
  // `ack()` with nothing sends `payload: {}`: over HTTP that is an empty body.
  if (!payload || Object.keys(payload).length === 0) return { status: 200, body: '', ackMs };
  return { status: 200, body: JSON.stringify(payload), json: payload, ackMs };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
}
