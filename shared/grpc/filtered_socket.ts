/**
 * A connected socket seen through a filter: a Duplex whose readable side gives what the
 * filter delivers from the peer's bytes, and whose writes reach the socket unchanged (after
 * the filter has read them). Deno's `node:http2` takes any Duplex as a session's socket, so
 * an HTTP/2 session (server or client) can run over it.
 *
 * @module
 */

import { Duplex } from "node:stream";
import type { Socket } from "node:net";

/** What the filter does with each direction. */
export interface SocketFilter {
  /** Each chunk the peer sent; the filter passes on what the session should read. */
  inbound(chunk: Buffer): void;
  /** Each chunk the session writes, before it goes to the socket as it is. */
  outbound?(chunk: Buffer): void;
  /** After each chunk the session wrote went to the socket (the place to add frames). */
  written?(): void;
  /** The peer ended its side: the last chance to deliver before the end of input. */
  end?(): void;
  /**
   * The duplex was destroyed, with the error that destroyed it if any (the socket is
   * destroyed at once): it emits 'close' when the filter calls `done`. @default done at once
   */
  closing?(done: () => void, error: Error | null): void;
}

/** A filtered socket. */
export interface FilteredSocket {
  /** What the HTTP/2 session reads from and writes to. */
  readonly duplex: Duplex;
  /** Makes `part` readable from the duplex (the socket pauses while the reader is behind). */
  deliver(part: Buffer): void;
  /**
   * Writes `bytes` to the socket now, between what the session wrote: the filter calls it
   * only where the session's output is between two frames.
   */
  inject(bytes: Buffer): void;
}

/** Socket properties readers look up (grpc-js: the peer's address; http2: TLS state). */
const FORWARDED = [
  "remoteAddress",
  "remotePort",
  "remoteFamily",
  "localAddress",
  "localPort",
  "encrypted",
  "alpnProtocol",
] as const;

/** Reads and writes `socket` through `filter`; the filter's `deliver` is `deliver` here. */
export function filterSocket(socket: Socket, filter: SocketFilter): FilteredSocket {
  socket.setNoDelay?.(true);
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    // Done as soon as the socket takes the chunk, or when it drains: waiting for each write
    // to reach the kernel would let only one chunk at a time through.
    write(chunk: Buffer, _encoding, callback) {
      filter.outbound?.(chunk);
      const more = socket.write(chunk);
      filter.written?.();
      if (more) callback();
      else socket.once("drain", () => callback());
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      if (filter.closing) filter.closing(() => callback(error), error);
      else callback(error);
    },
  });
  for (const key of FORWARDED) {
    Object.defineProperty(duplex, key, {
      get: () => (socket as unknown as Record<string, unknown>)[key],
    });
  }
  // The session refs and unrefs its socket (grpc-js unrefs idle connections, so that they
  // do not keep the process alive).
  Object.assign(duplex, {
    ref: () => (socket.ref(), duplex),
    unref: () => (socket.unref(), duplex),
    setNoDelay: (noDelay?: boolean) => (socket.setNoDelay(noDelay), duplex),
  });
  const deliver = (part: Buffer) => {
    if (duplex.destroyed) return;
    if (!duplex.push(part)) socket.pause();
  };
  socket.on("data", (chunk: Buffer) => filter.inbound(chunk));
  socket.on("end", () => {
    filter.end?.();
    duplex.push(null);
  });
  socket.on("error", (error) => duplex.destroy(error));
  socket.on("close", () => duplex.destroy());
  const inject = (bytes: Buffer) => {
    if (!socket.destroyed) socket.write(bytes);
  };
  return { duplex, deliver, inject };
}
