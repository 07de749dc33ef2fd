/**
 * Compatibility cases: top-level functions of nodejs-polars (`pl.<function>`).
 *
 * @module
 */

import pl from "nodejs-polars";
import type { CompatCase } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

export const TOPLEVEL_CASES: readonly CompatCase[] = [
  {
    covers: ["pl.col", "pl.cols", "pl.lit", "pl.len"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i"),
        pl.cols("u", "x"),
        pl.col(["g", "s"]),
        pl.lit(2.5).alias("lit"),
        pl.lit("a").alias("text"),
        pl.len().alias("n"),
      ),
  },
  {
    covers: ["pl.all", "pl.exclude", "pl.nth", "pl.first"],
    query: (pl, f) =>
      f.left.select(
        pl.all().exclude("name").suffix("_a"),
        pl.exclude("k", "v").alias("ex"),
        pl.nth(1).alias("n1"),
        pl.first().alias("first_col"),
      ),
  },
  {
    covers: ["pl.exclude", "pl.nth"],
    query: (pl, f) => f.mixed.select(pl.exclude(["l", "st", "tz", "t", "d"]), pl.nth(-1)),
  },
  {
    covers: [
      "pl.allHorizontal",
      "pl.anyHorizontal",
      "pl.maxHorizontal",
      "pl.minHorizontal",
      "pl.sumHorizontal",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.allHorizontal([pl.col("b"), pl.col("x").gt(0.3)]).alias("all"),
        pl.anyHorizontal([pl.col("b"), pl.col("i").gt(5)]).alias("any"),
        pl.maxHorizontal([pl.col("i"), pl.col("u")]).alias("max"),
        pl.minHorizontal([pl.col("f"), pl.col("x")]).alias("min"),
        pl.sumHorizontal([pl.col("i"), pl.col("u")]).alias("sum"),
        pl.sumHorizontal(pl.col("x")).alias("one"),
      ),
  },
  {
    // nodejs-polars parses strings as literals here although its docs (and Python Polars)
    // say column names: the expected frame is the same query with col().
    covers: [
      "pl.allHorizontal",
      "pl.anyHorizontal",
      "pl.maxHorizontal",
      "pl.minHorizontal",
      "pl.sumHorizontal",
      "pl.argSortBy",
      "pl.struct",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.allHorizontal(["b", "b"]).alias("all"),
        pl.anyHorizontal("b").alias("any"),
        pl.maxHorizontal(["i", "u"]).alias("max"),
        pl.minHorizontal(["f", pl.col("x")]).alias("min"),
        pl.sumHorizontal(["i", "u"]).alias("sum"),
        pl.argSortBy(["g", "x"], [true, false]).alias("arg"),
        pl.struct(["g", pl.col("x")]).alias("st"),
      ),
    expected: () =>
      fixtures().mixed.select(
        pl.allHorizontal([pl.col("b"), pl.col("b")]).alias("all"),
        pl.anyHorizontal(pl.col("b")).alias("any"),
        pl.maxHorizontal([pl.col("i"), pl.col("u")]).alias("max"),
        pl.minHorizontal([pl.col("f"), pl.col("x")]).alias("min"),
        pl.sumHorizontal([pl.col("i"), pl.col("u")]).alias("sum"),
        pl.argSortBy([pl.col("g"), pl.col("x")], [true, false]).alias("arg"),
        pl.struct([pl.col("g"), pl.col("x")]).alias("st"),
      ),
  },
  {
    covers: ["pl.argSortBy"],
    query: (pl, f) =>
      f.mixed.select(
        pl.argSortBy([pl.col("g"), pl.col("x")]).alias("a"),
        pl.argSortBy([pl.col("g"), pl.col("u")], [true, false]).alias("b"),
        pl.argSortBy([pl.col("x")], true).alias("c"),
      ),
  },
  {
    covers: ["pl.avg", "pl.mean", "pl.median", "pl.nUnique", "pl.quantile", "pl.count"],
    query: (pl, f) =>
      f.mixed.select(
        pl.avg("x").alias("avg"),
        pl.mean(pl.col("f")).alias("mean"),
        pl.median("i").alias("median"),
        pl.nUnique("g").alias("nunique"),
        pl.quantile("x", 0.3).alias("q"),
        pl.count("i").alias("count"),
      ),
  },
  {
    covers: ["pl.first", "pl.last", "pl.head", "pl.tail", "pl.list"],
    query: (pl, f) =>
      f.mixed.groupBy("g").agg(
        pl.first("i").alias("first"),
        pl.last(pl.col("x")).alias("last"),
        pl.head("u", 2).alias("head"),
        pl.tail(pl.col("s"), 1).alias("tail"),
        pl.list("i").alias("list"),
      ),
  },
  {
    covers: ["pl.head", "pl.tail"],
    query: (pl, f) => f.mixed.select(pl.head("i", 3), pl.tail("x", 3)),
  },
  {
    covers: ["pl.concatList", "pl.struct"],
    query: (pl, f) =>
      f.mixed.select(
        pl.concatList(["i", pl.col("u").cast(pl.Int64)]).alias("cl"),
        pl.concatList(pl.col("l"), "i").alias("cl2"),
        pl.struct([pl.col("g"), pl.col("x")]).alias("st2"),
        pl.struct(pl.col("i")).alias("st1"),
      ),
  },
  {
    covers: [
      "pl.concatString",
      "pl.format",
      "pl.concatString.exprs",
      "pl.concatString.sep",
      "pl.concatString.ignoreNulls",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.concatString(["g", "s"]).alias("comma"),
        pl.concatString([pl.col("g"), pl.col("i")], "-", false).alias("dash"),
        pl.concatString({ exprs: ["g", "u"], sep: "|" }).alias("opts"),
        pl.concatString({ exprs: ["g", "i"], sep: "/", ignoreNulls: true }).alias("skip"),
        pl.format("{} has {}", "g", pl.col("u")).alias("fmt"),
        pl.format("[{}]", pl.col("s")).alias("fmt2"),
      ),
  },
  {
    covers: ["pl.cov", "pl.pearsonCorr", "pl.spearmanRankCorr"],
    query: (pl, f) =>
      f.mixed.select(
        pl.cov("x", "u").alias("cov"),
        pl.cov(pl.col("x"), pl.col("f"), 0).alias("cov0"),
        pl.pearsonCorr("x", "u").alias("pearson"),
        pl.spearmanRankCorr(pl.col("x"), "u").alias("spearman"),
      ),
  },
  {
    covers: ["pl.cov", "pl.pearsonCorr"],
    query: (pl, f) =>
      f.mixed.groupBy("g").agg(
        pl.cov("x", "u").alias("cov"),
        pl.pearsonCorr("x", "i").alias("r"),
      ),
  },
  {
    covers: [
      "pl.intRange",
      "pl.intRange.start",
      "pl.intRange.end",
      "pl.intRange.step",
      "pl.intRange.dtype",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.intRange(0, 12).alias("r"),
        pl.intRange(pl.len()).alias("len"),
        pl.intRange({ start: 24, end: 0, step: -2 }).alias("down"),
        pl.intRange({ start: 0, end: 24, step: 2, dtype: pl.Int16, eager: false }).alias("i16"),
        pl.intRange(0, 24, 2, pl.Int32).alias("i32"),
        pl.intRange(pl.col("u").min(), pl.col("u").max().add(1)).alias("e"),
      ),
  },
  {
    covers: ["pl.intRanges"],
    query: (pl, f) =>
      f.mixed.select(
        pl.intRanges(0, "u").alias("r"),
        pl.intRanges(pl.col("u"), 13, 2, pl.Int16).alias("s"),
        pl.intRanges("i", pl.col("u")).alias("iu"),
      ),
  },
  {
    // Columns by data type, in frame order (nodejs-polars' `col(dtype)`).
    covers: ["pl.col"],
    query: (pl, f) =>
      f.mixed.select(pl.col(pl.Float64).mul(2), pl.col(pl.Int64).sum().alias("isum")),
  },
  {
    // Several types select as Python Polars' `pl.col([pl.Int64, pl.Float64])`, in frame
    // order; nodejs-polars 0.25.2's `col()` fails on a list of types (it expects names).
    covers: ["pl.col"],
    query: (pl, f) => f.mixed.select(pl.col([pl.Int64, pl.Float64])),
    expected: () => fixtures().mixed.select("i", "f", "x"),
  },
  {
    // A small Series as an argument: a column of its values, column names, a set to match,
    // indices to gather (sent inline by the SDK). (nodejs-polars 0.25.2 matches an Int64
    // Series in isIn() as Polars' deprecated, ambiguous "same type" form, not as a set: the
    // SDK sends a set, as Python Polars means it; sdk/series_test.ts checks that.)
    covers: [
      "pl.col",
      "Expr.isIn",
      "Expr.gather",
      "LazyDataFrame.select",
      "LazyDataFrame.withColumns",
    ],
    query: (pl, f) =>
      f.mixed.select("g", "i", "u")
        .withColumns(pl.Series("rank", [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]))
        .select(
          pl.col(pl.Series(["g", "rank"])),
          pl.col("g").isIn(pl.Series(["a", "c"])).alias("ac"),
          pl.Series("flag", [
            true,
            false,
            true,
            false,
            true,
            false,
            true,
            false,
            true,
            false,
            true,
            false,
          ]),
        ),
  },
  {
    covers: ["Expr.gather"],
    query: (pl, f) => f.mixed.select(pl.col("u").gather(pl.Series([3, 0, 11]))),
  },
  {
    // SQL over registered frames: nodejs-polars' SQLContext and the SDK's, the same text.
    covers: ["pl.SQLContext"],
    query: (pl, f) =>
      pl.SQLContext({ t: f.mixed.select("g", "x", "u") })
        .register("l", f.left)
        .execute("SELECT g, SUM(x) AS sx, COUNT(*) AS n FROM t WHERE u > 2 GROUP BY g ORDER BY g"),
  },
  {
    covers: ["pl.element"],
    query: (pl, f) => f.mixed.select(pl.col("l").lst.eval(pl.element().mul(2)).alias("doubled")),
  },
];
