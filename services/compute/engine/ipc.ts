/**
 * Arrow IPC in and out of the engine: the only way data crosses the wire. Output streams
 * are uncompressed (apache-arrow JS cannot read zstd/lz4 IPC).
 *
 * @module
 */

import pl from "nodejs-polars";
import { InvalidArrowError } from "../../../shared/errors.ts";
import { engineMessage } from "./errors.ts";

/** The magic bytes that open (and close) an Arrow IPC file; a stream starts otherwise. */
const FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

function isIpcFile(bytes: Uint8Array): boolean {
  return FILE_MAGIC.every((b, i) => bytes[i] === b);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function asBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** One uncompressed Arrow IPC stream (schema, record batches, end of stream) of a frame. */
export function frameToIpc(df: pl.DataFrame): Uint8Array {
  return asBytes(df.writeIPCStream({ compression: "uncompressed" }));
}

/**
 * Splits a frame into consecutive row batches of ≤ batchSize rows; each item is ONE
 * self-contained, uncompressed Arrow IPC stream (schema + batches + EOS). An empty frame
 * yields one item with 0 rows (schema only).
 */
export function* frameToIpcBatches(
  df: pl.DataFrame,
  batchSize: number,
): Generator<{ bytes: Uint8Array; rows: number }> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Cannot split the frame as 'batchSize' must be a positive integer: current value is ${batchSize}`,
    );
  }
  const height = df.height;
  if (height === 0) {
    yield { bytes: frameToIpc(df), rows: 0 };
    return;
  }
  for (let offset = 0; offset < height; offset += batchSize) {
    const rows = Math.min(batchSize, height - offset);
    yield { bytes: frameToIpc(df.slice(offset, rows)), rows };
  }
}

/** Parses an Arrow IPC stream (or file) into a DataFrame; malformed bytes → InvalidArrowError. */
export function frameFromIpc(bytes: Uint8Array): pl.DataFrame {
  if (bytes.byteLength === 0) {
    throw new InvalidArrowError(
      "Cannot read Arrow IPC as the bytes must not be empty: current value is 0 bytes",
    );
  }
  let df: pl.DataFrame;
  try {
    const buffer = asBuffer(bytes);
    df = isIpcFile(bytes) ? pl.readIPC(buffer) : pl.readIPCStream(buffer);
  } catch (error) {
    throw new InvalidArrowError(
      `Cannot read Arrow IPC as the bytes must be an Arrow IPC stream or file: ${
        engineMessage(error instanceof Error ? error.message : String(error))
      }`,
      { cause: error },
    );
  }
  try {
    // Types nodejs-polars cannot describe (e.g. Binary) fail here rather than later.
    void df.schema;
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
