import assert from "node:assert/strict";
import {
  AggKind,
  BinaryOp,
  Expr as ProtoExpr,
  QuantileInterpolation,
  UnaryOp,
} from "../shared/gen/polaroid/v1/expr.ts";
import { DataType } from "./datatypes.ts";
import { Expr } from "./expr.ts";
import { col, lit } from "./functions.ts";

const column = (name: string): ProtoExpr => ({ kind: { $case: "column", value: { name } } });
const float = (value: number): ProtoExpr => ({
  kind: { $case: "literal", value: { value: { $case: "float64", value } } },
});
const binary = (op: BinaryOp, left: ProtoExpr, right: ProtoExpr): ProtoExpr => ({
  kind: { $case: "binary", value: { op, left, right } },
});

Deno.test("col('a').gt(1).and(col('b').isNull()) builds the expected tree", () => {
  const expr = col("a").gt(1).and(col("b").isNull());
  assert.deepEqual(
    expr.toProto(),
    binary(
      BinaryOp.BINARY_OP_AND,
      binary(BinaryOp.BINARY_OP_GT, column("a"), float(1)),
      { kind: { $case: "unary", value: { op: UnaryOp.UNARY_OP_IS_NULL, input: column("b") } } },
    ),
  );
  // And it survives the wire unchanged.
  const wire = ProtoExpr.decode(ProtoExpr.encode(expr.toProto()).finish());
  assert.deepEqual(ProtoExpr.toJSON(wire), ProtoExpr.toJSON(expr.toProto()));
});

Deno.test("Expr aliases build the same nodes as their nodejs-polars names", () => {
  const pairs: Array<[(e: Expr) => Expr, (e: Expr) => Expr, BinaryOp]> = [
    [(e) => e.add(2), (e) => e.plus(2), BinaryOp.BINARY_OP_ADD],
    [(e) => e.sub(2), (e) => e.minus(2), BinaryOp.BINARY_OP_SUB],
    [(e) => e.mul(2), (e) => e.multiplyBy(2), BinaryOp.BINARY_OP_MUL],
    [(e) => e.div(2), (e) => e.divideBy(2), BinaryOp.BINARY_OP_TRUE_DIV],
    [(e) => e.rem(2), (e) => e.modulo(2), BinaryOp.BINARY_OP_MOD],
    [(e) => e.eq(2), (e) => e.equals(2), BinaryOp.BINARY_OP_EQ],
    [(e) => e.neq(2), (e) => e.notEquals(2), BinaryOp.BINARY_OP_NEQ],
    [(e) => e.lt(2), (e) => e.less(2), BinaryOp.BINARY_OP_LT],
    [(e) => e.lt(2), (e) => e.lessThan(2), BinaryOp.BINARY_OP_LT],
    [(e) => e.ltEq(2), (e) => e.lessThanEquals(2), BinaryOp.BINARY_OP_LT_EQ],
    [(e) => e.gt(2), (e) => e.greater(2), BinaryOp.BINARY_OP_GT],
    [(e) => e.gt(2), (e) => e.greaterThan(2), BinaryOp.BINARY_OP_GT],
    [(e) => e.gtEq(2), (e) => e.greaterThanEquals(2), BinaryOp.BINARY_OP_GT_EQ],
  ];
  for (const [a, b, op] of pairs) {
    assert.deepEqual(a(col("x")).toProto(), b(col("x")).toProto());
    assert.deepEqual(a(col("x")).toProto(), binary(op, column("x"), float(2)));
  }
  assert.deepEqual(
    col("x").floorDiv(col("y")).toProto(),
    binary(BinaryOp.BINARY_OP_FLOOR_DIV, column("x"), column("y")),
  );
  assert.deepEqual(
    col("p").xor(true).toProto(),
    binary(BinaryOp.BINARY_OP_XOR, column("p"), {
      kind: { $case: "literal", value: { value: { $case: "bool", value: true } } },
    }),
  );
  assert.deepEqual(col("x").as("y").toProto(), col("x").alias("y").toProto());
});

Deno.test("Expr operands wrap plain values in lit(), strings included", () => {
  assert.deepEqual(
    col("s").eq("a").toProto(),
    binary(BinaryOp.BINARY_OP_EQ, column("s"), lit("a").toProto()),
  );
  assert.deepEqual(
    col("n").eq(5n).toProto(),
    binary(BinaryOp.BINARY_OP_EQ, column("n"), {
      kind: { $case: "literal", value: { value: { $case: "int64", value: 5n } } },
    }),
  );
});

