import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import pl from "nodejs-polars";
import { compressedPrefixes, withInt64 } from "../../../shared/arrow/_testing.ts";
import { assertFramesEqual, int64Series, sampleFrame, testLimits } from "./_testing.ts";
import {
  batchCount,
  copyIpcChunks,
  frameFromIpc,
  frameToIpc,
  frameToIpcBatches,
  frameToIpcChunks,
  type IpcChunks,
  uploadIpcLimits,
} from "./ipc.ts";

function joined(ipc: IpcChunks): Uint8Array {
  const out = new Uint8Array(ipc.byteLength);
  assert.equal(copyIpcChunks(ipc, out), ipc.byteLength);
  return out;
}

function rich(): pl.DataFrame {
  return pl.DataFrame({
    i: int64Series("i", [9007199254740993n, -9223372036854775808n, 0n]),
    s: ["x", null, "zz"],
    b: [true, null, false],
  }).withColumns(
    pl.lit("1700000000123456").cast(pl.Int64).cast(pl.Datetime("us", "Europe/Paris")).alias("ts"),
    pl.lit(19000).cast(pl.Int32).cast(pl.Date).alias("d"),
    pl.concatList([pl.col("b"), pl.lit(true)]).alias("l"),
  );
}

Deno.test("frameToIpcBatches() splits 10 rows by 3 into 3, 3, 3 and 1 that concatenate back", async () => {
  const df = pl.DataFrame({
    n: Array.from({ length: 10 }, (_, i) => i),
    s: "abcdefghij".split(""),
  });
  const batches = await Array.fromAsync(frameToIpcBatches(df, 3));
  assert.deepStrictEqual(batches.map((b) => b.rows), [3, 3, 3, 1]);
  const parts = batches.map((b) => frameFromIpc(joined(b.ipc)));
  assert.deepStrictEqual(parts.map((p) => p.height), [3, 3, 3, 1]);
  assertFramesEqual(pl.concat(parts), df);
  // Each item is a whole stream apache-arrow reads on its own.
  const tables = batches.map((b) => arrow.tableFromIPC(joined(b.ipc)));
  assert.deepStrictEqual(tables.map((t) => t.numRows), [3, 3, 3, 1]);
  assert.deepStrictEqual(tables[3]!.getChild("s")!.toArray(), ["j"]);
});

Deno.test("frameToIpcBatches() yields one schema-only item for an empty frame", async () => {
  const empty = sampleFrame().head(0);
  const batches = await Array.fromAsync(frameToIpcBatches(empty, 100));
  assert.equal(batches.length, 1);
  assert.equal(batches[0]!.rows, 0);
  const table = arrow.tableFromIPC(joined(batches[0]!.ipc));
  assert.equal(table.numRows, 0);
  assert.deepStrictEqual(table.schema.fields.map((f) => f.name), empty.columns);
  assertFramesEqual(frameFromIpc(joined(batches[0]!.ipc)), empty);
  await assert.rejects(Array.fromAsync(frameToIpcBatches(empty, 0)), RangeError);
});

Deno.test("frameToIpcBatches() from a start batch yields the same batches as a full read", async () => {
  const df = pl.DataFrame({ n: Array.from({ length: 10 }, (_, i) => i) });
  const all = await Array.fromAsync(frameToIpcBatches(df, 3));
  const rest = await Array.fromAsync(frameToIpcBatches(df, 3, 2));
  assert.deepStrictEqual(rest.map((b) => b.index), [2, 3]);
  assert.deepStrictEqual(rest.map((b) => joined(b.ipc)), all.slice(2).map((b) => joined(b.ipc)));
  assert.deepStrictEqual(await Array.fromAsync(frameToIpcBatches(df, 3, 4)), []);
  await assert.rejects(
    Array.fromAsync(frameToIpcBatches(df, 3, 5)),
    /'startBatch' must be an integer in \[0, 4\]/,
  );
  assert.deepStrictEqual(await Array.fromAsync(frameToIpcBatches(df.head(0), 3, 1)), []);
});

Deno.test("frameToIpcBatches() encodes a batch only when it is asked for", async () => {
  const df = pl.DataFrame({ n: Array.from({ length: 1000 }, (_, i) => i) });
  const batches = frameToIpcBatches(df, 10);
  const first = await batches.next();
  assert.equal(first.done, false);
  // A generator does no work before the next pull: returning early encodes nothing more.
  assert.deepStrictEqual(await batches.return(undefined), { done: true, value: undefined });
  assert.equal(batchCount(1000, 10), 100);
  assert.equal(batchCount(1001, 10), 101);
  assert.equal(batchCount(0, 10), 1);
});

Deno.test("frameToIpcChunks() writes the same bytes as nodejs-polars' writeIPCStream()", () => {
  for (const df of [rich(), sampleFrame(), sampleFrame().head(0)]) {
    const ipc = frameToIpcChunks(df);
    assert.ok(ipc.chunks.length > 1);
    const expected = df.writeIPCStream({ compression: "uncompressed" });
    assert.deepStrictEqual(joined(ipc), new Uint8Array(expected));
    assert.deepStrictEqual(frameToIpc(df), new Uint8Array(expected));
  }
});

