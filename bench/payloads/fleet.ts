/**
 * The imaginary fleet a payload is scraped from: clusters, nodes, namespaces and pods, drawn
 * once per payload so that label values repeat the way they do in real remote-write traffic
 * (which is what makes snappy ratios and tenant splits realistic).
 */
import type { Prng } from './prng.js';

export interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly app: string;
  readonly ip: string;
  readonly uid: string;
}

export interface Fleet {
  readonly clusters: readonly string[];
  /** node-exporter targets, `ip:9100` */
  readonly nodes: readonly string[];
  readonly namespaces: readonly string[];
  readonly pods: readonly Pod[];
  readonly regions: readonly string[];
}

const NAMESPACES = [
  'payments',
  'checkout',
  'search',
  'identity',
  'catalog',
  'ingest',
  'billing',
  'ml-serving',
  'gateway',
  'notifications',
];
const APPS = ['api', 'worker', 'frontend', 'scheduler', 'indexer', 'consumer', 'cache-proxy', 'exporter'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-1'];

function ip(prng: Prng): string {
  return `10.${prng.range(0, 63)}.${prng.range(0, 255)}.${prng.range(1, 254)}`;
}

function uid(prng: Prng): string {
  return `${prng.hex(8)}-${prng.hex(4)}-${prng.hex(4)}-${prng.hex(4)}-${prng.hex(12)}`;
}

/** A fleet sized for `series` series: roughly one pod per 8 series and one node per 40. */
export function createFleet(prng: Prng, series: number): Fleet {
  const clusters = Array.from(
    { length: 3 },
    (_, i) => `prod-${REGIONS[i % REGIONS.length] ?? 'x'}-${prng.range(1, 9)}`,
  );
  const nodes = Array.from({ length: Math.max(4, Math.ceil(series / 40)) }, () => `${ip(prng)}:9100`);
  const pods: Pod[] = [];
  const podCount = Math.max(8, Math.ceil(series / 8));
  for (let i = 0; i < podCount; i++) {
    const namespace = prng.pick(NAMESPACES);
    const app = prng.pick(APPS);
    pods.push({ namespace, app, name: `${app}-${prng.hex(9)}-${prng.alnum(5)}`, ip: ip(prng), uid: uid(prng) });
  }
  return { clusters, nodes, namespaces: NAMESPACES, pods, regions: REGIONS };
}
