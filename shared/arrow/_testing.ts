/**
 * Test helpers: valid Arrow IPC from nodejs-polars and apache-arrow JS, and the positions of
 * the numbers in it (field nodes, buffers, compressed length prefixes, footer blocks) so a
 * test can write a lie exactly where a reader would believe it.
 *
 * @module
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { InvalidArrowError } from "../errors.ts";
import { FlatBuffer, type Table } from "./flatbuffer.ts";
import { type Message, MessageHeader, readFramed } from "./message.ts";
import { validateIpc, type ValidateIpcOptions } from "./validate_ipc.ts";

/** Codecs nodejs-polars writes IPC with. */
export type Compression = "uncompressed" | "lz4" | "zstd";
export const COMPRESSIONS: readonly Compression[] = ["uncompressed", "lz4", "zstd"];

/** A frame with one column of most types the engine holds, nulls included. */
export function richFrame(rows = 5): pl.DataFrame {
  const at = (i: number) => new Date(Date.UTC(2024, 0, 1 + i, i % 24));
  const idx = Array.from({ length: rows }, (_, i) => i);
  return pl.DataFrame([
    pl.Series("i8", idx.map((i) => i % 100), pl.Int8),
    pl.Series("u32", idx, pl.UInt32),
    pl.Series("i64", idx.map((i) => (i % 3 === 2 ? null : i * 1000)), pl.Int64),
    pl.Series("f32", idx.map((i) => i / 4), pl.Float32),
    pl.Series("f64", idx.map((i) => (i % 4 === 3 ? null : i * 1.5))),
    pl.Series("bool", idx.map((i) => (i % 5 === 4 ? null : i % 2 === 0))),
    pl.Series("str", idx.map((i) => (i % 3 === 1 ? null : `value ${i} ${"x".repeat(i % 20)}`))),
    pl.Series("list", idx.map((i) => (i % 4 === 1 ? null : idx.slice(0, i % 4)))),
    pl.Series("strs", idx.map((i) => [`a${i}`, `b${i % 3}`])),
    pl.Series("cat", idx.map((i) => ["AAPL", "MSFT", null, "GOOG"][i % 4]!)).cast(pl.Categorical),
    pl.Series("date", idx.map(at)).cast(pl.Date),
    pl.Series("ts", idx.map(at)).cast(pl.Datetime("us", "America/New_York")),
    pl.Series("dur", idx.map((i) => i * 60_000)).cast(pl.Duration("ms")),
    pl.Series("nulls", idx.map(() => null)),
  ]).withColumns(pl.struct([pl.col("i64"), pl.col("str")]).alias("struct"));
}

/** A frame as an IPC stream from nodejs-polars. */
export function polarsStream(df: pl.DataFrame, compression: Compression): Uint8Array {
  return new Uint8Array(df.writeIPCStream({ compression }));
}

/** A frame as an IPC file from nodejs-polars. */
export function polarsFile(df: pl.DataFrame, compression: Compression): Uint8Array {
  return new Uint8Array(df.writeIPC({ compression }));
}

/** A copy of the bytes with an int64 written at `at`. */
export function withInt64(bytes: Uint8Array, at: number, value: bigint): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setBigInt64(at, value, true);
  return copy;
}

/** A copy of the bytes with an int32 written at `at`. */
export function withInt32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setInt32(at, value, true);
  return copy;
}

/** A copy of the bytes with one byte written at `at`. */
export function withByte(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice();
  copy[at] = value;
  return copy;
}

/** A message of a stream, with the absolute position of its metadata. */
export interface FramedMessage extends Message {
  readonly start: number;
  readonly metadataStart: number;
  readonly flat: FlatBuffer;
}

/** The messages framed from `at` on, up to the end-of-stream marker or `limit`. */
export function messagesOf(bytes: Uint8Array, at = 0, limit = bytes.byteLength): FramedMessage[] {
  const out: FramedMessage[] = [];
  while (at < limit) {
    const message = readFramed(bytes, { at, limit, what: "a test message" });
    if (message === "eos") break;
    const metadataStart = at + 8;
    const flat = new FlatBuffer(bytes.subarray(metadataStart, message.bodyStart));
    out.push({ ...message, start: at, metadataStart, flat });
    at = message.end;
  }
  return out;
}

