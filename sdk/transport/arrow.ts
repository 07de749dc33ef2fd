/**
 * Arrow IPC on the wire: an upload is one IPC stream cut into chunks; a Collect reply is a
 * sequence of messages, each one self-contained IPC stream.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { type RecordBatch, RecordBatchReader, type Schema, Table, tableToIPC } from "apache-arrow";
import {
  BulkTicket,
  type CollectResponse,
  DataFrameServiceService,
  type UploadRequest,
} from "../../shared/gen/polaroid/v1/dataframe.ts";

/** The largest `arrow_ipc` chunk of an upload message: 1 MiB. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** Options of uploadRequests(). */
export interface UploadRequestsOptions {
  /** Idle time to live of the stored frame; 0 means the server's default. @default 0 */
  ttlSeconds?: number;
  /** The largest chunk. @default UPLOAD_CHUNK_BYTES */
  chunkBytes?: number;
}

/**
 * The Upload messages for a table (or its IPC stream bytes): the bytes in chunks of at most
 * `chunkBytes` (views, not copies), the TTL in the first message.
 */
export function* uploadRequests(
  table: Table | Uint8Array,
  options: UploadRequestsOptions = {},
): Generator<UploadRequest> {
  const { ttlSeconds = 0, chunkBytes = UPLOAD_CHUNK_BYTES } = options;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) {
    throw new RangeError(
      `Cannot upload as 'chunkBytes' must be a positive integer: current value is ${chunkBytes}`,
    );
  }
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 0) {
    throw new RangeError(
      `Cannot upload as 'ttlSeconds' must be a non-negative integer: current value is ${ttlSeconds}`,
    );
  }
  const bytes = table instanceof Uint8Array ? table : tableToIPC(table, "stream");
  for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) {
    yield {
      arrowIpc: Buffer.from(
        bytes.buffer,
        bytes.byteOffset + offset,
        Math.min(chunkBytes, bytes.byteLength - offset),
      ),
      ttlSeconds: offset === 0 ? BigInt(ttlSeconds) : 0n,
      name: "",
      bulkBytes: 0n,
    };
  }
}

/** Reads a varint at `at`; returns its value and the offset after it. */
function readVarint(bytes: Uint8Array, at: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (let i = at; i < bytes.byteLength && shift < 70n; i++) {
    const byte = bytes[i]!;
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [BigInt.asUintN(64, value), i + 1];
    shift += 7n;
  }
  throw new RangeError("Cannot decode a Collect message as a varint is cut or too long");
}

/**
 * Decodes a CollectResponse with `arrowIpc` as a view into `bytes` (the generated decoder
 * copies it). Unknown fields are skipped, as protobuf requires.
 */
export function decodeCollectResponse(bytes: Uint8Array): CollectResponse {
  const message: CollectResponse = {
    arrowIpc: Buffer.alloc(0),
    rows: 0n,
    batchIndex: 0n,
    bulk: undefined,
  };
  let at = 0;
  while (at < bytes.byteLength) {
    const [tag, next] = readVarint(bytes, at);
    at = next;
    const field = Number(tag >> 3n);
    const type = Number(tag & 7n);
    if (type === 0) {
      const [value, after] = readVarint(bytes, at);
      at = after;
      if (field === 2) message.rows = value;
      else if (field === 3) message.batchIndex = value;
    } else if (type === 2) {
      const [length, after] = readVarint(bytes, at);
      const end = after + Number(length);
      if (end > bytes.byteLength) {
        throw new RangeError("Cannot decode a Collect message as a field runs past its end");
      }
      if (field === 1) {
        message.arrowIpc = Buffer.from(bytes.buffer, bytes.byteOffset + after, end - after);
      } else if (field === 4) message.bulk = BulkTicket.decode(bytes.subarray(after, end));
      at = end;
    } else if (type === 1) at += 8;
    else if (type === 5) at += 4;
    else throw new RangeError(`Cannot decode a Collect message as wire type ${type} is unknown`);
  }
  return message;
}

/** DataFrameService with Collect's payloads decoded as views, not copies. */
export const DATAFRAME_SERVICE: typeof DataFrameServiceService = {
  ...DataFrameServiceService,
  collect: { ...DataFrameServiceService.collect, responseDeserialize: decodeCollectResponse },
};

/** The schema and non-empty record batches of one Collect message. */
export function decodeCollectMessage(
  message: Pick<CollectResponse, "arrowIpc">,
): { schema: Schema; batches: RecordBatch[] } {
  // The reader, not tableFromIPC(): a Table would be built and dropped for every message.
  const reader = RecordBatchReader.from(message.arrowIpc).open();
  const schema = reader.schema;
  const batches: RecordBatch[] = [];
  for (const batch of reader) if (batch.numRows > 0) batches.push(batch);
  return { schema, batches };
}

/**
 * The record batches of a Collect reply, in order (empty batches are skipped), decoded one
 * at a time as the caller pulls them: a message is read only once the caller is done with
 * the batches before it, and nothing is kept once it moves on.
 */
export async function* collectBatches(
  messages: AsyncIterable<Pick<CollectResponse, "arrowIpc">>,
): AsyncGenerator<RecordBatch> {
  for await (const message of messages) {
    for (const batch of RecordBatchReader.from(message.arrowIpc).open()) {
      if (batch.numRows > 0) yield batch;
    }
  }
}

/**
 * One Table from a Collect reply. An empty result keeps the schema of its first message; a
 * reply with no message at all gives a Table without columns.
 */
export async function collectTable(
  messages: AsyncIterable<Pick<CollectResponse, "arrowIpc">>,
): Promise<Table> {
  let schema: Schema | undefined;
  const batches: RecordBatch[] = [];
  for await (const message of messages) {
    const decoded = decodeCollectMessage(message);
    schema ??= decoded.schema;
    batches.push(...decoded.batches);
  }
  if (schema === undefined) return new Table();
  return new Table(schema, batches);
}
