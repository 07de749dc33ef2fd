/**
 * The frame logic that keeps a server's GOAWAY away from a client's HTTP/2 layer while
 * keeping what the GOAWAY means (docs/adr/0005).
 *
 * Deno 2.9.6's `node:http2` can abort the process while it processes a GOAWAY it receives
 * (denoland/deno#36788), before any JavaScript runs. A GOAWAY with last-stream-id L says: the
 * server took up the streams up to L and will finish them; it ignores every stream above L,
 * those already sent and those still to come. This class reads both directions of a client
 * connection and, instead of passing the GOAWAY on:
 *
 * - refuses each open client stream above L with an RST_STREAM(REFUSED_STREAM) injected
 *   between two inbound frames: gRPC clients take REFUSED_STREAM as "never reached the
 *   application" and retry the call on another connection;
 * - refuses likewise every stream the client opens above L afterwards (its bytes still go
 *   to the server unchanged, which keeps HPACK and flow control in step: the server ignores
 *   them);
 * - reports the GOAWAY (`sink.goaway`) so that the caller can tell the client to stop using
 *   the connection.
 *
 * Streams up to L are left alone: the server finishes them.
 *
 * It also keeps from the HTTP/2 layer the frames the server still sends on a stream the
 * client reset (a cancelled call), which would make nghttp2 tear the session down (see
 * _late_frames.ts); the connection window they used goes back to the server in a
 * WINDOW_UPDATE written between two outbound frames.
 *
 * @module
 */

import {
  appendPart,
  DATA,
  END_STREAM,
  FrameReader,
  type FrameVisitor,
  GOAWAY,
  HEADERS,
  PREFACE_BYTES,
  REFUSED_STREAM,
  RST_STREAM,
  rstStreamFrame,
} from "./_frames.ts";
import { LateFrames } from "./_late_frames.ts";

/** Bytes of a GOAWAY's debug data kept for the report; the rest is dropped unread. */
const MAX_DEBUG_BYTES = 1024;

/** A GOAWAY the shield dropped. */
export interface GoawayInfo {
  /** The highest client stream the server processes; streams above it were refused. */
  lastStreamId: number;
  /** The HTTP/2 error code (0 is NO_ERROR: a graceful shutdown). */
  errorCode: number;
  /** Its debug data (at most 1 KiB). */
  debugData: Buffer;
  /** Open streams refused because of this GOAWAY. */
  refused: number;
}

/** Where the shield sends what the client's HTTP/2 layer reads. */
export interface ShieldSink {
  /** Inbound bytes, in order: the server's frames less GOAWAY, plus injected RST_STREAMs. */
  deliver(part: Buffer): void;
  /**
   * A GOAWAY was dropped: called after every byte before it was delivered and before the
   * refusals it causes.
   */
  goaway(info: GoawayInfo): void;
}

/** The client side of an HTTP/2 connection, read to refuse what a GOAWAY left out. */
export class GoawayShield {
  readonly #sink: ShieldSink;
  readonly #inbound = new FrameReader();
  readonly #outbound = new FrameReader(PREFACE_BYTES);
  /** Client streams the server may still answer. */
  readonly #open = new Set<number>();
  #highest = 0;
  /** The lowest last-stream-id received; none before the first GOAWAY. */
  #last: number | undefined;
  /** Refusals waiting for the inbound stream to be between frames. */
  #pending: Buffer[] = [];
  /** Streams the client reset, whose late frames are dropped. */
  readonly #late = new LateFrames();
  /** The current inbound frame is being dropped (a reset stream's). */
  #dropping = false;
  /** The payload of the GOAWAY being dropped, when one is. */
  #goaway: Buffer[] | undefined;
  #goawayBytes = 0;
  /** Inbound parts not delivered yet (merged when contiguous). */
  #out: Buffer[] = [];
  readonly #inVisitor: FrameVisitor;
  readonly #outVisitor: FrameVisitor;

  /** GOAWAY frames dropped. */
  goaways = 0;
  /** Streams refused with an injected RST_STREAM(REFUSED_STREAM). */
  refused = 0;

