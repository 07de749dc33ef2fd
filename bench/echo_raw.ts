/**
 * The baseline of the latency part of `deno task bench`: a minimal grpc-js unary call whose
 * answer has a given size, with no protobuf, no Arrow and no engine. The request is the size
 * as text; the answer is a view of one pre-made buffer of that size. It accepts connections
 * through the GOAWAY filter, as Polaroid's servers do. Run as a program it serves on a free
 * port until killed and prints "port <n>"; the client side is echo().
 *
 * @module
 */

import { Buffer } from "node:buffer";
import * as grpc from "@grpc/grpc-js";
import { listenFiltered } from "./streaming_raw.ts";

const PATH = "/bench.Echo/Echo";
const identity = (b: Buffer) => b;

/** Starts the echo server on a free loopback port. */
export async function startEchoServer(): Promise<{ port: number; close(): void }> {
  const server = new grpc.Server();
  let payload = Buffer.alloc(0);
  server.register(
    PATH,
    (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const size = Number(call.request.toString("utf8"));
      if (payload.byteLength < size) payload = Buffer.alloc(size, 7);
      callback(null, payload.subarray(0, size));
    },
    identity,
    identity,
    "unary",
  );
  // Through the GOAWAY filter, as Polaroid's servers: without it a grpc-js server under Deno
  // aborts when a client closes its connection (docs/adr/0005).
  return await listenFiltered(server);
}

/** A client of the echo server. */
export function echoClient(endpoint: string): grpc.Client {
  return new grpc.Client(endpoint, grpc.credentials.createInsecure());
}

/** One call answered with `size` bytes; resolves with the bytes received. */
export function echo(client: grpc.Client, size: number): Promise<number> {
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest<Buffer, Buffer>(
      PATH,
      identity,
      identity,
      Buffer.from(String(size)),
      (error, answer) => (error || !answer ? reject(error) : resolve(answer.byteLength)),
    )
  );
}

if (import.meta.main) {
  const server = await startEchoServer();
  console.log(`port ${server.port}`);
}
