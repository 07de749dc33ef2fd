import assert from "node:assert/strict";
import pl, { _Expr } from "nodejs-polars";
import {
  AggKind,
  BinaryOp,
  QuantileInterpolation,
  UnaryOp,
} from "../../../shared/gen/polaroid/v1/expr.ts";
import { assertFramesEqual, dtype, E, Kind, P, run, sampleFrame } from "./_testing.ts";
import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import { checkExprNode } from "./checks.ts";

const c = pl.col;
const i64 = (v: number) => pl.lit(v).cast(pl.Int64, true);

/** Runs select(exprs) remotely and in-process and compares the results. */
async function assertSelect(exprs: Expr[], expected: pl.Expr[]): Promise<void> {
  const df = sampleFrame();
  const actual = await run(P.select(P.handle("t"), exprs), { t: df });
  assertFramesEqual(actual, await df.lazy().select(expected).collect());
}

Deno.test("buildExpr() matches nodejs-polars for every binary operator", async () => {
  const cases: [BinaryOp, (l: pl.Expr, r: pl.Expr) => pl.Expr][] = [
    [BinaryOp.BINARY_OP_ADD, (l, r) => l.add(r)],
    [BinaryOp.BINARY_OP_SUB, (l, r) => l.sub(r)],
    [BinaryOp.BINARY_OP_MUL, (l, r) => l.mul(r)],
    [BinaryOp.BINARY_OP_TRUE_DIV, (l, r) => _Expr(l._expr.truediv(r._expr))],
    [BinaryOp.BINARY_OP_FLOOR_DIV, (l, r) => _Expr(l._expr.floordiv(r._expr))],
    [BinaryOp.BINARY_OP_MOD, (l, r) => l.modulo(r)],
    [BinaryOp.BINARY_OP_EQ, (l, r) => l.eq(r)],
    [BinaryOp.BINARY_OP_NEQ, (l, r) => l.neq(r)],
    [BinaryOp.BINARY_OP_LT, (l, r) => l.lt(r)],
    [BinaryOp.BINARY_OP_LT_EQ, (l, r) => l.ltEq(r)],
    [BinaryOp.BINARY_OP_GT, (l, r) => l.gt(r)],
    [BinaryOp.BINARY_OP_GT_EQ, (l, r) => l.gtEq(r)],
  ];
  for (const [op, f] of cases) {
    await assertSelect(
      [
        E.alias(E.bin(op, E.col("i"), E.i64(3)), "int"),
        E.alias(E.bin(op, E.col("f"), E.col("i")), "mixed"),
      ],
      [f(c("i"), i64(3)).alias("int"), f(c("f"), c("i")).alias("mixed")],
    );
  }
  const logic: [BinaryOp, (l: pl.Expr, r: pl.Expr) => pl.Expr][] = [
    [BinaryOp.BINARY_OP_AND, (l, r) => l.and(r)],
    [BinaryOp.BINARY_OP_OR, (l, r) => l.or(r)],
    [BinaryOp.BINARY_OP_XOR, (l, r) => _Expr(l._expr.xor(r._expr))],
  ];
  for (const [op, f] of logic) {
    await assertSelect(
      [E.alias(E.bin(op, E.col("b"), E.bin(BinaryOp.BINARY_OP_GT, E.col("f"), E.f64(1))), "x")],
      [f(c("b"), c("f").gt(pl.lit(1))).alias("x")],
    );
  }
});

Deno.test("buildExpr() gives Python semantics for floor division and modulo", async () => {
  const df = pl.DataFrame({ a: pl.Series("a", [7, -7, 6]).cast(pl.Int64) });
  const out = await run(
    P.select(P.handle("t"), [
      E.alias(E.bin(BinaryOp.BINARY_OP_FLOOR_DIV, E.col("a"), E.i64(2)), "fd"),
      E.alias(E.bin(BinaryOp.BINARY_OP_MOD, E.col("a"), E.i64(4)), "m"),
      E.alias(E.bin(BinaryOp.BINARY_OP_TRUE_DIV, E.col("a"), E.i64(2)), "td"),
    ]),
    { t: df },
  );
  assert.deepStrictEqual([...out.getColumn("fd").toTypedArray()], [3n, -4n, 3n]);
  assert.deepStrictEqual([...out.getColumn("m").toTypedArray()], [3n, 1n, 2n]);
  assert.deepStrictEqual(out.getColumn("td").toArray(), [3.5, -3.5, 3]);
});

