/**
 * A compute worker's Prometheus metrics beyond the per-call ones every service has: result
 * streaming (Collect), the streaming engine and the engine's run time, counted as they happen; the held frames,
 * the catalog sync, the plan and frame caches, the sinks and the job queue, read from their
 * owners when scraped.
 *
 * @module
 */

import { LATENCY_BUCKETS, prom, type Registry } from "../../shared/telemetry/metrics.ts";
import type { HandleSync } from "./handle_sync.ts";
import type { HeldFrames } from "./held_frames.ts";
import type { QueueDepth } from "./jobs_queue.ts";
import type { PlanCache } from "./plan_cache.ts";
import type { HandleResolver } from "./resolver.ts";
import type { OutputTargets } from "./sink/location.ts";

/** Why a plan ran on the streaming engine. */
export type StreamingReason = "requested" | "memory_limit";

/** How a Collect stream ended. */
export type StreamOutcome = "completed" | "cancelled" | "failed";

/** What Collect and the engine choice record. */
export interface StreamMetrics {
  /** Collect streams sending now. */
  readonly streams: prom.Gauge;
  /** Estimated bytes of plan results that open Collect streams hold (handles not counted). */
  readonly heldBytes: prom.Gauge;
  /** Collect messages sent. */
  readonly batches: prom.Counter;
  /** Arrow IPC bytes sent by Collect. */
  readonly bytes: prom.Counter;
  /** Collect streams ended, by outcome. */
  readonly ended: prom.Counter<"outcome">;
  /** Plans run on the streaming engine, by reason. */
  readonly streamingRuns: prom.Counter<"reason">;
  /** Time the engine took to run a plan, by engine (streaming, in-memory). */
  readonly engineSeconds: prom.Histogram<"engine">;
  /** Plans the default streaming engine failed that ran again on the in-memory engine. */
  readonly engineFallbacks: prom.Counter;
}

/** Registers the streaming metrics on `registry`. */
export function createStreamMetrics(registry: Registry): StreamMetrics {
  const registers = [registry];
  return {
    streams: new prom.Gauge({
      name: "polaroid_compute_collect_streams",
      help: "Collect streams sending now.",
      registers,
    }),
    heldBytes: new prom.Gauge({
      name: "polaroid_compute_collect_held_bytes",
      help: "Estimated bytes of plan results held by open Collect streams.",
      registers,
    }),
    batches: new prom.Counter({
      name: "polaroid_compute_collect_batches_total",
      help: "Collect messages (record batches) sent.",
      registers,
    }),
    bytes: new prom.Counter({
      name: "polaroid_compute_collect_bytes_total",
      help: "Arrow IPC bytes sent by Collect.",
      registers,
    }),
    ended: new prom.Counter({
      name: "polaroid_compute_collect_streams_ended_total",
      help: "Collect streams ended, by outcome (completed, cancelled, failed).",
      labelNames: ["outcome"],
      registers,
    }),
    streamingRuns: new prom.Counter({
      name: "polaroid_compute_streaming_runs_total",
      help: "Plans run on the streaming engine, by reason (requested, memory_limit).",
      labelNames: ["reason"],
      registers,
    }),
    engineSeconds: new prom.Histogram({
      name: "polaroid_compute_engine_seconds",
      help:
        "Time the engine took to run a plan (Execute, Collect of a plan, jobs; failed runs included), by engine (streaming, in-memory).",
      labelNames: ["engine"],
      // A plan may run for minutes: the call latencies' buckets, and two longer ones.
      buckets: [...LATENCY_BUCKETS, 60, 300],
      registers,
    }),
    engineFallbacks: new prom.Counter({
      name: "polaroid_compute_engine_fallbacks_total",
      help:
        "Plans the default streaming engine failed with a query error that ran again on the in-memory engine.",
      registers,
    }),
  };
}

/** What the worker's gauges read when scraped. */
export interface WorkerParts {
  frames: HeldFrames;
  sync: HandleSync;
  planCache: PlanCache;
  resolver: HandleResolver;
  outputs: OutputTargets;
}

