import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { configSchema } from '../../src/config/schema.js';

/**
 * deploy/kubernetes, checked as CI can: `kubectl kustomize` builds the base (when kubectl is on the machine;
 * skipped, loudly, when not), every object is validated against the Kubernetes API schemas that the
 * kubernetes-models package ships (types, required fields, enums), and the properties the README promises are
 * asserted on the objects themselves: two replicas, the probes, non-root with a read-only root filesystem,
 * requests and limits, a disruption budget, every credential from a Secret, metrics on their own port.
 */

const root = resolve(import.meta.dirname, '../..');
const base = join(root, 'deploy/kubernetes');

// Any object: what a manifest is until validated; tests read it by path.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed manifest, read by path in assertions
type Manifest = Record<string, any>;

const MODELS: Record<string, new (data: Manifest) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** Throws with the schema's message when the object does not fit its kind; unknown kinds are refused too. */
function validate(doc: Manifest): void {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) throw new Error(`no schema for ${doc.apiVersion}/${doc.kind}: add it to MODELS`);
  new Model(doc).validate();
}

const parse = (text: string): Manifest[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest | null)
    .filter((d): d is Manifest => d !== null);

const kustomization = parse(readFileSync(join(base, 'kustomization.yaml'), 'utf8'))[0]!;
const resources = (kustomization.resources as string[]).flatMap((file) =>
  parse(readFileSync(join(base, file), 'utf8')),
);
const find = (docs: Manifest[], kind: string, name?: string) =>
  docs.find((d) => d.kind === kind && (name === undefined || d.metadata?.name === name));

function kubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'kubectl');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
const KUBECTL = kubectl();
if (!KUBECTL)
  console.warn(
    'SKIPPED: kubectl is not installed, so `kubectl kustomize deploy/kubernetes` is not checked here ' +
      '(the resource files are still validated one by one). .ci/run installs it when Debian offers it.',
  );

describe('the kustomize base', () => {
  it.skipIf(!KUBECTL)('builds with kubectl kustomize into the same objects the files hold', () => {
    const built = parse(execFileSync(KUBECTL!, ['kustomize', base], { encoding: 'utf8' }));
    expect(built.map((d) => `${d.kind}/${d.metadata?.name}`).sort()).toEqual(
      resources.map((d) => `${d.kind}/${d.metadata?.name}`).sort(),
    );
    for (const doc of built) expect(() => validate(doc), `${doc.kind}/${doc.metadata?.name}`).not.toThrow();
  });

  it('holds only objects that fit the Kubernetes API schema, and the example Secret fits too', () => {
    expect(resources.length).toBeGreaterThanOrEqual(6);
    for (const doc of resources) expect(() => validate(doc), `${doc.kind}/${doc.metadata?.name}`).not.toThrow();
    for (const doc of parse(readFileSync(join(base, 'secret.example.yaml'), 'utf8'))) validate(doc);
  });

  it('has a validator that refuses a wrong object (so the check above can fail)', () => {
    const deployment = structuredClone(find(resources, 'Deployment')!);
    deployment.spec.replicas = 'two';
    expect(() => validate(deployment)).toThrow(/replicas must be integer/);
    const noContainers = structuredClone(find(resources, 'Deployment')!);
    delete noContainers.spec.template.spec.containers;
    expect(() => validate(noContainers)).toThrow(/containers/);
  });

  it('does not ship the Secret: credentials are never part of the base', () => {
    expect(kustomization.resources).not.toContain('secret.example.yaml');
    expect(find(resources, 'Secret')).toBeUndefined();
  });
});

