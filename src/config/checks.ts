import { z } from 'zod';
import { duration } from './duration.js';
import { type envFields, name, retryPolicy } from './fields.js';

type Fields = ReturnType<typeof envFields>;

const comparison = z.enum(['==', '!=', '>', '>=', '<', '<=']);

/** `path` is dotted, with `*` for every key or element: `services.*` checks each service. */
const jsonExpectation = z
  .strictObject({
    path: z.string().min(1),
    equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    op: comparison.optional(),
    value: z.number().optional(),
  })
  .refine((e) => (e.equals !== undefined) !== (e.op !== undefined && e.value !== undefined), {
    message: 'give either `equals`, or `op` and `value`',
  });

const threshold = z
  .strictObject({
    name: z.string().min(1),
    /** A series selector in Prometheus syntax, summed: `http_requests_total{status=~"5.."}`. */
    series: z.string().optional(),
    /** `of` divided by `to` (each a selector, summed); `to` may list several to add. */
    ratio: z.strictObject({ of: z.string(), to: z.union([z.string(), z.array(z.string()).min(1)]) }).optional(),
    /** A quantile estimated from a histogram's buckets, in the histogram's unit. */
    quantile: z.strictObject({ histogram: z.string(), q: z.number().gt(0).lt(1) }).optional(),
    op: comparison,
    value: z.number(),
  })
  .refine((t) => [t.series, t.ratio, t.quantile].filter((v) => v !== undefined).length === 1, {
    message: 'a threshold measures exactly one of `series`, `ratio` or `quantile`',
  });

/** Where a check's numbers come from: a source runbook and its section. */
export const sourceRef = z.strictObject({
  document: z.string().regex(/^\d{3}$/, 'the source document number, such as "001"'),
  section: z.string().min(1),
});

const infoExpectation = z.strictObject({ field: z.string().min(1), op: comparison, value: z.number() });

export function checkSchema(f: Fields) {
  const common = {
    title: z.string().optional(),
    timeout: retryPolicy.timeout.default(5_000),
    retries: retryPolicy.retries.default(2),
    backoff: retryPolicy.backoff,
    /** Slower than this is reported as degraded even when the check passes. */
    latency_budget: duration.optional(),
    /**
     * The runbook(s) whose numbers the check carries: a playbook that follows another runbook may use it only
     * when its step says why (`cross_runbook`). Absent: a check any playbook may use (a port, a PING).
     */
    source: z.union([sourceRef, z.array(sourceRef).min(1)]).optional(),
  };
  const http = z.strictObject({
    kind: z.literal('http'),
    ...common,
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT']).default('GET'),
    url: f.text,
    headers: z.record(z.string(), f.sensitive).default({}),
    body: z.string().optional(),
    expect: z
      .strictObject({
        status: z.union([z.number().int(), z.array(z.number().int())]).default(200),
        json: z.array(jsonExpectation).default([]),
        body_contains: z.string().optional(),
      })
      .prefault({}),
  });
  const tcp = z.strictObject({
    kind: z.literal('tcp'),
    ...common,
    host: f.text,
    port: z.number().int().min(1).max(65535),
  });
  const postgres = z.strictObject({
    kind: z.literal('postgres'),
    ...common,
    url: f.sensitive,
    query: z.string().default('SELECT 1'),
  });
  const redis = z.strictObject({
    kind: z.literal('redis'),
    ...common,
    url: f.sensitive,
    info: z.array(infoExpectation).default([]),
  });
  const metrics = z.strictObject({
    kind: z.literal('metrics'),
    ...common,
    url: f.text,
    headers: z.record(z.string(), f.sensitive).default({}),
    thresholds: z.array(threshold).min(1),
  });
  const command = z.strictObject({
    kind: z.literal('command'),
    ...common,
    ...f.command,
    expect: z
      .strictObject({
        exit_code: z.number().int().default(0),
        output_contains: z.string().optional(),
        output_excludes: z.string().optional(),
      })
      .prefault({}),
    max_output: z.number().int().min(256).max(1_000_000).default(4_000),
  });
  const token = z.strictObject({ kind: z.literal('token'), ...common, provider: name });
  return z.discriminatedUnion('kind', [http, tcp, postgres, redis, metrics, command, token]);
}

export const checkGroupSchema = z.strictObject({
  title: z.string().optional(),
  checks: z.array(name).min(1),
  /** A cron expression: run the group on a schedule. */
  schedule: z.string().optional(),
  /** After this many consecutive failed runs, open an incident with `playbook` (once). */
  open_after_failures: z.number().int().min(1).default(3),
  playbook: z.string().optional(),
  severity: z.enum(['sev1', 'sev2', 'sev3', 'sev4']).optional(),
});

export type SourceRef = z.infer<typeof sourceRef>;

/** The source documents a check's numbers come from (none: a check of no one runbook). */
export function sourceDocuments(check: Pick<CheckConfig, 'source'>): string[] {
  const refs = check.source === undefined ? [] : Array.isArray(check.source) ? check.source : [check.source];
  return [...new Set(refs.map((r) => r.document))];
}

export type CheckConfig = z.infer<ReturnType<typeof checkSchema>>;
export type CheckGroupConfig = z.infer<typeof checkGroupSchema>;
export type Threshold = z.infer<typeof threshold>;
export type JsonExpectation = z.infer<typeof jsonExpectation>;
