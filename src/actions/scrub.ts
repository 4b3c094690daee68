const REDACTED = '[redacted]';
/** Shorter values are not scrubbed: they would blank out ordinary words. */
const MIN_SECRET = 4;

/** `Authorization: Bearer abc`, `"authorization": "Basic abc"`, `proxy-authorization=abc`. */
const AUTH_HEADER = /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(bearer|basic|token|digest)\s+)?[^\s"',;]+/gi;

/** Environment variable names that hold credentials by convention. */
const SENSITIVE_NAME = /TOKEN|SECRET|PASSW|PWD|CREDENTIAL|AUTH|PRIVATE|API_?KEY|ACCESS_?KEY|SIGNING/i;

/** Words of an Authorization value that name the scheme, not the credential. */
const SCHEME = /^(bearer|basic|token|digest|negotiate)$/i;

/** Headers that never carry a credential: their values are not scrubbed from output. */
const PLAIN_HEADER =
  /^(content-type|accept|accept-language|accept-encoding|content-encoding|user-agent|cache-control)$/i;

/**
 * The strings to scrub for a set of credential values: each value, and each
 * word of it (the token of `Bearer <token>`), longest first.
 */
export function secretsOf(values: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const value of values) {
    for (const part of [value, ...value.split(/\s+/)])
      if (part.length >= MIN_SECRET && !SCHEME.test(part)) found.add(part);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** The header values to scrub: all but the ones that are plainly not credentials. */
export function headerSecrets(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers)
    .filter(([name]) => !PLAIN_HEADER.test(name))
    .map(([, value]) => value);
}

/** Values of the allowed environment variables whose names say they are credentials. */
export function sensitiveEnvValues(names: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  return names.filter((name) => SENSITIVE_NAME.test(name)).flatMap((name) => (env[name] ? [env[name]] : []));
}

/**
 * Replaces every known secret and every Authorization header value. When the
 * text was cut (`cut: true`), the start of a secret left at its very end is
 * scrubbed too.
 */
export function scrub(text: string, secrets: readonly string[], cut = false): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  out = out.replace(
    AUTH_HEADER,
    (_, prefix: string, scheme: string | undefined) => `${prefix}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  );
  if (cut) {
    for (const secret of secrets) {
      for (let n = secret.length - 1; n >= MIN_SECRET; n--) {
        if (out.endsWith(secret.slice(0, n))) {
          out = out.slice(0, out.length - n) + REDACTED;
          break;
        }
      }
    }
  }
  return out;
}

/** Scrubs output that `runProcess` may have cut, keeping its "… N more characters not shown" note. */
export function scrubOutput(output: string, secrets: readonly string[], truncated: boolean): string {
  if (!truncated) return scrub(output, secrets);
  const at = output.lastIndexOf('\n… ');
  if (at < 0) return scrub(output, secrets, true);
  return scrub(output.slice(0, at), secrets, true) + output.slice(at);
}
