/**
 * Compatibility cases: the typed expression nodes (arithmetic, comparison, logic, null
 * checks, casts, aggregations, aliases) and the `list` namespace getter.
 *
 * @module
 */

import type { CompatCase } from "./_harness.ts";

export const EXPR_BASICS_CASES: readonly CompatCase[] = [
  {
    covers: [
      "Expr.add",
      "Expr.plus",
      "Expr.sub",
      "Expr.minus",
      "Expr.mul",
      "Expr.multiplyBy",
      "Expr.div",
      "Expr.divideBy",
      "Expr.rem",
      "Expr.modulo",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").add(pl.col("u")).alias("add"),
        pl.col("x").plus(1.5).alias("plus"),
        pl.col("f").sub(pl.col("x")).alias("sub"),
        pl.col("i").minus(2).alias("minus"),
        pl.col("i").mul(pl.col("x")).alias("mul"),
        pl.col("u").multiplyBy(3).alias("mby"),
        pl.col("x").div(pl.col("u")).alias("div"),
        pl.col("f").divideBy(4).alias("dby"),
        pl.col("i").rem(pl.col("u")).alias("rem"),
        pl.col("x").modulo(0.3).alias("mod"),
      ),
  },
  {
    covers: [
      "Expr.eq",
      "Expr.equals",
      "Expr.neq",
      "Expr.notEquals",
      "Expr.lt",
      "Expr.lessThan",
      "Expr.ltEq",
      "Expr.lessThanEquals",
      "Expr.gt",
      "Expr.greaterThan",
      "Expr.gtEq",
      "Expr.greaterThanEquals",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").eq(7).alias("eq"),
        pl.col("i").equals(pl.col("u")).alias("equals"),
        pl.col("f").neq(2.5).alias("neq"),
        pl.col("x").notEquals(pl.col("f")).alias("notEquals"),
        pl.col("i").lt(3).alias("lt"),
        pl.col("x").lessThan(pl.col("f")).alias("lessThan"),
        pl.col("i").ltEq(3).alias("ltEq"),
        pl.col("u").lessThanEquals(6).alias("lessThanEquals"),
        pl.col("f").gt(1).alias("gt"),
        pl.col("x").greaterThan(0.5).alias("greaterThan"),
        pl.col("i").gtEq(pl.col("u")).alias("gtEq"),
        pl.col("d").greaterThanEquals(pl.col("d").min()).alias("greaterThanEquals"),
      ),
  },
  {
    covers: ["Expr.and", "Expr.or", "Expr.not", "Expr.isNull", "Expr.isNotNull"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("b").and(pl.col("x").gt(0.3)).alias("and"),
        pl.col("b").or(pl.col("i").isNull()).alias("or"),
        pl.col("b").not().alias("not"),
        pl.col("s").isNull().alias("isNull"),
        pl.col("f").isNotNull().alias("isNotNull"),
      ),
  },
  {
    covers: ["Expr.cast", "Expr.alias", "Expr.as"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").cast(pl.Float32).alias("f32"),
        pl.col("x").cast(pl.Int32).as("i32"),
        pl.col("u").cast(pl.Utf8).alias("str"),
        pl.col("s").cast(pl.Int64).alias("bad"),
        pl.col("d").cast(pl.Datetime("ms")).alias("dt"),
      ),
  },
  {
    covers: [
      "Expr.sum",
      "Expr.mean",
      "Expr.min",
      "Expr.max",
      "Expr.count",
      "Expr.first",
      "Expr.last",
      "Expr.std",
      "Expr.var",
      "Expr.median",
      "Expr.nUnique",
      "Expr.quantile",
    ],
    query: (pl, f) =>
      f.mixed.groupBy("g").agg(
        pl.col("i").sum().alias("sum"),
        pl.col("x").mean().alias("mean"),
        pl.col("f").min().alias("min"),
        pl.col("s").max().alias("max"),
        pl.col("i").count().alias("count"),
        pl.col("s").first().alias("first"),
        pl.col("x").last().alias("last"),
        pl.col("x").std().alias("std"),
        pl.col("i").var().alias("var"),
        pl.col("x").median().alias("median"),
        pl.col("b").nUnique().alias("nUnique"),
        pl.col("x").quantile(0.4, "linear").alias("q"),
        pl.col("i").quantile(0.5).alias("q50"),
        // The quantile as an expression (a scalar), as nodejs-polars takes it.
        pl.col("x").quantile(pl.lit(0.25), "linear").alias("qe"),
        pl.col("i").quantile(pl.col("u").min().div(pl.col("u").max())).alias("qr"),
      ),
  },
  {
    covers: ["Expr.list"],
    query: (pl, f) =>
      f.mixed.select(pl.col("l").list.lengths().alias("n"), pl.col("l").list.sum().alias("s")),
  },
];
