import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { FakeOAuth, FakeService, closedPort } from '../support/targets.js';

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const lines: string[] = [];
  try {
    const code = await runCli(args, { out: (l = '') => lines.push(l), err: (l) => lines.push(l) });
    return { code, output: lines.join('\n') };
  } finally {
    process.env = saved;
  }
}

describe('incidentbot check and token in a terminal', () => {
  let service: FakeService;
  let oauth: FakeOAuth;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    service = await FakeService.start();
    oauth = await FakeOAuth.start();
    dir = await mkdtemp(join(tmpdir(), 'cli-'));
    config = join(dir, 'incidentbot.yml');
    await writeFile(
      config,
      [
        'checks:',
        '  api:',
        `    kind: http`,
        `    url: ${service.url}/health`,
        '    retries: 0',
        '  port:',
        '    kind: tcp',
        '    host: 127.0.0.1',
        `    port: ${await closedPort()}`,
        '    retries: 0',
        'groups:',
        '  core:',
        '    checks: [api, port]',
        'tokens:',
        '  sf:',
        `    token_url: ${oauth.url}`,
        '    client_id: ${SF_ID}',
        '    client_secret: ${SF_SECRET}',
        '    sink:',
        '      kind: file',
        `      path: ${join(dir, 'sf.json')}`,
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await service.close();
    await oauth.close();
  });

  const env = () => ({ INCIDENTBOT_CONFIG: config, SF_ID: 'id', SF_SECRET: 'secret-value-123', REDIS_URL: '' });

  it('runs a check and exits 0 when it passes', async () => {
    const { code, output } = await cli(['check', 'api'], env());
    expect(output).toMatch(/^PASS {2}api/m);
    expect(code).toBe(0);
  });

  it('runs a group, lists each result and exits 1 when one fails', async () => {
    const { code, output } = await cli(['check', 'core'], env());
    expect(output).toMatch(/^FAIL {2}port .*connection refused/m);
    expect(output).toContain('1 of 2 failed');
    expect(code).toBe(1);
  });

  it('names the closest check for a typo', async () => {
    const { code, output } = await cli(['check', 'apj'], env());
    expect(output).toContain('did you mean api');
    expect(code).toBe(1);
  });

  it('refreshes a token into its sink without printing it', async () => {
    const { code, output } = await cli(['token', 'refresh', 'sf'], env());
    expect(code).toBe(0);
    expect(output).toMatch(/sf: refreshed/);
    const token = JSON.parse(await readFile(join(dir, 'sf.json'), 'utf8')).access_token as string;
    expect(token).toBe(oauth.issued.at(-1));
    expect(output).not.toContain(token);
  });
});
