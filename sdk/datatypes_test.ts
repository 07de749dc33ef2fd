import assert from "node:assert/strict";
import {
  DataType as ProtoDataType,
  DataType_Kind as Kind,
  TimeUnit,
} from "../shared/gen/polaroid/v1/types.ts";
import { DataType, schemaFromProto } from "./datatypes.ts";

Deno.test("DataType.Int64.toProto() is KIND_INT64", () => {
  assert.equal(DataType.Int64.toProto().kind, Kind.KIND_INT64);
  assert.equal(DataType.UInt8.toProto().kind, Kind.KIND_UINT8);
  assert.equal(DataType.Bool.toProto().kind, Kind.KIND_BOOL);
});

Deno.test("DataType.Datetime() defaults to milliseconds as nodejs-polars and keeps the zone", () => {
  const proto = DataType.Datetime().toProto();
  assert.equal(proto.kind, Kind.KIND_DATETIME);
  assert.equal(proto.timeUnit, TimeUnit.TIME_UNIT_MILLISECONDS);
  assert.equal(proto.timeZone, "");
  const utc = DataType.Datetime("ns", "UTC").toProto();
  assert.equal(utc.timeUnit, TimeUnit.TIME_UNIT_NANOSECONDS);
  assert.equal(utc.timeZone, "UTC");
});

Deno.test("DataType.Datetime() rejects an unknown unit", () => {
  assert.throws(() => DataType.Datetime("s" as "ms"), /'timeUnit' must be "ns", "us" or "ms"/);
});

Deno.test("DataType.Utf8 equals DataType.String", () => {
  assert.ok(DataType.Utf8.equals(DataType.String));
  assert.equal(DataType.Utf8.variant, "String");
  assert.ok(!DataType.Int64.equals(DataType.Int32));
  assert.ok(!DataType.Datetime("ms").equals(DataType.Datetime("us")));
});

Deno.test("DataType.fromProto() inverts toProto() for every type, nested included", () => {
  const types = [
    DataType.Null,
    DataType.Bool,
    DataType.Int8,
    DataType.Int16,
    DataType.Int32,
    DataType.Int64,
    DataType.UInt8,
    DataType.UInt16,
    DataType.UInt32,
    DataType.UInt64,
    DataType.Float32,
    DataType.Float64,
    DataType.String,
    DataType.Date,
    DataType.Time,
    DataType.Categorical,
    DataType.Binary,
    DataType.Datetime("us", "Europe/Paris"),
    DataType.Duration("ns"),
    DataType.List(DataType.List(DataType.Int64)),
    DataType.Struct({ a: DataType.Int64, b: DataType.List(DataType.Utf8) }),
    DataType.Decimal(10, 2),
  ];
  for (const dtype of types) {
    const wire = ProtoDataType.decode(ProtoDataType.encode(dtype.toProto()).finish());
    const back = DataType.fromProto(wire);
    assert.ok(back.equals(dtype), `${back} != ${dtype}`);
    assert.deepEqual(back, dtype);
  }
});

Deno.test("DataType.toString() names units, zones and children", () => {
  assert.equal(String(DataType.Datetime("ms", "UTC")), "Datetime(ms, UTC)");
  assert.equal(String(DataType.List(DataType.Float64)), "List(Float64)");
  assert.equal(String(DataType.Struct({ a: DataType.Int64 })), "Struct({a: Int64})");
  assert.equal(String(DataType.Duration("us")), "Duration(us)");
});

Deno.test("schemaFromProto() keeps column order and types", () => {
  const schema = schemaFromProto({
    fields: [
      { name: "z", dtype: DataType.Int64.toProto() },
      { name: "a", dtype: DataType.Datetime("us").toProto() },
    ],
  });
  assert.deepEqual(Object.keys(schema), ["z", "a"]);
  assert.ok(schema.z!.equals(DataType.Int64));
  assert.ok(schema.a!.equals(DataType.Datetime("us")));
});