/** Registers the gauges of the worker's parts on `registry`. */
export function registerWorkerGauges(registry: Registry, parts: WorkerParts): void {
  const { frames, sync, planCache, resolver, outputs } = parts;
  const registers = [registry];
  new prom.Gauge({
    name: "polaroid_compute_catalog_synced",
    help:
      "1 while this worker serves held frames without asking the catalog; 0 while freed events may have been missed (NATS down, or not reconciled since it came back) and each use is checked.",
    registers,
    collect() {
      this.set(sync.trusted ? 1 : 0);
    },
  });
  new prom.Gauge({
    name: "polaroid_compute_reconciliations",
    help:
      "Reconciliations of the held frames with the catalog since start, by outcome (done, failed), and the frames they dropped (dropped).",
    labelNames: ["result"],
    registers,
    collect() {
      this.set({ result: "done" }, sync.stats.reconciliations);
      this.set({ result: "failed" }, sync.stats.failures);
      this.set({ result: "dropped" }, sync.stats.dropped);
    },
  });
  new prom.Gauge({
    name: "polaroid_compute_frames",
    help: "Frames held by this worker.",
    registers,
    collect() {
      this.set(frames.size);
    },
  });
  new prom.Gauge({
    name: "polaroid_compute_frame_bytes",
    help: "Estimated bytes of the frames held by this worker.",
    registers,
    collect() {
      this.set(frames.bytes);
    },
  });
  new prom.Gauge({
    name: "polaroid_compute_frame_budget_bytes",
    help:
      "The bytes of frames this worker may hold (POLAROID_MAX_WORKER_BYTES, or POLAROID_CACHE_BYTES with the external store); polaroid_compute_frame_bytes over it is how full it is.",
    registers,
    collect() {
      this.set(frames.budgetBytes);
    },
  });
  new prom.Gauge({
    name: "polaroid_compute_frame_reserved_bytes",
    help: "Bytes set aside for results being kept (persisted and registered) by this worker.",
    registers,
    collect() {
      this.set(frames.reservedBytes);
    },
  });
  new prom.Gauge({
    name: "polaroid_plan_cache_lookups",
    help: "Plan cache lookups since start, by result (hit, miss, skipped).",
    labelNames: ["result"],
    registers,
    collect() {
      const { hits, misses, skipped } = planCache.stats;
      this.set({ result: "hit" }, hits);
      this.set({ result: "miss" }, misses);
      this.set({ result: "skipped" }, skipped);
    },
  });
  new prom.Gauge({
    name: "polaroid_plan_cache_hit_ratio",
    help: "Plan cache hits over lookups since start (0 before the first lookup).",
    registers,
    collect() {
      const { hits, misses } = planCache.stats;
      this.set(hits + misses === 0 ? 0 : hits / (hits + misses));
    },
  });
  new prom.Gauge({
    name: "polaroid_plan_cache_entries",
    help: "Plans whose results the plan cache holds.",
    registers,
    collect() {
      this.set(planCache.stats.entries);
    },
  });
  new prom.Gauge({
    name: "polaroid_frame_cache_lookups",
    help:
      "Handles read by plans since start: found in memory (hit), loaded from the state store (miss), dropped to make room (eviction).",
    labelNames: ["result"],
    registers,
    collect() {
      this.set({ result: "hit" }, resolver.stats.hits);
      this.set({ result: "miss" }, resolver.stats.misses);
      this.set({ result: "eviction" }, frames.evictions);
    },
  });
  new prom.Gauge({
    name: "polaroid_sink_engines_running",
    help:
      "Sinks whose engine is writing, those whose call ended (cancelled, past its deadline, over POLAROID_MAX_OUTPUT_BYTES) included: nodejs-polars cannot stop a running sink.",
    registers,
    collect() {
      this.set(outputs.engines.running);
    },
  });
}

/** Options of registerJobQueueGauges(). */
export interface JobQueueGaugeOptions {
  /**
   * Time each of the (at most two) JetStream requests of a scrape may take; past it the
   * gauges read NaN (unknown) for that scrape. @default 250
   */
  timeoutMs?: number;
}

/**
 * Registers the job queue's depth and the age of its oldest waiting job, asked of JetStream
 * once per scrape (both gauges share the answer). The queue is shared: every worker reports
 * the same figures, so aggregate them with max().
 */
export function registerJobQueueGauges(
  registry: Registry,
  queue: { depth(timeoutMs: number): Promise<QueueDepth> },
  options: JobQueueGaugeOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 250;
  let asking: Promise<QueueDepth | undefined> | undefined;
  const depth = () =>
    asking ??= queue.depth(timeoutMs).catch(() => undefined).finally(() => asking = undefined);
  const registers = [registry];
  new prom.Gauge({
    name: "polaroid_jobs_queued",
    help:
      "Jobs in the queue that no worker has taken yet (the queue is shared: every worker reports it; NaN when JetStream did not answer in time).",
    registers,
    async collect() {
      this.set((await depth())?.queued ?? NaN);
    },
  });
  new prom.Gauge({
    name: "polaroid_jobs_oldest_queued_age_seconds",
    help:
      "How long the oldest job no worker has taken yet has waited, in seconds; 0 when none waits (NaN when JetStream did not answer in time).",
    registers,
    async collect() {
      this.set((await depth())?.oldestAgeSeconds ?? NaN);
    },
  });
}

/**
 * The writes behind of the worker (write_behind.ts): those under way, read when scraped, and
 * how long each took to end, by outcome (written, failed, gone). Returns what records an end.
 */
export function registerWriteBehindMetrics(
  registry: Registry,
  pending: () => number,
): (outcome: "written" | "failed" | "gone", seconds: number) => void {
  const registers = [registry];
  new prom.Gauge({
    name: "polaroid_compute_write_behind_pending",
    help: "Results whose object this worker is still writing to the external store.",
    registers,
    collect() {
      this.set(pending());
    },
  });
  const ended = new prom.Histogram({
    name: "polaroid_compute_write_behind_seconds",
    help:
      "Time from a result's reply to its object named in the catalog, by outcome (written, failed, gone: freed meanwhile).",
    labelNames: ["outcome"],
    buckets: [...LATENCY_BUCKETS, 60, 300],
    registers,
  });
  return (outcome, seconds) => ended.observe({ outcome }, seconds);
}
