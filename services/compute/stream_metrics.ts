/**
 * Metrics of result streaming (Collect) and of the streaming engine, registered on the
 * worker's registry.
 *
 * @module
 */

import { prom, type Registry } from "../../shared/telemetry/metrics.ts";

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
  };
}
