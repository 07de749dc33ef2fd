/**
 * Compatibility cases: element-wise math of Expr (trigonometry, logarithms, powers,
 * rounding, clipping, NaN/infinity checks, hashing, reinterpretation).
 *
 * @module
 */

import type { CompatCase } from "./_harness.ts";

export const EXPR_MATH_CASES: readonly CompatCase[] = [
  {
    covers: ["Expr.sin", "Expr.cos", "Expr.tan", "Expr.cot"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("f").sin().alias("sin"),
        pl.col("f").cos().alias("cos"),
        pl.col("x").tan().alias("tan"),
        pl.col("x").cot().alias("cot"),
      ),
  },
  {
    covers: ["Expr.arcsin", "Expr.arccos", "Expr.arctan", "Expr.arctan2"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").arcsin().alias("asin"),
        pl.col("f").arccos().alias("acos"),
        pl.col("f").arctan().alias("atan"),
        pl.col("f").arctan2("x").alias("atan2"),
        pl.col("x").arctan2(pl.col("f")).alias("atan2e"),
      ),
  },
  {
    covers: ["Expr.sinh", "Expr.cosh", "Expr.tanh", "Expr.arcsinh", "Expr.arccosh", "Expr.arctanh"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").sinh().alias("sinh"),
        pl.col("x").cosh().alias("cosh"),
        pl.col("f").tanh().alias("tanh"),
        pl.col("f").arcsinh().alias("asinh"),
        pl.col("f").arccosh().alias("acosh"),
        pl.col("x").arctanh().alias("atanh"),
      ),
  },
  {
    covers: ["Expr.degrees", "Expr.radians", "Expr.exp", "Expr.log1p"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").degrees().alias("deg"),
        pl.col("f").radians().alias("rad"),
        pl.col("x").exp().alias("exp"),
        pl.col("f").log1p().alias("log1p"),
        pl.col("i").exp().alias("iexp"),
      ),
  },
  {
    covers: ["Expr.log"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("f").log().alias("ln"),
        pl.col("x").log(2).alias("log2"),
        pl.col("u").log(10).alias("log10"),
      ),
  },
  {
    covers: ["Expr.pow", "Expr.sqrt", "Expr.pow.exponent"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").pow(2).alias("sq"),
        pl.col("f").pow({ exponent: 3 }).alias("cube"),
        pl.col("i").pow(0.5).alias("root"),
        pl.col("x").pow(0.5).alias("half"),
      ),
  },
  {
    covers: ["Expr.ceil", "Expr.floor"],
    query: (pl, f) =>
      f.mixed.select(pl.col("f").ceil().alias("c"), pl.col("f").floor().alias("fl")),
  },
  {
    covers: ["Expr.round", "Expr.round.decimals", "Expr.round.mode"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("f").round(1).alias("r1"),
        pl.col("f").round(0, "halfawayfromzero").alias("away"),
        pl.col("f").round({ decimals: 0 }).alias("even"),
        pl.col("x").round({ decimals: 1, mode: "halfawayfromzero" }).alias("x1"),
      ),
  },
  {
    covers: ["Expr.clip", "Expr.clip.min", "Expr.clip.max"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("f").clip(0, 5).alias("f05"),
        pl.col("i").clip({ min: -1, max: 4 }).alias("i14"),
        pl.col("i").clip(1.5, 2.5).alias("ifrac"),
        pl.col("x").clip({ min: pl.col("x").mean(), max: 0.8 }).alias("xe"),
      ),
  },
  {
    covers: ["Expr.isNan", "Expr.isNotNan", "Expr.isFinite", "Expr.isInfinite"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("f").isNan().alias("nan"),
        pl.col("f").isNotNan().alias("notnan"),
        pl.col("f").div(pl.col("x").sub(0.5)).isFinite().alias("fin"),
        pl.col("f").div(pl.col("f").sub(10)).isInfinite().alias("inf"),
      ),
  },
  {
    covers: ["Expr.toPhysical"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("d").toPhysical(),
        pl.col("t").toPhysical(),
        // A Categorical's codes number the strings in the order the process first saw them
        // (Polars' global categories), so they depend on what the server cast before: the
        // case checks that equal strings get equal codes, not the numbers.
        pl.col("g").cast(pl.Categorical).toPhysical().eq(
          pl.col("g").cast(pl.Categorical).toPhysical().shift(1),
        ).alias("cat_as_before"),
        pl.col("g").eq(pl.col("g").shift(1)).alias("g_as_before"),
      ),
  },
  {
    covers: ["Expr.reinterpret", "Expr.reinterpret.signed"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").reinterpret(false).alias("u"),
        pl.col("i").reinterpret({ signed: false }).alias("uo"),
        pl.col("i").reinterpret({ signed: true }).alias("s"),
        pl.col("i").reinterpret(false).reinterpret().alias("back"),
      ),
  },
  {
    covers: ["Expr.hash", "Expr.hash.k0", "Expr.hash.k1", "Expr.hash.k2", "Expr.hash.k3"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").hash().alias("h0"),
        pl.col("s").hash(1, 2, 3, 4).alias("h1"),
        pl.col("f").hash({ k0: 7, k1: 8, k2: 9, k3: 10 }).alias("h2"),
      ),
  },
  {
    covers: ["Expr.dot"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").dot("u").alias("xu"),
        pl.col("i").dot(pl.col("x")).alias("ix"),
      ),
  },
];
