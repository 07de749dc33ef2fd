/**
 * The ports of a local cluster: those given, the rest picked free, all distinct.
 *
 * @module
 */

import { freePorts } from "./_ports.ts";

/** Fixed ports; every one left out is picked free. */
export interface ClusterPorts {
  nats?: number;
  natsMonitor?: number;
  handles?: number;
  handlesHttp?: number;
  compute?: number;
  computeHttp?: number;
  ingest?: number;
  ingestHttp?: number;
  /** The balancer's gRPC port and its status port (with `balancer: true`). */
  balancer?: number;
  balancerHttp?: number;
}

/** Options of pickClusterPorts(). */
export interface PickClusterPortsOptions {
  /** Compute workers; the first takes `compute` and `computeHttp`. @default 1 */
  workers?: number;
  /** Pick `balancer` and `balancerHttp` too. @default false */
  balancer?: boolean;
}

/** The gRPC and HTTP port of one compute worker. */
export interface WorkerPorts {
  grpc: number;
  http: number;
}

/**
 * Fills the ports not given with free ones (the balancer's only with `balancer`), and picks
 * a gRPC and an HTTP port for every compute worker after the first.
 */
export function pickClusterPorts(
  fixed: ClusterPorts,
  options: PickClusterPortsOptions = {},
): { ports: Required<ClusterPorts>; workers: WorkerPorts[] } {
  const keys: (keyof ClusterPorts)[] = [
    "nats",
    "natsMonitor",
    "handles",
    "handlesHttp",
    "compute",
    "computeHttp",
    "ingest",
    "ingestHttp",
    ...(options.balancer ? ["balancer", "balancerHttp"] as const : []),
  ];
  const extra = 2 * ((options.workers ?? 1) - 1);
  const free = freePorts(keys.filter((k) => fixed[k] === undefined).length + extra);
  const ports = { balancer: 0, balancerHttp: 0 } as Required<ClusterPorts>;
  for (const key of keys) ports[key] = fixed[key] ?? free.pop()!;
  const workers = [{ grpc: ports.compute, http: ports.computeHttp }];
  while (free.length >= 2) workers.push({ grpc: free.pop()!, http: free.pop()! });
  return { ports, workers };
}
