import assert from "node:assert/strict";
import pl from "nodejs-polars";
import type { DataType } from "../../../shared/gen/polaroid/v1/types.ts";
import { dtype, Kind, sampleFrame, TimeUnit } from "./_testing.ts";
import { frameSchema, fromPolarsType, toPolarsType } from "./dtypes.ts";

Deno.test("toPolarsType() and fromPolarsType() round-trip every supported type", () => {
  const simple = [
    Kind.KIND_BOOL,
    Kind.KIND_INT8,
    Kind.KIND_INT16,
    Kind.KIND_INT32,
    Kind.KIND_INT64,
    Kind.KIND_UINT8,
    Kind.KIND_UINT16,
    Kind.KIND_UINT32,
    Kind.KIND_UINT64,
    Kind.KIND_FLOAT32,
    Kind.KIND_FLOAT64,
    Kind.KIND_STRING,
    Kind.KIND_DATE,
    Kind.KIND_TIME,
    Kind.KIND_CATEGORICAL,
    Kind.KIND_NULL,
  ];
  const types: DataType[] = [
    ...simple.map((k) => dtype(k)),
    dtype(Kind.KIND_DATETIME, { timeUnit: TimeUnit.TIME_UNIT_NANOSECONDS, timeZone: "Asia/Tokyo" }),
    dtype(Kind.KIND_DATETIME, { timeUnit: TimeUnit.TIME_UNIT_MILLISECONDS }),
    dtype(Kind.KIND_DURATION, { timeUnit: TimeUnit.TIME_UNIT_MICROSECONDS }),
    dtype(Kind.KIND_DECIMAL, { precision: 12, scale: 3 }),
    dtype(Kind.KIND_LIST, { inner: dtype(Kind.KIND_LIST, { inner: dtype(Kind.KIND_INT32) }) }),
    dtype(Kind.KIND_STRUCT, {
      fields: [
        { name: "a", dtype: dtype(Kind.KIND_INT64) },
        { name: "b", dtype: dtype(Kind.KIND_STRING) },
      ],
    }),
  ];
  for (const t of types) assert.deepStrictEqual(fromPolarsType(toPolarsType(t)), t, Kind[t.kind]);
});

Deno.test("toPolarsType() defaults datetime and duration units to microseconds", () => {
  assert.equal(String(toPolarsType(dtype(Kind.KIND_DATETIME))), "DataType(Datetime(us,))");
  assert.equal(String(toPolarsType(dtype(Kind.KIND_DURATION))), "DataType(Duration(us))");
  assert.throws(() => toPolarsType(dtype(Kind.KIND_BINARY)), { name: "InvalidPlanError" });
});

Deno.test("frameSchema() describes every column of a frame in order", () => {
  const schema = frameSchema(sampleFrame());
  assert.deepStrictEqual(schema.fields.map((f) => [f.name, Kind[f.dtype!.kind]]), [
    ["g", "KIND_STRING"],
    ["i", "KIND_INT64"],
    ["f", "KIND_FLOAT64"],
    ["s", "KIND_STRING"],
    ["b", "KIND_BOOL"],
    ["t", "KIND_DATETIME"],
    ["d", "KIND_DATE"],
  ]);
  assert.equal(schema.fields[5]!.dtype!.timeZone, "UTC");
  assert.equal(schema.fields[5]!.dtype!.timeUnit, TimeUnit.TIME_UNIT_MICROSECONDS);
  const fixed = pl.DataFrame({ a: [1] }).select(pl.concatList([pl.col("a")]).alias("l"));
  assert.equal(frameSchema(fixed).fields[0]!.dtype!.inner!.kind, Kind.KIND_FLOAT64);
});
