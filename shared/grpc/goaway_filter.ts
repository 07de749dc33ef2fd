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

import { Duplex } from "node:stream";
import type { Socket } from "node:net";

/** The client connection preface ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") is 24 bytes. */
const PREFACE_BYTES = 24;
const FRAME_HEADER_BYTES = 9;
const GOAWAY = 0x7;

/**
 * A stateful splitter of an HTTP/2 client byte stream: returns the bytes to pass on, with
 * every GOAWAY frame removed. Frames may be split across chunks arbitrarily.
 */
export class GoawayStripper {
  #preface = PREFACE_BYTES;
  #pass = 0;
  #drop = 0;
  #header: Buffer | undefined;
  /** GOAWAY frames removed so far. */
  dropped = 0;

  /** The parts of `chunk` to forward (views into it, no copies except split headers). */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let buf = this.#header ? Buffer.concat([this.#header, chunk]) : chunk;
    this.#header = undefined;
    while (buf.length > 0) {
      if (this.#preface > 0 || this.#pass > 0) {
        const budget = this.#preface > 0 ? this.#preface : this.#pass;
        const n = Math.min(budget, buf.length);
        out.push(buf.subarray(0, n));
        if (this.#preface > 0) this.#preface -= n;
        else this.#pass -= n;
        buf = buf.subarray(n);
      } else if (this.#drop > 0) {
        const n = Math.min(this.#drop, buf.length);
        this.#drop -= n;
        buf = buf.subarray(n);
      } else if (buf.length < FRAME_HEADER_BYTES) {
        this.#header = Buffer.from(buf);
        break;
      } else {
        const frameBytes = FRAME_HEADER_BYTES + buf.readUIntBE(0, 3);
        if (buf[3] === GOAWAY) {
          this.#drop = frameBytes;
          this.dropped++;
        } else {
          this.#pass = frameBytes;
        }
      }
    }
    return out;
  }
}

/** Wraps a server-side socket so that the HTTP/2 layer never sees the peer's GOAWAY. */
export function withoutGoaway(socket: Socket): Duplex {
  socket.setNoDelay(true);
  const stripper = new GoawayStripper();
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    // Done as soon as the socket takes the chunk, or when it drains: waiting for each write
    // to reach the kernel would let only one chunk at a time through.
    write(chunk, _encoding, callback) {
      if (socket.write(chunk)) callback();
      else socket.once("drain", () => callback());
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  // grpc-js reads the peer's address from the session's socket.
  for (const key of ["remoteAddress", "remotePort", "localAddress", "localPort"] as const) {
    Object.defineProperty(duplex, key, { get: () => socket[key] });
  }
  socket.on("data", (chunk: Buffer) => {
    let more = true;
    for (const part of stripper.push(chunk)) more = duplex.push(part) && more;
    if (!more) socket.pause();
  });
  socket.on("end", () => duplex.push(null));
  socket.on("error", (error) => duplex.destroy(error));
  socket.on("close", () => duplex.destroy());
  return duplex;
}
