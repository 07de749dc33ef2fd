/**
 * Uploads: a table's Arrow IPC stream sent over gRPC in chunks, or, when it is large and the
 * worker has a bulk port, with one PUT to it under a ticket the Upload call returns
 * (docs/adr/0016); over gRPC again when the bulk port cannot be reached.
 *
 * @module
 */

import { type Table, tableToIPC } from "apache-arrow";
import { InternalError, PolaroidError } from "../../shared/errors.ts";
import type {
  DataFrameServiceService,
  UploadResponse,
} from "../../shared/gen/polaroid/v1/dataframe.ts";
import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import { uploadRequests } from "./arrow.ts";
import {
  BULK_UPLOAD_MIN_BYTES,
  type BulkCredentials,
  BulkUnreachable,
  bulkUpload,
} from "./bulk.ts";
import { withName } from "./client_options.ts";
import type { ChannelPool } from "./connection.ts";

/** Whether the server marked its refusal retryable (a busy worker). */
function retryable(error: unknown): boolean {
  return error instanceof PolaroidError && error.metadata.retryable === "true";
}

/** Options of {@link uploadTable}. */
export interface UploadTableOptions {
  ttlSeconds: number;
  name: string;
  /** Use the bulk port for large tables; absent, everything goes over gRPC. */
  bulk?: { credentials: BulkCredentials; uploadTimeoutMs: number };
}

/** Uploads a table; the stored frame's HandleInfo. */
export async function uploadTable(
  pool: Pick<ChannelPool<{ frames: typeof DataFrameServiceService }>, "call">,
  table: Table,
  options: UploadTableOptions,
): Promise<HandleInfo> {
  const { ttlSeconds, name } = options;
  const bytes = tableToIPC(table, "stream");
  let response: UploadResponse | undefined;
  if (options.bulk && bytes.byteLength >= BULK_UPLOAD_MIN_BYTES) {
    const offer = await pool.call(
      "upload",
      undefined,
      (rpc, call) =>
        rpc.frames.clientStream("upload", [{
          arrowIpc: Buffer.alloc(0),
          ttlSeconds: BigInt(ttlSeconds),
          name,
          bulkBytes: BigInt(bytes.byteLength),
        }], call),
    );
    if (offer.handle) response = offer;
    else if (offer.bulk) {
      try {
        response = await bulkUpload(offer.bulk, bytes, {
          credentials: options.bulk.credentials,
          openTimeoutMs: options.bulk.uploadTimeoutMs,
        });
      } catch (error) {
        // Unreachable, or busy (a retryable refusal): gRPC's upload, with its retries, instead.
        if (!(error instanceof BulkUnreachable || retryable(error))) throw error;
      }
    }
  }
  // Each attempt sends the table again from the start.
  response ??= await pool.call(
    "upload",
    undefined,
    (rpc, call) =>
      rpc.frames.clientStream(
        "upload",
        withName(uploadRequests(bytes, { ttlSeconds }), name),
        call,
      ),
  );
  if (!response.handle) throw new InternalError("Cannot upload as the server returned no handle");
  return response.handle;
}
