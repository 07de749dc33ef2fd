import assert from "node:assert/strict";
import { Expr as ProtoExpr, type Literal } from "../shared/gen/polaroid/v1/expr.ts";
import { DataType } from "./datatypes.ts";
import { literalProto, type LiteralValue } from "./literal.ts";

function literal(value: LiteralValue, dtype?: DataType): Literal {
  // Through the wire and back, so the assertions hold for what the server receives.
  const wire = ProtoExpr.decode(ProtoExpr.encode(literalProto(value, dtype)).finish());
  assert.equal(wire.kind?.$case, "literal");
  return (wire.kind as { value: Literal }).value;
}

Deno.test("literalProto() keeps a bigint of 2^62 + 1 exact as int64", () => {
  const lit = literal(2n ** 62n + 1n);
  assert.deepEqual(lit.value, { $case: "int64", value: 4611686018427387905n });
  assert.equal(lit.dtype, undefined);
});

Deno.test("literalProto() sends the Int64 extremes and UInt64 above them exactly", () => {
  assert.deepEqual(literal(-(2n ** 63n)).value, { $case: "int64", value: -(2n ** 63n) });
  assert.deepEqual(literal(2n ** 64n - 1n).value, { $case: "uint64", value: 2n ** 64n - 1n });
  assert.throws(() => literalProto(2n ** 64n), RangeError);
  assert.throws(() => literalProto(-(2n ** 63n) - 1n), RangeError);
});

Deno.test("literalProto() makes a number a Float64 as nodejs-polars does", () => {
  assert.deepEqual(literal(1).value, { $case: "float64", value: 1 });
  assert.deepEqual(literal(2.5).value, { $case: "float64", value: 2.5 });
});

Deno.test("literalProto() handles strings, booleans and null", () => {
  assert.deepEqual(literal("x").value, { $case: "string", value: "x" });
  assert.deepEqual(literal(true).value, { $case: "bool", value: true });
  assert.deepEqual(literal(null).value, { $case: "null", value: {} });
  assert.deepEqual(literal(undefined).value, { $case: "null", value: {} });
});

Deno.test("literalProto() makes a Date a Datetime in milliseconds", () => {
  const lit = literal(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)));
  assert.deepEqual(lit.value, { $case: "datetime", value: 1704164645006n });
  assert.ok(DataType.fromProto(lit.dtype!).equals(DataType.Datetime("ms")));
});

Deno.test("literalProto() lets an explicit dtype win", () => {
  const int = literal(5, DataType.Int64);
  assert.deepEqual(int.value, { $case: "int64", value: 5n });
  assert.ok(DataType.fromProto(int.dtype!).equals(DataType.Int64));
  assert.deepEqual(literal(7, DataType.UInt32).value, { $case: "uint64", value: 7n });
  assert.deepEqual(literal(1.5, DataType.Float32).value, { $case: "float32", value: 1.5 });
  assert.deepEqual(literal(3n, DataType.Float64).value, { $case: "float64", value: 3 });
  const day = literal(new Date(Date.UTC(1970, 0, 11)), DataType.Date);
  assert.deepEqual(day.value, { $case: "date", value: 10 });
  const us = literal(new Date(1500), DataType.Datetime("us", "UTC"));
  assert.deepEqual(us.value, { $case: "datetime", value: 1_500_000n });
  assert.equal(us.dtype!.timeZone, "UTC");
  const typedNull = literal(null, DataType.Utf8);
  assert.deepEqual(typedNull.value, { $case: "null", value: {} });
  assert.ok(DataType.fromProto(typedNull.dtype!).equals(DataType.String));
  assert.deepEqual(literal("a", DataType.Categorical).value, { $case: "string", value: "a" });
});

Deno.test("literalProto() rejects values it cannot send", () => {
  assert.throws(() => literalProto({} as unknown as LiteralValue), /must be a number, bigint/);
  assert.throws(() => literalProto(new Date(NaN)), /valid Date/);
  assert.throws(() => literalProto(-1, DataType.UInt8), /fit in UInt64/);
  assert.throws(
    () => literalProto(1, "Int64" as unknown as DataType),
    /'dtype' must be a DataType/,
  );
});
