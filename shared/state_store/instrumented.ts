/**
 * A state store that counts what it does: every operation by kind and outcome, its latency,
 * and the bytes read and written (`polaroid_store_*` on the service's /metrics). The backend
 * is unchanged; errors pass through as they were.
 *
 * @module
 */

import client from "prom-client";
import { trace } from "@opentelemetry/api";
import { NotFoundError } from "../errors.ts";
import { inSpan } from "../telemetry/tracing.ts";
import { LATENCY_BUCKETS, type Registry } from "../telemetry/metrics.ts";
import type { Body, ObjectMeta, StateStore, StoredObject } from "./store.ts";

/** The operations counted. */
export type StoreOperation = "put" | "put_file" | "get" | "head" | "delete" | "list";

const OPERATIONS: readonly StoreOperation[] = ["put", "put_file", "get", "head", "delete", "list"];

/** An operation's outcome for an error: a missing object is not the store failing. */
function outcomeOf(error: unknown): "not_found" | "error" {
  return error instanceof NotFoundError ? "not_found" : "error";
}

/** The metrics of the stores of one process (several stores share them). */
interface StoreMetrics {
  operations: client.Counter<"op" | "outcome" | "backend">;
  seconds: client.Histogram<"op" | "backend">;
  bytes: client.Counter<"direction" | "backend">;
}

const METRICS = new WeakMap<Registry, StoreMetrics>();

function metricsOf(registry: Registry): StoreMetrics {
  let metrics = METRICS.get(registry);
  if (!metrics) {
    const registers = [registry];
    metrics = {
      operations: new client.Counter({
        name: "polaroid_store_operations_total",
        help:
          "State store operations, by operation, outcome (ok, not_found: the object is missing, error) and backend.",
        labelNames: ["op", "outcome", "backend"],
        registers,
      }),
      seconds: new client.Histogram({
        name: "polaroid_store_operation_seconds",
        help:
          "State store operation latency, by operation and backend (a list: until its last entry).",
        labelNames: ["op", "backend"],
        buckets: [...LATENCY_BUCKETS],
        registers,
      }),
      bytes: new client.Counter({
        name: "polaroid_store_bytes_total",
        help: "Bytes of object bodies read from and written to the state store, by direction.",
        labelNames: ["direction", "backend"],
        registers,
      }),
    };
    METRICS.set(registry, metrics);
  }
  return metrics;
}

/** `store` with its operations counted on `registry`. */
export function instrumentStore(store: StateStore, registry: Registry): StateStore {
  const metrics = metricsOf(registry);
  const backend = store.kind;
  // Errors are counted from the first one on: a series born at its first error shows no rate.
  for (const op of OPERATIONS) metrics.operations.inc({ op, outcome: "error", backend }, 0);
  function timed<T>(op: StoreOperation, run: () => Promise<T>): Promise<T> {
    return inSpan(`store.${op}`, { "polaroid.store.backend": backend }, () => measured(op, run));
  }
  async function measured<T>(op: StoreOperation, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await run();
      metrics.operations.inc({ op, outcome: "ok", backend });
      return result;
    } catch (error) {
      metrics.operations.inc({ op, outcome: outcomeOf(error), backend });
      throw error;
    } finally {
      metrics.seconds.observe({ op, backend }, (performance.now() - started) / 1000);
    }
  }
  const written = (meta: ObjectMeta) => {
    metrics.bytes.inc({ direction: "written", backend }, meta.bytes);
    trace.getActiveSpan()?.setAttribute("polaroid.bytes", meta.bytes);
    return meta;
  };
  const instrumented: StateStore = {
    kind: store.kind,
    put: (key: string, body: Body, meta: Omit<ObjectMeta, "key" | "bytes">) =>
      timed("put", async () => written(await store.put(key, body, meta))),
    get: (key: string) =>
      timed("get", async () => {
        const bytes = await store.get(key);
        metrics.bytes.inc({ direction: "read", backend }, bytes.byteLength);
        trace.getActiveSpan()?.setAttribute("polaroid.bytes", bytes.byteLength);
        return bytes;
      }),
    head: (key: string) => timed("head", () => store.head(key)),
    delete: (key: string) => timed("delete", () => store.delete(key)),
    list: (prefix: string) => listed(store.list(prefix)),
    close: () => store.close(),
    ...(store.stagingDir === undefined ? {} : { stagingDir: store.stagingDir }),
    ...(store.tmpDir === undefined ? {} : { tmpDir: store.tmpDir }),
  };
  if (store.putFile) {
    const putFile = store.putFile.bind(store);
    instrumented.putFile = (key, file, meta) =>
      timed("put_file", async () => written(await putFile(key, file, meta)));
  }
  async function* listed(entries: AsyncIterable<StoredObject>): AsyncGenerator<StoredObject> {
    const started = performance.now();
    let outcome = "ok";
    try {
      yield* entries;
    } catch (error) {
      outcome = outcomeOf(error);
      throw error;
    } finally {
      metrics.operations.inc({ op: "list", outcome, backend });
      metrics.seconds.observe({ op: "list", backend }, (performance.now() - started) / 1000);
    }
  }
  return instrumented;
}
