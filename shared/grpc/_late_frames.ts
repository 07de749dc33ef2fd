/**
 * Frames a peer still sends on a stream this side has reset: the DATA already on its way, a
 * stream WINDOW_UPDATE, its own RST_STREAM. nghttp2 counts each such frame as a "glitch" and,
 * past a rate (a burst of 1,000, measured: about 750 cancels of streams in flight in a few
 * seconds), tears the whole session down with GOAWAY ENHANCE_YOUR_CALM — every other call on
 * the connection then fails ("Call cancelled"). The GOAWAY filters of both sides keep these
 * frames from the HTTP/2 layer (they mean nothing once the stream is reset), and give the
 * peer back the connection window the dropped DATA used, as nghttp2 does for a closed
 * stream's data. HEADERS always go on: HPACK state must stay in step.
 *
 * @module
 */

import {
  DATA,
  END_STREAM,
  type FrameHeader,
  HEADERS,
  RST_STREAM,
  WINDOW_UPDATE,
  windowUpdateFrame,
} from "./_frames.ts";

/** Reset streams remembered (the oldest are forgotten first). */
const MAX_RESET_STREAMS = 4096;
/** The largest WINDOW_UPDATE increment (RFC 9113 §6.9). */
const MAX_INCREMENT = 2 ** 31 - 1;

/** The streams this side reset, and what the peer sent on them since. */
export class LateFrames {
  readonly #reset = new Set<number>();
  #credit = 0;
  /** Frames dropped so far. */
  dropped = 0;

  /** This side sent RST_STREAM on `streamId`. */
  reset(streamId: number): void {
    this.#reset.add(streamId);
    if (this.#reset.size > MAX_RESET_STREAMS) {
      this.#reset.delete(this.#reset.values().next().value!);
    }
  }

  /** Whether the inbound frame of `header` is to be dropped (its payload too). */
  drop(header: FrameHeader): boolean {
    const { type, streamId } = header;
    if (!this.#reset.has(streamId)) return false;
    const ends = (type === HEADERS || type === DATA) && (header.flags & END_STREAM) !== 0;
    // After its last frame the peer sends nothing more on the stream.
    if (ends || type === RST_STREAM) this.#reset.delete(streamId);
    if (type !== DATA && type !== WINDOW_UPDATE && type !== RST_STREAM) return false;
    this.dropped++;
    if (type === DATA) this.#credit += header.length;
    return true;
  }

  /** A connection WINDOW_UPDATE for the dropped DATA not given back yet, if any. */
  windowUpdate(): Buffer | undefined {
    if (this.#credit === 0) return undefined;
    const increment = Math.min(this.#credit, MAX_INCREMENT);
    this.#credit -= increment;
    return windowUpdateFrame(0, increment);
  }
}