Deno.test("buildExpr() matches nodejs-polars for every unary operator", async () => {
  await assertSelect(
    [
      E.alias(E.un(UnaryOp.UNARY_OP_NOT, E.col("b")), "not"),
      E.alias(E.un(UnaryOp.UNARY_OP_NEG, E.col("i")), "neg_i"),
      E.alias(E.un(UnaryOp.UNARY_OP_NEG, E.col("f")), "neg_f"),
      E.alias(E.un(UnaryOp.UNARY_OP_IS_NULL, E.col("s")), "is_null"),
      E.alias(E.un(UnaryOp.UNARY_OP_IS_NOT_NULL, E.col("s")), "is_not_null"),
    ],
    [
      c("b").not().alias("not"),
      c("i").mul(pl.lit(-1).cast(pl.Int8)).alias("neg_i"),
      c("f").mul(pl.lit(-1).cast(pl.Int8)).alias("neg_f"),
      c("s").isNull().alias("is_null"),
      c("s").isNotNull().alias("is_not_null"),
    ],
  );
  const out = await run(
    P.select(P.handle("t"), [E.un(UnaryOp.UNARY_OP_NEG, E.col("i"))]),
    { t: sampleFrame() },
  );
  assert.equal(out.getColumn("i").dtype.variant, "Int64");
  assert.deepStrictEqual(out.getColumn("i").toArray(), [-5, null, 3, -8, -2, -5]);
});

Deno.test("buildExpr() resolves '*' and ^...$ regex columns as Polars does", async () => {
  await assertSelect([E.col("*")], [c("*")]);
  await assertSelect([E.col("^[if]$")], [c("^[if]$")]);
  const out = await run(P.select(P.handle("t"), [E.col("^[if]$")]), { t: sampleFrame() });
  assert.deepStrictEqual(out.columns, ["i", "f"]);
});

Deno.test("buildExpr() builds when/then chains with and without otherwise", async () => {
  await assertSelect(
    [
      E.alias(
        E.when(
          [
            [E.bin(BinaryOp.BINARY_OP_GT, E.col("i"), E.i64(4)), E.str("big")],
            [E.bin(BinaryOp.BINARY_OP_LT, E.col("i"), E.i64(0)), E.str("negative")],
          ],
          E.str("small"),
        ),
        "chain",
      ),
      E.alias(E.when([[E.col("b"), E.col("f")]]), "no_otherwise"),
    ],
    [
      pl.when(c("i").gt(i64(4))).then(pl.lit("big")).when(c("i").lt(i64(0)))
        .then(pl.lit("negative")).otherwise(pl.lit("small")).alias("chain"),
      pl.when(c("b")).then(c("f")).otherwise(pl.lit(null)).alias("no_otherwise"),
    ],
  );
});

Deno.test("buildExpr() casts strictly or not", async () => {
  await assertSelect(
    [
      E.alias(E.cast(E.col("f"), dtype(Kind.KIND_INT32)), "f32"),
      E.alias(E.cast(E.col("s"), dtype(Kind.KIND_INT64), false), "lenient"),
      E.alias(E.cast(E.col("t"), dtype(Kind.KIND_DATE)), "day"),
    ],
    [
      c("f").cast(pl.Int32, true).alias("f32"),
      c("s").cast(pl.Int64, false).alias("lenient"),
      c("t").cast(pl.Date, true).alias("day"),
    ],
  );
  await assert.rejects(
    run(P.select(P.handle("t"), [E.cast(E.col("s"), dtype(Kind.KIND_INT64))]), {
      t: sampleFrame(),
    }),
    { name: "QueryError", message: /conversion from `str` to `i64` failed/ },
  );
});

Deno.test("buildExpr() counts rows with len", async () => {
  await assertSelect([E.len()], [pl.len()]);
  const out = await run(P.select(P.handle("t"), [E.len()]), { t: sampleFrame() });
  assert.equal(out.getColumn("len").get(0), 6);
});

