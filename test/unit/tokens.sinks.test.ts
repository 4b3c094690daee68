import { mkdir, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import type { TokenSinkConfig } from '../../src/config/tokens.js';
import { SinkError, sinkPayload, writeFileAtomically, writeSink } from '../../src/tokens/index.js';
import type { CachedToken } from '../../src/tokens/state.js';

const now = new Date('2026-03-01T12:00:00Z');
const token: CachedToken = {
  id: 'id-1',
  accessToken: '00Dxx!sink-access-token',
  tokenType: 'Bearer',
  instanceUrl: 'https://example-org.my.salesforce.com',
  issuedAt: now.getTime(),
  expiresAt: now.getTime() + 7_200_000,
  obtainedAt: now.getTime(),
};
const expected = {
  access_token: '00Dxx!sink-access-token',
  token_type: 'Bearer',
  instance_url: 'https://example-org.my.salesforce.com',
  issued_at: '2026-03-01T12:00:00.000Z',
  expires_at: '2026-03-01T14:00:00.000Z',
};
const deps = { now, timeoutMs: 2_000, fetch: globalThis.fetch };

describe('the file sink', () => {
  it('writes the token JSON with mode 0600, creating the directory', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'sink-')), 'tokens', 'nested', 'salesforce.json');
    await writeSink({ kind: 'file', path, mode: 0o600 }, token, deps);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(expected);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('replaces the file atomically: a new inode renamed over the old one, no temporary file left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sink-'));
    const path = join(dir, 'salesforce.json');
    await writeFile(path, '{"access_token":"old"}', { mode: 0o644 });
    const before = await stat(path);
    await writeSink({ kind: 'file', path, mode: 0o600 }, token, deps);
    const after = await stat(path);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['salesforce.json']);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(expected);
  });

  it('applies the configured mode exactly, whatever the umask', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'sink-')), 'token.json');
    await writeFileAtomically(path, '{}', 0o640);
    expect((await stat(path)).mode & 0o777).toBe(0o640);
  });

  it('names the file and leaves nothing behind when it cannot write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sink-'));
    const path = join(dir, 'token.json');
    await mkdir(path); // a directory where the file should go: the rename fails
    const error = await writeSink({ kind: 'file', path, mode: 0o600 }, token, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect((error as Error).message).toMatch(
      new RegExp(`^the file sink could not write ${path} \\((EISDIR|EEXIST|ENOTEMPTY)\\)$`),
    );
    expect(await readdir(dir)).toEqual(['token.json']);
  });

  it('leaves instance_url out when the server sent none', () => {
    const { instanceUrl: _, ...plain } = token;
    expect(sinkPayload(plain)).not.toHaveProperty('instance_url');
  });
});

describe('the http sink', () => {
  const received: { method: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let status = 204;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tokens/salesforce`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const sink = (): TokenSinkConfig => ({
    kind: 'http',
    url,
    method: 'PUT',
    headers: { Authorization: new Secret('Bearer sink-credential'), 'X-Source': new Secret('incident-bot') },
  });

  it('sends the token JSON with the configured method and headers', async () => {
    status = 204;
    await writeSink(sink(), token, deps);
    const [request] = received;
    expect(request?.method).toBe('PUT');
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer sink-credential',
      'x-source': 'incident-bot',
      'content-type': 'application/json',
    });
    expect(JSON.parse(request?.body ?? '')).toEqual(expected);
  });

  it('fails with the status, naming the sink', async () => {
    status = 500;
    await expect(writeSink(sink(), token, deps)).rejects.toThrow(new SinkError('the http sink answered 500'));
  });

  it('fails when a header credential is not configured', async () => {
    const missing: TokenSinkConfig = {
      kind: 'http',
      url,
      method: 'POST',
      headers: { Authorization: new Secret('', ['TOKEN_SINK_TOKEN']) },
    };
    await expect(writeSink(missing, token, deps)).rejects.toThrow(
      'the http sink is not configured: set TOKEN_SINK_TOKEN in the environment',
    );
  });

  it('fails when the sink cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable: TokenSinkConfig = {
      kind: 'http',
      url: `http://127.0.0.1:${port}/`,
      method: 'POST',
      headers: {},
    };
    await expect(writeSink(unreachable, token, deps)).rejects.toThrow('could not reach the http sink (ECONNREFUSED)');
  });
});
