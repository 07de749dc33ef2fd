/**
 * The baseline of the streaming benchmark: a minimal grpc-js server-stream of opaque byte
 * messages, with no protobuf, no Arrow and no engine. The request names the message sizes;
 * the server sends views of one pre-made buffer with those sizes, waiting for 'drain' when
 * the stream is full (as Polaroid's server does); the upload baseline, a client stream whose
 * messages it counts and drops, is `RAW_UPLOAD_PATH`. Run as a program it serves on a free port
 * until killed and prints "port <n>" (`--filtered`: through the GOAWAY filter); the client
 * side is readRaw().
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { once } from "node:events";
import net from "node:net";
import * as grpc from "@grpc/grpc-js";
import { withoutGoaway } from "../shared/grpc/goaway_filter.ts";

const PATH = "/bench.Raw/Stream";
/** A client stream of opaque byte messages; the answer is the byte count, as text. */
export const RAW_UPLOAD_PATH = "/bench.Raw/Upload";
const identity = (b: Buffer) => b;

/** The largest message either side accepts. */
export const RAW_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** Options of startRawServer(). */
export interface RawServerOptions {
  /**
   * Accept connections as Polaroid's servers do: through a net listener and the GOAWAY
   * filter (shared/grpc/goaway_filter.ts) instead of grpc-js' own listener. @default false
   */
  filtered?: boolean;
}

/** Starts the raw server on a free loopback port. */
export async function startRawServer(
  options: RawServerOptions = {},
): Promise<{ port: number; close(): void }> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": RAW_MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": RAW_MAX_MESSAGE_BYTES,
  });
  let payload = Buffer.alloc(0);
  server.register(
    PATH,
    (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      const sizes = JSON.parse(call.request.toString("utf8")) as number[];
      const largest = Math.max(0, ...sizes);
      if (payload.byteLength < largest) {
        payload = Buffer.alloc(largest);
        for (let i = 0; i < largest; i += 4096) payload[i] = i & 0xff;
      }
      (async () => {
        for (const size of sizes) {
          if (call.cancelled) return;
          if (!call.write(payload.subarray(0, size))) await once(call, "drain");
        }
        call.end();
      })().catch(() => call.destroy());
    },
    identity,
    identity,
    "serverStream",
  );
  server.register(
    RAW_UPLOAD_PATH,
    (call: grpc.ServerReadableStream<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      let bytes = 0;
      call.on("data", (chunk: Buffer) => (bytes += chunk.byteLength));
      call.on("end", () => callback(null, Buffer.from(String(bytes))));
      call.on("error", () => {});
    },
    identity,
    identity,
    "clientStream",
  );
  if (options.filtered) return await listenFiltered(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      "127.0.0.1:0",
      grpc.ServerCredentials.createInsecure(),
      (error, port) => (error ? reject(error) : resolve(port)),
    )
  );
  return { port, close: () => server.forceShutdown() };
}

/**
 * Serves `server` on a free loopback port as Polaroid's servers do: connections accepted by
 * a net listener and handed to grpc-js through the GOAWAY filter (docs/adr/0005), which also
 * keeps the server alive when a client closes its connection.
 */
export async function listenFiltered(
  server: grpc.Server,
): Promise<{ port: number; close(): void }> {
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const listener = net.createServer((socket) => injector.injectConnection(withoutGoaway(socket)));
  const port = await new Promise<number>((resolve) =>
    listener.listen(0, "127.0.0.1", () => resolve((listener.address() as net.AddressInfo).port))
  );
  return {
    port,
    close: () => {
      listener.close();
      injector.destroy();
      server.forceShutdown();
    },
  };
}

/** Reads one raw stream of messages of `sizes` bytes; resolves with the bytes received. */
export function readRaw(client: grpc.Client, sizes: readonly number[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = client.makeServerStreamRequest<Buffer, Buffer>(
      PATH,
      identity,
      identity,
      Buffer.from(JSON.stringify(sizes)),
    );
    let bytes = 0;
    call.on("data", (chunk: Buffer) => (bytes += chunk.byteLength));
    call.on("error", reject);
    call.on("end", () => resolve(bytes));
  });
}

/**
 * Sends `chunks` as one raw client stream, waiting for 'drain' when the stream is full;
 * resolves with the bytes the server counted.
 */
export async function uploadRaw(
  client: grpc.Client,
  chunks: readonly Uint8Array[],
): Promise<number> {
  let call!: grpc.ClientWritableStream<Buffer>;
  const answer = new Promise<number>((resolve, reject) => {
    call = client.makeClientStreamRequest<Buffer, Buffer>(
      RAW_UPLOAD_PATH,
      identity,
      identity,
      (error, reply) => (error || !reply ? reject(error) : resolve(Number(reply.toString("utf8")))),
    );
  });
  for (const chunk of chunks) {
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!call.write(view)) await once(call, "drain");
  }
  call.end();
  return await answer;
}

/** A client of the raw server. */
export function rawClient(endpoint: string): grpc.Client {
  return new grpc.Client(endpoint, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": RAW_MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": RAW_MAX_MESSAGE_BYTES,
  });
}

if (import.meta.main) {
  const server = await startRawServer({ filtered: Deno.args.includes("--filtered") });
  console.log(`port ${server.port}`);
}
