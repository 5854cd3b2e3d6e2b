/**
 * Renders the kustomizations under deploy/kubernetes/ with Debian's kubectl (`kubectl kustomize`,
 * offline) and validates every object against the Kubernetes and prometheus-operator schemas
 * that kubernetes-models carries.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { repoRoot } from '../helpers/peers.js';

const run = promisify(execFile);

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly [key: string]: unknown;
}

/** Debian's kubectl from .peers/ (scripts/install-peers.sh installs kubernetes-client). */
export function debianKubectl(): string {
  const bin = process.env.TENANTWIRE_PEERS_DIR
    ? join(process.env.TENANTWIRE_PEERS_DIR, 'root/usr/bin/kubectl')
    : join(repoRoot, '.peers/root/usr/bin/kubectl');
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new Error(`Debian's kubectl is not installed at ${bin}: run \`npm run peers\``);
  }
  return bin;
}

export async function kustomize(kubectl: string, dir: string): Promise<K8sObject[]> {
  const { stdout } = await run(kubectl, ['kustomize', join(repoRoot, 'deploy/kubernetes', dir)], {
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const docs = yaml.loadAll(stdout) as unknown[];
  for (const d of docs) {
    if (d === null || typeof d !== 'object' || Object.keys(d).length === 0) {
      throw new Error(`kubectl kustomize ${dir} rendered an empty document`);
    }
  }
  return docs as K8sObject[];
}

type Validator = new (data: never) => { validate(): void };
const MODELS: Record<string, Validator> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

/** Throws naming the object and the schema's complaint; an unknown kind is an error too. */
export function validateObject(o: K8sObject): void {
  const key = `${o.apiVersion}/${o.kind}`;
  const Model = MODELS[key];
  if (!Model) throw new Error(`${key} ${o.metadata?.name}: no schema for this kind (add it to the test)`);
  try {
    new Model(o as never).validate();
  } catch (e) {
    throw new Error(`${key} ${o.metadata.name}: ${(e as Error).message}`);
  }
}
