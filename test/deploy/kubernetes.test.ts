/**
 * deploy/kubernetes/: each kustomization rendered by Debian's `kubectl kustomize` (offline),
 * every object validated against its schema, and the pieces checked against each other and
 * against the config they ship (ports, probes, grace period, memory, volumes, selectors).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { shutdownDeadlineMs } from '../../src/cli/shutdown-deadline.js';
import { type CortexTenantConfig, parseCortexTenantConfig } from '../../src/config/cortex-tenant.js';
import { workerDefaultFor } from '../../src/config/cpu-quota.js';
import { repoRoot } from '../helpers/peers.js';
import { debianKubectl, type K8sObject, kustomize, validateObject } from './kustomize.js';

const MIB = 1024 * 1024;
/** Baseline RSS of one process, from the bench (README "Faults, overload and shutdown"). */
const BASELINE_RSS = 90 * MIB;
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

interface Container {
  name: string;
  image: string;
  args: string[];
  ports: Array<{ name: string; containerPort: number }>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  securityContext: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  terminationGracePeriodSeconds: number;
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes: Array<{ name: string; configMap?: { name: string } }>;
}
interface Workload extends K8sObject {
  spec: {
    selector: { matchLabels: Record<string, string> };
    serviceName?: string;
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates?: Array<{ metadata: { name: string } }>;
  };
}

const rendered: Record<string, K8sObject[]> = {};
const dirs = ['base', 'overlays/queue', 'overlays/monitoring', 'overlays/queue-monitoring'];

beforeAll(async () => {
  const kubectl = debianKubectl();
  for (const d of dirs) rendered[d] = await kustomize(kubectl, d);
}, 120_000);

const find = (objs: readonly K8sObject[], kind: string, name?: string) =>
  objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const only = <T extends K8sObject>(objs: readonly K8sObject[], kind: string, name?: string): T => {
  const found = find(objs, kind, name);
  expect(found, `one ${kind}${name ? ` ${name}` : ''}`).toHaveLength(1);
  return found[0] as T;
};
const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function quantityBytes(q: string): number {
  const m = /^(\d+)(Ki|Mi|Gi)?$/.exec(q);
  if (!m) throw new Error(`unexpected memory quantity ${q}`);
  return Number(m[1]) * ({ Ki: 1024, Mi: MIB, Gi: 1024 * MIB }[m[2] ?? ''] ?? 1);
}
const cpus = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));

/** The cortex-tenant config the workload mounts, parsed by tenantwire's own reader. */
function mountedConfig(objs: readonly K8sObject[], w: Workload): CortexTenantConfig {
  const c = w.spec.template.spec.containers[0] as Container;
  const path = c.args[c.args.indexOf('--config') + 1] ?? '';
  const mount = c.volumeMounts.find((m) => path.startsWith(`${m.mountPath}/`));
  expect(mount, `a volume mounted at the directory of ${path}`).toBeDefined();
  const volume = w.spec.template.spec.volumes.find((v) => v.name === mount?.name);
  const cm = only<K8sObject & { data: Record<string, string> }>(objs, 'ConfigMap', volume?.configMap?.name);
  const file = path.slice((mount?.mountPath.length ?? 0) + 1);
  const text = cm.data[file];
  expect(text, `${file} in ConfigMap ${cm.metadata.name}`).toBeDefined();
  // The image's variables are not set in the pod: the file alone is the config.
  return parseCortexTenantConfig(text ?? '', file, { env: {} });
}

