/**
 * What the ingest service needs of a source, whatever its kind: counters, a snapshot of
 * its buffer as Arrow, and a way to stop it.
 *
 * @module
 */

import type { SourceInfo, SourceSpec } from "../../shared/gen/polaroid/v1/ingest.ts";
import type { BatcherStats } from "./batcher.ts";

/**
 * The life of a source: "retrying" while its upstream is lost (it resumes by itself),
 * "failed" when it stopped on an error, "done" when a one-off load finished.
 */
export type SourceState = "running" | "retrying" | "failed" | "stopped" | "done";

/** A change of a source's upstream connection. */
export interface ConnectionEvent {
  kind: "lost" | "back";
  /** What happened, for `lastError`. */
  detail: string;
}

/** A live feed micro-batched into Arrow. */
export interface Source {
  /** The spec, with the server's defaults filled in. */
  readonly spec: SourceSpec;
  /** State and counters now. */
  info(): SourceInfo;
  /**
   * Closes the open batch and returns what the source holds (its live table's committed
   * rows, or its memory buffer) as one uncompressed Arrow IPC stream. Rejects with
   * FailedPreconditionError when there is nothing yet.
   */
  snapshot(): Promise<Uint8Array>;
  /** Tells the source its upstream connection was lost or is back. @default ignored */
  connection?(event: ConnectionEvent): void;
  /** Stops taking messages and frees the buffer; safe to call twice. */
  close(): Promise<void>;
}

/** Builds the source a (validated, defaulted) spec describes, for a tenant. */
export type SourceFactory = (spec: SourceSpec, tenant: string) => Promise<Source>;

/** The wire form of a source's state and counters. */
export function toSourceInfo(
  spec: SourceSpec,
  state: SourceState,
  stats: BatcherStats,
  reconnectGaps = 0,
): SourceInfo {
  return {
    spec,
    state,
    messages: BigInt(stats.messages),
    rows: BigInt(stats.rows),
    rejected: BigInt(stats.rejected),
    batches: BigInt(stats.batches),
    bufferedRows: BigInt(stats.bufferedRows),
    bufferedBytes: BigInt(stats.bufferedBytes),
    droppedRows: BigInt(stats.droppedRows),
    lastError: stats.lastError,
    natsSubject: "",
    reconnectGaps: BigInt(reconnectGaps),
    liveTable: "",
    committedRows: 0n,
    segments: 0n,
    pendingBytes: 0n,
    nextAttemptAtMs: 0n,
    committedOffsets: {},
    recentRejections: stats.recentRejections.map((r) => ({
      atMs: BigInt(r.atMs),
      error: r.error,
      sample: r.sample,
    })),
  };
}
