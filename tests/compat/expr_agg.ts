/**
 * Compatibility cases: reductions and summaries of Expr (all/any, argMin/argMax, product,
 * mode, nullCount, entropy, kurtosis, skew, type bounds, implode, value counts).
 *
 * @module
 */

import type { CompatCase } from "./_harness.ts";

export const EXPR_AGG_CASES: readonly CompatCase[] = [
  {
    covers: ["Expr.all", "Expr.any", "Expr.all.ignoreNulls", "Expr.any.ignoreNulls"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("b").all().alias("all"),
        pl.col("b").all(false).alias("all_kleene"),
        pl.col("b").all({ ignoreNulls: false }).alias("all_kleene_opt"),
        pl.col("b").any({ ignoreNulls: false }).alias("any_kleene"),
        pl.col("b").any(true).alias("any"),
        pl.col("b").isNull().any().alias("any_null"),
      ),
  },
  {
    covers: ["Expr.all", "Expr.any"],
    query: (pl, f) =>
      f.mixed.groupBy("g").agg(
        pl.col("b").all({ ignoreNulls: true }).alias("all"),
        pl.col("b").any(false).alias("any"),
      ),
    sortBy: ["g"],
  },
  {
    covers: ["Expr.argMax", "Expr.argMin", "Expr.nullCount", "Expr.product"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").argMax().alias("imax"),
        pl.col("f").argMin().alias("fmin"),
        pl.col("i").nullCount().alias("inull"),
        pl.col("f").nullCount().alias("fnull"),
        pl.col("u").product().alias("uprod"),
        pl.col("i").product().alias("iprod"),
      ),
  },
  {
    covers: ["Expr.argUnique", "Expr.uniqueCounts"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("g").argUnique().alias("first_at"),
        pl.col("g").uniqueCounts().alias("counts"),
      ),
  },
  {
    covers: ["Expr.mode"],
    query: (pl, f) => f.mixed.select(pl.col("g").mode()),
  },
  {
    covers: ["Expr.mode"],
    query: (pl, f) => f.mixed.select(pl.col("i").mode()),
    sortBy: ["i"],
  },
  {
    covers: ["Expr.lowerBound", "Expr.upperBound"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").lowerBound().alias("ilo"),
        pl.col("i").upperBound().alias("ihi"),
        pl.col("u").upperBound().alias("uhi"),
        pl.col("f").lowerBound().alias("flo"),
      ),
  },
  {
    covers: ["Expr.implode"],
    query: (pl, f) =>
      f.mixed.groupBy("g").agg(pl.col("i").implode().alias("il"), pl.col("s").implode()),
  },
  {
    covers: ["Expr.entropy", "Expr.entropy.base", "Expr.entropy.normalize"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").entropy().alias("e"),
        pl.col("x").entropy(2).alias("e2"),
        pl.col("u").entropy({ base: 10, normalize: false }).alias("e10"),
        pl.col("x").entropy(Math.E, false).alias("eraw"),
      ),
  },
  {
    covers: [
      "Expr.kurtosis",
      "Expr.skew",
      "Expr.kurtosis.fisher",
      "Expr.kurtosis.bias",
      "Expr.skew.bias",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").kurtosis().alias("k"),
        pl.col("x").kurtosis(false).alias("kp"),
        pl.col("x").kurtosis({ fisher: false }).alias("kpo"),
        pl.col("x").kurtosis({ fisher: true, bias: false }).alias("ku"),
        pl.col("u").kurtosis(false, false).alias("kuu"),
        pl.col("x").skew().alias("s"),
        pl.col("x").skew(false).alias("su"),
        pl.col("i").skew({ bias: false }).alias("si"),
      ),
  },
  {
    covers: ["Expr.valueCounts"],
    query: (pl, f) => f.mixed.select(pl.col("g").valueCounts(true)),
  },
  {
    covers: ["Expr.valueCounts"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").valueCounts(true, false, "n", true).struct.field("i"),
        pl.col("i").valueCounts(true, false, "n", true).struct.field("n"),
      ),
    sortBy: ["n", "i"],
  },
  {
    covers: ["Expr.valueCounts"],
    // Unsorted counts come in the engine's order, so both fields come from one count (two
    // counts in one select need not pair a value with its count on the streaming engine).
    query: (pl, f) =>
      f.mixed.select(pl.col("b").valueCounts(false, true).alias("vc")).select(
        pl.col("vc").struct.field("b"),
        pl.col("vc").struct.field("count"),
      ),
    sortBy: ["b"],
  },
];
