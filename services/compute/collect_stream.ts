/**
 * The messages of one Collect: a frame cut into batches of `batchSize` rows, each encoded
 * as its own Arrow IPC stream only when the gRPC layer pulls it (which it does as fast as
 * the client reads: see shared/grpc/server.ts), from batch `startBatch` on. When the stream
 * ends (completed, cancelled or broken) the frame is let go of at once.
 *
 * @module
 */

import { InvalidArgumentError, LimitExceededError } from "../../shared/errors.ts";
import type { ComputeLimits } from "../../shared/config_limits.ts";
import type { CollectResponse } from "../../shared/gen/polaroid/v1/dataframe.ts";
import { encodeCollectResponse } from "./collect_wire.ts";
import { batchCount, frameToIpcBatches, type IpcChunks } from "./engine/mod.ts";
import type { StreamMetrics, StreamOutcome } from "./metrics.ts";
import { type Held, heldDataBytes, heldHeight } from "./engine/frame_access.ts";
import { narrowStrings } from "./engine/narrow_strings.ts";

/** Options of {@link collectStream}. */
export interface CollectStreamOptions {
  /** Rows per batch (already checked against the worker's limits). */
  batchSize: number;
  /** The first batch to send. @default 0 */
  startBatch?: bigint;
  /** Fields of the call's log line: batches sent, outcome. */
  log: Record<string, unknown>;
  metrics?: StreamMetrics;
  /**
   * Estimated bytes of a frame this stream alone holds (a plan's result); 0 for a handle's
   * frame, which stays held by the worker. @default 0
   */
  ownedBytes?: number;
  /** Called once, when the stream let go of a frame it alone held. */
  onRelease?: (bytes: number) => void;
  /**
   * The call's cancellation: a batch read while the call was cancelled is not sent (reading
   * a spilled frame's batch waits on the engine, and the cancellation may land meanwhile).
   */
  signal?: AbortSignal;
  /**
   * Send string columns as Utf8 when their offsets fit in 32 bits (engine/narrow_strings.ts):
   * what Collect clients read. Flight keeps the engine's types, which its FlightInfo
   * announced. @default false
   */
  narrowStrings?: boolean;
}

/**
 * Rows per batch for batches of about `targetBytes` of data, or 0 (use the default) without
 * a target or for an empty frame.
 */
export function rowsPerBatch(height: number, dataBytes: number, targetBytes?: number): number {
  if (!targetBytes || height === 0) return 0;
  const perRow = Math.max(1, dataBytes / height);
  return Math.max(1, Math.floor(targetBytes / perRow));
}

/** Checks `startBatch` against the frame: at most its batch count (which sends nothing). */
export function checkStartBatch(height: number, batchSize: number, startBatch: bigint): number {
  const count = batchCount(height, batchSize);
  if (startBatch < 0n || startBatch > BigInt(count)) {
    throw new InvalidArgumentError(
      `Cannot collect as 'start_batch' must be at most ${count} (the result has ${count} batches of ${batchSize} rows): current value is ${startBatch}`,
    );
  }
  return Number(startBatch);
}

/** One batch of a frame as its own Arrow IPC stream. */
export interface IpcBatch {
  readonly ipc: IpcChunks;
  readonly rows: number;
  /** Its absolute index among the frame's batches. */
  readonly index: number;
}

/** The Collect messages of a frame: {@link ipcBatchStream}'s batches, encoded for the wire. */
export async function* collectStream(
  df: Held,
  options: CollectStreamOptions,
): AsyncGenerator<CollectResponse> {
  for await (const batch of ipcBatchStream(df, options)) {
    yield encodeCollectResponse(batch.ipc, BigInt(batch.rows), BigInt(batch.index));
  }
}

/**
 * The batches of a frame, each its own Arrow IPC stream. Nothing is encoded before the first
 * pull, and nothing more after the consumer stops pulling (`return()` on cancel ends the
 * batch loop); the frame is let go of when the stream ends, however it ends.
 */
