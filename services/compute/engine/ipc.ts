/**
 * Arrow IPC in and out of the engine: the only way data crosses the wire. Output streams
 * are uncompressed (apache-arrow JS cannot read zstd/lz4 IPC). Input is checked by
 * shared/arrow's validator before the engine sees a byte of it: the engine sizes
 * allocations from what the bytes declare, and a failed allocation aborts the process.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { ComputeLimits } from "../../../shared/config_limits.ts";
import { InvalidArrowError } from "../../../shared/errors.ts";
import { isArrowFile } from "../../../shared/arrow/file.ts";
import { validateIpc, type ValidateIpcOptions } from "../../../shared/arrow/validate_ipc.ts";
import { engineMessage } from "./errors.ts";
import {
  checkFrame,
  frameTypes,
  type Held,
  heldHeight,
  heldSlice,
  nativeFrame,
} from "./frame_access.ts";

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** An Arrow IPC stream as the engine wrote it: chunks in order, and their total length. */
export interface IpcChunks {
  readonly chunks: readonly Uint8Array[];
  readonly byteLength: number;
}

/** What the engine's IPC writer calls for each piece it writes. */
interface ChunkSink {
  write(chunk: Buffer): boolean;
}

/**
 * One uncompressed Arrow IPC stream (schema, record batches, end of stream) of a frame, as
 * the chunks the engine wrote. The engine writes to any object with a `write()` method;
 * collecting its ~10 chunks per batch directly is 2–4× faster than `writeIPCStream()`
 * without a destination, which goes through a Node stream and concatenates.
 */
export function frameToIpcChunks(df: pl.DataFrame): IpcChunks {
  const chunks: Uint8Array[] = [];
  let byteLength = 0;
  const sink: ChunkSink = {
    write(chunk) {
      chunks.push(chunk);
      byteLength += chunk.byteLength;
      return true;
    },
  };
  (nativeFrame(df) as unknown as { writeIpcStream(dest: ChunkSink, compression: string): void })
    .writeIpcStream(sink, "uncompressed");
  return { chunks, byteLength };
}

/** Copies the chunks into `target` from `offset`; returns the offset after them. */
export function copyIpcChunks(ipc: IpcChunks, target: Uint8Array, offset = 0): number {
  let at = offset;
  for (const chunk of ipc.chunks) {
    target.set(chunk, at);
    at += chunk.byteLength;
  }
  return at;
}

/** One uncompressed Arrow IPC stream (schema, record batches, end of stream) of a frame. */
export function frameToIpc(df: pl.DataFrame): Uint8Array {
  const ipc = frameToIpcChunks(df);
  if (ipc.chunks.length === 1) return ipc.chunks[0]!;
  const bytes = new Uint8Array(ipc.byteLength);
  copyIpcChunks(ipc, bytes);
  return bytes;
}

/**
 * How many Collect batches a frame of `height` rows has at `batchSize` rows per batch: an
 * empty frame still has one (its schema).
 */
export function batchCount(height: number, batchSize: number): number {
  return height === 0 ? 1 : Math.ceil(height / batchSize);
}

/**
 * Splits a frame into consecutive row batches of ≤ batchSize rows, from batch `startBatch`
 * on; each item is ONE self-contained, uncompressed Arrow IPC stream (schema + batches +
 * EOS) as the engine's chunks, encoded only when it is asked for (on the calling thread:
 * work in proportion to one batch, at most POLAROID_MAX_BATCH_SIZE rows; a spilled frame's
 * rows are read off the event loop). An empty frame yields one item with 0 rows (schema
 * only); a `startBatch` equal to the batch count yields nothing.
 */
export async function* frameToIpcBatches(
  df: Held,
  batchSize: number,
  startBatch = 0,
): AsyncGenerator<{ ipc: IpcChunks; rows: number; index: number }> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Cannot split the frame as 'batchSize' must be a positive integer: current value is ${batchSize}`,
    );
  }
  const height = heldHeight(df);
  const count = batchCount(height, batchSize);
  if (!Number.isSafeInteger(startBatch) || startBatch < 0 || startBatch > count) {
    throw new RangeError(
      `Cannot split the frame as 'startBatch' must be an integer in [0, ${count}]: current value is ${startBatch}`,
    );
  }
  if (height === 0) {
    if (startBatch === 0) {
      yield { ipc: frameToIpcChunks(await heldSlice(df, 0, 0)), rows: 0, index: 0 };
    }
    return;
  }
  for (let index = startBatch; index < count; index++) {
    const offset = index * batchSize;
    const rows = Math.min(batchSize, height - offset);
    yield { ipc: frameToIpcChunks(await heldSlice(df, offset, rows)), rows, index };
  }
}

/** The limits of an upload's Arrow IPC, from the worker's limits. */
export function uploadIpcLimits(limits: ComputeLimits): ValidateIpcOptions {
  return {
    maxBytes: limits.maxUploadBytes,
    maxDecodedBytes: limits.maxUploadDecodedBytes,
    maxExpansion: limits.maxIpcExpansion,
    expansionFloorBytes: limits.ipcExpansionFloor,
    maxRows: limits.maxResultRows,
    maxColumns: limits.maxResultColumns,
    maxFields: limits.maxSchemaFields,
    maxDepth: limits.maxSchemaDepth,
  };
}

/**
 * Parses an untrusted Arrow IPC stream (or file) into a DataFrame, after validateIpc() with
 * `limits` (its defaults when left out); malformed or oversized bytes → InvalidArrowError.
 */
export function frameFromIpc(bytes: Uint8Array, limits: ValidateIpcOptions = {}): pl.DataFrame {
  validateIpc(bytes, limits);
  let df: pl.DataFrame;
  try {
    const buffer = asBuffer(bytes);
    df = isArrowFile(bytes) ? pl.readIPC(buffer) : pl.readIPCStream(buffer);
  } catch (error) {
    throw new InvalidArrowError(
      `Cannot read Arrow IPC as the bytes must be an Arrow IPC stream or file: ${
        engineMessage(error instanceof Error ? error.message : String(error))
      }`,
      { cause: error },
    );
  }
  checkFrame(df);
  try {
    // Types nodejs-polars cannot describe (e.g. Binary) fail here rather than later.
    void frameTypes(df);
  } catch (error) {
    throw new InvalidArrowError(
      `Cannot read Arrow IPC as every column must have a type the engine supports: ${
        engineMessage(error instanceof Error ? error.message : String(error))
      }`,
      { cause: error },
    );
  }
  return df;
}
