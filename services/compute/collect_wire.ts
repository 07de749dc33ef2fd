/**
 * CollectResponse on the wire without extra copies. The generated codec copies an
 * `arrow_ipc` payload three times (into its writer, out of it, into a Buffer), which costs
 * more than the network on loopback; here each message is laid out once, straight from the
 * engine's IPC chunks, as exactly the protobuf bytes the generated encoder writes. The
 * response object keeps its wire bytes, and the service definition's serializer sends them.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import {
  CollectResponse,
  DataFrameServiceService,
} from "../../shared/gen/polaroid/v1/dataframe.ts";
import { copyIpcChunks, type IpcChunks } from "./engine/mod.ts";

/** A CollectResponse that carries its own encoding. */
export interface EncodedCollectResponse extends CollectResponse {
  /** The protobuf bytes of this message; `arrowIpc` is a view into them. */
  readonly wire: Buffer;
}

function varintLength(value: bigint): number {
  let n = 1;
  for (let v = value >> 7n; v > 0n; v >>= 7n) n++;
  return n;
}

function writeVarint(target: Buffer, offset: number, value: bigint): number {
  let v = value;
  let at = offset;
  while (v >= 0x80n) {
    target[at++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  target[at++] = Number(v);
  return at;
}

/**
 * The Collect message of one batch: field 1 (arrow_ipc), then 2 (rows) and 3 (batch_index)
 * when not zero, as the generated encoder orders and omits them.
 */
export function encodeCollectResponse(
  ipc: IpcChunks,
  rows: bigint,
  batchIndex: bigint,
): EncodedCollectResponse {
  const length = BigInt(ipc.byteLength);
  const head = ipc.byteLength === 0 ? 0 : 1 + varintLength(length);
  const size = head + ipc.byteLength + (rows === 0n ? 0 : 1 + varintLength(rows)) +
    (batchIndex === 0n ? 0 : 1 + varintLength(batchIndex));
  const wire = Buffer.allocUnsafe(size);
  let at = 0;
  if (ipc.byteLength > 0) {
    wire[at++] = 0x0a;
    at = writeVarint(wire, at, length);
    at = copyIpcChunks(ipc, wire, at);
  }
  if (rows !== 0n) {
    wire[at++] = 0x10;
    at = writeVarint(wire, at, rows);
  }
  if (batchIndex !== 0n) {
    wire[at++] = 0x18;
    at = writeVarint(wire, at, batchIndex);
  }
  return { wire, arrowIpc: wire.subarray(head, head + ipc.byteLength), rows, batchIndex };
}

/**
 * The protobuf bytes of a batch's Collect message as pieces around the engine's IPC chunks,
 * which are not copied: `head` (field 1's tag and length), the chunks, then `tail` (fields 2
 * and 3 when not zero). Their concatenation decodes as {@link encodeCollectResponse}'s does.
 */
export function collectResponsePieces(
  ipc: IpcChunks,
  rows: bigint,
  batchIndex: bigint,
): { head: Buffer; tail: Buffer; byteLength: number } {
  const length = BigInt(ipc.byteLength);
  const head = Buffer.allocUnsafe(ipc.byteLength === 0 ? 0 : 1 + varintLength(length));
  if (ipc.byteLength > 0) {
    head[0] = 0x0a;
    writeVarint(head, 1, length);
  }
  const tail = Buffer.allocUnsafe(
    (rows === 0n ? 0 : 1 + varintLength(rows)) +
      (batchIndex === 0n ? 0 : 1 + varintLength(batchIndex)),
  );
  let at = 0;
  if (rows !== 0n) {
    tail[at++] = 0x10;
    at = writeVarint(tail, at, rows);
  }
  if (batchIndex !== 0n) {
    tail[at++] = 0x18;
    at = writeVarint(tail, at, batchIndex);
  }
  return { head, tail, byteLength: head.byteLength + ipc.byteLength + tail.byteLength };
}

/** Sends a message's own encoding when it has one, else encodes it as generated. */
export function serializeCollectResponse(value: CollectResponse): Buffer {
  const wire = (value as Partial<EncodedCollectResponse>).wire;
  return wire ?? Buffer.from(CollectResponse.encode(value).finish());
}

/** DataFrameService with Collect's responses serialized by serializeCollectResponse(). */
export const DATAFRAME_SERVICE: typeof DataFrameServiceService = {
  ...DataFrameServiceService,
  collect: { ...DataFrameServiceService.collect, responseSerialize: serializeCollectResponse },
};