Deno.test("frameToIpc() writes uncompressed streams apache-arrow reads exactly", () => {
  const table = arrow.tableFromIPC(frameToIpc(rich()));
  assert.deepStrictEqual(table.schema.fields.map((f) => `${f.name}: ${f.type}`), [
    "i: Int64",
    "s: LargeUtf8",
    "b: Bool",
    "ts: Timestamp<MICROSECOND, Europe/Paris>",
    "d: Date32<DAY>",
    "l: LargeList<Bool>",
  ]);
  assert.deepStrictEqual([...table.getChild("i")!.toArray()], [
    9007199254740993n,
    -9223372036854775808n,
    0n,
  ]);
  assert.deepStrictEqual([...table.getChild("s")!], ["x", null, "zz"]);
  assert.deepStrictEqual([...table.getChild("b")!], [true, null, false]);
  assert.deepStrictEqual([...table.getChild("ts")!.toArray()], [
    1700000000123456n,
    1700000000123456n,
    1700000000123456n,
  ]);
  assert.equal(table.getChild("d")!.get(0), 19000 * 86_400_000);
  assert.deepStrictEqual([...table.getChild("l")!.get(1)!], [null, true]);
});

Deno.test("frameFromIpc() round-trips apache-arrow streams and files exactly", () => {
  const table = arrow.tableFromIPC(frameToIpc(rich()));
  for (const format of ["stream", "file"] as const) {
    const bytes = arrow.tableToIPC(table, format);
    assertFramesEqual(frameFromIpc(bytes), rich());
  }
  const built = arrow.tableFromArrays({
    x: new BigInt64Array([9007199254740993n, -1n]),
    f: new Float64Array([0.5, -0]),
  });
  const df = frameFromIpc(arrow.tableToIPC(built, "stream"));
  assert.deepStrictEqual([...df.getColumn("x").toTypedArray()], [9007199254740993n, -1n]);
  assert.deepStrictEqual(
    arrow.tableFromIPC(frameToIpc(df)).getChild("f")!.toArray(),
    built.getChild("f")!.toArray(),
  );
});

Deno.test("frameFromIpc() reads a sliced view without copying it first", () => {
  const bytes = frameToIpc(rich());
  const padded = new Uint8Array(bytes.byteLength + 16);
  padded.set(bytes, 8);
  assertFramesEqual(frameFromIpc(padded.subarray(8, 8 + bytes.byteLength)), rich());
});

Deno.test("frameFromIpc() refuses malformed or unsupported bytes with InvalidArrowError", () => {
  const cases = [
    new Uint8Array(),
    new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]),
    new TextEncoder().encode("ARROW1 but not really a file"),
    frameToIpc(rich()).subarray(0, 100),
  ];
  for (const bytes of cases) {
    assert.throws(() => frameFromIpc(bytes), { name: "InvalidArrowError" });
  }
  const binary = new arrow.Table({
    bin: arrow.vectorFromArray([new Uint8Array([1, 2])], new arrow.Binary()),
  });
  assert.throws(() => frameFromIpc(arrow.tableToIPC(binary, "stream")), {
    name: "InvalidArrowError",
    message: /Binary/,
  });
});

Deno.test("frameFromIpc() validates before the engine reads: lies are refused with the limit named", () => {
  const bytes = new Uint8Array(
    pl.DataFrame({ flag: [true, null, false] }).writeIPCStream({
      compression: "zstd",
    }),
  );
  // A validity bitmap declaring 2^61 decoded bytes: the engine would abort allocating it.
  const [validity] = compressedPrefixes(bytes);
  assert.throws(() => frameFromIpc(withInt64(bytes, validity!, 2n ** 61n)), {
    name: "InvalidArrowError",
    message: /POLAROID_MAX_UPLOAD_DECODED_BYTES/,
  });
  assert.throws(() => frameFromIpc(bytes, { maxRows: 2 }), {
    name: "InvalidArrowError",
    message: /POLAROID_MAX_RESULT_ROWS/,
  });
  assert.equal(frameFromIpc(bytes).height, 3);
});

Deno.test("uploadIpcLimits() takes every limit of an upload from the worker's limits", () => {
  const limits = testLimits({ maxSchemaDepth: 7, maxIpcExpansion: 3, maxResultColumns: 9 });
  const ipc = uploadIpcLimits(limits);
  assert.equal(ipc.maxDepth, 7);
  assert.equal(ipc.maxExpansion, 3);
  assert.equal(ipc.maxColumns, 9);
  assert.equal(ipc.maxBytes, limits.maxUploadBytes);
  assert.equal(ipc.maxDecodedBytes, limits.maxUploadDecodedBytes);
  assert.equal(ipc.expansionFloorBytes, limits.ipcExpansionFloor);
  assert.equal(ipc.maxRows, limits.maxResultRows);
  assert.equal(ipc.maxFields, limits.maxSchemaFields);
});
