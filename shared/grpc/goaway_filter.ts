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
import {
  appendPart,
  FrameReader,
  type FrameVisitor,
  GOAWAY,
  PREFACE_BYTES,
  RST_STREAM,
} from "./_frames.ts";
import { LateFrames } from "./_late_frames.ts";

/**
 * A stateful splitter of an HTTP/2 client byte stream: returns the bytes to pass on, with
 * every GOAWAY frame removed, and the late frames of streams the server reset
 * (_late_frames.ts; `outbound()` tells it of those). Frames may be split across chunks
 * arbitrarily.
 */
export class GoawayStripper {
  readonly #reader = new FrameReader(PREFACE_BYTES);
  readonly #written = new FrameReader();
  readonly #late = new LateFrames();
  #dropping = false;
  #out: Buffer[] = [];
  readonly #visitor: FrameVisitor = {
    preface: (part) => appendPart(this.#out, part),
    header: (h) => {
      this.#dropping = h.type === GOAWAY || this.#late.drop(h);
      if (h.type === GOAWAY) this.dropped++;
      if (!this.#dropping) appendPart(this.#out, h.bytes);
    },
    payload: (part) => {
      if (!this.#dropping) appendPart(this.#out, part);
    },
    end: () => {},
  };
  readonly #writtenVisitor: FrameVisitor = {
    preface: () => {},
    header: (h) => {
      if (h.type === RST_STREAM) this.#late.reset(h.streamId);
    },
    payload: () => {},
    end: () => {},
  };
  /** GOAWAY frames removed so far. */
  dropped = 0;

  /** Late frames of streams the server reset, removed so far. */
  get late(): number {
    return this.#late.dropped;
  }

  /** Bytes the server writes, read to learn which streams it resets. */
  outbound(chunk: Buffer): void {
    this.#written.read(chunk, this.#writtenVisitor);
  }

  /**
   * A WINDOW_UPDATE giving the client back the connection window of the late DATA removed,
   * when there is some and the server's output is between two frames.
   */
  takeWindowUpdate(): Buffer | undefined {
    return this.#written.atBoundary ? this.#late.windowUpdate() : undefined;
  }

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
  const credit = () => {
    const update = stripper.takeWindowUpdate();
    if (update) filtered.inject(update);
  };
  const filtered = filterSocket(socket, {
    inbound(chunk) {
      for (const part of stripper.push(chunk)) filtered.deliver(part);
      credit();
    },
    outbound: (chunk) => stripper.outbound(chunk),
    written: credit,
  });
  return filtered.duplex;
}
