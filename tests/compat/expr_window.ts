/**
 * Compatibility cases: order-dependent methods of Expr (windows, cumulative ops, diff,
 * pctChange, shift, rank, interpolation, null and NaN filling).
 *
 * @module
 */

import pl from "nodejs-polars";
import type { CompatCase } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

export const EXPR_WINDOW_CASES: readonly CompatCase[] = [
  {
    covers: ["Expr.over"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("g"),
        pl.col("x").mean().over("g").alias("m"),
        pl.col("i").max().over(pl.col("g"), pl.col("b")).alias("mx"),
        pl.col("u").cumSum().over(["g"]).alias("cs"),
        pl.col("f").rank().over("g").alias("rk"),
      ),
  },
  {
    covers: [
      "Expr.cumSum",
      "Expr.cumProd",
      "Expr.cumMin",
      "Expr.cumMax",
      "Expr.cumCount",
      "Expr.cumProd.reverse",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").cumSum().alias("sum"),
        pl.col("i").cumSum(true).alias("rsum"),
        pl.col("u").cumProd({ reverse: true }).alias("rprod"),
        pl.col("i").cumProd().alias("prod"),
        pl.col("f").cumMin().alias("min"),
        pl.col("i").cumMax({ reverse: false }).alias("max"),
        pl.col("f").cumMax(true).alias("rmax"),
        pl.col("i").cumMin(true).alias("rmin"),
        pl.col("i").cumCount().alias("cnt"),
        pl.col("s").cumCount(true).alias("rcnt"),
      ),
  },
  {
    covers: [
      "Expr.cumSum",
      "Expr.cumMin",
      "Expr.cumMax",
      "Expr.cumCount",
      "Expr.cumSum.reverse",
      "Expr.cumMin.reverse",
      "Expr.cumMax.reverse",
      "Expr.cumCount.reverse",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").cumSum({ reverse: true }).alias("rsum"),
        pl.col("f").cumMin({ reverse: true }).alias("rmin"),
        pl.col("x").cumMax({ reverse: true }).alias("rmax"),
        pl.col("s").cumCount({ reverse: true }).alias("rcnt"),
      ),
  },
  {
    covers: ["Expr.diff"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").diff(1, "ignore").alias("d1"),
        pl.col("f").diff({ n: 2, nullBehavior: "ignore" }).alias("d2"),
        pl.col("u").diff(3, "ignore").alias("du"),
        pl.col("i").diff(-1, "ignore").alias("back"),
      ),
  },
  {
    covers: ["Expr.diff", "Expr.diff.n", "Expr.diff.nullBehavior"],
    query: (pl, f) => f.mixed.select(pl.col("i").diff({ n: 2, nullBehavior: "drop" })),
  },
  {
    covers: ["Expr.pctChange", "Expr.pctChange.n"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").pctChange().alias("p1"),
        pl.col("f").pctChange(2).alias("p2"),
        pl.col("i").pctChange({ n: 3 }).alias("p3"),
        pl.col("x").pctChange(pl.lit(1)).alias("pe"),
      ),
  },
  {
    covers: [
      "Expr.shift",
      "Expr.shiftAndFill",
      "Expr.shift.periods",
      "Expr.shiftAndFill.periods",
      "Expr.shiftAndFill.fillValue",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").shift(2).alias("s2"),
        pl.col("i").shift({ periods: -2 }).alias("so"),
        pl.col("s").shift(-3).alias("sm3"),
        pl.col("f").shift({ periods: 1 }).alias("s1"),
        pl.col("i").shiftAndFill(2, 0).alias("sf"),
        pl.col("x").shiftAndFill({ periods: -2, fillValue: 9.5 }).alias("sfo"),
        pl.col("i").shift(100).alias("far"),
        pl.col("x").shift(pl.lit(1)).alias("expr"),
      ),
  },
  {
    covers: ["Expr.rank", "Expr.rank.method", "Expr.rank.descending"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").rank().alias("avg"),
        pl.col("i").rank("min").alias("min"),
        pl.col("i").rank("max", true).alias("max_desc"),
        pl.col("f").rank("dense").alias("dense"),
        pl.col("x").rank("ordinal", true).alias("ord_desc"),
        pl.col("g").rank({ method: "dense", descending: true }).alias("g_dense"),
        pl.col("u").rank({ method: "average", descending: false }).alias("u_avg"),
      ),
  },
  {
    // "random" ranks ties at random: a seed (Python Polars' `seed`) makes it repeatable. The
    // expected ranks come from the native rank of nodejs-polars with the same seed (its JS
    // wrapper cannot pass one).
    covers: ["Expr.rank"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").rank({ method: "random", seed: 42 }).alias("r42"),
        pl.col("g").rank("random", true, 7).alias("g7"),
      ),
    expected: () =>
      fixtures().mixed.select(
        pl._Expr(pl.col("i")._expr.rank("random", false, 42n)).alias("r42"),
        pl._Expr(pl.col("g")._expr.rank("random", true, 7n)).alias("g7"),
      ),
  },
  {
    covers: ["Expr.interpolate"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").interpolate().alias("lin"),
        pl.col("i").interpolate("nearest").alias("near"),
        pl.col("f").interpolate("linear").alias("flin"),
      ),
  },
  {
    covers: ["Expr.fillNull"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").fillNull(0).alias("zero_lit"),
        pl.col("i").fillNull(pl.lit(5).cast(pl.Int64)).alias("five"),
        pl.col("s").fillNull("missing").alias("s"),
        pl.col("f").fillNull(pl.col("x")).alias("fx"),
        pl.col("b").fillNull(false).alias("b"),
      ),
  },
  {
    covers: ["Expr.fillNull"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").fillNull("forward").alias("fwd"),
        pl.col("i").fillNull("backward").alias("bwd"),
        pl.col("i").fillNull("mean").alias("mean"),
        pl.col("f").fillNull("min").alias("min"),
        pl.col("i").fillNull("max").alias("max"),
        pl.col("f").fillNull("zero").alias("zero"),
        pl.col("i").fillNull("one").alias("one"),
        pl.col("s").shift(1).fillNull("forward", 1).alias("lim"),
      ),
  },
  {
    covers: ["Expr.fillNan"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("f").fillNan(0).alias("zero"),
        pl.col("f").fillNan(pl.col("x")).alias("fx"),
        pl.col("f").fillNan(null).alias("nul"),
      ),
  },
  {
    covers: ["Expr.forwardFill", "Expr.backwardFill"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").forwardFill().alias("ff"),
        pl.col("f").backwardFill().alias("bf"),
        pl.col("s").shift(2).backwardFill().alias("sbf"),
      ),
  },
];
