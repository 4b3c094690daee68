import { knownSecrets, scrubText } from '../domain/secrets.js';

/** Headers that never carry a credential: their values are not scrubbed from output. */
const PLAIN_HEADER =
  /^(content-type|accept|accept-language|accept-encoding|content-encoding|user-agent|cache-control)$/i;

/**
 * The strings to scrub for a set of credential values: each value, and each
 * word of it (the token of `Bearer <token>`), longest first.
 */
export const secretsOf = (values: Iterable<string>): string[] => knownSecrets(values);

/** The header values to scrub: all but the ones that are plainly not credentials. */
export function headerSecrets(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers)
    .filter(([name]) => !PLAIN_HEADER.test(name))
    .map(([, value]) => value);
}

/**
 * The values of every variable an action may see (`env_allow`), whatever its name: a command that prints its
 * environment, or a connection string built from it, must not carry them into Slack or the timeline.
 */
export function envAllowValues(names: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  return names.flatMap((name) => (env[name] ? [env[name]] : []));
}

/**
 * Replaces every known secret and everything that looks like a credential (the one scrubber,
 * domain/secrets.ts). When the text was cut (`cut: true`), the start of a secret left at its very end is
 * scrubbed too.
 */
export function scrub(text: string, secrets: readonly string[], cut = false): string {
  return scrubText(text, secrets, cut);
}

/** Scrubs output that `runProcess` may have cut, keeping its "… N more characters not shown" note. */
export function scrubOutput(output: string, secrets: readonly string[], truncated: boolean): string {
  if (!truncated) return scrub(output, secrets);
  const at = output.lastIndexOf('\n… ');
  if (at < 0) return scrub(output, secrets, true);
  return scrub(output.slice(0, at), secrets, true) + output.slice(at);
}
