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
  inFlight: client.Gauge<"method">;
}

/** A registry with process metrics, labelled with the service name. */
export function createRegistry(service: string): Registry {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry, prefix: "polaroid_" });
  return registry;
}

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
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
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