export async function* ipcBatchStream(
  df: Held,
  options: CollectStreamOptions,
): AsyncGenerator<IpcBatch> {
  const { batchSize, log, metrics } = options;
  const owned = options.ownedBytes ?? 0;
  const start = checkStartBatch(heldHeight(df), batchSize, options.startBatch ?? 0n);
  let sent = 0;
  let outcome: StreamOutcome = "cancelled";
  metrics?.streams.inc();
  metrics?.heldBytes.inc(owned);
  log.rows = heldHeight(df);
  if (start > 0) log.startBatch = start;
  try {
    for await (const batch of frameToIpcBatches(df, batchSize, start)) {
      if (options.signal?.aborted) return;
      sent++;
      const ipc = options.narrowStrings ? narrowStrings(batch.ipc) : batch.ipc;
      metrics?.batches.inc();
      metrics?.bytes.inc(ipc.byteLength);
      yield ipc === batch.ipc ? batch : { ...batch, ipc };
    }
    outcome = "completed";
  } catch (error) {
    outcome = "failed";
    throw error;
  } finally {
    log.batches = sent;
    log.stream = outcome;
    metrics?.streams.dec();
    metrics?.heldBytes.dec(owned);
    metrics?.ended.inc({ outcome });
    if (owned > 0) options.onRelease?.(owned);
  }
}

/** A Collect's frame, checked, with its batch size; `release()` lets go of it (once). */
export interface CollectSource {
  readonly df: Held;
  /** Estimated bytes the frame holds that nothing else does (a plan's result), else 0. */
  readonly owned: number;
  /** Estimated bytes of the frame's data. */
  readonly bytes: number;
  readonly batchSize: number;
  /** Lets go of the frame (a plan's result, and its spill file); calling it twice is harmless. */
  readonly release: () => void;
}

/** Options of {@link sourceBatches}. */
export interface SourceBatchesOptions {
  startBatch: bigint;
  log: Record<string, unknown>;
  metrics?: StreamMetrics;
  signal?: AbortSignal;
  /** See {@link CollectStreamOptions.narrowStrings}. @default false */
  narrowStrings?: boolean;
}

/**
 * The batches of a Collect's frame from `startBatch` on ({@link ipcBatchStream}); the frame
 * is released when the stream ends, however it ends, also when it fails before its first
 * batch.
 */
export async function* sourceBatches(
  source: CollectSource,
  options: SourceBatchesOptions,
): AsyncGenerator<IpcBatch> {
  try {
    yield* ipcBatchStream(source.df, {
      ...options,
      batchSize: source.batchSize,
      ownedBytes: source.owned,
    });
  } finally {
    source.release();
  }
}

/** Options of {@link checkedSource}. */
export interface CheckedSourceOptions {
  /** Bytes the frame holds that nothing else does (a plan's result), else 0. */
  owned: number;
  /** Rows per batch the request asks for; 0: the target's, else the worker's default. */
  batchSize: number;
  limits: Pick<ComputeLimits, "maxCollectBytes" | "maxBatchSize" | "defaultBatchSize">;
  /** Bytes of data per batch when the request names no batch size. */
  targetBatchBytes?: number;
  /** Lets go of the frame; called once, here when the frame is refused. */
  release: () => void;
}

/**
 * A Collect's frame checked against POLAROID_MAX_COLLECT_BYTES (released and refused past
 * it), with its batch size: the request's, else about `targetBatchBytes` of data per batch
 * when that is given, else the worker's default rows.
 */
export function checkedSource(df: Held, options: CheckedSourceOptions): CollectSource {
  const { owned, limits } = options;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    options.release();
  };
  const bytes = owned || heldDataBytes(df);
  if (bytes > limits.maxCollectBytes) {
    release();
    throw new LimitExceededError(
      `Cannot stream a result of about ${bytes} bytes as one Collect may send at most ${limits.maxCollectBytes} (POLAROID_MAX_COLLECT_BYTES): execute it into a handle and collect slices of it`,
    );
  }
  const batchSize = options.batchSize ||
    rowsPerBatch(heldHeight(df), heldDataBytes(df), options.targetBatchBytes) ||
    limits.defaultBatchSize;
  return { df, owned, bytes, batchSize: Math.min(batchSize, limits.maxBatchSize), release };
}
