/**
 * Encapsulated Arrow IPC messages (Message.fbs): the framing (continuation marker, metadata
 * length, FlatBuffer, body) and the headers a table needs — Schema, RecordBatch and
 * DictionaryBatch. Tensors, sparse tensors and unknown headers are refused. Every length is
 * checked against what remains of the bytes before anything is read.
 *
 * @module
 */

import { FlatBuffer, type Table, type VectorRange } from "./flatbuffer.ts";
import { invalid } from "./_invalid.ts";

/** Message.fbs `union MessageHeader`. */
export const MessageHeader = { Schema: 1, DictionaryBatch: 2, RecordBatch: 3 } as const;

const HEADER_NAMES = ["NONE", "Schema", "DictionaryBatch", "RecordBatch", "Tensor", "SparseTensor"];
const CONTINUATION = 0xffffffff;
/** MetadataVersion V4 and V5 (V1–V3 predate Arrow 0.8 and are refused). */
export const V4 = 3;
export const V5 = 4;

/** One encapsulated message: its header table and where its body lies in the bytes. */
export interface Message {
  readonly version: number;
  readonly headerType: number;
  readonly header: Table;
  /** Absolute offset of the body in the bytes read. */
  readonly bodyStart: number;
  readonly bodyLength: number;
  /** Absolute offset just past the body. */
  readonly end: number;
}

/** Reads a little-endian int32 of `bytes`; the caller checked the range. */
function int32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + at, 4).getInt32(0, true);
}

/** Where a framed message is read. */
export interface Framing {
  /** Offset of its continuation marker. */
  readonly at: number;
  /** Offset past which neither its metadata nor its body may run. */
  readonly limit: number;
  /** Names the message in errors ("message 3 (at byte 1200)"). */
  readonly what: string;
}

/** What a message's metadata (its Message flatbuffer, without the framing) says. */
export interface MessageMetadata {
  readonly version: number;
  readonly headerType: number;
  readonly header: Table;
  readonly bodyLength: number;
}

/**
 * Reads a Message flatbuffer: V4 or V5, a Schema, DictionaryBatch or RecordBatch header, a
 * body length that is a safe integer (the caller checks it against the bytes it has).
 */
export function readMessageMetadata(metadata: Uint8Array, what: string): MessageMetadata {
  const flat = new FlatBuffer(metadata);
  const message = flat.root();
  const version = message.int16(0, 0);
  if (version !== V4 && version !== V5) {
    throw invalid(
      `${what} must have metadata version V4 or V5 (3 or 4): current value is ${version}`,
    );
  }
  const headerType = message.uint8(1, 0);
  if (
    headerType !== MessageHeader.Schema && headerType !== MessageHeader.DictionaryBatch &&
    headerType !== MessageHeader.RecordBatch
  ) {
    throw invalid(
      `${what} must be a Schema, DictionaryBatch or RecordBatch: current value is ${
        HEADER_NAMES[headerType] ?? `header type ${headerType}`
      }`,
    );
  }
  const header = message.table(2);
  if (header === undefined) {
    throw invalid(`${what} must have a header: current value is none`);
  }
  const bodyLength = message.safeInt64(3, 0, "a body length");
  return { version, headerType, header, bodyLength };
}

/** The message framed at `framing.at`, or "eos" at an end-of-stream marker. */
export function readFramed(bytes: Uint8Array, framing: Framing): Message | "eos" {
  const { at, limit, what } = framing;
  if (at + 8 > limit) {
    throw invalid(
      `${what} must start with 8 bytes of framing (0xFFFFFFFF and a metadata length): current value is ${
        Math.max(0, limit - at)
      } bytes left`,
    );
  }
  const marker = int32(bytes, at) >>> 0;
  if (marker !== CONTINUATION) {
    throw invalid(
      `${what} must start with the continuation marker 0xFFFFFFFF (the pre-0.15 format is not accepted): current value is 0x${
        marker.toString(16).padStart(8, "0")
      }`,
    );
  }
  const metadataLength = int32(bytes, at + 4);
  if (metadataLength === 0) return "eos";
  const metadataStart = at + 8;
  if (metadataLength < 0 || metadataStart + metadataLength > limit) {
    throw invalid(
      `${what} must have a metadata length in [0, ${
        limit - metadataStart
      }] (the bytes left): current value is ${metadataLength}`,
    );
  }
  const { version, headerType, header, bodyLength } = readMessageMetadata(
    bytes.subarray(metadataStart, metadataStart + metadataLength),
    what,
  );
  const bodyStart = metadataStart + metadataLength;
  if (bodyLength < 0 || bodyStart + bodyLength > limit) {
    throw invalid(
      `${what} must have a body length in [0, ${
        limit - bodyStart
      }] (the bytes left): current value is ${bodyLength}`,
    );
  }
  return { version, headerType, header, bodyStart, bodyLength, end: bodyStart + bodyLength };
}

/** Message.fbs `table RecordBatch`, its vectors located (not yet read). */
export interface RecordBatch {
  readonly length: number;
  /** FieldNode structs: { length: int64, null_count: int64 }. */
  readonly nodes: VectorRange;
  /** Buffer structs: { offset: int64, length: int64 }. */
  readonly buffers: VectorRange;
  /** int64 per view-typed field. */
  readonly variadicCounts: VectorRange;
  readonly codec: "lz4" | "zstd" | undefined;
  /** The FlatBuffer the vectors are in. */
  readonly flat: FlatBuffer;
}

const EMPTY: VectorRange = { start: 0, length: 0 };

/** Reads a RecordBatch table. */
export function readRecordBatch(table: Table, what: string): RecordBatch {
  const length = table.safeInt64(0, 0, "a record batch length");
  if (length < 0) {
    throw invalid(`${what} must have a length of at least 0: current value is ${length}`);
  }
  let codec: RecordBatch["codec"];
  const compression = table.table(3);
  if (compression !== undefined) {
    const id = compression.int8(0, 0);
    const method = compression.int8(1, 0);
    if ((id !== 0 && id !== 1) || method !== 0) {
      throw invalid(
        `${what} must be compressed per buffer with LZ4_FRAME (0) or ZSTD (1): current value is codec ${id}, method ${method}`,
      );
    }
    codec = id === 0 ? "lz4" : "zstd";
  }
  return {
    length,
    nodes: table.vector(1, 16) ?? EMPTY,
    buffers: table.vector(2, 16) ?? EMPTY,
    variadicCounts: table.vector(4, 8) ?? EMPTY,
    codec,
    flat: table.buffer,
  };
}

/** Message.fbs `table DictionaryBatch`. */
export interface DictionaryBatch {
  readonly id: number;
  readonly data: RecordBatch;
}

/** Reads a DictionaryBatch table. */
export function readDictionaryBatch(table: Table, what: string): DictionaryBatch {
  const id = table.safeInt64(0, 0, "a dictionary id");
  const data = table.table(1);
  if (data === undefined) {
    throw invalid(`${what} (dictionary ${id}) must have a record batch: current value is none`);
  }
  return { id, data: readRecordBatch(data, `${what} (dictionary ${id})`) };
}
