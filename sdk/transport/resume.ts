/**
 * Resuming Collect streams: a handle's stream is resumed after the connection broke: the
 * batches of a handle are the same on every read (for one batch size), so the stream is
 * opened again (on another endpoint when there is one, see collect.ts) from the batch after
 * the last one received, with bounded retries and exponential backoff. Also the abortable
 * wait that retries and resumes sleep with.
 *
 * @module
 */

import { CancelledError, InternalError, UnavailableError } from "../../shared/errors.ts";
import type { CollectResponse } from "../../shared/gen/polaroid/v1/dataframe.ts";

/** Options of resuming broken streams. */
export interface ResumeOptions {
  /**
   * Attempts to reopen a broken stream before its error is thrown, counted since the last
   * batch that arrived; 0 turns resuming off. @default 5
   */
  maxRetries?: number;
  /** Wait before the first attempt; it doubles with each further one. @default 100 */
  initialDelayMs?: number;
  /** Longest wait between attempts. @default 2000 */
  maxDelayMs?: number;
  /** Waits `ms` milliseconds, or rejects when `signal` aborts (tests pass a fake). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Options of {@link resumableCollect}. */
export interface ResumableCollectOptions extends ResumeOptions {
  /** The first batch to read. @default 0n */
  startBatch?: bigint;
  /** Rows per batch asked for; 0 means the server's default. */
  batchSize: number;
  /** Stops the stream (and any wait). */
  signal?: AbortSignal;
}

/** Opens the Collect stream from `startBatch` with `batchSize` rows per batch. */
export type OpenCollect = (
  startBatch: bigint,
  batchSize: number,
) => AsyncIterable<CollectResponse>;

/** Waits `ms`, or rejects with the signal's reason when it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal?.addEventListener("abort", stop, { once: true });
  });
}

/**
 * Whether an error means the connection or stream broke rather than the server refusing:
 * UNAVAILABLE, which is also what a reset stream no server sent decodes to
 * (shared/grpc/status.ts).
 */
export function isBrokenStream(error: unknown): boolean {
  return error instanceof UnavailableError;
}

/**
 * The messages of a handle's Collect from `startBatch` on, reopening the stream after a
 * break from the next batch index. A server that answers a resumed stream with another
 * batch than the one asked for is an InternalError (it would duplicate or skip rows).
 */
export async function* resumableCollect(
  open: OpenCollect,
  options: ResumableCollectOptions,
): AsyncGenerator<CollectResponse> {
  const maxRetries = options.maxRetries ?? 5;
  const initialDelayMs = options.initialDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 2000;
  const sleep = options.sleep ?? abortableSleep;
  let next = options.startBatch ?? 0n;
  let batchSize = options.batchSize;
  let failures = 0;
  while (true) {
    try {
      for await (const message of open(next, batchSize)) {
        if (message.batchIndex !== next) {
          throw new InternalError(
            `Cannot read the stream as batch ${next} was due and the server sent batch ${message.batchIndex}`,
          );
        }
        // The server's default batch size, learnt from a batch, keeps a resumed read aligned
        // (a short batch is the last one, after which a resume reads nothing).
        if (batchSize === 0 && message.rows > 0n) batchSize = Number(message.rows);
        next++;
        failures = 0;
        yield message;
      }
      return;
    } catch (error) {
      if (!isBrokenStream(error) || failures >= maxRetries || options.signal?.aborted) throw error;
      const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** failures);
      failures++;
      await sleep(delay, options.signal);
    }
  }
}

/**
 * The items of `source` until `signal` aborts: then CancelledError, also for items gRPC had
 * already received (it delivers those before the call's cancellation).
 */
export async function* untilAborted<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal,
): AsyncGenerator<T> {
  for await (const item of source) {
    if (signal.aborted) {
      throw new CancelledError("Cannot go on downloading as the download was aborted", {
        cause: signal.reason,
      });
    }
    yield item;
  }
}
