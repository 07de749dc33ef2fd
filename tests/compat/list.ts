/**
 * Compatibility cases: `expr.lst` (nodejs-polars' ExprList), on the fixture's List(Int64)
 * `l` column (with an empty list and a null) and on lists of words split from `s`.
 *
 * @module
 */

import type { CompatCase } from "./_harness.ts";

export const LIST_CASES: readonly CompatCase[] = [
  {
    covers: [
      "ExprList.argMin",
      "ExprList.argMax",
      "ExprList.lengths",
      "ExprList.max",
      "ExprList.mean",
      "ExprList.min",
      "ExprList.sum",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("l").lst.argMin().alias("argmin"),
        pl.col("l").lst.argMax().alias("argmax"),
        pl.col("l").lst.lengths().alias("len"),
        pl.col("l").lst.max().alias("max"),
        pl.col("l").lst.mean().alias("mean"),
        pl.col("l").lst.min().alias("min"),
        pl.col("l").lst.sum().alias("sum"),
      ),
  },
  {
    covers: ["ExprList.first", "ExprList.last", "ExprList.get"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("l").lst.first().alias("first"),
        pl.col("l").lst.last().alias("last"),
        pl.col("l").lst.get(1).alias("second"),
        pl.col("l").lst.get(-2).alias("neg"),
        pl.col("l").lst.get(pl.col("u").cast(pl.Int64).sub(pl.lit(10).cast(pl.Int64)))
          .alias("expr"),
      ),
  },
  {
    covers: ["ExprList.head", "ExprList.tail", "ExprList.slice"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("l").lst.head(2).alias("head"),
        pl.col("l").lst.tail(1).alias("tail"),
        pl.col("l").lst.head().alias("head5"),
        pl.col("l").lst.slice(1, 1).alias("mid"),
        pl.col("l").lst.slice(-2, 5).alias("neg"),
      ),
  },
  {
    covers: ["ExprList.contains"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("l").lst.contains(1).alias("one"),
        pl.col("l").lst.contains(pl.col("i")).alias("expr"),
        pl.col("s").str.split(" ").lst.contains("pie").alias("word"),
      ),
  },
  {
    covers: ["ExprList.diff", "ExprList.shift"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("l").lst.diff().alias("diff"),
        pl.col("l").lst.diff(2, "ignore").alias("diff2"),
        pl.col("l").lst.shift(1).alias("shift"),
        pl.col("l").lst.shift(-1).alias("back"),
      ),
  },
  {
    covers: ["ExprList.sort", "ExprList.reverse", "ExprList.unique", "ExprList.sort.descending"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("l").lst.sort(true).alias("desc"),
        pl.col("l").lst.sort({ descending: true }).alias("desc_opt"),
        pl.col("l").lst.sort({ descending: false }).alias("asc"),
        pl.col("l").lst.reverse().alias("rev"),
        // unique's order is unspecified: sort to compare.
        pl.col("l").lst.unique().lst.sort().alias("uniq"),
      ),
  },
  {
    covers: ["ExprList.join", "ExprList.join.separator", "ExprList.join.ignoreNulls"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.split("e").lst.join().alias("comma"),
        pl.col("s").str.split("e").lst.join("E").alias("sep"),
        pl.concatList([pl.col("g"), pl.col("s")]).lst.join({ separator: "/", ignoreNulls: true })
          .alias("nulls"),
      ),
  },
  {
    covers: ["ExprList.concat"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("l").lst.concat("l").alias("twice"),
        pl.col("l").lst.concat([pl.col("l").lst.reverse(), "l"]).alias("three"),
        pl.col("l").lst.concat(pl.col("i").cast(pl.Int64)).alias("item"),
      ),
  },
  {
    covers: ["ExprList.eval"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("l").lst.eval(pl.element().mul(2)).alias("double"),
        pl.col("l").lst.eval(pl.element().rank()).alias("rank"),
        pl.col("l").lst.eval(pl.element().filter(pl.element().gt(3))).alias("big"),
      ),
  },
];
