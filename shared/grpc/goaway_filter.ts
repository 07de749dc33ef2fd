/**
 * Shields a gRPC server from its peers' GOAWAY frames.
 *
 * Deno 2.9.6's `node:http2` can abort the whole process (an nghttp2 assertion in
 * `find_stream_on_goaway_func`, or heap corruption) when a session that carried a large
 * stream receives a GOAWAY — which every gRPC client sends when it closes its channel
 * (denoland/deno#36788; docs/adr/0005). The server therefore reads each connection through
 * this filter, which passes every HTTP/2 frame unchanged except GOAWAY. Dropping a client's
 * GOAWAY loses nothing: the client opens no new streams after it, lets its open streams end,
 * and closes the TCP connection, which the server sees as usual.
 *
 * @module
 */

import type { Duplex } from "node:stream";
import type { Socket } from "node:net";
import { filterSocket } from "./filtered_socket.ts";
import { appendPart, FrameReader, type FrameVisitor, GOAWAY, PREFACE_BYTES } from "./_frames.ts";

/**
 * A stateful splitter of an HTTP/2 client byte stream: returns the bytes to pass on, with
 * every GOAWAY frame removed. Frames may be split across chunks arbitrarily.
 */
export class GoawayStripper {
  readonly #reader = new FrameReader(PREFACE_BYTES);
  #dropping = false;
  #out: Buffer[] = [];
  readonly #visitor: FrameVisitor = {
    preface: (part) => appendPart(this.#out, part),
    header: (h) => {
      this.#dropping = h.type === GOAWAY;
      if (this.#dropping) this.dropped++;
      else appendPart(this.#out, h.bytes);
    },
    payload: (part) => {
      if (!this.#dropping) appendPart(this.#out, part);
    },
    end: () => {},
  };
  /** GOAWAY frames removed so far. */
  dropped = 0;

  /** The parts of `chunk` to forward (views into it, no copies except split headers). */
  push(chunk: Buffer): Buffer[] {
    this.#reader.read(chunk, this.#visitor);
    const out = this.#out;
    this.#out = [];
    return out;
  }
}

/** Wraps a server-side socket so that the HTTP/2 layer never sees the peer's GOAWAY. */
export function withoutGoaway(socket: Socket): Duplex {
  const stripper = new GoawayStripper();
  const filtered = filterSocket(socket, {
    inbound(chunk) {
      for (const part of stripper.push(chunk)) filtered.deliver(part);
    },
  });
  return filtered.duplex;
}
