import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/clock.js';
import { SOCKET_PATH, SocketMode, TICKET_TTL_MS } from '../../src/playground/emulator/socketMode.js';

/** Socket Mode's tickets and refusals, without a network: upgrades on an in-memory socket. */

const clock = new AdjustableClock();
const socketMode = () => new SocketMode({ appId: () => 'A0PLAYGRND', now: () => clock.now(), pingIntervalMs: 0 });

function upgrade(mode: SocketMode, url: string): { taken: boolean; answer: string } {
  const socket = new PassThrough();
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
  const path = new URL(url.replace(/^ws/, 'http')).pathname + new URL(url.replace(/^ws/, 'http')).search;
  const taken = mode.upgrade({ url: path, headers: {} } as IncomingMessage, socket, Buffer.alloc(0));
  return { taken, answer };
}

describe('Socket Mode tickets', () => {
  it('are handed out as distinct ws:// URLs on the base URL, with the app id', () => {
    const mode = socketMode();
    const first = mode.connectionUrl('http://127.0.0.1:4000/');
    const second = mode.connectionUrl('https://slack.example');
    expect(first).toMatch(
      new RegExp(`^ws://127\\.0\\.0\\.1:4000${SOCKET_PATH}\\?ticket=[0-9a-f]{32}&app_id=A0PLAYGRND$`),
    );
    expect(second).toMatch(/^wss:\/\/slack\.example\/emulator\/socket\?ticket=/);
    expect(new URL(first.replace(/^ws/, 'http')).searchParams.get('ticket')).not.toBe(
      new URL(second.replace(/^wss/, 'https')).searchParams.get('ticket'),
    );
  });

  it('expire: a late connection is refused with HTTP 401', () => {
    const mode = socketMode();
    const url = mode.connectionUrl('http://127.0.0.1:4000');
    clock.advance(TICKET_TTL_MS + 1);
    expect(upgrade(mode, url)).toEqual({
      taken: true,
      answer: expect.stringMatching(/^HTTP\/1\.1 401 Unauthorized\r\n/),
    });
  });

  it('are refused when unknown, and upgrades elsewhere are left to other listeners', () => {
    const mode = socketMode();
    expect(upgrade(mode, `ws://127.0.0.1:4000${SOCKET_PATH}?ticket=forged`).answer).toMatch(/^HTTP\/1\.1 401/);
    expect(upgrade(mode, 'ws://127.0.0.1:4000/other')).toEqual({ taken: false, answer: '' });
  });
});

describe('Socket Mode without a connection', () => {
  it('cannot deliver an envelope, and has no one to tell to disconnect', async () => {
    const mode = socketMode();
    expect(mode.connections).toBe(0);
    await expect(mode.send('slash_commands', { text: 'x' })).rejects.toThrow(/no Socket Mode connection/);
    expect(mode.disconnect()).toBe(0);
    await expect(mode.waitFor({ timeoutMs: 20 })).rejects.toThrow(
      /waiting for the bot to open a Socket Mode connection/,
    );
    await mode.waitFor({ closed: true });
  });
});
