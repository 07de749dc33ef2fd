/**
 * Arrow IPC on the wire: an upload is one IPC stream cut into chunks; a Collect reply is a
 * sequence of messages, each one self-contained IPC stream.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { type RecordBatch, type Schema, Table, tableFromIPC, tableToIPC } from "apache-arrow";
import type { CollectResponse, UploadRequest } from "../shared/gen/polaroid/v1/dataframe.ts";

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
 * The Upload messages for a table: its IPC stream bytes in chunks of at most `chunkBytes`
 * (views, not copies), the TTL in the first message.
 */
export function* uploadRequests(
  table: Table,
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
  const bytes = tableToIPC(table, "stream");
  for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) {
    yield {
      arrowIpc: Buffer.from(
        bytes.buffer,
        bytes.byteOffset + offset,
        Math.min(chunkBytes, bytes.byteLength - offset),
      ),
      ttlSeconds: offset === 0 ? BigInt(ttlSeconds) : 0n,
      name: "",
    };
  }
}

/** The schema and non-empty record batches of one Collect message. */
export function decodeCollectMessage(
  message: Pick<CollectResponse, "arrowIpc">,
): { schema: Schema; batches: RecordBatch[] } {
  const table = tableFromIPC(message.arrowIpc);
  return { schema: table.schema, batches: table.batches.filter((b) => b.numRows > 0) };
}

/** The record batches of a Collect reply, in order (empty batches are skipped). */
export async function* collectBatches(
  messages: AsyncIterable<Pick<CollectResponse, "arrowIpc">>,
): AsyncGenerator<RecordBatch> {
  for await (const message of messages) {
    yield* decodeCollectMessage(message).batches;
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
