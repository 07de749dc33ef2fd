/**
 * Valid Arrow IPC passes validateIpc() and reads back unchanged: streams and files from
 * nodejs-polars (uncompressed, lz4, zstd) and from apache-arrow JS, of every type they write.
 */

import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import pl from "nodejs-polars";
import { validateIpc } from "./validate_ipc.ts";
import {
  COMPRESSIONS,
  joinStream,
  messageBytes,
  messagesOf,
  polarsFile,
  polarsStream,
  richFrame,
} from "./_testing.ts";

function readBack(bytes: Uint8Array, file: boolean): pl.DataFrame {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return file ? pl.readIPC(buffer) : pl.readIPCStream(buffer);
}

Deno.test("validateIpc() passes nodejs-polars streams and files of many types, every codec", () => {
  const df = richFrame(50);
  for (const compression of COMPRESSIONS) {
    for (const file of [false, true]) {
      const bytes = file ? polarsFile(df, compression) : polarsStream(df, compression);
      const summary = validateIpc(bytes);
      assert.equal(summary.format, file ? "file" : "stream");
      assert.equal(summary.rows, 50);
      assert.equal(summary.columns, df.width);
      assert.ok(summary.decodedBytes > 0);
      assert.ok(readBack(bytes, file).frameEqual(df, true), `${compression} file=${file}`);
    }
  }
});

Deno.test("validateIpc() passes streams of many record batches, and empty frames", () => {
  // nodejs-polars writes one batch per stream: join the batches of three streams.
  const plain = richFrame(10).drop("cat");
  for (const compression of COMPRESSIONS) {
    const streams = [10, 7, 3].map((n) => polarsStream(richFrame(n).drop("cat"), compression));
    const parts = streams.flatMap((s, i) =>
      messagesOf(s).filter((_, m) => i === 0 || m > 0).map((m) => messageBytes(s, m))
    );
    const joined = joinStream(parts);
    const summary = validateIpc(joined);
    assert.deepEqual([summary.rows, summary.batches], [20, 3]);
    assert.equal(readBack(joined, false).height, 20);
    assert.equal(readBack(joined, false).width, plain.width);
  }
  // apache-arrow writes one batch per chunk, dictionaries included.
  const chunked = arrow.tableFromIPC(polarsStream(richFrame(10), "uncompressed"));
  const table = chunked.concat(arrow.tableFromIPC(polarsStream(richFrame(4), "uncompressed")));
  const summary = validateIpc(arrow.tableToIPC(table, "stream"));
  assert.equal(summary.rows, 14);
  // The file format has no replacement dictionaries.
  const noDictionary = table.select(
    table.schema.fields.map((f) => f.name).filter((n) => n !== "cat"),
  );
  assert.equal(validateIpc(arrow.tableToIPC(noDictionary, "file")).rows, 14);
  const empty = richFrame(0);
  assert.equal(validateIpc(polarsStream(empty, "zstd")).rows, 0);
  assert.equal(validateIpc(polarsFile(empty, "lz4")).rows, 0);
});

const A = arrow;
const field = (name: string, type: arrow.DataType) => new A.Field(name, type, true);

