import type { Workspace } from '../emulator/state.js';
import type { OnCallNow } from '../oncallShape.js';

/** What the playground server says about itself (GET /playground/info, POST /playground/clock). */
export interface PlaygroundInfo {
  /** Actions only show what they would run. */
  dryRun: boolean;
  clock: ClockState;
}

export interface ClockState {
  /** How far the bot's clock is ahead of real time. */
  offsetMs: number;
  /** The bot's time when this was answered (ISO). */
  now: string;
  /** Due items the worker ran after the move (POST only). */
  ran?: number;
}

/** A failed request, with the server's error text for the toast. */
export class RequestFailed extends Error {}

/** This run's token, written into the page by the server: every POST carries it (read when first needed). */
let token: string | undefined;

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  token ??= document.querySelector<HTMLMetaElement>('meta[name="playground-token"]')?.content ?? '';
  const response = await fetch(path, {
    ...init,
    headers: { 'content-type': 'application/json', 'x-playground-token': token, ...(init?.headers ?? {}) },
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!response.ok) {
    const error =
      typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : `HTTP ${response.status}`;
    throw new RequestFailed(error);
  }
  return body as T;
}

export const getState = () => call<Workspace>('/emulator/state');
export const getInfo = () => call<PlaygroundInfo>('/playground/info');
export const getOnCall = () => call<OnCallNow>('/playground/oncall');
export const post = <T = unknown>(path: string, body: unknown) =>
  call<T>(path, { method: 'POST', body: JSON.stringify(body) });