  constructor(sink: ShieldSink) {
    this.#sink = sink;
    this.#inVisitor = {
      preface: (part) => this.#append(part),
      header: (h) => {
        this.#deliverPending();
        if (h.type === GOAWAY) {
          this.#goaway = [];
          this.#goawayBytes = 0;
          return;
        }
        if (this.#late.drop(h)) {
          this.#dropping = true;
          return;
        }
        const ends = (h.type === HEADERS || h.type === DATA) && (h.flags & END_STREAM) !== 0;
        this.#append(h.bytes);
        if (ends || h.type === RST_STREAM) this.#open.delete(h.streamId);
      },
      payload: (part) => {
        if (this.#dropping) return;
        if (this.#goaway === undefined) {
          this.#append(part);
        } else if (this.#goawayBytes < 8 + MAX_DEBUG_BYTES) {
          const kept = part.subarray(0, 8 + MAX_DEBUG_BYTES - this.#goawayBytes);
          this.#goaway.push(Buffer.from(kept));
          this.#goawayBytes += kept.length;
        }
      },
      end: () => {
        this.#dropping = false;
        if (this.#goaway === undefined) return;
        const payload = Buffer.concat(this.#goaway);
        this.#goaway = undefined;
        this.#onGoaway(payload);
      },
    };
    this.#outVisitor = {
      preface: () => {},
      header: (h) => {
        if (h.type === RST_STREAM) {
          this.#open.delete(h.streamId);
          this.#late.reset(h.streamId);
        } else if (h.type === HEADERS && h.streamId > this.#highest) {
          // A new stream (a second HEADERS on a known stream carries trailers).
          this.#highest = h.streamId;
          if (this.#last !== undefined && h.streamId > this.#last) this.#refuse(h.streamId);
          else this.#open.add(h.streamId);
        }
      },
      payload: () => {},
      end: () => {},
    };
  }

  /**
   * A WINDOW_UPDATE giving the server back the connection window of the DATA dropped so
   * far, when there is any and the client's output is between two frames (call it after
   * each outbound chunk was written and after each inbound chunk).
   */
  takeWindowUpdate(): Buffer | undefined {
    return this.#outbound.atBoundary ? this.#late.windowUpdate() : undefined;
  }

  /** Late frames of reset streams kept from the client's HTTP/2 layer. */
  get dropped(): number {
    return this.#late.dropped;
  }

  /** Streams opened and not ended, as far as the shield can tell. */
  get openStreams(): number {
    return this.#open.size;
  }

  /** Refusals waiting for a frame boundary of the inbound stream. */
  get pendingRefusals(): number {
    return this.#pending.length;
  }

  /**
   * Bytes the client sends, read to follow its streams; the caller forwards them unchanged.
   * A stream the server will ignore is refused at the next `flush()` or inbound boundary.
   */
  outbound(chunk: Buffer): void {
    this.#outbound.read(chunk, this.#outVisitor);
  }

  /** Bytes the server sent: delivers what the client should read instead. */
  inbound(chunk: Buffer): void {
    this.#inbound.read(chunk, this.#inVisitor);
    if (this.#inbound.atBoundary) this.#deliverPending();
    this.#flushOut();
  }

  /** Delivers the refusals waiting, if the inbound stream is between frames. */
  flush(): void {
    if (!this.#inbound.atBoundary) return;
    this.#deliverPending();
    this.#flushOut();
  }

  #onGoaway(payload: Buffer): void {
    this.goaways++;
    // A malformed GOAWAY (shorter than 8 bytes) refuses nothing it cannot name.
    const lastStreamId = payload.length >= 4 ? payload.readUInt32BE(0) & 0x7fffffff : 0x7fffffff;
    const errorCode = payload.length >= 8 ? payload.readUInt32BE(4) : 0;
    this.#last = Math.min(this.#last ?? lastStreamId, lastStreamId);
    const above = [...this.#open].filter((id) => id > this.#last!).sort((a, b) => a - b);
    this.#flushOut();
    this.#sink.goaway({
      lastStreamId,
      errorCode,
      debugData: payload.subarray(Math.min(8, payload.length)),
      refused: above.length,
    });
    for (const id of above) this.#refuse(id);
    this.#deliverPending();
  }

  #refuse(streamId: number): void {
    this.#open.delete(streamId);
    this.#pending.push(rstStreamFrame(streamId, REFUSED_STREAM));
    this.refused++;
  }

  #deliverPending(): void {
    if (this.#pending.length === 0) return;
    this.#out.push(...this.#pending);
    this.#pending = [];
  }

  #append(part: Buffer): void {
    appendPart(this.#out, part);
  }

  #flushOut(): void {
    const out = this.#out;
    this.#out = [];
    for (const part of out) this.#sink.deliver(part);
  }
}
