/**
 * Arrow IPC to and from Flight's FlightData messages. A FlightData carries one IPC message:
 * `data_header` is its Message flatbuffer without the 8 bytes of framing, `data_body` its body.
 *
 * Out (DoGet): the engine writes each batch as a whole IPC stream in many small pieces; each
 * message is read across those pieces and laid out once as exactly the protobuf bytes of its
 * FlightData (the generated encoder would copy the body three times), and the stream's Schema
 * is sent once, first. In (DoPut): each FlightData is framed back into an IPC stream, which
 * the upload path validates like any other upload before anything depends on it.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { InvalidArgumentError } from "../../../shared/errors.ts";
import { FlightData } from "../../../shared/gen/arrow/flight/protocol/Flight.ts";
import { MessageHeader, readMessageMetadata } from "../../../shared/arrow/message.ts";
import type { IpcChunks } from "../engine/mod.ts";

/** A FlightData that carries its own encoding (see {@link serializeFlightData}). */
export interface EncodedFlightData extends FlightData {
  /** The protobuf bytes of this message. */
  readonly wire: Buffer;
}

const CONTINUATION = 0xffffffff;
const EMPTY: Buffer = Buffer.alloc(0);
/** Field 2 (data_header), length-delimited. */
const HEADER_TAG = 0x12;
/** Field 1000 (data_body), length-delimited: (1000 << 3) | 2 as a varint. */
const BODY_TAG = [0xc2, 0x3e] as const;

function varintLength(value: number): number {
  let n = 1;
  for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) n++;
  return n;
}

