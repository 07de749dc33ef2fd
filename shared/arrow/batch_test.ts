/**
 * Record batches that lie about their layout: node and buffer counts that do not match the
 * schema, buffers outside the body, lengths larger than the buffers that should hold them.
 */

import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import pl from "nodejs-polars";
import { validateIpc } from "./validate_ipc.ts";
import {
  assertRefused,
  batchSlots,
  type Compression,
  messagesOf,
  polarsStream,
  withInt32,
  withInt64,
} from "./_testing.ts";

/** Five rows of one Int64 column with a null: nodes [x], buffers [validity, values]. */
function ints(compression: Compression = "uncompressed") {
  const bytes = polarsStream(
    pl.DataFrame({ x: pl.Series("x", [1, null, 3, 4, 5], pl.Int64) }),
    compression,
  );
  const [slots] = batchSlots(messagesOf(bytes));
  return { bytes, slots: slots! };
}

Deno.test("validateIpc() refuses buffers outside their message body", () => {
  const { bytes, slots } = ints();
  const values = slots.buffers[1]!;
  const bodyLength = slots.message.bodyLength;
  assertRefused(
    withInt64(bytes, values.struct, BigInt(bodyLength)),
    new RegExp(`buffer 1 must lie inside the ${bodyLength}-byte body`),
  );
  assertRefused(withInt64(bytes, values.struct + 8, BigInt(bodyLength + 1)), /inside the/);
  assertRefused(withInt64(bytes, values.struct, -8n), /current range is \[-8, /);
  assertRefused(withInt64(bytes, values.struct + 8, -1n), /inside the/);
  assertRefused(withInt64(bytes, values.struct, 2n ** 62n), /2\^53/);
});

Deno.test("validateIpc() refuses node and buffer counts that do not match the schema", () => {
  const { bytes, slots } = ints();
  assertRefused(
    withInt32(bytes, slots.nodesLength, 0),
    /1 field nodes, one per field .*current value is 0/,
  );
  assertRefused(
    withInt32(bytes, slots.buffersLength, 1),
    /2 buffers for its schema's types: current value is 1/,
  );
  assertRefused(withInt32(bytes, slots.buffersLength, 1 << 30), /FlatBuffers/);
});

Deno.test("validateIpc() refuses lengths larger than the buffers that hold them", () => {
  for (const compression of ["uncompressed", "zstd"] as const) {
    const { bytes, slots } = ints(compression);
    // Batch and node say 1000 rows; the values hold 5.
    const lying = withInt64(withInt64(bytes, slots.length!, 1000n), slots.nodes[0]!, 1000n);
    assertRefused(
      lying,
      compression === "zstd"
        ? /buffer 0 \(validity\) must have at least 125 bytes for 1000 slots once decoded/
        : /buffer 0 \(validity\) must have at least 125 bytes for 1000 slots: current value is/,
    );
  }
});

Deno.test("validateIpc() refuses a node longer than its batch, or than the rows bound", () => {
  const { bytes, slots } = ints();
  assertRefused(withInt64(bytes, slots.nodes[0]!, 6n), /the batch's length 5: current value is 6/);
  assertRefused(
    withInt64(bytes, slots.nodes[0]!, 2n ** 40n),
    /length in \[0, 2000000000\] \(POLAROID_MAX_RESULT_ROWS\)/,
  );
  assertRefused(withInt64(bytes, slots.nodes[0]!, -1n), /length in \[0, /);
});

Deno.test("validateIpc() refuses null counts outside [0, length] and nulls without a bitmap", () => {
  const { bytes, slots } = ints();
  assertRefused(
    withInt64(bytes, slots.nodes[0]! + 8, 6n),
    /null count in \[0, 5\]: current value is 6/,
  );
  assertRefused(withInt64(bytes, slots.nodes[0]! + 8, -1n), /null count/);
  const validity = slots.buffers[0]!;
  assertRefused(
    withInt64(bytes, validity.struct + 8, 0n),
    /\(validity\) must have at least 1 bytes/,
  );
  // With no nulls, an absent bitmap is fine.
  const none = withInt64(withInt64(bytes, validity.struct + 8, 0n), slots.nodes[0]! + 8, 0n);
  assert.equal(validateIpc(none).rows, 5);
});

Deno.test("validateIpc() refuses a compressed buffer too short for its length prefix", () => {
  const { bytes, slots } = ints("lz4");
  assertRefused(
    withInt64(bytes, slots.buffers[1]!.struct + 8, 5n),
    /8-byte uncompressed length: current length is 5/,
  );
});

Deno.test("validateIpc() refuses offsets too short for the strings they delimit", () => {
  const bytes = polarsStream(pl.DataFrame({ s: ["a", "bb", null, "dddd", "e"] }), "uncompressed");
  const [slots] = batchSlots(messagesOf(bytes));
  // LargeUtf8: validity, offsets (6 × 8 bytes), data.
  const offsets = slots!.buffers[1]!;
  assertRefused(
    withInt64(bytes, offsets.struct + 8, 40n),
    /\(offsets\) must have at least 48 bytes for 5 slots/,
  );
});

Deno.test("validateIpc() refuses struct children shorter than their parent", () => {
  const df = pl.DataFrame({ a: [1, 2, 3], b: ["x", "y", "z"] }).select(
    pl.struct([pl.col("a"), pl.col("b")]).alias("s"),
  );
  const bytes = polarsStream(df, "zstd");
  const [slots] = batchSlots(messagesOf(bytes));
  assertRefused(
    withInt64(bytes, slots!.nodes[1]!, 2n),
    /a child of a Struct of length 3\) must have at least 3 slots: current value is 2/,
  );
});

Deno.test("validateIpc() refuses a fixed-size list whose values are fewer than length × size", () => {
  const type = new arrow.FixedSizeList(3, new arrow.Field("v", new arrow.Int16(), true));
  const table = new arrow.Table({ l: arrow.vectorFromArray([[1, 2, 3], [4, 5, 6]], type) });
  const bytes = arrow.tableToIPC(table, "stream");
  const [slots] = batchSlots(messagesOf(bytes));
  assertRefused(
    withInt64(bytes, slots!.nodes[1]!, 5n),
    /FixedSizeList\[3\] of length 2\) must have at least 6 slots/,
  );
});

Deno.test("validateIpc() refuses variadic buffer counts that do not match the view fields", () => {
  const table = new arrow.Table({
    s: arrow.vectorFromArray(["short", "a string longer than twelve bytes"], new arrow.Utf8View()),
  });
  const bytes = arrow.tableToIPC(table, "stream");
  assert.equal(validateIpc(bytes).rows, 2);
  const message = messagesOf(bytes)[1]!;
  const counts = message.header.vector(4, 8)!;
  const at = message.metadataStart + counts.start;
  assertRefused(
    withInt64(bytes, at, 2n),
    /must have 4 buffers for its schema's types: current value is 3/,
  );
  assertRefused(withInt64(bytes, at, 7n), /variadic buffer counts in \[0, 3\]: current value is 7/);
  assertRefused(
    withInt64(bytes, at, -1n),
    /variadic buffer counts in \[0, \d+\]: current value is -1/,
  );
  assertRefused(
    withInt32(bytes, at - 4, 0),
    /1 variadic buffer counts, one per view field: current value is 0/,
  );
});
