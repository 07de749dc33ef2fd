/**
 * Reading Collect streams over several endpoints: a stream is routed to an endpoint (by the
 * handle it reads, see balancer.ts) and tried again on the next one until its first message
 * arrives (retry.ts); a handle's stream is resumed after a break, from the next batch and on
 * another endpoint when there is one (resume.ts), all within one deadline.
 *
 * @module
 */

import type {
  CollectResponse,
  DataFrameServiceService,
} from "../../shared/gen/polaroid/v1/dataframe.ts";
import { sourceHandleId } from "./balancer.ts";
import type { ChannelPool } from "./connection.ts";
import { type OpenCollect, resumableCollect, type ResumeOptions, untilAborted } from "./resume.ts";
import type { Source, StreamOptions } from "./session.ts";
import { wireEngine } from "./engine.ts";

/** Options of {@link routedCollect}. */
export interface RoutedCollectOptions extends StreamOptions {
  /** Rows per batch asked for; 0 means the server's default. */
  batchSize: number;
  /** How a handle's broken stream is resumed. */
  resume?: ResumeOptions;
}

/**
 * The Collect messages of `source` over the endpoints of `pool`, routed by the handle the
 * source reads, tried again on the next endpoint until the first message arrives, all within
 * one deadline. A handle's stream is resumed after a break, from the next batch and on
 * another endpoint when there is one; a plan's is not (its batches may differ by run).
 */
export function routedCollect(
  pool: Pick<ChannelPool<{ frames: typeof DataFrameServiceService }>, "deadline" | "stream">,
  source: Source,
  options: RoutedCollectOptions,
): AsyncIterable<CollectResponse> {
  const signal = options.signal ? { signal: options.signal } : {};
  const route = { ...signal, deadline: pool.deadline(), tried: new Set<string>() };
  const key = sourceHandleId(source);
  const streaming = options.streaming ?? false;
  const engine = wireEngine("download", options.engine);
  const open: OpenCollect = (startBatch, batchSize) =>
    pool.stream(
      "collect",
      key,
      (rpc, call) =>
        rpc.frames.serverStream(
          "collect",
          { source, batchSize, startBatch, streaming, engine },
          call,
        ),
      route,
    );
  const messages = source.$case === "plan" ? open(0n, options.batchSize) : resumableCollect(open, {
    ...options.resume,
    startBatch: BigInt(options.startBatch ?? 0),
    batchSize: options.batchSize,
    ...signal,
  });
  return options.signal ? untilAborted(messages, options.signal) : messages;
}