function writeVarint(target: Uint8Array, offset: number, value: number): number {
  let v = value;
  let at = offset;
  while (v >= 0x80) {
    target[at++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  target[at++] = v;
  return at;
}

/** Reads IPC bytes spread over chunks, in order, copying only what spans two of them. */
class ChunkCursor {
  #chunk = 0;
  #offset = 0;
  readonly #chunks: readonly Uint8Array[];

  constructor(chunks: readonly Uint8Array[]) {
    this.#chunks = chunks;
  }

  /** True when every byte was read. */
  get done(): boolean {
    this.#skipEmpty();
    return this.#chunk >= this.#chunks.length;
  }

  #skipEmpty(): void {
    while (
      this.#chunk < this.#chunks.length && this.#offset >= this.#chunks[this.#chunk]!.byteLength
    ) {
      this.#chunk++;
      this.#offset = 0;
    }
  }

  /** Copies the next `length` bytes into `target` at `at`; throws when fewer are left. */
  copyTo(target: Uint8Array, at: number, length: number): void {
    let left = length;
    let to = at;
    while (left > 0) {
      this.#skipEmpty();
      const chunk = this.#chunks[this.#chunk];
      if (!chunk) throw new RangeError(`the IPC stream ends ${left} bytes short`);
      const n = Math.min(left, chunk.byteLength - this.#offset);
      target.set(chunk.subarray(this.#offset, this.#offset + n), to);
      this.#offset += n;
      to += n;
      left -= n;
    }
  }

  /** The next `length` bytes: a view when one chunk holds them, else a copy. */
  read(length: number): Uint8Array {
    this.#skipEmpty();
    const chunk = this.#chunks[this.#chunk];
    if (chunk && chunk.byteLength - this.#offset >= length) {
      const view = chunk.subarray(this.#offset, this.#offset + length);
      this.#offset += length;
      return view;
    }
    const copy = new Uint8Array(length);
    this.copyTo(copy, 0, length);
    return copy;
  }

  /** Skips the next `length` bytes. */
  skip(length: number): void {
    let left = length;
    while (left > 0) {
      this.#skipEmpty();
      const chunk = this.#chunks[this.#chunk];
      if (!chunk) throw new RangeError(`the IPC stream ends ${left} bytes short`);
      const n = Math.min(left, chunk.byteLength - this.#offset);
      this.#offset += n;
      left -= n;
    }
  }
}

/** Options of {@link ipcToFlightData}. */
export interface IpcToFlightOptions {
  /** Leave out the stream's Schema message (it was sent with an earlier batch). */
  skipSchema: boolean;
}

/**
 * The FlightData messages of one IPC stream (trusted: the engine's or the service's own
 * writer), up to its end-of-stream marker; the Schema left out when `skipSchema`.
 */
export function* ipcToFlightData(
  ipc: IpcChunks,
  options: IpcToFlightOptions,
): Generator<EncodedFlightData> {
  const cursor = new ChunkCursor(ipc.chunks);
  while (!cursor.done) {
    const prefix = cursor.read(8);
    const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
    if (view.getUint32(0, true) !== CONTINUATION) {
      throw new RangeError("the IPC stream lacks a continuation marker");
    }
    const metadataLength = view.getInt32(4, true);
    if (metadataLength === 0) return;
    const metadata = cursor.read(metadataLength);
    const { headerType, bodyLength } = readMessageMetadata(metadata, "an IPC message");
    if (options.skipSchema && headerType === MessageHeader.Schema) {
      cursor.skip(bodyLength);
      continue;
    }
    yield encodeFlightData(metadata, bodyLength, cursor);
  }
}

/** The FlightData of one message: its metadata, and its body read from `body`. */
function encodeFlightData(
  metadata: Uint8Array,
  bodyLength: number,
  body: ChunkCursor,
): EncodedFlightData {
  const headerSize = 1 + varintLength(metadata.byteLength) + metadata.byteLength;
  const bodySize = bodyLength === 0 ? 0 : 2 + varintLength(bodyLength) + bodyLength;
  const wire = Buffer.allocUnsafe(headerSize + bodySize);
  let at = 0;
  wire[at++] = HEADER_TAG;
  at = writeVarint(wire, at, metadata.byteLength);
  wire.set(metadata, at);
  at += metadata.byteLength;
  let dataBody = EMPTY;
  if (bodyLength > 0) {
    wire[at++] = BODY_TAG[0];
    wire[at++] = BODY_TAG[1];
    at = writeVarint(wire, at, bodyLength);
    body.copyTo(wire, at, bodyLength);
    dataBody = wire.subarray(at, at + bodyLength);
  }
  return {
    wire,
    flightDescriptor: undefined,
    dataHeader: wire.subarray(headerSize - metadata.byteLength, headerSize),
    appMetadata: EMPTY,
    dataBody,
  };
}

/** Sends a message's own encoding when it has one, else encodes it as generated. */
export function serializeFlightData(value: FlightData): Buffer {
  const wire = (value as Partial<EncodedFlightData>).wire;
  return wire ?? Buffer.from(FlightData.encode(value).finish());
}

/** The padding that brings `length` to a multiple of 8. */
function pad8(length: number): number {
  return (8 - (length % 8)) % 8;
}

/**
 * One FlightData of a DoPut as encapsulated IPC bytes (framing, metadata padded to 8 bytes,
 * body), or none for a message without a header (application metadata alone). The bytes are
 * not trusted here: the upload path validates the whole stream.
 */
export function flightDataToIpc(data: FlightData): Uint8Array[] {
  const header = data.dataHeader;
  if (header.byteLength === 0) {
    if (data.dataBody.byteLength > 0) {
      throw new InvalidArgumentError(
        `Cannot read a FlightData as it has a body of ${data.dataBody.byteLength} bytes but no 'data_header'`,
      );
    }
    return [];
  }
  const padding = pad8(header.byteLength);
  const prefix = new Uint8Array(8 + header.byteLength + padding);
  const view = new DataView(prefix.buffer);
  view.setUint32(0, CONTINUATION, true);
  view.setInt32(4, header.byteLength + padding, true);
  prefix.set(header, 8);
  return data.dataBody.byteLength === 0 ? [prefix] : [prefix, data.dataBody];
}

/** The end-of-stream marker of an IPC stream. */
export const IPC_EOS: Uint8Array = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/**
 * A schema as Flight's `schema` fields carry it: the IPC-encapsulated Schema message (framing
 * and flatbuffer) of an IPC stream, read from its first message.
 */
export function schemaMessage(ipc: Uint8Array): Uint8Array {
  const view = new DataView(ipc.buffer, ipc.byteOffset, ipc.byteLength);
  if (ipc.byteLength < 8 || view.getUint32(0, true) !== CONTINUATION) {
    throw new RangeError("the IPC stream lacks a continuation marker");
  }
  const length = view.getInt32(4, true);
  const { headerType } = readMessageMetadata(ipc.subarray(8, 8 + length), "an IPC schema");
  if (headerType !== MessageHeader.Schema) {
    throw new RangeError("the IPC stream does not start with a Schema");
  }
  return ipc.slice(0, 8 + length);
}