describe('the Deployment', () => {
  const deployment = find(resources, 'Deployment', 'incidentbot')!;
  const pod = deployment.spec.template.spec as Manifest;
  const container = pod.containers[0] as Manifest;
  const env = new Map((container.env as Manifest[]).map((e) => [e.name as string, e]));
  const port = (name: string) => (container.ports as Manifest[]).find((p) => p.name === name)?.containerPort as number;

  it('runs two replicas, probed on /readyz (readiness) and /healthz (liveness)', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(port('http')).toBe(Number(env.get('PORT')?.value));
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
  });

  it('runs as a non-root user on a read-only root filesystem, with emptyDirs for DATA_DIR and /tmp', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    const volumes = new Map((pod.volumes as Manifest[]).map((v) => [v.name as string, v]));
    const mounted = (path: string) => (container.volumeMounts as Manifest[]).find((m) => m.mountPath === path);
    for (const path of [env.get('DATA_DIR')?.value as string, '/tmp']) {
      const mount = mounted(path);
      expect(mount, path).toBeDefined();
      expect(volumes.get(mount!.name as string)?.emptyDir, path).toBeDefined();
    }
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('asks for resources and is bounded by limits', () => {
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
  });

  it('takes every credential from a Secret, never as a literal value', () => {
    const credentials = [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
      'DATABASE_URL',
      'REDIS_URL',
      'METRICS_TOKEN',
    ];
    for (const name of credentials) {
      expect(env.get(name)?.value, name).toBeUndefined();
      expect(env.get(name)?.valueFrom?.secretKeyRef, name).toMatchObject({ name: 'incidentbot', key: name });
    }
    // What the bot cannot run without is required; one of the two Slack modes' secrets is enough.
    for (const name of ['SLACK_BOT_TOKEN', 'DATABASE_URL', 'REDIS_URL'])
      expect(env.get(name)?.valueFrom.secretKeyRef.optional, name).toBeUndefined();
    const example = find(parse(readFileSync(join(base, 'secret.example.yaml'), 'utf8')), 'Secret')!;
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'DATABASE_URL', 'REDIS_URL', 'METRICS_TOKEN'])
      expect(Object.keys(example.stringData as object), name).toContain(name);
  });

  it('runs in production on the mounted config, which the bot can parse', () => {
    expect(env.get('NODE_ENV')?.value).toBe('production');
    const configPath = env.get('INCIDENTBOT_CONFIG')?.value as string;
    const mount = (container.volumeMounts as Manifest[]).find((m) => configPath.startsWith(`${m.mountPath}/`))!;
    const volume = (pod.volumes as Manifest[]).find((v) => v.name === mount.name)!;
    const configMap = find(resources, 'ConfigMap', volume.configMap.name as string)!;
    const text = configMap.data[configPath.slice((mount.mountPath as string).length + 1)] as string;
    const [doc] = parse(text);
    expect(configSchema({}).safeParse(doc).success).toBe(true);
  });
});

describe('the PodDisruptionBudget and the Services', () => {
  const deployment = find(resources, 'Deployment', 'incidentbot')!;
  const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
  const container = deployment.spec.template.spec.containers[0] as Manifest;
  const selects = (selector: Record<string, string>) =>
    Object.entries(selector).every(([key, value]) => podLabels[key] === value);

  it('keeps at least one replica through a voluntary disruption', () => {
    const pdb = find(resources, 'PodDisruptionBudget')!;
    expect(pdb.spec.minAvailable).toBe(1);
    expect(selects(pdb.spec.selector.matchLabels as Record<string, string>)).toBe(true);
  });

  it("serves HTTP mode on one Service and metrics on METRICS_PORT on another, each on the container's named port", () => {
    const http = find(resources, 'Service', 'incidentbot')!;
    const metrics = find(resources, 'Service', 'incidentbot-metrics')!;
    for (const service of [http, metrics])
      expect(selects(service.spec.selector as Record<string, string>), service.metadata.name as string).toBe(true);
    expect(http.spec.ports[0].targetPort).toBe('http');
    expect(metrics.spec.ports[0].targetPort).toBe('metrics');
    const metricsPort = (container.ports as Manifest[]).find((p) => p.name === 'metrics')!.containerPort as number;
    const env = (container.env as Manifest[]).find((e) => e.name === 'METRICS_PORT');
    expect(Number(env?.value)).toBe(metricsPort);
    expect(metricsPort).not.toBe((container.ports as Manifest[]).find((p) => p.name === 'http')!.containerPort);
  });
});