Deno.test("Expr.not(), isNotNull() and alias() wrap their input", () => {
  assert.deepEqual(col("p").not().toProto(), {
    kind: { $case: "unary", value: { op: UnaryOp.UNARY_OP_NOT, input: column("p") } },
  });
  assert.deepEqual(col("p").isNotNull().alias("q").toProto(), {
    kind: {
      $case: "alias",
      value: {
        name: "q",
        input: {
          kind: { $case: "unary", value: { op: UnaryOp.UNARY_OP_IS_NOT_NULL, input: column("p") } },
        },
      },
    },
  });
});

Deno.test("Expr.cast() carries the dtype and is not strict by default", () => {
  assert.deepEqual(col("a").cast(DataType.Int32).toProto(), {
    kind: {
      $case: "cast",
      value: { input: column("a"), dtype: DataType.Int32.toProto(), strict: false },
    },
  });
  const strict = col("a").cast(DataType.Datetime("us"), true).toProto();
  assert.equal(strict.kind?.$case === "cast" && strict.kind.value.strict, true);
  assert.throws(() => col("a").cast("Int32" as unknown as DataType), TypeError);
});

Deno.test("Expr aggregations map to their AggKind", () => {
  const kinds: Array<[(e: Expr) => Expr, AggKind]> = [
    [(e) => e.sum(), AggKind.AGG_KIND_SUM],
    [(e) => e.mean(), AggKind.AGG_KIND_MEAN],
    [(e) => e.min(), AggKind.AGG_KIND_MIN],
    [(e) => e.max(), AggKind.AGG_KIND_MAX],
    [(e) => e.count(), AggKind.AGG_KIND_COUNT],
    [(e) => e.len(), AggKind.AGG_KIND_LEN],
    [(e) => e.first(), AggKind.AGG_KIND_FIRST],
    [(e) => e.last(), AggKind.AGG_KIND_LAST],
    [(e) => e.std(), AggKind.AGG_KIND_STD],
    [(e) => e.var(), AggKind.AGG_KIND_VAR],
    [(e) => e.median(), AggKind.AGG_KIND_MEDIAN],
    [(e) => e.nUnique(), AggKind.AGG_KIND_N_UNIQUE],
  ];
  for (const [fn, kind] of kinds) {
    assert.deepEqual(fn(col("v")).toProto(), {
      kind: {
        $case: "aggregate",
        value: { kind, input: column("v"), quantile: 0, interpolation: 0 },
      },
    });
  }
});

Deno.test("Expr.std(ddof) and quantile() carry their parameters", () => {
  const std = col("v").std(0).toProto();
  assert.equal(std.kind?.$case === "aggregate" && std.kind.value.ddof, 0);
  const q = col("v").quantile(0.25, "linear").toProto();
  assert.ok(q.kind?.$case === "aggregate");
  assert.equal(q.kind.value.kind, AggKind.AGG_KIND_QUANTILE);
  assert.equal(q.kind.value.quantile, 0.25);
  assert.equal(q.kind.value.interpolation, QuantileInterpolation.QUANTILE_INTERPOLATION_LINEAR);
  const nearest = col("v").quantile(0.5).toProto();
  assert.ok(nearest.kind?.$case === "aggregate");
  assert.equal(
    nearest.kind.value.interpolation,
    QuantileInterpolation.QUANTILE_INTERPOLATION_NEAREST,
  );
  assert.throws(() => col("v").quantile(1.5), RangeError);
  assert.throws(
    () => col("v").quantile(0.5, "cubic" as "linear"),
    /'interpolation' must be one of/,
  );
  assert.throws(() => col("v").var(-1), RangeError);
});

Deno.test("col([...]) stands for several columns and methods apply to each", () => {
  const sums = col(["a", "b"]).sum();
  assert.deepEqual(sums.toProtos(), [col("a").sum().toProto(), col("b").sum().toProto()]);
  assert.throws(() => sums.toProto(), /must stand for one column/);
  assert.throws(() => col(["a", "b"]).alias("x"), /must stand for one column/);
  assert.deepEqual(lit(1).add(col(["a", "b"])).toProtos(), [
    binary(BinaryOp.BINARY_OP_ADD, float(1), column("a")),
    binary(BinaryOp.BINARY_OP_ADD, float(1), column("b")),
  ]);
  assert.throws(() => col(["a", "b"]).add(col(["c", "d"])), /only one side/);
});

Deno.test("Expr.isExpr() tells Exprs from values", () => {
  assert.ok(Expr.isExpr(col("a")));
  assert.ok(!Expr.isExpr("a"));
});
