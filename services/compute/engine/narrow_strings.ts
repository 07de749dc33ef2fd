/**
 * Strings on the wire in the narrowest type every client reads (issue 17): the engine writes
 * string columns as LargeUtf8 (64-bit offsets); when a stream's offsets all fit in 32 bits,
 * this rewrites it with Utf8 — the same values, 4 bytes less per row, and apache-arrow JS,
 * pyarrow and Polars read it as the same strings (Polars' dtype String). Only what changes
 * is rewritten: the schema's type ids in place, each batch's buffer table and body length in
 * place, and each string column's offsets; every other buffer is passed on as a view.
 * Dictionary-encoded strings (categoricals) are left as they are. Anything this does not
 * expect (compression, an unknown message, a layout it cannot follow) leaves the stream
 * unchanged: narrowing is an optimisation, never a requirement.
 *
 * @module
 */

import { FlatBuffer, type Table } from "../../../shared/arrow/flatbuffer.ts";
import {
  MessageHeader,
  readMessageMetadata,
  readRecordBatch,
} from "../../../shared/arrow/message.ts";
import { readSchema } from "../../../shared/arrow/schema.ts";
import { TypeId } from "../../../shared/arrow/field_type.ts";
import type { IpcChunks } from "./ipc.ts";

const NO_LIMITS = { maxColumns: 1 << 30, maxFields: 1 << 30, maxDepth: 1 << 30 };
// Schema.fbs slots.
const SCHEMA_FIELDS = 1;
const FIELD_TYPE_TYPE = 2;
const FIELD_DICTIONARY = 4;
const FIELD_CHILDREN = 5;
// Message.fbs slot of bodyLength.
const MESSAGE_BODY_LENGTH = 3;

/** Random access to the bytes of the engine's chunks. */
class Chunks {
  readonly #chunks: readonly Uint8Array[];
  readonly #starts: number[] = [];
  readonly length: number;

  constructor(ipc: IpcChunks) {
    this.#chunks = ipc.chunks;
    let at = 0;
    for (const chunk of ipc.chunks) {
      this.#starts.push(at);
      at += chunk.byteLength;
    }
    this.length = at;
  }

  /** `length` bytes from `start`: a view when one chunk holds them, else a copy. */
  bytes(start: number, length: number): Uint8Array {
    if (start < 0 || length < 0 || start + length > this.length) {
      throw new RangeError(`bytes [${start}, ${start + length}) are past the stream's end`);
    }
    let i = this.#find(start);
    const first = this.#chunks[i]!;
    const offset = start - this.#starts[i]!;
    if (offset + length <= first.byteLength) return first.subarray(offset, offset + length);
    const out = new Uint8Array(length);
    let done = 0;
    let from = offset;
    while (done < length) {
      const chunk = this.#chunks[i++]!;
      const piece = chunk.subarray(from, Math.min(chunk.byteLength, from + length - done));
      out.set(piece, done);
      done += piece.byteLength;
      from = 0;
    }
    return out;
  }

  #find(at: number): number {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** A copy of `bytes` (a Node Buffer's slice() is a view: never used here). */
function copy(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength);
  out.set(bytes);
  return out;
}

/** One framed message of the stream. */
interface Framed {
  readonly headerType: number;
  readonly header: Table;
  /** A copy of the metadata (the Message flatbuffer), to be patched. */
  readonly metadata: Uint8Array;
  readonly bodyStart: number;
  readonly bodyLength: number;
}

function readMessages(chunks: Chunks): Framed[] {
  const out: Framed[] = [];
  let at = 0;
  while (at < chunks.length) {
    const frame = chunks.bytes(at, 8);
    const view = new DataView(frame.buffer, frame.byteOffset, 8);
    if (view.getUint32(0, true) !== 0xffffffff) throw new RangeError("no continuation marker");
    const metadataLength = view.getInt32(4, true);
    if (metadataLength === 0) {
      if (at + 8 !== chunks.length) throw new RangeError("bytes after the end of stream");
      return out;
    }
    const metadata = copy(chunks.bytes(at + 8, metadataLength));
    const { headerType, header, bodyLength } = readMessageMetadata(metadata, "a message");
    const bodyStart = at + 8 + metadataLength;
    out.push({ headerType, header, metadata, bodyStart, bodyLength });
    at = bodyStart + bodyLength;
  }
  throw new RangeError("no end of stream");
}

/** Where each non-dictionary field's type id is, in the record batch's pre-order of nodes. */
function typeIdPositions(schema: Table): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  const top = schema.vector(SCHEMA_FIELDS, 4) ?? { start: 0, length: 0 };
  const stack: Table[] = [];
  for (let i = top.length - 1; i >= 0; i--) stack.push(schema.vectorTable(top, i));
  while (stack.length > 0) {
    const field = stack.pop()!;
    if (field.table(FIELD_DICTIONARY) !== undefined) {
      out.push(undefined);
      continue;
    }
    out.push(field.field(FIELD_TYPE_TYPE, 1));
    const children = field.vector(FIELD_CHILDREN, 4) ?? { start: 0, length: 0 };
    for (let i = children.length - 1; i >= 0; i--) stack.push(field.vectorTable(children, i));
  }
  return out;
}

