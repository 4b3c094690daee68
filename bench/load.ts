import http from 'node:http';
import { setPriority } from 'node:os';
import { formatTs, triggerId } from '../src/playground/emulator/ids.js';
import { signedHeaders } from '../src/playground/emulator/signing.js';
import { latencyHistogram, recordMs, summarize } from './support/histogram.js';
import { serve } from './support/ipc.js';
import {
  ACTION_TS,
  type LoadResult,
  type LoadRun,
  type LoadSetup,
  RESPONSE_URL,
  TRIGGER_ID,
} from './support/loadPlan.js';

/**
 * The load generator, in its own process: sends signed form requests to an
 * app's Request URL exactly as Slack does (fresh trigger_id, action_ts and
 * response_url each time, X-Slack-Signature over the body at send time), on
 * an open-loop schedule with bounded concurrency, and measures each answer
 * from its scheduled send time (no coordinated omission) in an HDR histogram.
 */

/** Literal text, or one of the placeholders (TRIGGER_ID, ACTION_TS, RESPONSE_URL) filled in per request. */
type Part = string;
const PLACEHOLDER = new RegExp(`(${TRIGGER_ID}|${ACTION_TS}|${RESPONSE_URL})`);

interface Prepared {
  target: URL;
  secret: string;
  maxInFlight: number;
  templates: Part[][];
  /** Each template's own response URL, form-encoded. */
  fallbackUrls: string[];
  /** Template indexes, weighted and shuffled; request i uses order[i % length]. */
  order: number[];
}

let prepared: Prepared | undefined;
let lastTs = 0;

const formEncode = (value: string) => new URLSearchParams([['', value]]).toString().slice(1);

function shuffled(values: number[]): number[] {
  let seed = 0x9e3779b9;
  const random = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

function setup(plan: LoadSetup): { templates: number } {
  if (plan.requests.length === 0) throw new Error('no requests to send');
  const order = shuffled(
    plan.requests.flatMap((r, index) => Array.from({ length: Math.max(1, Math.round(r.weight ?? 1)) }, () => index)),
  );
  prepared = {
    target: new URL(plan.url),
    secret: plan.signingSecret,
    maxInFlight: plan.maxInFlight,
    templates: plan.requests.map((r) => r.body.split(PLACEHOLDER).filter((p) => p !== '')),
    fallbackUrls: plan.requests.map((r) => formEncode(r.responseUrl)),
    order,
  };
  return { templates: prepared.templates.length };
}

function bodyFor(p: Prepared, template: number, responseUrl: string | undefined): string {
  let body = '';
  for (const part of p.templates[template]!) {
    if (part === TRIGGER_ID) body += formEncode(triggerId(new Date()));
    else if (part === ACTION_TS) {
      lastTs = Math.max(Date.now() * 1000, lastTs + 1);
      body += formEncode(formatTs(lastTs));
    } else if (part === RESPONSE_URL) body += responseUrl ?? p.fallbackUrls[template]!;
    else body += part;
  }
  return body;
}

function run(plan: LoadRun): Promise<LoadResult> {
  const p = prepared;
  if (!p) return Promise.reject(new Error('call setup first'));
  // Idle sockets are dropped after 4 s, before Node servers' 5 s keep-alive timeout closes them under a request
  // (an ECONNRESET that would be the generator's, not the app's); FIFO keeps every socket in use.
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: p.maxInFlight,
    maxFreeSockets: p.maxInFlight,
    timeout: 4_000,
    scheduling: 'fifo',
  });
  const urls = (plan.responseUrls ?? []).map((list) => list.map(formEncode));
  const used = urls.map(() => 0);
  const interval = 1000 / plan.rate;
  const total = Math.max(1, Math.round((plan.rate * (plan.warmupMs + plan.durationMs)) / 1000));
  const warmup = Math.round((plan.rate * plan.warmupMs) / 1000);
  const latency = latencyHistogram();
  const lag = latencyHistogram();
  const statuses: Record<string, number> = {};
  const live = new Map<number, http.ClientRequest>();
  let ok = 0;
  let failed = 0;
  let unfinished = 0;
  let becameDue = 0;
  let sent = 0;
  let finished = false;
  const start = performance.now() + 20;
  const due = (i: number) => start + i * interval;

  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(deadline);
      agent.destroy();
      const measured = total - warmup;
      resolve({
        rate: plan.rate,
        scheduled: measured,
        ok,
        failed,
        unfinished,
        statuses,
        latency: summarize(latency),
        sendLagP99Ms: summarize(lag).p99,
        achievedRate: Math.round((ok + failed) / (plan.durationMs / 1000)),
      });
    };
    /** `status` is the HTTP status, or the error code when there was no answer. */
    const done = (i: number, status: number | string) => {
      if (finished || !live.delete(i)) return;
      if (i >= warmup) {
        statuses[status] = (statuses[status] ?? 0) + 1;
        recordMs(latency, performance.now() - due(i));
        if (typeof status === 'number' && status >= 200 && status < 300) ok++;
        else failed++;
      }
      pump(false);
    };
    const send = (i: number) => {
      const template = p.order[i % p.order.length]!;
      const fresh = urls[template];
      const body = bodyFor(p, template, fresh?.length ? fresh[used[template]!++ % fresh.length] : undefined);
      const headers = {
        ...signedHeaders(p.secret, Math.floor(Date.now() / 1000), body),
        'content-length': String(Buffer.byteLength(body)),
      };
      const req = http.request(
        { agent, hostname: p.target.hostname, port: p.target.port, path: p.target.pathname, method: 'POST', headers },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => done(i, res.statusCode ?? 0));
          res.on('error', (error: NodeJS.ErrnoException) => done(i, error.code ?? 'error'));
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => done(i, error.code ?? 'error'));
      live.set(i, req);
      req.end(body);
    };
    /**
     * Sends what is due while fewer than maxInFlight are out; `onTime` marks the timer's own sends (the
     * generator's lag).
     */
    const pump = (onTime: boolean) => {
      const now = performance.now();
      while (becameDue < total && due(becameDue) <= now) becameDue++;
      while (sent < becameDue && live.size < p.maxInFlight) {
        if (onTime && sent >= warmup) recordMs(lag, now - due(sent));
        send(sent++);
      }
      if (sent === total && live.size === 0) return finish();
      if (becameDue < total && onTime)
        timer = setTimeout(() => pump(true), Math.max(0, due(becameDue) - performance.now()));
    };
    // Whatever has no answer by the deadline counts with the latency it has so far (a lower bound).
    const deadline = setTimeout(
      () => {
        const now = performance.now();
        for (let i = Math.max(warmup, 0); i < total; i++) {
          if (i < sent && !live.has(i)) continue;
          recordMs(latency, now - due(i));
          unfinished++;
        }
        for (const req of live.values()) req.destroy();
        live.clear();
        finish();
      },
      due(total - 1) - performance.now() + plan.drainMs,
    );
    timer = setTimeout(() => pump(true), Math.max(0, start - performance.now()));
  });
}

// The generator plays Slack, which is not on this machine: where allowed, it runs ahead of the
// processes under test so its own timers fire on schedule (its lag is reported either way).
try {
  setPriority(-5);
} catch {
  // not permitted: run at normal priority
}

serve(
  {
    setup: (plan: LoadSetup) => setup(plan),
    run: (plan: LoadRun) => run(plan),
    stop: () => {
      setImmediate(() => process.exit(0));
      return true;
    },
  },
  { pid: process.pid },
);
