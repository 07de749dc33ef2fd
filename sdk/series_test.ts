import assert from "node:assert/strict";
import pl, { col, MAX_SERIES_VALUES, Series } from "./mod.ts";
import { seriesExpr } from "./functions.ts";

Deno.test("pl.Series takes nodejs-polars' two forms and refuses what cannot travel inline", () => {
  const named = pl.Series("b", [1, 2, null]);
  assert.ok(named instanceof Series);
  assert.deepEqual([named.name, named.length, named.toArray()], ["b", 3, [1, 2, null]]);
  const bare = pl.Series(["x", "y"]);
  assert.deepEqual([bare.name, bare.values], ["", ["x", "y"]]);
  assert.equal(pl.Series("t", [1n], pl.Int64).dtype, pl.Int64);
  assert.throws(() => pl.Series("d", [new Date()]), /number, bigint, string, boolean or null/);
  assert.throws(() => pl.Series("o", [{}]), /value 0 is/);
  assert.throws(
    () => pl.Series("big", new Array(MAX_SERIES_VALUES + 1).fill(0)),
    /at most 100000 values \(upload a frame for more\)/,
  );
  assert.throws(() => pl.Series("x", [1], "Int64" as never), /'dtype' must be a DataType/);
});

Deno.test("a Series argument becomes an inline literal column, names, a match set or indices", () => {
  const column = seriesExpr(pl.Series("b", [1n, 2n])).toProto();
  assert.equal(column.kind?.$case, "function");
  if (column.kind?.$case !== "function") return;
  assert.equal(column.kind.value.name, "pl.litSeries");
  assert.deepEqual(Object.keys(column.kind.value.options).sort(), ["dtype", "name"]);
  // Names: col(series) is col(its values).
  assert.deepEqual(col(pl.Series(["a", "b"])).toProtos(), col(["a", "b"]).toProtos());
  assert.throws(() => col(pl.Series([1, 2])), /must hold strings only/);
  // isIn and gather take its values.
  assert.deepEqual(
    col("a").isIn(pl.Series(["x", "y"])).toProto(),
    col("a").isIn(["x", "y"]).toProto(),
  );
  assert.deepEqual(col("a").gather(pl.Series([2, 0])).toProto(), col("a").gather([2, 0]).toProto());
});
