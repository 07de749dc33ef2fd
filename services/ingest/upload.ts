/**
 * Uploads Arrow IPC to a compute worker (DataFrameService.Upload), in chunks, and returns
 * the handle the worker created. An upload that fails with UNAVAILABLE (no worker took it,
 * e.g. nginx found every worker draining or restarting, or the connection broke) is sent
 * again from the start, as the SDK does with its uploads: at worst the first attempt left
 * an unreferenced handle that expires.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { GrpcCode, InternalError, PolaroidError } from "../../shared/errors.ts";
import type { HandleInfo } from "../../shared/gen/polaroid/v1/handle.ts";
import {
  DataFrameServiceService,
  type UploadRequest,
} from "../../shared/gen/polaroid/v1/dataframe.ts";
import { RpcClient, type TlsClientOptions } from "../../shared/grpc/client.ts";

/** Largest chunk of one UploadRequest. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** Options of uploadArrow(). */
export interface UploadOptions {
  /** Sent as the calling tenant; the handle is the tenant's. */
  tenant: string;
  /** The ingest service's own credential (POLAROID_SERVICE_TOKEN). @default none */
  token?: string;
  /** TLS to the compute endpoint. @default plaintext */
  tls?: TlsClientOptions;
  /** 0 means the worker's default. @default 0n */
  ttlSeconds?: bigint;
  /** @default UPLOAD_CHUNK_BYTES */
  chunkBytes?: number;
  /** Aborts the upload. */
  signal?: AbortSignal;
  /** @default none */
  timeoutMs?: number;
  /** Attempts in all on UNAVAILABLE. @default 3 */
  attempts?: number;
  /** Wait before the second attempt; it doubles. @default 200 */
  backoffMs?: number;
}

/** Sends `ipc` to `endpoint` (host:port) and returns the new handle. */
export async function uploadArrow(
  endpoint: string,
  ipc: Uint8Array,
  options: UploadOptions,
): Promise<HandleInfo> {
  // A worker (or balancer) that restarts is waited for, within the deadline.
  const client = new RpcClient(endpoint, DataFrameServiceService, {
    tenant: options.tenant,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    waitForReady: true,
  });
  const attempts = options.attempts ?? 3;
  try {
    for (let attempt = 1;; attempt++) {
      try {
        const chunks = uploadChunks(ipc, options.ttlSeconds ?? 0n, options.chunkBytes);
        const response = await client.clientStream("upload", chunks, {
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        });
        if (!response.handle) {
          throw new InternalError("Cannot upload as the worker returned no handle");
        }
        return response.handle;
      } catch (error) {
        const unavailable = error instanceof PolaroidError &&
          error.code === GrpcCode.UNAVAILABLE;
        if (!unavailable || attempt >= attempts || options.signal?.aborted) throw error;
        const wait = (options.backoffMs ?? 200) * 2 ** (attempt - 1);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  } finally {
    client.close();
  }
}

/** The requests of one upload: chunks of at most `chunkBytes` (no copies), the TTL in the first. */
export function* uploadChunks(
  ipc: Uint8Array,
  ttlSeconds: bigint,
  chunkBytes: number = UPLOAD_CHUNK_BYTES,
): Generator<UploadRequest> {
  if (!(chunkBytes > 0)) {
    throw new RangeError(
      `Cannot upload as 'chunkBytes' must be positive: current value is ${chunkBytes}`,
    );
  }
  let offset = 0;
  do {
    const length = Math.min(chunkBytes, ipc.byteLength - offset);
    const arrowIpc = Buffer.from(ipc.buffer, ipc.byteOffset + offset, length);
    yield { arrowIpc, ttlSeconds: offset === 0 ? ttlSeconds : 0n, name: "", bulkBytes: 0n };
    offset += length;
  } while (offset < ipc.byteLength);
}
