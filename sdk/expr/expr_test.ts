import assert from "node:assert/strict";
import {
  AggKind,
  BinaryOp,
  Expr as ProtoExpr,
  QuantileInterpolation,
  UnaryOp,
} from "../../shared/gen/polaroid/v1/expr.ts";
import { DataType } from "../datatypes.ts";
import { Expr } from "./expr.ts";
import { col, lit } from "../functions.ts";

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

/** The function call an Expr records: name, argument kinds and option names. */
function callOf(e: Expr): { name: string; args: unknown[]; options: Record<string, unknown> } {
  const proto = e.toProto();
  assert.ok(proto.kind?.$case === "function");
  const fn = proto.kind.value;
  const plain = (a: { value?: { $case: string; value: unknown } }): unknown =>
    a.value?.$case === "list"
      ? (a.value.value as { items: { value?: { $case: string; value: unknown } }[] }).items.map(
        plain,
      )
      : a.value?.$case === "expr" || a.value?.$case === "dtype"
      ? a.value.$case
      : a.value?.value;
  return {
    name: fn.name,
    args: fn.args.slice(1).map(plain),
    options: Object.fromEntries(Object.entries(fn.options).map(([k, v]) => [k, plain(v)])),
  };
}

Deno.test("Expr methods send the same call for positional and options forms", () => {
  const same = (a: Expr, b: Expr) => assert.deepEqual(a.toProto(), b.toProto());
  const x = col("x");
  same(
    x.rollingMean(3, [1, 2, 3], 1, true),
    x.rollingMean({ windowSize: 3, weights: [1, 2, 3], minPeriods: 1, center: true }),
  );
  same(
    x.rollingStd(4, undefined, 2, false, 0),
    x.rollingStd({ windowSize: 4, minPeriods: 2, center: false, ddof: 0 }),
  );
  same(
    x.rollingQuantile(0.5, "linear", 4),
    x.rollingQuantile({ quantile: 0.5, interpolation: "linear", windowSize: 4 }),
  );
  same(x.rollingSkew(5, false), x.rollingSkew({ windowSize: 5, bias: false }));
  same(
    x.ewmMean(0.3, false, 2, true, false),
    x.ewmMean({ alpha: 0.3, adjust: false, minPeriods: 2, bias: true, ignoreNulls: false }),
  );
  same(x.round(2, "halfawayfromzero"), x.round({ decimals: 2, mode: "halfawayfromzero" }));
  same(x.clip(0, 1), x.clip({ min: 0, max: 1 }));
  same(x.rank("dense", true), x.rank({ method: "dense", descending: true }));
  same(
    x.sort(true, true, false),
    x.sort({ descending: true, nullsLast: true, maintainOrder: false }),
  );
  same(
    x.sortBy(["a", "b"], [true, false]),
    x.sortBy({ by: ["a", "b"], descending: [true, false] }),
  );
  same(x.diff(2, "drop"), x.diff({ n: 2, nullBehavior: "drop" }));
  same(x.shiftAndFill(2, 0), x.shiftAndFill({ periods: 2, fillValue: 0 }));
  same(x.extendConstant(1, 3), x.extendConstant({ value: 1, n: 3 }));
  same(x.slice(1, 2), x.slice({ offset: 1, length: 2 }));
  same(x.sample(3, undefined, true, 7), x.sample({ n: 3, withReplacement: true, seed: 7 }));
  same(x.hash(1, 2, 3, 4), x.hash({ k0: 1, k1: 2, k2: 3, k3: 4 }));
  same(x.kurtosis(false, false), x.kurtosis({ fisher: false, bias: false }));
  same(x.entropy(2, false), x.entropy({ base: 2, normalize: false }));
  same(x.head(3), x.head({ length: 3 }));
  same(x.shuffle(5), x.shuffle({ seed: 5 }));
  same(x.cumSum(true), x.cumSum({ reverse: true }));
  same(x.all(false), x.all({ ignoreNulls: false }));
});

