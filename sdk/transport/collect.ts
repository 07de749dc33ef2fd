/**
 * Reading Collect streams over several endpoints: a stream is routed to an endpoint (by the
 * handle it reads, see balancer.ts) and tried again on the next one until its first message
 * arrives (retry.ts); a handle's stream is resumed after a break, from the next batch and on
 * another endpoint when there is one (resume.ts), all within one deadline.
 *
 * @module
 */

import { DeadlineExceededError, GrpcCode, PolaroidError } from "../../shared/errors.ts";
import {
  type BulkTicket,
  type CollectResponse,
  type DataFrameServiceService,
  Engine,
} from "../../shared/gen/polaroid/v1/dataframe.ts";
import { type BulkCredentials, bulkMessages, BulkUnreachable, openBulkDownload } from "./bulk.ts";
import { sourceHandleId } from "./balancer.ts";
import type { ChannelPool, Clients } from "./connection.ts";
import { type OpenCollect, resumableCollect, type ResumeOptions, untilAborted } from "./resume.ts";
import type { Source, StreamOptions } from "./session.ts";
import { wireEngine } from "./engine.ts";

/** How downloads and uploads use the bulk port (docs/adr/0016). */
export interface BulkDownloadOptions {
  credentials: BulkCredentials;
  /** Largest message read from a bulk download (the client's `maxMessageBytes`). */
  maxMessageBytes: number;
  /** How long a download may take to open (the client's `connectTimeoutMs`). */
  openTimeoutMs: number;
  /** How long an upload's PUT may take to be answered (the client's `timeoutMs`). */
  uploadTimeoutMs: number;
}

/** Options of {@link routedCollect}. */
export interface RoutedCollectOptions extends StreamOptions {
  /** Rows per batch asked for; 0 means the server's default. */
  batchSize: number;
  /** How a handle's broken stream is resumed. */
  resume?: ResumeOptions;
  /** Ask for the bulk port; absent, every batch comes over gRPC. */
  bulk?: BulkDownloadOptions;
}

/**
 * The Collect messages of `source` over the endpoints of `pool`, routed by the handle the
 * source reads, tried again on the next endpoint until the first message arrives, all within
 * one deadline. A handle's stream is resumed after a break, from the next batch and on
 * another endpoint when there is one; a plan's is not (its batches may differ by run). With
 * `bulk`, the first stream asks for the bulk port; a reply that is a ticket is read from
 * there, over gRPC when the port does not open; resumed streams are gRPC streams.
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
  // The endpoint that answered last: a bulk ticket is good on the worker that gave it only.
  let answered: Clients<{ frames: typeof DataFrameServiceService }> | undefined;
  const grpc = (startBatch: bigint, batchSize: number, bulk: boolean) =>
    pool.stream(
      "collect",
      key,
      (rpc, call) => {
        answered = rpc;
        return rpc.frames.serverStream(
          "collect",
          { source, batchSize, startBatch, streaming, engine, bulk },
          call,
        );
      },
      route,
    );
  // A plan's unused ticket is read over gRPC from the worker that gave it, rather than the plan
  // run again; when that worker does not answer for it (it expired, or the worker went), the
  // plan runs again anywhere.
  const viaTicket = async function* (ticket: BulkTicket): AsyncGenerator<CollectResponse> {
    const rpc = answered;
    const again = () => grpc(ticket.startBatch, ticket.batchSize, false);
    if (rpc === undefined) return yield* again();
    let started = false;
    try {
      const held = rpc.frames.serverStream("collect", {
        source: { $case: "bulkTicket", value: ticket.ticket },
        batchSize: 0,
        startBatch: 0n,
        streaming: false,
        engine: Engine.ENGINE_UNSPECIFIED,
        bulk: false,
      }, {
        timeoutMs: Math.max(1, route.deadline - Date.now()),
        ...signal,
      });
      for await (const message of held) {
        started = true;
        yield message;
      }
    } catch (error) {
      const unknown = error instanceof PolaroidError &&
        (error.code === GrpcCode.NOT_FOUND || error.code === GrpcCode.UNAVAILABLE);
      if (started || !unknown) throw error;
      yield* again();
    }
  };
  let bulk = options.bulk;
  const open: OpenCollect = (startBatch, batchSize) => {
    const asked = bulk;
    bulk = undefined; // only the first stream asks
    if (!asked) return grpc(startBatch, batchSize, false);
    return expandBulk(grpc(startBatch, batchSize, true), {
      ...asked,
      ...signal,
      deadline: route.deadline,
      fallback: (ticket) =>
        source.$case === "plan"
          ? viaTicket(ticket)
          : grpc(ticket.startBatch, ticket.batchSize, false),
    });
  };
  const messages = source.$case === "plan" ? open(0n, options.batchSize) : resumableCollect(open, {
    ...options.resume,
    startBatch: BigInt(options.startBatch ?? 0),
    batchSize: options.batchSize,
    ...signal,
  });
  return options.signal ? untilAborted(messages, options.signal) : messages;
}

/**
 * The messages of a Collect that asked for the bulk port: batches as they come, or, for a
 * ticket, the bulk download's; when that does not open, the `fallback` gRPC stream's.
 */
export async function* expandBulk(
  messages: AsyncIterable<CollectResponse>,
  options: BulkDownloadOptions & {
    signal?: AbortSignal;
    /** Milliseconds since the epoch: a bulk download still running then is cut. */
    deadline: number;
    fallback: (ticket: BulkTicket) => AsyncIterable<CollectResponse>;
  },
): AsyncGenerator<CollectResponse> {
  for await (const message of messages) {
    const ticket = message.bulk;
    if (ticket === undefined) {
      yield message;
      continue;
    }
    // The download ends by the call's deadline, as a gRPC stream would.
    const late = new AbortController();
    const timer = setTimeout(
      () => late.abort(new DeadlineExceededError("Cannot go on downloading past the deadline")),
      Math.max(0, options.deadline - Date.now()),
    );
    const signal = options.signal ? AbortSignal.any([options.signal, late.signal]) : late.signal;
    try {
      let body: ReadableStream<Uint8Array>;
      try {
        body = await openBulkDownload(ticket, { ...options, signal });
      } catch (error) {
        if (!(error instanceof BulkUnreachable)) throw error;
        yield* options.fallback(ticket);
        return;
      }
      yield* bulkMessages(body, ticket, options);
    } finally {
      clearTimeout(timer);
    }
    return;
  }
}
