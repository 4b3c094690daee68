import { secretsFound } from '../../src/domain/secrets.js';
import type { SlackEmulator } from '../../src/playground/emulator/index.js';
import type { Database } from '../../src/store/db.js';

/** A credential found where none may be: where, which kind, and a little context (the value itself cut short). */
export interface Finding {
  where: string;
  what: string;
  context: string;
}

/**
 * Looks for credentials in one text: anything shaped like one (the patterns of
 * the bot's own scrubber, domain/secrets.ts) and any of the `known` values
 * (the test's secrets, which may look like nothing). `allowed` values are set
 * aside first: the bot's own token may travel to Slack in a request.
 */
export function scanText(where: string, text: string, options: ScanOptions = {}): Finding[] {
  let body = text;
  for (const value of options.allowed ?? []) body = body.split(value).join('');
  const findings = secretsFound(body).map((what) => ({ where, what, context: around(body, what) }));
  for (const value of options.known ?? [])
    if (value.length >= 4 && body.includes(value))
      findings.push({ where, what: `known value ${value.slice(0, 4)}…`, context: around(body, value) });
  return findings;
}

export interface ScanOptions {
  known?: readonly string[];
  allowed?: readonly string[];
}

/**
 * The texts a body carries, decoded: the string values of JSON, the values of a form (and the JSON inside
 * them, as the Web API's `blocks`), or the text itself. A secret percent-encoded or JSON-escaped is found.
 */
export function textsOf(body: string): string[] {
  const walk = (value: unknown): string[] => {
    if (typeof value === 'string') {
      const inner = parseJson(value);
      return inner === undefined || typeof inner === 'string' ? [value] : walk(inner);
    }
    if (Array.isArray(value)) return value.flatMap(walk);
    if (value !== null && typeof value === 'object') return Object.values(value).flatMap(walk);
    return [];
  };
  const json = parseJson(body);
  if (json !== undefined) return walk(json);
  if (/^[\w.%-]+=/.test(body)) return [...new URLSearchParams(body).values()].flatMap(walk);
  return [body];
}

function parseJson(text: string): unknown {
  if (!/^\s*[[{"]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** scanText over each decoded text of a body. */
export function scanBody(where: string, body: string, options: ScanOptions = {}): Finding[] {
  return textsOf(body).flatMap((text) => scanText(where, text, options));
}

function around(text: string, needle: string): string {
  const at = Math.max(0, text.indexOf(needle));
  return text.slice(Math.max(0, at - 40), at + 20).replace(/\s+/g, ' ');
}

/**
 * Every body the bot sent to Slack (Web API, response_url, uploads), every
 * timeline row and every action run's output and error, scanned.
 */
export async function scanSlackAndTimeline(
  slack: SlackEmulator,
  db: Database,
  options: ScanOptions = {},
): Promise<Finding[]> {
  const allowed = [slack.botToken, slack.appToken, ...(options.allowed ?? [])];
  const findings = slack.received.flatMap((r, i) =>
    scanText(`Slack ${r.method} #${i}`, r.body, { ...options, allowed }),
  );
  const timeline = await db.query<{ id: number; kind: string; data: string }>(
    'SELECT id, kind, data::text AS data FROM timeline_events ORDER BY id',
  );
  for (const row of timeline.rows)
    findings.push(...scanBody(`timeline ${row.kind} #${row.id}`, row.data, { ...options, allowed }));
  const runs = await db.query<{ id: number; text: string }>(
    `SELECT id, json_build_array(plan, output, error, resolved_plan)::text AS text FROM action_runs ORDER BY id`,
  );
  for (const row of runs.rows) findings.push(...scanBody(`action run #${row.id}`, row.text, { ...options, allowed }));
  return findings;
}