/** The int32 offsets of int64 ones, or undefined when one does not fit. */
function narrowOffsets(wide: Uint8Array): Uint8Array | undefined {
  const aligned = wide.byteOffset % 4 === 0 ? wide : copy(wide);
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  const out = new Int32Array(words.length / 2);
  for (let i = 0; i < out.length; i++) {
    const low = words[2 * i]!;
    if (words[2 * i + 1] !== 0 || low < 0) return undefined;
    out[i] = low;
  }
  return new Uint8Array(out.buffer);
}

const PADDING = new Uint8Array(8);

/**
 * The stream with its LargeUtf8 columns as Utf8 when every offset fits in 32 bits; the same
 * stream (the object given) otherwise.
 */
export function narrowStrings(ipc: IpcChunks): IpcChunks {
  try {
    return narrow(ipc) ?? ipc;
  } catch {
    return ipc;
  }
}

function narrow(ipc: IpcChunks): IpcChunks | undefined {
  const chunks = new Chunks(ipc);
  const messages = readMessages(chunks);
  const schemaMessage = messages[0];
  if (schemaMessage?.headerType !== MessageHeader.Schema) return undefined;
  const layout = readSchema(schemaMessage.header, NO_LIMITS).batchLayout;
  const positions = typeIdPositions(schemaMessage.header);
  if (positions.length !== layout.length) return undefined;
  const narrowed = layout.map((l, i) => l.type === "LargeUtf8" && positions[i] !== undefined);
  if (!narrowed.includes(true)) return undefined;

  // Each batch's new buffers, decided before anything is written.
  const bodies = new Map<Framed, Uint8Array[]>();
  for (const message of messages.slice(1)) {
    if (message.headerType !== MessageHeader.RecordBatch) continue;
    const batch = readRecordBatch(message.header, "a record batch");
    if (batch.codec !== undefined || batch.nodes.length !== layout.length) return undefined;
    const flat = batch.flat;
    const buffers: Uint8Array[] = [];
    let variadic = 0;
    layout.forEach((node, n) => {
      let count = node.buffers.length;
      if (node.views) count += Number(flat.bigInt64(batch.variadicCounts.start + 8 * variadic++));
      for (let k = 0; k < count; k++) {
        const i = buffers.length;
        const at = batch.buffers.start + 16 * i;
        const bytes = chunks.bytes(
          message.bodyStart + flat.safeInt64(at, "a buffer offset"),
          flat.safeInt64(at + 8, "a buffer length"),
        );
        buffers.push(bytes);
      }
      if (narrowed[n]) {
        const i = buffers.length - 2; // validity, offsets, data
        const wide = buffers[i]!;
        const small = wide.byteLength === 0 ? wide : narrowOffsets(wide);
        if (small === undefined || wide.byteLength % 8 !== 0) throw new RangeError("too wide");
        buffers[i] = small;
      }
    });
    if (buffers.length !== batch.buffers.length) return undefined;
    bodies.set(message, buffers);
  }

  const out: Uint8Array[] = [];
  let byteLength = 0;
  const push = (piece: Uint8Array) => {
    if (piece.byteLength === 0) return;
    out.push(piece);
    byteLength += piece.byteLength;
  };
  for (const message of messages) {
    const metadata = message.metadata;
    const flat = new FlatBuffer(metadata);
    let body: Uint8Array[] = [chunks.bytes(message.bodyStart, message.bodyLength)];
    if (message === schemaMessage) {
      for (const at of positions.filter((_, i) => narrowed[i])) metadata[at!] = TypeId.Utf8;
    }
    const buffers = bodies.get(message);
    if (buffers !== undefined) {
      const batch = readRecordBatch(readMessageMetadata(metadata, "a record batch").header, "");
      const view = new DataView(metadata.buffer, metadata.byteOffset, metadata.byteLength);
      body = [];
      let offset = 0;
      buffers.forEach((buffer, i) => {
        const at = batch.buffers.start + 16 * i;
        view.setBigInt64(at, BigInt(offset), true);
        view.setBigInt64(at + 8, BigInt(buffer.byteLength), true);
        body.push(buffer);
        const padded = Math.ceil(buffer.byteLength / 8) * 8;
        if (padded > buffer.byteLength) body.push(PADDING.subarray(0, padded - buffer.byteLength));
        offset += padded;
      });
      const lengthAt = flat.root().field(MESSAGE_BODY_LENGTH, 8);
      if (lengthAt === undefined) return undefined;
      view.setBigInt64(lengthAt, BigInt(offset), true);
    }
    const prefix = new Uint8Array(8);
    const framing = new DataView(prefix.buffer);
    framing.setUint32(0, 0xffffffff, true);
    framing.setInt32(4, metadata.byteLength, true);
    push(prefix);
    push(metadata);
    for (const piece of body) push(piece);
  }
  const end = new Uint8Array(8);
  new DataView(end.buffer).setUint32(0, 0xffffffff, true);
  push(end);
  return { chunks: out, byteLength };
}