Deno.test("Expr methods send nodejs-polars' defaults only when given", () => {
  assert.deepEqual(callOf(col("x").rollingMean(3)), {
    name: "rollingMean",
    args: [],
    options: { windowSize: 3n },
  });
  assert.deepEqual(callOf(col("x").shift()), { name: "shift", args: [1n], options: {} });
  assert.deepEqual(callOf(col("x").head()), { name: "head", args: [10n], options: {} });
  assert.deepEqual(callOf(col("x").round(1)), {
    name: "round",
    args: [],
    options: { decimals: 1n },
  });
  assert.deepEqual(callOf(col("x").ewmVar({ span: 3 })), {
    name: "ewmVar",
    args: [],
    options: { span: 3n },
  });
});

Deno.test("Expr.fillNull() tells strategies from values", () => {
  assert.deepEqual(callOf(col("x").fillNull("forward", 2)), {
    name: "fillNull",
    args: [],
    options: { strategy: "forward", limit: 2n },
  });
  assert.deepEqual(callOf(col("x").fillNull("n/a")), {
    name: "fillNull",
    args: ["expr"],
    options: {},
  });
  const value = col("x").fillNull(0).toProto();
  assert.ok(value.kind?.$case === "function");
  assert.deepEqual(value.kind.value.args[1], { value: { $case: "expr", value: float(0) } });
});

Deno.test("Expr.isIn() sends bigint lists as exact integers and names columns", () => {
  assert.deepEqual(callOf(col("x").isIn([1, 2.5, null])), {
    name: "isIn",
    args: [[1n, 2.5, {}]],
    options: {},
  });
  const big = callOf(col("x").isIn([2n ** 60n + 1n, -3n, 4], true));
  assert.deepEqual(big.args, [[2n ** 60n + 1n, -3n, 4n]]);
  assert.deepEqual(big.options, { nullsEquals: true, dtype: "dtype" });
  assert.throws(() => col("x").isIn([1n, 0.5]), /must hold only integers/);
  const other = col("x").isIn("y").toProto();
  assert.ok(other.kind?.$case === "function");
  assert.deepEqual(other.kind.value.args[1], { value: { $case: "expr", value: column("y") } });
});

Deno.test("Expr.replace() takes lists, scalars and a mapping", () => {
  assert.deepEqual(callOf(col("g").replace({ old: { a: "x", b: 2 } })).args, [["a", "b"], [
    "x",
    2n,
  ]]);
  assert.deepEqual(callOf(col("g").replace(["a"], ["x"])).args, [["a"], ["x"]]);
  assert.deepEqual(callOf(col("g").replace("a", "x")).args, ["a", "x"]);
  const strict = callOf(col("g").replaceStrict(["a"], [1], 0, DataType.Int8));
  assert.deepEqual(strict.options, { default: 0n, returnDtype: "dtype" });
});

Deno.test("Expr.replace() refuses new_ beside a mapping and sends a null default_", () => {
  assert.throws(
    () => col("g").replace({ old: { a: "x" }, new_: "y" }),
    (e) => e instanceof TypeError && e.message.includes("'new_'"),
  );
  assert.throws(() => col("g").replaceStrict({ old: { a: 1 } }, [2]), TypeError);
  const nulled = callOf(col("g").replaceStrict({ old: { a: 1 }, default_: null }));
  assert.deepEqual(nulled.options, { default: {} });
});

Deno.test("Expr rolling statistics without a ddof refuse one but its default, which is not sent", () => {
  assert.deepEqual(
    callOf(col("x").rollingMean({ windowSize: 3, ddof: 1 })),
    callOf(col("x").rollingMean(3)),
  );
  assert.throws(
    () => col("x").rollingMedian({ windowSize: 3, ddof: 0 }),
    (e) => e instanceof TypeError && e.message.includes("'ddof'"),
  );
  assert.deepEqual(callOf(col("x").rollingVar({ windowSize: 3, ddof: 0 })).options, {
    windowSize: 3n,
    ddof: 0n,
  });
});

Deno.test("Expr.list, toJSON() and inner() expose the namespace and the protobuf form", () => {
  const e = col("l");
  assert.equal(e.list.constructor.name, "ExprList");
  assert.equal(e.toJSON(), e.toString());
  assert.deepEqual(JSON.parse(col("a").toJSON()), {
    kind: { $case: "column", value: { name: "a" } },
  });
  assert.deepEqual(e.inner(), e.toProto());
});
