/**
 * Prometheus metrics: one registry per service (no global state), with the gRPC metrics
 * every server records.
 *
 * @module
 */

import client from "prom-client";

export type Registry = client.Registry;

/** The metrics the gRPC wrapper records for every call. */
export interface RpcMetrics {
  registry: Registry;
  requests: client.Counter<"method" | "code">;
  errors: client.Counter<"method" | "code">;
  duration: client.Histogram<"method">;
  /** From a call's arrival to its handler's start: admission and authorization. */
  queue: client.Histogram<"method">;
  inFlight: client.Gauge<"method">;
}

/** cgroup v1 reports "no limit" as a number near 2^63: anything above this is none. */
const UNLIMITED = 2 ** 60;

/**
 * The memory limit of this process's control group (v2 `memory.max`, else v1
 * `memory.limit_in_bytes`), or undefined without one or where neither can be read.
 */
export function memoryLimitBytes(
  read: (path: string) => string | undefined = (path) => {
    try {
      return Deno.readTextFileSync(path);
    } catch {
      return undefined;
    }
  },
): number | undefined {
  for (const path of ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]) {
    const text = read(path)?.trim();
    if (text === undefined) continue;
    const bytes = Number(text);
    return Number.isSafeInteger(bytes) && bytes > 0 && bytes < UNLIMITED ? bytes : undefined;
  }
  return undefined;
}

/** A registry with process metrics, labelled with the service name. */
export function createRegistry(service: string): Registry {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry, prefix: "polaroid_" });
  // Gauges that prom-client names like counters (promtool check metrics refuses a `_total`
  // gauge), of little use here: left out.
  for (const name of ["active_handles_total", "active_requests_total", "active_resources_total"]) {
    registry.removeSingleMetric(`polaroid_nodejs_${name}`);
  }
  const limit = memoryLimitBytes();
  if (limit !== undefined) {
    new client.Gauge({
      name: "polaroid_process_memory_limit_bytes",
      help:
        "The memory limit of the process's control group (a container's limit), read at start; absent without one. polaroid_process_resident_memory_bytes over it is how close the process is to being killed.",
      registers: [registry],
    }).set(limit);
  }
  return registry;
}

/** Latency buckets in seconds, from half a millisecond to 30 s (calls, store operations). */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  30,
];

/** Registers the gRPC metrics on the registry. */
export function createRpcMetrics(registry: Registry): RpcMetrics {
  return {
    registry,
    requests: new client.Counter({
      name: "polaroid_grpc_requests_total",
      help: "gRPC calls handled, by method and status code.",
      labelNames: ["method", "code"],
      registers: [registry],
    }),
    errors: new client.Counter({
      name: "polaroid_grpc_errors_total",
      help: "gRPC calls that ended with a non-OK status, by method and status code.",
      labelNames: ["method", "code"],
      registers: [registry],
    }),
    duration: new client.Histogram({
      name: "polaroid_grpc_request_duration_seconds",
      help: "gRPC call latency, by method.",
      labelNames: ["method"],
      buckets: [...LATENCY_BUCKETS],
      registers: [registry],
    }),
    queue: new client.Histogram({
      name: "polaroid_grpc_queue_seconds",
      help:
        "Time from a gRPC call's arrival to its handler's start (admission, credentials and quota checked), by method; refused calls are not counted.",
      labelNames: ["method"],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    inFlight: new client.Gauge({
      name: "polaroid_grpc_in_flight",
      help: "gRPC calls in progress, by method.",
      labelNames: ["method"],
      registers: [registry],
    }),
  };
}

export { client as prom };