/** The bytes of one framed message (framing, metadata and body). */
export function messageBytes(bytes: Uint8Array, message: FramedMessage): Uint8Array {
  return bytes.subarray(message.start, message.end);
}

/** Messages joined into a stream, with the end-of-stream marker. */
export function joinStream(messages: readonly Uint8Array[]): Uint8Array {
  const eos = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);
  const total = messages.reduce((n, m) => n + m.byteLength, eos.byteLength);
  const out = new Uint8Array(total);
  let at = 0;
  for (const m of [...messages, eos]) {
    out.set(m, at);
    at += m.byteLength;
  }
  return out;
}

/** Where the numbers of one record (or dictionary) batch are, as absolute positions. */
export interface BatchSlots {
  readonly message: FramedMessage;
  /** The header table's field that holds the batch's length. */
  readonly length: number | undefined;
  /** Each FieldNode: its length, then its null count 8 bytes on. */
  readonly nodes: number[];
  /** Each Buffer: its struct (offset, then length 8 bytes on) and its body bytes. */
  readonly buffers: { struct: number; body: number; length: number }[];
  /** The vector length word of the nodes and buffers vectors. */
  readonly nodesLength: number;
  readonly buffersLength: number;
}

function vectorSlots(message: FramedMessage, table: Table, slot: number) {
  const range = table.vector(slot, 16)!;
  const absolute = (p: number) => message.metadataStart + p;
  return {
    lengthWord: absolute(range.start - 4),
    structs: Array.from({ length: range.length }, (_, i) => absolute(range.start + 16 * i)),
  };
}

/** The slots of every record and dictionary batch of a stream (or of messages from `at`). */
export function batchSlots(messages: readonly FramedMessage[]): BatchSlots[] {
  return messages.filter((m) => m.headerType !== MessageHeader.Schema).map((message) => {
    const batch = message.headerType === MessageHeader.RecordBatch
      ? message.header
      : message.header.table(1)!;
    const nodes = vectorSlots(message, batch, 1);
    const buffers = vectorSlots(message, batch, 2);
    const lengthField = batch.field(0, 8);
    return {
      message,
      length: lengthField === undefined ? undefined : message.metadataStart + lengthField,
      nodes: nodes.structs,
      nodesLength: nodes.lengthWord,
      buffersLength: buffers.lengthWord,
      buffers: buffers.structs.map((struct) => {
        const view = new DataView(message.flat.bytes.buffer, message.flat.bytes.byteOffset);
        const local = struct - message.metadataStart;
        return {
          struct,
          body: message.bodyStart + Number(view.getBigInt64(local, true)),
          length: Number(view.getBigInt64(local + 8, true)),
        };
      }),
    };
  });
}

/** Positions of the 8-byte uncompressed-length prefixes of every non-empty buffer. */
export function compressedPrefixes(bytes: Uint8Array): number[] {
  return batchSlots(messagesOf(bytes)).flatMap((b) =>
    b.buffers.filter((x) => x.length >= 8).map((x) => x.body)
  );
}

/** The footer of an IPC file and the absolute positions of its blocks' structs. */
export function fileBlocks(bytes: Uint8Array): { footerStart: number; blocks: number[] } {
  const n = bytes.byteLength;
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset).getInt32(n - 10, true);
  const footerStart = n - 10 - footerLength;
  const footer = new FlatBuffer(bytes.subarray(footerStart, n - 10)).root();
  const blocks: number[] = [];
  for (const slot of [2, 3]) {
    const range = footer.vector(slot, 24);
    for (let i = 0; i < (range?.length ?? 0); i++) blocks.push(footerStart + range!.start + 24 * i);
  }
  return { footerStart, blocks };
}

/**
 * Asserts validateIpc() refuses the bytes with InvalidArrowError whose message matches
 * `pattern` (and names `limit` in its metadata when given).
 */
export function assertRefused(
  bytes: Uint8Array,
  pattern: RegExp,
  options: ValidateIpcOptions & { limit?: string } = {},
): InvalidArrowError {
  const { limit, ...limits } = options;
  let caught: unknown;
  try {
    validateIpc(bytes, limits);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof InvalidArrowError, `expected InvalidArrowError, got ${caught}`);
  assert.match(caught.message, pattern);
  assert.match(caught.message, /^Cannot read Arrow IPC as /);
  if (limit !== undefined) assert.equal(caught.metadata.limit, limit);
  return caught;
}
