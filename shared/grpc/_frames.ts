/**
 * Reading HTTP/2 frame headers out of one direction of a connection, chunk by chunk (RFC 9113
 * §4.1: a 9-byte header, then `length` payload bytes), for the GOAWAY filters.
 *
 * @module
 */

/** The client connection preface ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") is 24 bytes. */
export const PREFACE_BYTES = 24;
export const FRAME_HEADER_BYTES = 9;

export const DATA = 0x0;
export const HEADERS = 0x1;
export const RST_STREAM = 0x3;
export const GOAWAY = 0x7;
export const WINDOW_UPDATE = 0x8;

/** The END_STREAM flag of DATA and HEADERS frames. */
export const END_STREAM = 0x1;
/** RST_STREAM error code: the stream was never processed, so it is safe to retry. */
export const REFUSED_STREAM = 0x7;

/** One frame header. */
export interface FrameHeader {
  /** Its 9 bytes (a copy when they were split across chunks, else a view). */
  bytes: Buffer;
  length: number;
  type: number;
  flags: number;
  /** Without the reserved bit. */
  streamId: number;
}

/** What a FrameReader reports, in stream order. */
export interface FrameVisitor {
  /** Bytes before the first frame (the client preface). */
  preface(part: Buffer): void;
  header(header: FrameHeader): void;
  /** A part of the current frame's payload (a view of the chunk). */
  payload(part: Buffer): void;
  /** The current frame ended (right after header() for an empty frame). */
  end(): void;
}

/** Splits one direction of an HTTP/2 connection into frame headers and payload parts. */
export class FrameReader {
  #preface: number;
  #header: Buffer | undefined;
  /** Payload bytes of the current frame still to come; 0 between frames. */
  #left = 0;

  /** `prefaceBytes`: bytes before the first frame (PREFACE_BYTES for what a client sends). */
  constructor(prefaceBytes = 0) {
    this.#preface = prefaceBytes;
  }

  /**
   * True when no frame has been reported in part: the next thing reported is a new frame's
   * header (a header split across chunks counts as not begun, none of it was reported).
   */
  get atBoundary(): boolean {
    return this.#preface === 0 && this.#left === 0;
  }

  /** Reports the frames of `chunk` to `visitor`. */
  read(chunk: Buffer, visitor: FrameVisitor): void {
    let buf = chunk;
    while (buf.length > 0) {
      if (this.#preface > 0) {
        const n = Math.min(this.#preface, buf.length);
        this.#preface -= n;
        visitor.preface(buf.subarray(0, n));
        buf = buf.subarray(n);
        continue;
      }
      if (this.#left > 0) {
        const n = Math.min(this.#left, buf.length);
        this.#left -= n;
        visitor.payload(buf.subarray(0, n));
        buf = buf.subarray(n);
        if (this.#left === 0) visitor.end();
        continue;
      }
      let bytes: Buffer;
      if (this.#header !== undefined || buf.length < FRAME_HEADER_BYTES) {
        const have: Buffer = this.#header ?? Buffer.alloc(0);
        const n = Math.min(FRAME_HEADER_BYTES - have.length, buf.length);
        const joined = Buffer.concat([have, buf.subarray(0, n)]);
        buf = buf.subarray(n);
        if (joined.length < FRAME_HEADER_BYTES) {
          this.#header = joined;
          return;
        }
        this.#header = undefined;
        bytes = joined;
      } else {
        bytes = buf.subarray(0, FRAME_HEADER_BYTES);
        buf = buf.subarray(FRAME_HEADER_BYTES);
      }
      const length = bytes.readUIntBE(0, 3);
      visitor.header({
        bytes,
        length,
        type: bytes[3]!,
        flags: bytes[4]!,
        streamId: bytes.readUInt32BE(5) & 0x7fffffff,
      });
      if (length === 0) visitor.end();
      else this.#left = length;
    }
  }
}

/** An RST_STREAM frame for `streamId` with `errorCode`. */
export function rstStreamFrame(streamId: number, errorCode: number): Buffer {
  const frame = Buffer.alloc(FRAME_HEADER_BYTES + 4);
  frame.writeUIntBE(4, 0, 3);
  frame[3] = RST_STREAM;
  frame.writeUInt32BE(streamId & 0x7fffffff, 5);
  frame.writeUInt32BE(errorCode, 9);
  return frame;
}

/** A WINDOW_UPDATE frame granting `increment` bytes (1 to 2^31 − 1) on `streamId` (0: the connection). */
export function windowUpdateFrame(streamId: number, increment: number): Buffer {
  const frame = Buffer.alloc(FRAME_HEADER_BYTES + 4);
  frame.writeUIntBE(4, 0, 3);
  frame[3] = WINDOW_UPDATE;
  frame.writeUInt32BE(streamId & 0x7fffffff, 5);
  frame.writeUInt32BE(increment & 0x7fffffff, 9);
  return frame;
}

/** Appends `part` to `out`, merged with the last part when it directly follows it in memory. */
export function appendPart(out: Buffer[], part: Buffer): void {
  const last = out.at(-1);
  if (
    last !== undefined && last.buffer === part.buffer &&
    last.byteOffset + last.length === part.byteOffset
  ) {
    out[out.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + part.length);
  } else {
    out.push(part);
  }
}
