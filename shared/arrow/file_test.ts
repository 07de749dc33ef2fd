/**
 * IPC files are read through their footer: footers and blocks that point outside the file,
 * overlap, or disagree with the messages they point at are refused.
 */

import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import { InvalidArrowError } from "../errors.ts";
import { FlatBuffer } from "./flatbuffer.ts";
import { isArrowFile } from "./file.ts";
import { validateIpc } from "./validate_ipc.ts";
import {
  assertRefused,
  fileBlocks,
  polarsFile,
  richFrame,
  withByte,
  withInt32,
  withInt64,
} from "./_testing.ts";

/** An apache-arrow file of two record batches and no dictionaries. */
function twoBatches(): Uint8Array {
  const table = (x: number[], s: string[]) =>
    new arrow.Table({
      x: arrow.vectorFromArray(x, new arrow.Int32()),
      s: arrow.vectorFromArray(s, new arrow.Utf8()),
    });
  const one = table([1, 2, 3], ["a", "b", "c"]);
  const two = table([4, 5], ["d", "e"]);
  return arrow.tableToIPC(one.concat(two), "file");
}

Deno.test("isArrowFile() tells files from streams by their magic", () => {
  assert.equal(isArrowFile(twoBatches()), true);
  assert.equal(isArrowFile(arrow.tableToIPC(arrow.tableFromArrays({ x: [1] }), "stream")), false);
  assert.equal(isArrowFile(new Uint8Array(3)), false);
});

Deno.test("validateIpc() refuses footer blocks that point outside the file", () => {
  const bytes = twoBatches();
  assert.equal(validateIpc(bytes).rows, 5);
  const { footerStart, blocks } = fileBlocks(bytes);
  const [first] = blocks;
  const outside = new RegExp(`lie between byte 8 and the footer at byte ${footerStart}`);
  assertRefused(withInt64(bytes, first!, BigInt(bytes.byteLength)), outside);
  assertRefused(withInt64(bytes, first!, BigInt(footerStart)), outside);
  assertRefused(withInt64(bytes, first!, 0n), outside);
  assertRefused(withInt64(bytes, first!, -8n), outside);
  assertRefused(withInt64(bytes, first!, 2n ** 61n), /2\^53/);
  assertRefused(withInt32(bytes, first! + 8, 1 << 30), outside);
  assertRefused(withInt32(bytes, first! + 8, -1), outside);
  assertRefused(withInt64(bytes, first! + 16, BigInt(bytes.byteLength)), outside);
  assertRefused(withInt64(bytes, first! + 16, -1n), outside);
});

Deno.test("validateIpc() refuses overlapping blocks: one message counted twice", () => {
  const bytes = twoBatches();
  const { blocks } = fileBlocks(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const copy = bytes.slice();
  // The second block's struct made equal to the first's.
  copy.set(bytes.subarray(blocks[0]!, blocks[0]! + 24), blocks[1]!);
  assert.equal(view.getBigInt64(blocks[0]!, true) < view.getBigInt64(blocks[1]!, true), true);
  assertRefused(copy, /record batch block \d must not overlap record batch block \d/);
});

Deno.test("validateIpc() refuses blocks that disagree with the messages they point at", () => {
  const bytes = twoBatches();
  const { blocks } = fileBlocks(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const [first] = blocks;
  const metaDataLength = view.getInt32(first! + 8, true);
  const bodyLength = view.getBigInt64(first! + 16, true);
  assertRefused(withInt32(bytes, first! + 8, metaDataLength - 8), /framing is its metaDataLength/);
  assertRefused(withInt64(bytes, first! + 16, bodyLength - 8n), /body length of its message/);
  // A nodejs-polars file has its schema message at byte 8: a block pointing there.
  const polars = polarsFile(richFrame(3).drop("cat"), "zstd");
  const [only] = fileBlocks(polars).blocks;
  assert.notEqual(new DataView(polars.buffer).getBigInt64(only!, true), 8n);
  assertRefused(withInt64(polars, only!, 8n), /(point at a record batch|framing)/);
  // A dictionary block and a record batch block swapped.
  const withDictionary = polarsFile(richFrame(3), "lz4");
  const [dictionary, record] = fileBlocks(withDictionary).blocks;
  const swapped = withDictionary.slice();
  swapped.set(withDictionary.subarray(record!, record! + 24), dictionary!);
  swapped.set(withDictionary.subarray(dictionary!, dictionary! + 24), record!);
  assertRefused(swapped, /dictionary block 0 must point at a dictionary batch/);
});

Deno.test("validateIpc() refuses a bad footer length or trailing magic", () => {
  const bytes = polarsFile(richFrame(4), "zstd");
  const n = bytes.byteLength;
  assertRefused(withInt32(bytes, n - 10, n), /footer length must be in \[1, \d+\]/);
  assertRefused(withInt32(bytes, n - 10, -1), /footer length/);
  assertRefused(withInt32(bytes, n - 10, 0), /footer length/);
  assertRefused(withByte(bytes, n - 1, 0x30), /end with "ARROW1"/);
  assertRefused(bytes.subarray(0, 12), /end with "ARROW1"/);
});

Deno.test("validateIpc() refuses every truncation of a file", () => {
  const bytes = polarsFile(richFrame(3), "lz4");
  for (let n = 6; n < bytes.byteLength; n += 7) {
    assert.throws(() => validateIpc(bytes.subarray(0, n)), InvalidArrowError, `cut at ${n}`);
  }
});

Deno.test("validateIpc() checks the footer's schema, which the engine reads", () => {
  const bytes = polarsFile(richFrame(3), "uncompressed");
  const { footerStart } = fileBlocks(bytes);
  const footer = new FlatBuffer(bytes.subarray(footerStart, bytes.byteLength - 10)).root();
  const schema = footer.table(1)!;
  const field = schema.vectorTable(schema.vector(1, 4)!, 0);
  const typeId = footerStart + field.field(2, 1)!;
  assertRefused(withByte(bytes, typeId, 99), /known type id in \[1, 26\]: current value is 99/);
  const version = footer.field(0, 2);
  assert.ok(version !== undefined);
  assertRefused(withByte(bytes, footerStart + version, 1), /footer must have metadata version/);
});