/** One apache-arrow vector per type it writes; those nodejs-polars reads are marked. */
function arrowColumns(): { name: string; vector: arrow.Vector; polars: boolean }[] {
  const v = (type: arrow.DataType, values: unknown[]) => A.vectorFromArray(values, type as never);
  const i32 = A.makeData({ type: new A.Int32(), data: Int32Array.from([1, 2, 3]) });
  const s = A.vectorFromArray(["a", "b", "c"], new A.Utf8()).data[0]!;
  const members = [field("i", new A.Int32()), field("s", new A.Utf8())];
  const sparse = A.makeData({
    type: new A.SparseUnion([0, 1], members),
    length: 3,
    nullCount: 0,
    typeIds: Int8Array.from([0, 1, 0]),
    children: [i32, s],
  });
  const dense = A.makeData({
    type: new A.DenseUnion([0, 1], members),
    length: 3,
    nullCount: 0,
    typeIds: Int8Array.from([0, 1, 0]),
    valueOffsets: Int32Array.from([0, 0, 1]),
    children: [i32, s],
  });
  const entries = new A.Struct([
    new A.Field("key", new A.Utf8(), false),
    field("value", new A.Int32()),
  ]);
  const day = 86_400_000;
  return [
    { name: "i8", vector: v(new A.Int8(), [1, null, 3]), polars: true },
    { name: "u16", vector: v(new A.Uint16(), [1, 2, 3]), polars: true },
    { name: "i64", vector: v(new A.Int64(), [1n, null, 2n ** 60n]), polars: true },
    { name: "f16", vector: v(new A.Float16(), [1.5, null, 2]), polars: false },
    { name: "f32", vector: v(new A.Float32(), [1.5, null, 2]), polars: true },
    { name: "bool", vector: v(new A.Bool(), [true, null, false]), polars: true },
    { name: "utf8", vector: v(new A.Utf8(), ["a", null, "ccc"]), polars: true },
    { name: "large_utf8", vector: v(new A.LargeUtf8(), ["a", null, "ccc"]), polars: true },
    {
      name: "utf8_view",
      vector: v(new A.Utf8View(), ["a", null, "longer than twelve bytes"]),
      polars: true,
    },
    {
      name: "binary",
      vector: v(new A.Binary(), [Uint8Array.of(1), null, Uint8Array.of(2)]),
      polars: false,
    },
    {
      name: "large_binary",
      vector: v(new A.LargeBinary(), [Uint8Array.of(1), null, Uint8Array.of(2)]),
      polars: false,
    },
    {
      name: "binary_view",
      vector: v(new A.BinaryView(), [Uint8Array.of(1), null, new Uint8Array(20)]),
      polars: false,
    },
    {
      name: "fixed_binary",
      vector: v(new A.FixedSizeBinary(3), [Uint8Array.of(1, 2, 3), null, Uint8Array.of(4, 5, 6)]),
      polars: false,
    },
    {
      name: "dictionary",
      vector: v(new A.Dictionary(new A.Utf8(), new A.Int32()), ["a", "b", "a"]),
      polars: true,
    },
    {
      name: "list",
      vector: v(new A.List(field("item", new A.Int32())), [[1, 2], null, []]),
      polars: true,
    },
    {
      name: "fixed_list",
      vector: v(new A.FixedSizeList(2, field("item", new A.Float64())), [[1, 2], null, [3, 4]]),
      polars: true,
    },
    {
      name: "struct",
      vector: v(new A.Struct([field("x", new A.Int32()), field("y", new A.Utf8())]), [
        { x: 1, y: "a" },
        null,
        { x: 3, y: null },
      ]),
      polars: true,
    },
    // nodejs-polars reads a map as a list of structs.
    {
      name: "map",
      vector: v(new A.Map_(new A.Field("entries", entries, false)), [
        new Map([["a", 1]]),
        null,
        new Map(),
      ]),
      polars: false,
    },
    {
      name: "date_day",
      vector: v(new A.DateDay(), [new Date(0), null, new Date(day)]),
      polars: true,
    },
    {
      name: "date_ms",
      vector: v(new A.DateMillisecond(), [new Date(0), null, new Date(day)]),
      polars: true,
    },
    {
      name: "ts_tz",
      vector: v(new A.TimestampMicrosecond("Asia/Tokyo"), [0, null, 1000]),
      polars: true,
    },
    // nodejs-polars reads every time of day as Time64[ns].
    { name: "time32", vector: v(new A.TimeMillisecond(), [0, null, 1000]), polars: false },
    { name: "time64", vector: v(new A.TimeNanosecond(), [0n, null, 1000n]), polars: true },
    { name: "duration", vector: v(new A.DurationMicrosecond(), [0n, null, 1000n]), polars: true },
    {
      name: "interval",
      vector: v(new A.IntervalYearMonth(), [Int32Array.of(1, 2), null, Int32Array.of(0, 3)]),
      polars: false,
    },
    {
      name: "decimal",
      vector: v(new A.Decimal(2, 10, 128), [
        Uint32Array.of(1, 0, 0, 0),
        null,
        Uint32Array.of(5, 0, 0, 0),
      ]),
      polars: true,
    },
    { name: "null", vector: v(new A.Null(), [null, null, null]), polars: true },
    { name: "sparse_union", vector: new A.Vector([sparse]), polars: false },
    { name: "dense_union", vector: new A.Vector([dense]), polars: false },
  ];
}

Deno.test("validateIpc() passes apache-arrow streams and files of every type it writes", () => {
  const columns = arrowColumns();
  for (const { name, vector } of columns) {
    const table = new A.Table({ [name]: vector });
    for (const format of ["stream", "file"] as const) {
      const summary = validateIpc(A.tableToIPC(table, format));
      assert.equal(summary.rows, 3, `${name} ${format}`);
    }
  }
  const all = new A.Table(Object.fromEntries(columns.map((c) => [c.name, c.vector])));
  assert.equal(validateIpc(A.tableToIPC(all, "stream")).columns, columns.length);
});

/** A cell as comparable text (bigints as decimal strings). */
function plain(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
}

Deno.test("apache-arrow streams that pass read back unchanged through nodejs-polars", () => {
  const readable = arrowColumns().filter((c) => c.polars);
  const table = new A.Table(Object.fromEntries(readable.map((c) => [c.name, c.vector])));
  for (const format of ["stream", "file"] as const) {
    const bytes = A.tableToIPC(table, format);
    validateIpc(bytes);
    const back = A.tableFromIPC(readBack(bytes, format === "file").writeIPCStream());
    for (const { name, vector } of readable) {
      const column = back.getChild(name)!;
      assert.equal(column.length, 3, name);
      for (let i = 0; i < 3; i++) {
        assert.equal(plain(column.get(i)), plain(vector.get(i)), `${name}[${i}]`);
      }
    }
  }
});

Deno.test("validateIpc() passes a realistic 10M-row frame compressed with zstd under default limits", () => {
  const rows = 10_000_000;
  const micros = new Float64Array(rows);
  const prices = new Float64Array(rows);
  let state = 1;
  for (let i = 0; i < rows; i++) {
    micros[i] = 1_700_000_000_000_000 + i * 1000;
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    prices[i] = 100 + state / 2 ** 32;
  }
  const symbols = pl.Series("symbol", ["AAPL", "MSFT", "GOOG", "AMZN"]).cast(pl.Categorical);
  const df = pl.DataFrame({ ts: pl.Series("ts", micros), price: pl.Series("price", prices) })
    .withColumns(
      pl.col("ts").cast(pl.Int64).cast(pl.Datetime("us", "UTC")),
      symbols.sample(rows, undefined, true),
    );
  const bytes = polarsStream(df, "zstd");
  const summary = validateIpc(bytes);
  assert.equal(summary.rows, rows);
  console.log(
    `10M rows: ${bytes.byteLength} bytes sent, ${summary.decodedBytes} decoded (×${
      (summary.decodedBytes / bytes.byteLength).toFixed(1)
    })`,
  );
});
