/**
 * The baseline of the results part of `deno task bench`: the same Arrow IPC bytes as a
 * Polaroid result, sent over a plain loopback TCP connection with no gRPC, no protobuf and
 * no decoding. Run as a program (`--file PATH`) it reads the file into memory, serves on a
 * free port until killed and prints "port <n>"; each connection gets the whole buffer, then
 * the server closes it. The client side is readTcp().
 *
 * @module
 */

import { optionText } from "./args.ts";

/** The largest write: 1 MiB. */
const WRITE_BYTES = 1024 * 1024;

/** Serves `payload` to every connection on a free loopback port. */
export function startTcpServer(payload: Uint8Array): { port: number; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  (async () => {
    for await (const conn of listener) {
      (async () => {
        try {
          for (let at = 0; at < payload.byteLength;) {
            at += await conn.write(payload.subarray(at, at + WRITE_BYTES));
          }
        } finally {
          conn.close();
        }
      })().catch(() => {});
    }
  })().catch(() => {});
  return { port: listener.addr.port, close: () => listener.close() };
}

/**
 * Connects to `port`, reads until the server closes and keeps every chunk (as a client
 * keeps its result); resolves with the bytes read.
 */
export async function readTcp(port: number): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of conn.readable) {
    chunks.push(chunk);
    bytes += chunk.byteLength;
  }
  return bytes;
}

if (import.meta.main) {
  const file = optionText(Deno.args, "file");
  if (file === undefined) throw new TypeError("Cannot serve as '--file' is missing");
  const server = startTcpServer(await Deno.readFile(file));
  console.log(`port ${server.port}`);
}
