import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { BinaryOp } from "../../../shared/gen/polaroid/v1/expr.ts";
import {
  arrowView,
  assertFramesEqual,
  dtype,
  E,
  int64Series,
  Kind,
  P,
  run,
  TimeUnit,
} from "./_testing.ts";
import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";

const one = () => pl.DataFrame({ x: [1] });

async function values(exprs: Expr[]) {
  return arrowView(await run(P.select(P.handle("t"), exprs), { t: one() }));
}

Deno.test("buildLiteral() keeps int64 and uint64 exact beyond 2^53", async () => {
  const view = await values([
    E.alias(E.i64(9007199254740993n), "above"),
    E.alias(E.i64(-9223372036854775808n), "min"),
    E.alias(E.i64(9223372036854775807n), "max"),
    E.alias(E.lit({ $case: "uint64", value: 18446744073709551615n }), "umax"),
    E.alias(E.i64(42), "small"),
  ]);
  assert.deepStrictEqual(view.fields, [
    "above: Int64",
    "min: Int64",
    "max: Int64",
    "umax: Uint64",
    "small: Int64",
  ]);
  assert.deepStrictEqual(view.columns, [
    [9007199254740993n],
    [-9223372036854775808n],
    [9223372036854775807n],
    [18446744073709551615n],
    [42n],
  ]);
});

Deno.test("buildLiteral() compares an Int64 column exactly with a literal beyond 2^53", async () => {
  const big = pl.DataFrame({
    v: int64Series("v", [9007199254740992n, 9007199254740993n]),
  });
  const out = await run(
    P.filter(P.handle("t"), E.bin(BinaryOp.BINARY_OP_EQ, E.col("v"), E.i64(9007199254740993n))),
    { t: big },
  );
  assert.deepStrictEqual([...out.getColumn("v").toTypedArray()], [9007199254740993n]);
  assert.equal(out.getColumn("v").dtype.variant, "Int64");
});

Deno.test("buildLiteral() types every scalar kind as the protocol states", async () => {
  const view = await values([
    E.alias(E.bool(true), "bool"),
    E.alias(E.lit({ $case: "int32", value: -7 }), "int32"),
    E.alias(E.f64(1.5), "float64"),
    E.alias(E.lit({ $case: "float32", value: 0.5 }), "float32"),
    E.alias(E.str("héllo"), "string"),
    E.alias(E.lit({ $case: "date", value: 19000 }), "date"),
    E.alias(E.lit({ $case: "datetime", value: 1700000000123456n }), "datetime_us"),
    E.alias(
      E.lit(
        { $case: "datetime", value: 1700000000123456789n },
        dtype(Kind.KIND_DATETIME, {
          timeUnit: TimeUnit.TIME_UNIT_NANOSECONDS,
          timeZone: "Europe/Paris",
        }),
      ),
      "datetime_ns_tz",
    ),
    E.alias(E.null(), "null"),
    E.alias(E.null(dtype(Kind.KIND_INT64)), "typed_null"),
    E.alias(E.lit({ $case: "int64", value: 3n }, dtype(Kind.KIND_INT8)), "int8"),
  ]);
  assert.deepStrictEqual(view.fields, [
    "bool: Bool",
    "int32: Int32",
    "float64: Float64",
    "float32: Float32",
    "string: LargeUtf8",
    "date: Date32<DAY>",
    "datetime_us: Timestamp<MICROSECOND>",
    "datetime_ns_tz: Timestamp<NANOSECOND, Europe/Paris>",
    "null: Null",
    "typed_null: Int64",
    "int8: Int8",
  ]);
  assert.deepStrictEqual(view.columns, [
    [true],
    [-7],
    [1.5],
    [0.5],
    ["héllo"],
    [19000 * 86_400_000],
    [1700000000123456n],
    [1700000000123456789n],
    [null],
    [null],
    [3],
  ]);
});

Deno.test("buildLiteral() matches the same literals built in nodejs-polars", async () => {
  const df = one();
  const actual = await run(
    P.select(P.handle("t"), [
      E.alias(E.i64(5), "a"),
      E.alias(E.f64(-0.25), "b"),
      E.alias(E.str("s"), "c"),
      E.alias(E.lit({ $case: "date", value: -5 }), "d"),
    ]),
    { t: df },
  );
  const expected = df.select(
    pl.lit(5).cast(pl.Int64).alias("a"),
    pl.lit(-0.25).alias("b"),
    pl.lit("s").alias("c"),
    pl.lit(-5).cast(pl.Int32).cast(pl.Date).alias("d"),
  );
  assertFramesEqual(actual, expected);
});

Deno.test("buildLiteral() refuses a literal cast that does not fit", async () => {
  await assert.rejects(
    run(
      P.select(P.handle("t"), [E.lit({ $case: "int64", value: 300n }, dtype(Kind.KIND_INT8))]),
      { t: one() },
    ),
    { name: "QueryError" },
  );
});
