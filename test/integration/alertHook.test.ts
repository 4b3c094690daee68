import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/deps.js';
import { Secret } from '../../src/config/secret.js';
import { ALERT_HOOK_PATH, alertHookRoute } from '../../src/http/alertHook.js';
import { closeServer, createHttpServer, listen } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { alertNotification } from '../support/alertsHarness.js';

/** The hook's answers before any alert is handled: no bot behind it is needed, and none is reached. */
describe('the Alertmanager hook at its door', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await closeServer(server, 1_000);
    server = undefined;
  });

  const serve = async (token: Secret | undefined, deps: () => AppDeps | undefined = () => undefined) => {
    server = createHttpServer([alertHookRoute(token, deps, silentLogger)], silentLogger);
    const port = await listen(server, 0, '127.0.0.1');
    return (body: string, auth = 'Bearer right-token') =>
      fetch(`http://127.0.0.1:${port}${ALERT_HOOK_PATH}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body,
      });
  };
  const webhook = JSON.stringify(alertNotification('firing', { labels: { alertname: 'A' } }, [{ fingerprint: 'f' }]));

  it('is off (404) without alerts.token, and says which variable is missing when the example refers to one', async () => {
    const off = await (await serve(undefined))(webhook);
    expect(off.status).toBe(404);
    expect(await off.json()).toMatchObject({ message: 'the alert hook is off: set alerts.token in the config' });
    await closeServer(server!, 1_000);
    const unset = await (await serve(new Secret('', ['ALERTMANAGER_TOKEN'])))(webhook);
    expect(unset.status).toBe(404);
    expect(await unset.json()).toMatchObject({ message: 'the alert hook is off: ALERTMANAGER_TOKEN is not set' });
  });

  it('refuses a body over 2 MB with 413 and one it cannot read with 400, before reaching the bot', async () => {
    let reached = false;
    const send = await serve(new Secret('right-token'), () => {
      reached = true;
      return undefined;
    });
    expect((await send('x'.repeat(2_100_000))).status).toBe(413);
    expect((await send('{')).status).toBe(400);
    expect((await send(webhook, 'Bearer right-token-but-longer')).status).toBe(401);
    expect((await send(webhook, 'Basic right-token')).status).toBe(401);
    expect(reached).toBe(false);
  });

  it('asks Alertmanager to send again (503) while the bot is not connected to Slack yet', async () => {
    const send = await serve(new Secret('right-token'));
    const answer = await send(webhook);
    expect(answer.status).toBe(503);
  });
});
