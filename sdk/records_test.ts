import assert from "node:assert/strict";
import { tableFromIPC, tableToIPC } from "apache-arrow";
import pl from "nodejs-polars";
import { Buffer } from "node:buffer";
import { DataType } from "./datatypes.ts";
import { inferType, tableFromRecords, tableToRecords } from "./records.ts";

const types = (t: ReturnType<typeof tableFromRecords>) =>
  t.schema.fields.map((f) => `${f.name}:${f.type}`);

Deno.test("tableFromRecords() infers types as nodejs-polars, with bigint as exact Int64", () => {
  const table = tableFromRecords([
    { n: 1, big: 2n ** 62n + 1n, s: "a", b: true, t: new Date(5), z: null },
    { n: 2.5, big: null, s: null, b: false, t: null },
  ]);
  assert.deepEqual(types(table), [
    "n:Float64",
    "big:Int64",
    "s:Utf8",
    "b:Bool",
    "t:Timestamp<MILLISECOND>",
    "z:Null",
  ]);
  assert.equal(table.getChild("big")!.get(0), 2n ** 62n + 1n);
  assert.equal(table.getChild("big")!.get(1), null);
  assert.equal(table.numRows, 2);
});

Deno.test("tableFromRecords() lets a schema fix types and column order", () => {
  const table = tableFromRecords(
    [{ a: 1, b: 2, c: "x" }, { a: 3, b: null, c: "y" }],
    { c: DataType.Categorical, b: DataType.Int64, extra: DataType.Utf8 },
  );
  assert.deepEqual(types(table), [
    "c:Dictionary<Uint32, Utf8>",
    "b:Int64",
    "extra:Utf8",
    "a:Float64",
  ]);
  assert.deepEqual([...table.getChild("b")!], [2n, null]);
  assert.deepEqual([...table.getChild("extra")!], [null, null]);
  assert.throws(
    () => tableFromRecords([{ a: 1.5 }], { a: DataType.Int64 }),
    /must be an integer or a bigint/,
  );
});

Deno.test("tableFromRecords() builds lists and structs", () => {
  const table = tableFromRecords([{ l: [1n, 2n], o: { x: 1, y: "a" } }, { l: [], o: null }]);
  assert.deepEqual(types(table), ["l:List<Int64>", "o:Struct<{x:Float64, y:Utf8}>"]);
  assert.deepEqual(tableToRecords(table), [{ l: [1n, 2n], o: { x: 1, y: "a" } }, {
    l: [],
    o: null,
  }]);
});

Deno.test("inferType() mixes integers and bigints into Int64, refuses mixed kinds", () => {
  assert.ok(inferType([1, 2n]).equals(DataType.Int64));
  assert.ok(inferType([1.5, 2n]).equals(DataType.Float64));
  assert.ok(inferType([2n ** 63n]).equals(DataType.UInt64));
  assert.ok(inferType([null, undefined]).equals(DataType.Null));
  assert.throws(() => inferType([1, "a"], "c"), /'c' must hold values of one type/);
});

Deno.test("tableToRecords() gives bigints for Int64 and Dates for Datetime and Date", () => {
  const table = tableFromRecords(
    [{ i: 9007199254740993n, t: new Date(1500), d: new Date(Date.UTC(2024, 1, 3)) }],
    { d: DataType.Date, t: DataType.Datetime("us") },
  );
  const [row] = tableToRecords(table);
  assert.equal(row!.i, 9007199254740993n);
  assert.deepEqual(row!.t, new Date(1500));
  assert.deepEqual(row!.d, new Date(Date.UTC(2024, 1, 3)));
});

Deno.test("records survive nodejs-polars: upload form in, result form out", () => {
  const table = tableFromRecords([{ k: "a", v: 2n ** 62n + 1n }, { k: "b", v: -3n }]);
  const df = pl.readIPC(Buffer.from(tableToIPC(table, "file")));
  assert.deepEqual(df.dtypes.map((d) => d.variant), ["String", "Int64"]);
  const back = tableFromIPC(df.writeIPCStream());
  assert.deepEqual(tableToRecords(back), [{ k: "a", v: 2n ** 62n + 1n }, { k: "b", v: -3n }]);
});

Deno.test("tableFromRecords() treats columns named like Object members as plain columns", () => {
  const table = tableFromRecords([{ toString: 1n, constructor: "a" }, { toString: 2n }]);
  assert.deepEqual(table.schema.fields.map((f) => f.name), ["toString", "constructor"]);
  assert.deepEqual([...table.getChild("toString")!.toArray()], [1n, 2n]);
  assert.deepEqual(table.getChild("constructor")!.toArray(), ["a", null]);
});