const AGGS: [string, Expr, pl.Expr][] = [
  ["sum", E.agg(AggKind.AGG_KIND_SUM, E.col("i")), c("i").sum()],
  ["mean", E.agg(AggKind.AGG_KIND_MEAN, E.col("f")), c("f").mean()],
  ["min", E.agg(AggKind.AGG_KIND_MIN, E.col("s")), c("s").min()],
  ["max", E.agg(AggKind.AGG_KIND_MAX, E.col("t")), c("t").max()],
  ["count", E.agg(AggKind.AGG_KIND_COUNT, E.col("i")), c("i").count()],
  ["len", E.agg(AggKind.AGG_KIND_LEN, E.col("i")), c("i").isNull().count()],
  ["first", E.agg(AggKind.AGG_KIND_FIRST, E.col("s")), c("s").first()],
  ["last", E.agg(AggKind.AGG_KIND_LAST, E.col("d")), c("d").last()],
  ["std", E.agg(AggKind.AGG_KIND_STD, E.col("f")), c("f").std()],
  ["std0", E.agg(AggKind.AGG_KIND_STD, E.col("f"), { ddof: 0 }), _Expr(c("f")._expr.std(0))],
  ["var", E.agg(AggKind.AGG_KIND_VAR, E.col("f")), c("f").var()],
  ["var2", E.agg(AggKind.AGG_KIND_VAR, E.col("f"), { ddof: 2 }), _Expr(c("f")._expr.var(2))],
  ["median", E.agg(AggKind.AGG_KIND_MEDIAN, E.col("f")), c("f").median()],
  ["n_unique", E.agg(AggKind.AGG_KIND_N_UNIQUE, E.col("s")), c("s").nUnique()],
  [
    "q_nearest",
    E.agg(AggKind.AGG_KIND_QUANTILE, E.col("f"), { quantile: 0.3 }),
    c("f").quantile(0.3),
  ],
  [
    "q_linear",
    E.agg(AggKind.AGG_KIND_QUANTILE, E.col("f"), {
      quantile: 0.3,
      interpolation: QuantileInterpolation.QUANTILE_INTERPOLATION_LINEAR,
    }),
    c("f").quantile(0.3, "linear"),
  ],
  [
    "q_midpoint",
    E.agg(AggKind.AGG_KIND_QUANTILE, E.col("i"), {
      quantile: 0.5,
      interpolation: QuantileInterpolation.QUANTILE_INTERPOLATION_MIDPOINT,
    }),
    c("i").quantile(0.5, "midpoint"),
  ],
  [
    "q_expr",
    E.agg(AggKind.AGG_KIND_QUANTILE, E.col("f"), {
      quantile: 7, // not read: the expression wins
      quantileExpr: E.f64(0.3),
      interpolation: QuantileInterpolation.QUANTILE_INTERPOLATION_LINEAR,
    }),
    c("f").quantile(pl.lit(0.3), "linear"),
  ],
];

Deno.test("an aggregate takes a quantile expression on QUANTILE only", () => {
  assert.throws(
    () => checkExprNode(E.agg(AggKind.AGG_KIND_SUM, E.col("f"), { quantileExpr: E.f64(0.3) })),
    /aggregate\.quantile_expr' must be set on QUANTILE only/,
  );
  assert.throws(
    () => checkExprNode(E.agg(AggKind.AGG_KIND_QUANTILE, E.col("f"), { quantile: 2 })),
    /aggregate\.quantile' must be in \[0, 1\]/,
  );
});

Deno.test("buildExpr() matches nodejs-polars for every aggregate in select", async () => {
  await assertSelect(
    AGGS.map(([name, expr]) => E.alias(expr, name)),
    AGGS.map(([name, , expected]) => expected.alias(name)),
  );
});

Deno.test("buildExpr() matches nodejs-polars for every aggregate in group_by", async () => {
  const df = sampleFrame();
  const actual = await run(
    P.groupBy(P.handle("t"), [E.col("g")], AGGS.map(([name, expr]) => E.alias(expr, name)), true),
    { t: df },
  );
  const expected = await df.lazy().groupBy([c("g")], true)
    .agg(...AGGS.map(([name, , e]) => e.alias(name))).collect();
  assertFramesEqual(actual, expected);
  assert.deepStrictEqual(actual.getColumn("len").toArray(), [3, 2, 1]);
});
