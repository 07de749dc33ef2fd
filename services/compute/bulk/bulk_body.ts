/**
 * The body of a bulk download (docs/adr/0016): the Collect messages of a ticket's batches,
 * each as a 4-byte little-endian length then the CollectResponse bytes — the same messages
 * as on gRPC, laid out around the engine's IPC chunks without copying the large ones. A
 * batch is encoded only when the HTTP server pulls (as fast as the client reads); a body
 * nobody pulls from for `idleMs` is cut; the frame is let go of however the body ends.
 *
 * @module
 */

import { DeadlineExceededError } from "../../../shared/errors.ts";
import { type IpcBatch, sourceBatches } from "../collect_stream.ts";
import { collectResponsePieces } from "../collect_wire.ts";
import type { StreamMetrics } from "../metrics.ts";
import type { CollectEntry } from "./offers.ts";

/** How a body ended. */
export type BodyOutcome = "completed" | "cancelled" | "failed" | "idle";

/** Options of {@link bulkBody}. */
export interface BulkBodyOptions {
  /** Ends the body (the client went away, or the worker stops). */
  signal: AbortSignal;
  idleMs: number;
  log: Record<string, unknown>;
  metrics?: StreamMetrics;
  /** Called once, after the batches' stream has ended and let go of the frame. */
  onEnd: (outcome: BodyOutcome) => void;
}

/** Pieces below this are gathered into one buffer; larger ones are sent as they are. */
const GATHER_BYTES = 64 * 1024;

/** The length prefix and message pieces of one batch, small pieces gathered. */
export function batchPieces(batch: IpcBatch): Uint8Array[] {
  const { head, tail, byteLength } = collectResponsePieces(
    batch.ipc,
    BigInt(batch.rows),
    BigInt(batch.index),
  );
  const prefix = new Uint8Array(4);
  new DataView(prefix.buffer).setUint32(0, byteLength, true);
  const out: Uint8Array[] = [];
  let small: Uint8Array[] = [];
  let smallBytes = 0;
  const flush = () => {
    if (small.length === 1) out.push(small[0]!);
    else if (small.length > 1) {
      const joined = new Uint8Array(smallBytes);
      let at = 0;
      for (const piece of small) {
        joined.set(piece, at);
        at += piece.byteLength;
      }
      out.push(joined);
    }
    small = [];
    smallBytes = 0;
  };
  for (const piece of [prefix, head, ...batch.ipc.chunks, tail]) {
    if (piece.byteLength === 0) continue;
    if (piece.byteLength >= GATHER_BYTES) {
      flush();
      out.push(piece);
    } else {
      small.push(piece);
      smallBytes += piece.byteLength;
    }
  }
  flush();
  return out;
}

/** The body of a ticket's download. */
export function bulkBody(
  entry: CollectEntry,
  options: BulkBodyOptions,
): ReadableStream<Uint8Array> {
  const { signal, idleMs } = options;
  const batches = sourceBatches(entry.source, {
    startBatch: entry.startBatch,
    narrowStrings: true,
    log: options.log,
    signal,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  let ended = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const finish = (outcome: BodyOutcome, error?: unknown) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    if (error !== undefined) {
      try {
        controller.error(error);
      } catch {
        // The stream is closed already.
      }
    }
    batches.return(undefined).catch(() => {}).finally(() => options.onEnd(outcome));
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        finish(
          "idle",
          new DeadlineExceededError(
            `Cannot go on with the download as the client read nothing for ${idleMs} ms (POLAROID_BULK_IDLE_MS)`,
          ),
        ),
      idleMs,
    );
  };
  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (signal.aborted) return finish("cancelled", signal.reason);
      signal.addEventListener("abort", () => finish("cancelled", signal.reason), { once: true });
      arm();
    },
    async pull(c) {
      clearTimeout(timer);
      try {
        const next = await batches.next();
        if (ended) return;
        if (next.done) {
          c.close();
          return finish("completed");
        }
        for (const piece of batchPieces(next.value)) c.enqueue(piece);
        arm();
      } catch (error) {
        finish("failed", error);
      }
    },
    cancel() {
      finish("cancelled");
    },
  }, { highWaterMark: 16 });
}
