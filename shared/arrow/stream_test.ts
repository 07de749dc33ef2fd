/**
 * The framing of a stream: truncations, bodies and metadata past the end, markers, message
 * kinds and their order. Each refusal is InvalidArrowError.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { InvalidArrowError } from "../errors.ts";
import { validateIpc } from "./validate_ipc.ts";
import {
  assertRefused,
  COMPRESSIONS,
  joinStream,
  messageBytes,
  messagesOf,
  polarsStream,
  richFrame,
  withByte,
  withInt32,
  withInt64,
} from "./_testing.ts";

const stream = () => polarsStream(richFrame(5), "zstd");

Deno.test("validateIpc() refuses every truncation of a stream except at a message boundary", () => {
  for (const compression of COMPRESSIONS) {
    const bytes = polarsStream(richFrame(3), compression);
    const ends = new Set(messagesOf(bytes).map((m) => m.end));
    for (let n = 1; n < bytes.byteLength; n++) {
      const cut = bytes.subarray(0, n);
      if (ends.has(n)) {
        assert.equal(validateIpc(cut).columns, 15, `cut at ${n}`);
        continue;
      }
      assert.throws(() => validateIpc(cut), InvalidArrowError, `cut at ${n}`);
    }
  }
});

Deno.test("validateIpc() refuses empty input and a stream of only an end-of-stream marker", () => {
  assertRefused(new Uint8Array(), /must not be empty/);
  assertRefused(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0), /start with a Schema message/);
});

Deno.test("validateIpc() refuses metadata and bodies that run past the end", () => {
  const bytes = stream();
  const [schema, dictionary] = messagesOf(bytes);
  assertRefused(withInt32(bytes, schema!.start + 4, 1 << 30), /metadata length in \[0, \d+\]/);
  assertRefused(withInt32(bytes, schema!.start + 4, -8), /current value is -8/);
  const bodyLength = dictionary!.flat.root().field(3, 8)!;
  const at = dictionary!.metadataStart + bodyLength;
  assertRefused(withInt64(bytes, at, BigInt(bytes.byteLength)), /body length in \[0, \d+\]/);
  assertRefused(withInt64(bytes, at, -1n), /body length .*current value is -1/);
  assertRefused(withInt64(bytes, at, 2n ** 61n), /2\^53/);
});

Deno.test("validateIpc() refuses a missing continuation marker (the pre-0.15 format)", () => {
  const bytes = stream();
  assertRefused(withInt32(bytes, 0, 200), /continuation marker 0xFFFFFFFF .*0x000000c8/);
});

Deno.test("validateIpc() refuses bytes after the end-of-stream marker", () => {
  const bytes = stream();
  const padded = new Uint8Array(bytes.byteLength + 3);
  padded.set(bytes);
  assertRefused(padded, /end at its end-of-stream marker: current value is 3 bytes after it/);
});

Deno.test("validateIpc() refuses Tensor, SparseTensor and unknown messages", () => {
  const bytes = stream();
  const [, batch] = messagesOf(bytes);
  const headerType = batch!.metadataStart + batch!.flat.root().field(1, 1)!;
  assertRefused(
    withByte(bytes, headerType, 4),
    /Schema, DictionaryBatch or RecordBatch: current value is Tensor/,
  );
  assertRefused(withByte(bytes, headerType, 5), /current value is SparseTensor/);
  assertRefused(withByte(bytes, headerType, 0), /current value is NONE/);
  assertRefused(withByte(bytes, headerType, 77), /current value is header type 77/);
});

Deno.test("validateIpc() refuses metadata versions before V4", () => {
  const bytes = stream();
  const [schema] = messagesOf(bytes);
  const version = schema!.metadataStart + schema!.flat.root().field(0, 2)!;
  assertRefused(
    withByte(bytes, version, 2),
    /metadata version V4 or V5 \(3 or 4\): current value is 2/,
  );
});

Deno.test("validateIpc() refuses batches before the schema and a second schema", () => {
  const bytes = polarsStream(pl.DataFrame({ x: [1, 2] }), "uncompressed");
  const [schema, batch] = messagesOf(bytes).map((m) => messageBytes(bytes, m));
  assertRefused(joinStream([batch!, schema!]), /start with a Schema message/);
  assertRefused(joinStream([schema!, batch!, schema!]), /one Schema message: message 2/);
  assert.equal(validateIpc(joinStream([schema!, batch!, batch!])).rows, 4);
});

Deno.test("validateIpc() refuses a dictionary batch for an id the schema does not have", () => {
  // Two categorical columns: dictionaries 0 and 1 (an id of 0 is left out of the FlatBuffer).
  const df = pl.DataFrame({ a: ["x", "y"], b: ["u", "v"] }).select(
    pl.col("a").cast(pl.Categorical),
    pl.col("b").cast(pl.Categorical),
  );
  const bytes = polarsStream(df, "lz4");
  const second = messagesOf(bytes).find((m) => m.header.field(0, 8) !== undefined);
  assert.ok(second, "a dictionary batch names its id");
  const at = second.metadataStart + second.header.field(0, 8)!;
  assertRefused(withInt64(bytes, at, 99n), /dictionary id of the schema: current value is 99/);
  assertRefused(withInt64(bytes, at, -(2n ** 62n)), /2\^53/);
});

Deno.test("validateIpc() reports metadata that is not FlatBuffers as InvalidArrowError", () => {
  const bytes = stream();
  const [schema] = messagesOf(bytes);
  // The root offset of the schema message's FlatBuffer, pointed past its end.
  assertRefused(withInt32(bytes, schema!.metadataStart, 1 << 20), /must be valid FlatBuffers/);
});
