/**
 * The bytes of one upload, read chunk by chunk within the upload limits, whether they come
 * as gRPC Upload messages or as the body of a bulk PUT (docs/adr/0016): every chunk is
 * counted against the upload's bound and against the worker's budget of upload bytes
 * (upload_budget.ts) before it is kept, and the concatenation counts too until the frame is
 * made.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { InvalidArgumentError, LimitExceededError } from "../../shared/errors.ts";
import type { UploadLease } from "./upload_budget.ts";

/** Options of {@link readUploadBytes}. */
export interface ReadUploadOptions {
  /** The most bytes this upload may have (POLAROID_MAX_UPLOAD_BYTES, or a ticket's bound). */
  maxBytes: number;
  /** The upload's share of the worker's budget; the caller releases it. */
  lease: UploadLease;
}

/** The message of an upload past POLAROID_MAX_UPLOAD_BYTES. */
export function uploadTooLarge(maxBytes: number): LimitExceededError {
  return new LimitExceededError(
    `Cannot accept an upload of more than ${maxBytes} bytes (POLAROID_MAX_UPLOAD_BYTES)`,
  );
}

/** The bytes of an upload, as one buffer; InvalidArgumentError when there are none. */
export async function readUploadBytes(
  chunks: AsyncIterable<Uint8Array>,
  options: ReadUploadOptions,
): Promise<Uint8Array> {
  const { maxBytes, lease } = options;
  const kept: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) throw uploadTooLarge(maxBytes);
    lease.take(chunk.byteLength);
    kept.push(chunk);
  }
  if (total === 0) {
    throw new InvalidArgumentError(
      "Cannot store an upload as it is empty: send an Arrow IPC stream",
    );
  }
  if (kept.length === 1) return kept[0]!;
  lease.take(total);
  return Buffer.concat(kept, total);
}
