/**
 * Label sets shaped like the three families that dominate real remote-write traffic:
 * node-exporter, kube-state-metrics and instrumented applications. Every shape yields 8 to 12
 * labels including `__name__` and the tenant label; the caller sorts them.
 */
import type { Fleet } from './fleet.js';
import type { Prng } from './prng.js';

export type Family = 'node-exporter' | 'kube-state-metrics' | 'application';

export type MetricKind = 'counter' | 'gauge' | 'histogram';

export interface ShapedSeries {
  readonly family: Family;
  readonly kind: MetricKind;
  /** name/value pairs, unsorted, without the tenant label */
  readonly labels: Array<[string, string]>;
}

const CPU_MODES = ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'steal', 'nice'];
const DEVICES = ['nvme0n1', 'nvme1n1', 'sda', 'dm-0'];
const NET_DEVICES = ['eth0', 'eth1', 'lo', 'cni0', 'flannel.1'];
const MOUNTS: ReadonlyArray<readonly [string, string, string]> = [
  ['/', '/dev/nvme0n1p1', 'ext4'],
  ['/var/lib/kubelet', '/dev/nvme1n1', 'xfs'],
  ['/boot', '/dev/nvme0n1p15', 'vfat'],
];
const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const HANDLERS = [
  '/api/v1/orders',
  '/api/v1/orders/{id}',
  '/api/v1/users/{id}',
  '/healthz',
  '/api/v2/search',
  '/metrics',
];
const CODES = ['200', '200', '200', '201', '204', '400', '404', '500', '503'];
const GRPC = ['Get', 'List', 'Create', 'Update', 'Watch'];

function nodeExporter(prng: Prng, fleet: Fleet): ShapedSeries {
  const node = prng.pick(fleet.nodes);
  const base: Array<[string, string]> = [
    ['instance', node],
    ['job', 'node-exporter'],
    ['cluster', prng.pick(fleet.clusters)],
    ['namespace', 'monitoring'],
    ['container', 'node-exporter'],
  ];
  const r = prng.int(5);
  if (r === 0)
    return {
      family: 'node-exporter',
      kind: 'counter',
      labels: [
        ['__name__', 'node_cpu_seconds_total'],
        ['cpu', String(prng.int(16))],
        ['mode', prng.pick(CPU_MODES)],
        ...base,
      ],
    };
  if (r === 1) {
    const [mount, device, fstype] = prng.pick(MOUNTS);
    return {
      family: 'node-exporter',
      kind: 'gauge',
      labels: [
        ['__name__', 'node_filesystem_avail_bytes'],
        ['mountpoint', mount],
        ['device', device],
        ['fstype', fstype],
        ...base,
      ],
    };
  }
  if (r === 2)
    return {
      family: 'node-exporter',
      kind: 'counter',
      labels: [
        ['__name__', 'node_network_receive_bytes_total'],
        ['device', prng.pick(NET_DEVICES)],
        ...base,
        ['endpoint', 'metrics'],
      ],
    };
  if (r === 3)
    return {
      family: 'node-exporter',
      kind: 'counter',
      labels: [
        ['__name__', 'node_disk_io_time_seconds_total'],
        ['device', prng.pick(DEVICES)],
        ...base,
        ['service', 'node-exporter'],
      ],
    };
  return {
    family: 'node-exporter',
    kind: 'gauge',
    labels: [
      ['__name__', 'node_memory_MemAvailable_bytes'],
      ...base,
      ['endpoint', 'metrics'],
      ['service', 'node-exporter'],
    ],
  };
}

function kubeStateMetrics(prng: Prng, fleet: Fleet): ShapedSeries {
  const pod = prng.pick(fleet.pods);
  const base: Array<[string, string]> = [
    ['instance', '10.0.12.7:8080'],
    ['job', 'kube-state-metrics'],
    ['cluster', prng.pick(fleet.clusters)],
    ['namespace', pod.namespace],
  ];
  const r = prng.int(4);
  if (r === 0)
    return {
      family: 'kube-state-metrics',
      kind: 'gauge',
      labels: [
        ['__name__', 'kube_pod_status_phase'],
        ['pod', pod.name],
        ['phase', prng.pick(PHASES)],
        ['uid', pod.uid],
        ...base,
      ],
    };
  if (r === 1)
    return {
      family: 'kube-state-metrics',
      kind: 'counter',
      labels: [
        ['__name__', 'kube_pod_container_status_restarts_total'],
        ['pod', pod.name],
        ['container', pod.app],
        ['uid', pod.uid],
        ...base,
      ],
    };
  if (r === 2)
    return {
      family: 'kube-state-metrics',
      kind: 'gauge',
      labels: [
        ['__name__', 'kube_deployment_status_replicas_available'],
        ['deployment', pod.app],
        ...base,
        ['service', 'kube-state-metrics'],
      ],
    };
  return {
    family: 'kube-state-metrics',
    kind: 'gauge',
    labels: [
      ['__name__', 'kube_pod_container_resource_requests'],
      ['pod', pod.name],
      ['container', pod.app],
      ['resource', prng.pick(['cpu', 'memory'])],
      ...base,
    ],
  };
}

function application(prng: Prng, fleet: Fleet, histogram: boolean): ShapedSeries {
  const pod = prng.pick(fleet.pods);
  const base: Array<[string, string]> = [
    ['instance', `${pod.ip}:8080`],
    ['job', `${pod.namespace}/${pod.app}`],
    ['namespace', pod.namespace],
    ['pod', pod.name],
  ];
  if (histogram) {
    return {
      family: 'application',
      kind: 'histogram',
      labels: [
        ['__name__', 'http_request_duration_seconds'],
        ['method', prng.pick(METHODS)],
        ['handler', prng.pick(HANDLERS)],
        ...base,
      ],
    };
  }
  const r = prng.int(3);
  if (r === 0)
    return {
      family: 'application',
      kind: 'counter',
      labels: [
        ['__name__', 'http_requests_total'],
        ['method', prng.pick(METHODS)],
        ['handler', prng.pick(HANDLERS)],
        ['code', prng.pick(CODES)],
        ...base,
      ],
    };
  if (r === 1)
    return {
      family: 'application',
      kind: 'counter',
      labels: [
        ['__name__', 'grpc_server_handled_total'],
        ['grpc_method', prng.pick(GRPC)],
        ['grpc_service', `${pod.app}.v1.Service`],
        ['grpc_code', prng.pick(['OK', 'OK', 'NotFound', 'Unavailable'])],
        ['grpc_type', 'unary'],
        ...base,
      ],
    };
  return {
    family: 'application',
    kind: 'gauge',
    labels: [['__name__', 'process_resident_memory_bytes'], ['app', pod.app], ...base],
  };
}

/** One series' labels; `histogram` asks for a native-histogram application series. */
export function shapeSeries(prng: Prng, fleet: Fleet, histogram: boolean): ShapedSeries {
  if (histogram) return application(prng, fleet, true);
  const r = prng.next();
  const shaped =
    r < 0.4 ? nodeExporter(prng, fleet) : r < 0.7 ? kubeStateMetrics(prng, fleet) : application(prng, fleet, false);
  // Common external labels; two are optional so label counts spread over 8..12.
  shaped.labels.push(['prometheus', 'monitoring/k8s']);
  if (shaped.labels.length < 10 || prng.chance(0.5)) shaped.labels.push(['region', prng.pick(fleet.regions)]);
  return shaped;
}
