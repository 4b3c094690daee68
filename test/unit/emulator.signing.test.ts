import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signedHeaders, slackSignature } from '../../src/playground/emulator/signing.js';

/** Slack's documented example (docs.slack.dev/authentication/verifying-requests-from-slack). */
const DOCUMENTED = {
  signing_secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
  raw_body: [
    'token=xyzz0WbapA4vBCDEFasx0q6G',
    'team_id=T1DC2JH3J',
    'team_domain=testteamnow',
    'channel_id=G8PSS9T3V',
    'channel_name=foobar',
    'user_id=U2CERLKJA',
    'user_name=roadrunner',
    'command=%2Fwebhook-collect',
    'text=',
    'response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN',
    'trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  ].join('&'),
};

/** Slack's documented test vector (docs.slack.dev, verifying requests), kept as data in the repository. */
const FIXTURE = fileURLToPath(new URL('../fixtures/slack/signed_slash_command_test_vector.json', import.meta.url));

describe('request signing', () => {
  it("reproduces the signature of Slack's documented example", () => {
    expect(slackSignature(DOCUMENTED.signing_secret, DOCUMENTED.timestamp, DOCUMENTED.raw_body)).toBe(
      DOCUMENTED.signature,
    );
  });

  it('reproduces the signature in the shared test vector fixture', () => {
    const vector = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
      signing_secret: string;
      raw_body: string;
      headers: Record<string, string>;
    };
    const timestamp = Number(vector.headers['x-slack-request-timestamp']);
    expect(signedHeaders(vector.signing_secret, timestamp, vector.raw_body)).toEqual(vector.headers);
  });

  it('sends the form content type exactly, which Bolt needs to parse the body', () => {
    expect(signedHeaders('secret', 1, 'a=b')['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('changes with any byte of the body, the timestamp or the secret', () => {
    const base = slackSignature('secret', 1_700_000_000, 'text=hello');
    expect(slackSignature('secret', 1_700_000_000, 'text=hellp')).not.toBe(base);
    expect(slackSignature('secret', 1_700_000_001, 'text=hello')).not.toBe(base);
    expect(slackSignature('secreT', 1_700_000_000, 'text=hello')).not.toBe(base);
    expect(base).toMatch(/^v0=[0-9a-f]{64}$/);
  });
});