describe.each(dirs)('kubectl kustomize deploy/kubernetes/%s', (dir) => {
  it('renders objects that are valid against their schemas', () => {
    const objs = rendered[dir] ?? [];
    expect(objs.length).toBeGreaterThan(0);
    for (const o of objs) validateObject(o);
  });

  it('runs a pod that fits its config: probes, ports, grace period, memory, non-root, read-only root', () => {
    const objs = rendered[dir] ?? [];
    const queue = dir.includes('queue');
    const w = only<Workload>(objs, queue ? 'StatefulSet' : 'Deployment', 'tenantwire');
    const pod = w.spec.template.spec;
    const c = pod.containers[0] as Container;
    const config = mountedConfig(objs, w);
    expect(Boolean(config.queue)).toBe(queue);
    expect(c.image).toBe(`tenantwire:${version}`);

    const portOf = (address: string | undefined) => Number(address?.split(':').pop());
    const named = Object.fromEntries(c.ports.map((p) => [p.name, p.containerPort]));
    expect(named.http).toBe(portOf(config.listen));
    expect(named.metrics).toBe(portOf(config.listenMetricsAddress));
    expect(c.livenessProbe.httpGet).toEqual({ path: '/alive', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });

    // SIGTERM to exit: the kubelet must not kill the pod before tenantwire's own deadline.
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(shutdownDeadlineMs(config));

    // workers follows the CPU quota (one per two CPUs); each worker's memory is bounded by the
    // config; a primary exists only with 2 or more.
    expect(c.resources.requests).toEqual(c.resources.limits);
    const { workers } = workerDefaultFor(64, cpus(c.resources.limits.cpu ?? '0'));
    expect(workers).toBeGreaterThanOrEqual(1);
    const perWorker = BASELINE_RSS + 3 * (config.maxDecodedBytesInFlight + config.maxDecodedBytes);
    const primary = workers > 1 ? BASELINE_RSS : 0;
    expect(quantityBytes(c.resources.limits.memory ?? '0')).toBeGreaterThanOrEqual(workers * perWorker + primary);

    const dockerUser = /^USER (\d+)/m.exec(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'))?.[1];
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(String(pod.securityContext.runAsUser)).toBe(dockerUser);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    // Everything it writes is on a volume: data_dir, and the queue under it.
    const dataMount = c.volumeMounts.find((m) => m.mountPath === config.dataDir);
    expect(dataMount, `a volume at data_dir ${config.dataDir}`).toBeDefined();
    if (config.queue) {
      expect(config.queue.dir.startsWith(`${config.dataDir}/`)).toBe(true);
      expect(w.spec.volumeClaimTemplates?.map((v) => v.metadata.name)).toContain(dataMount?.name);
    }
  });

  it('selects its pods: Service, PodDisruptionBudget, autoscaler (not in queue mode)', () => {
    const objs = rendered[dir] ?? [];
    const queue = dir.includes('queue');
    const w = only<Workload>(objs, queue ? 'StatefulSet' : 'Deployment', 'tenantwire');
    const labels = w.spec.template.metadata.labels;
    expect(matches(w.spec.selector.matchLabels, labels)).toBe(true);
    const svc = only<
      K8sObject & { spec: { selector: Record<string, string>; ports: Array<{ name: string; targetPort: string }> } }
    >(objs, 'Service', 'tenantwire');
    expect(matches(svc.spec.selector, labels)).toBe(true);
    const containerPorts = (w.spec.template.spec.containers[0] as Container).ports.map((p) => p.name);
    for (const p of svc.spec.ports) expect(containerPorts).toContain(p.targetPort);
    const pdb = only<K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } }>(
      objs,
      'PodDisruptionBudget',
    );
    expect(matches(pdb.spec.selector.matchLabels, labels)).toBe(true);
    const hpas = find(objs, 'HorizontalPodAutoscaler') as Array<
      K8sObject & {
        spec: { scaleTargetRef: { kind: string; name: string }; metrics: Array<{ resource?: { name: string } }> };
      }
    >;
    if (queue) {
      expect(hpas).toEqual([]);
      expect(find(objs, 'Service', w.spec.serviceName)).toHaveLength(1);
    } else {
      expect(hpas).toHaveLength(1);
      expect(hpas[0]?.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'tenantwire' });
      expect(hpas[0]?.spec.metrics.map((m) => m.resource?.name)).toEqual(['cpu']);
    }
  });
});

describe('the monitoring overlays', () => {
  const rulesFile = yaml.load(readFileSync(join(repoRoot, 'deploy/prometheus/tenantwire-rules.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
  };

  it.each(['overlays/monitoring', 'overlays/queue-monitoring'])(
    '%s: the ServiceMonitor scrapes the metrics port; the rules are the rules file',
    (dir) => {
      const objs = rendered[dir] ?? [];
      const sm = only<
        K8sObject & {
          spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string; path: string }> };
        }
      >(objs, 'ServiceMonitor');
      const services = find(objs, 'Service').filter((s) =>
        matches(sm.spec.selector.matchLabels, s.metadata.labels),
      ) as Array<K8sObject & { spec: { ports: Array<{ name: string }> } }>;
      // One Service: the headless one of queue mode must not be scraped twice.
      expect(services.map((s) => s.metadata.name)).toEqual(['tenantwire']);
      expect(sm.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
      expect(services[0]?.spec.ports.map((p) => p.name)).toContain('metrics');
      const rule = only<K8sObject & { spec: unknown }>(objs, 'PrometheusRule');
      expect(rule.spec).toEqual(rulesFile);
    },
  );

  it("the queue disk alert's threshold is 80 % of the queue overlay's max_disk_bytes", () => {
    const objs = rendered['overlays/queue'] ?? [];
    const config = mountedConfig(objs, only<Workload>(objs, 'StatefulSet'));
    const rule = rulesFile.groups.flatMap((g) => g.rules).find((r) => r.alert === 'TenantwireQueueDiskHigh');
    expect(rule?.expr).toContain(`> 0.8 * ${config.queue?.maxDiskBytes}`);
  });
});
