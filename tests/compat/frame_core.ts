/**
 * Compatibility cases: the core LazyDataFrame methods (filter, select, sort, slices,
 * unique, drop, rename, joins, group-by aggregations, cache, clone).
 *
 * @module
 */

import { fixtures } from "./fixtures.ts";
import type { CompatCase } from "./_harness.ts";

export const FRAME_CORE_CASES: readonly CompatCase[] = [
  {
    covers: [
      "LazyDataFrame.filter",
      "LazyDataFrame.select",
      "LazyDataFrame.withColumns",
      "LazyDataFrame.withColumn",
    ],
    query: (pl, f) =>
      f.mixed
        .filter(pl.col("x").gt(0.3))
        .select("g", "i", "x")
        .withColumns(pl.col("x").mul(2).alias("x2"), pl.col("i").add(1).alias("i1"))
        .withColumn(pl.col("g").alias("g2")),
  },
  {
    covers: ["LazyDataFrame.filter", "LazyDataFrame.select"],
    query: (pl, f) => f.mixed.filter("b").select(["g", "b"], pl.col("u")),
  },
  {
    covers: ["LazyDataFrame.sort"],
    query: (_pl, f) => f.mixed.select("g", "i", "x").sort("i", true, true),
  },
  {
    covers: [
      "LazyDataFrame.sort",
      "LazyDataFrame.sort.by",
      "LazyDataFrame.sort.descending",
      "LazyDataFrame.sort.maintainOrder",
    ],
    query: (pl, f) =>
      f.mixed.select("g", "i", "x").sort({
        by: [pl.col("g"), "x"],
        descending: [false, true],
        maintainOrder: true,
      }),
  },
  {
    covers: [
      "LazyDataFrame.sort",
      "LazyDataFrame.sort.nullsLast",
      "LazyDataFrame.sort.multithreaded",
    ],
    query: (_pl, f) =>
      f.mixed.select("g", "i", "x").sort({ by: "i", nullsLast: true, multithreaded: false }),
  },
  {
    // Polars' streaming engine gives the same result as the in-memory one, on both engines.
    covers: ["LazyDataFrame.collect", "LazyDataFrame.collect.streaming"],
    query: (pl, f) => f.mixed.filter(pl.col("x").gt(0.2)).select("g", "i", "x"),
    collect: { streaming: true },
  },
  {
    covers: ["LazyDataFrame.head", "LazyDataFrame.limit"],
    query: (pl, f) =>
      pl.concat([f.mixed.head(3), f.mixed.head(), f.mixed.limit(2), f.mixed.limit()]),
  },
  {
    covers: ["LazyDataFrame.tail", "LazyDataFrame.last"],
    query: (pl, f) => pl.concat([f.mixed.tail(4), f.mixed.tail(), f.mixed.last()]),
  },
  {
    covers: ["LazyDataFrame.slice", "LazyDataFrame.slice.offset", "LazyDataFrame.slice.length"],
    query: (pl, f) => pl.concat([f.mixed.slice(2, 3), f.mixed.slice({ offset: -3, length: 2 })]),
  },
  {
    // nodejs-polars' first() collects the row; the SDK's stays lazy.
    covers: ["LazyDataFrame.first"],
    query: (_pl, f) => f.mixed.first(),
    expected: () => fixtures().mixed.lazy().first(),
  },
  {
    covers: [
      "LazyDataFrame.unique",
      "LazyDataFrame.unique.subset",
      "LazyDataFrame.unique.keep",
      "LazyDataFrame.unique.maintainOrder",
    ],
    query: (_pl, f) =>
      f.mixed.select("g", "b").unique({ subset: "g", keep: "first", maintainOrder: true }),
  },
  {
    covers: ["LazyDataFrame.unique"],
    query: (_pl, f) => f.mixed.select("g", "b", "u").unique(["g", "b"], "last", true),
  },
  {
    covers: ["LazyDataFrame.unique"],
    query: (_pl, f) => f.mixed.select("g", "b").unique(),
    sortBy: ["g", "b"],
  },
  {
    covers: [
      "LazyDataFrame.drop",
      "LazyDataFrame.rename",
      "LazyDataFrame.withColumnRenamed",
    ],
    query: (_pl, f) =>
      f.mixed.drop("l", "st").drop(["tz"]).rename({ g: "group", x: "ex" })
        .withColumnRenamed("i", "int"),
  },
  {
    covers: ["LazyDataFrame.groupBy", "LazyGroupBy.agg"],
    query: (pl, f) =>
      f.mixed.groupBy("g").agg(
        pl.col("x").sum().alias("sx"),
        pl.col("i").max(),
        pl.col("s").count().alias("n"),
      ),
  },
  {
    covers: ["LazyDataFrame.groupBy", "LazyGroupBy.agg", "LazyDataFrame.groupBy.maintainOrder"],
    query: (pl, f) =>
      f.mixed.groupBy(["g", pl.col("b")], { maintainOrder: false }).agg(pl.col("u").mean()),
    sortBy: ["g", "b"],
  },
  {
    covers: ["LazyDataFrame.groupBy", "LazyGroupBy.agg"],
    query: (pl, f) => f.mixed.groupBy("g", false).agg([pl.col("f").min(), pl.col("d").last()]),
    sortBy: ["g"],
  },
  {
    // nodejs-polars' default suffix is "right" (no underscore; Python Polars' is "_right").
    // Without maintainOrder the rows come in the engine's order: Polars defines none, and
    // the streaming engine's differs from run to run, so the rows are compared sorted.
    covers: ["LazyDataFrame.join", "LazyDataFrame.join.on"],
    query: (_pl, f) => f.left.join(f.right, { on: "k" }),
    sortBy: ["k", "w"],
  },
  {
    covers: ["LazyDataFrame.join", "LazyDataFrame.join.maintainOrder"],
    query: (_pl, f) => f.left.join(f.right, { on: "k", maintainOrder: "left" }),
  },
  {
    covers: ["LazyDataFrame.join", "LazyDataFrame.join.maintainOrder"],
    query: (_pl, f) => f.left.join(f.right, { on: "k", maintainOrder: "right_left" }),
  },
  {
    covers: ["LazyDataFrame.join", "LazyDataFrame.join.maintainOrder"],
    query: (_pl, f) =>
      f.left.join(f.right, { on: "k", how: "left", suffix: "_r", maintainOrder: "left_right" }),
  },
  {
    covers: ["LazyDataFrame.join", "LazyDataFrame.join.maintainOrder"],
    query: (_pl, f) =>
      f.left.select("k").join(f.right.select("w"), { how: "cross", maintainOrder: "left_right" }),
  },
  {
    covers: ["LazyDataFrame.join", "LazyDataFrame.join.how", "LazyDataFrame.join.suffix"],
    query: (_pl, f) => f.left.join(f.right, { on: "k", how: "left", suffix: "_r" }),
    sortBy: ["k", "w"],
  },
  {
    // A left join keeps both key columns when asked not to coalesce ("kright").
    covers: [
      "LazyDataFrame.join",
      "LazyDataFrame.join.coalesce",
      "LazyDataFrame.join.allowParallel",
      "LazyDataFrame.join.forceParallel",
    ],
    query: (_pl, f) =>
      f.left.join(f.right, {
        on: "k",
        how: "left",
        coalesce: false,
        allowParallel: false,
        forceParallel: true,
      }),
    sortBy: ["k", "w"],
  },
  {
    covers: [
      "LazyDataFrame.join",
      "LazyDataFrame.join.leftOn",
      "LazyDataFrame.join.rightOn",
      "LazyDataFrame.join.coalesce",
    ],
    query: (_pl, f) =>
      f.left.join(f.right, {
        leftOn: "k",
        rightOn: "k",
        how: "full",
        coalesce: true,
        suffix: "_2",
      }),
    sortBy: ["k", "w"],
  },
  {
    covers: ["LazyDataFrame.join"],
    query: (pl, f) =>
      pl.concat([
        f.left.join(f.right, { on: "k", how: "semi" }),
        f.left.join(f.right, { on: "k", how: "anti" }),
      ]),
  },
  {
    covers: ["LazyDataFrame.join"],
    query: (_pl, f) => f.left.select("k").join(f.right.select("w"), { how: "cross" }),
    sortBy: ["k", "w"],
  },
  {
    covers: ["LazyDataFrame.cache", "LazyDataFrame.clone"],
    query: (pl, f) => {
      const cached = f.mixed.select("g", "x").cache();
      return pl.concat([cached.filter(pl.col("x").gt(0.5)), cached.clone().head(2)]);
    },
  },
];
