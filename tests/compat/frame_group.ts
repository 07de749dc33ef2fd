/**
 * Compatibility cases: LazyGroupBy (agg, head, tail, len) and the time-window groupings
 * groupByDynamic and groupByRolling, with their options. The fixture's `t`, `tz` and `d`
 * columns are sorted, as windows need.
 *
 * @module
 */

import type { CompatCase } from "./_harness.ts";

export const FRAME_GROUP_CASES: readonly CompatCase[] = [
  {
    covers: ["LazyGroupBy.head"],
    query: (_pl, f) => f.mixed.select("g", "i", "x").groupBy("g").head(2),
  },
  {
    covers: ["LazyGroupBy.head"],
    query: (_pl, f) => f.mixed.select("g", "u", "s").groupBy("g").head(),
  },
  {
    covers: ["LazyGroupBy.head"],
    query: (pl, f) => f.mixed.select("g", "b", "u").groupBy(["g", pl.col("b")], false).head(1),
    sortBy: ["g", "b", "u"],
  },
  {
    covers: ["LazyGroupBy.tail"],
    query: (_pl, f) => f.mixed.select("g", "i", "t").groupBy("g").tail(2),
  },
  {
    covers: ["LazyGroupBy.tail"],
    query: (_pl, f) => f.mixed.select("g", "x").groupBy("g", { maintainOrder: true }).tail(),
  },
  {
    covers: ["LazyGroupBy.len"],
    query: (_pl, f) => f.mixed.groupBy("g").len(),
  },
  {
    covers: ["LazyGroupBy.len"],
    query: (_pl, f) => f.mixed.groupBy(["g", "b"], false).len("n"),
    sortBy: ["g", "b"],
  },
  {
    covers: ["LazyDataFrame.groupByDynamic", "LazyGroupBy.agg"],
    query: (pl, f) =>
      f.mixed.groupByDynamic({ indexColumn: "t", every: "1h" }).agg(
        pl.col("x").sum().alias("sx"),
        pl.col("u").count().alias("n"),
      ),
  },
  {
    covers: [
      "LazyDataFrame.groupByDynamic",
      "LazyGroupBy.agg",
      "LazyDataFrame.groupByDynamic.indexColumn",
      "LazyDataFrame.groupByDynamic.every",
      "LazyDataFrame.groupByDynamic.period",
      "LazyDataFrame.groupByDynamic.offset",
      "LazyDataFrame.groupByDynamic.label",
      "LazyDataFrame.groupByDynamic.includeBoundaries",
      "LazyDataFrame.groupByDynamic.closed",
      "LazyDataFrame.groupByDynamic.startBy",
    ],
    query: (pl, f) =>
      f.mixed.groupByDynamic({
        indexColumn: "t",
        every: "30m",
        period: "2h",
        offset: "-15m",
        label: "right",
        includeBoundaries: true,
        closed: "both",
        startBy: "datapoint",
      }).agg(pl.col("x").max()),
  },
  {
    covers: ["LazyDataFrame.groupByDynamic", "LazyGroupBy.agg", "LazyDataFrame.groupByDynamic.by"],
    query: (pl, f) =>
      f.mixed.groupByDynamic({ indexColumn: "t", every: "1d", by: "g", closed: "right" })
        .agg(pl.col("x").mean()),
    sortBy: ["g", "t"],
  },
  {
    covers: ["LazyDataFrame.groupByDynamic", "LazyGroupBy.len"],
    query: (_pl, f) =>
      f.mixed.groupByDynamic({ indexColumn: "tz", every: "1d", startBy: "window" }).len(),
  },
  {
    covers: ["LazyDataFrame.groupByDynamic", "LazyGroupBy.agg"],
    query: (pl, f) =>
      f.mixed.groupByDynamic({ indexColumn: "d", every: "1w", label: "datapoint" })
        .agg(pl.col("u").sum()),
  },
  {
    covers: ["LazyDataFrame.groupByRolling", "LazyGroupBy.agg"],
    query: (pl, f) =>
      f.mixed.groupByRolling({ indexColumn: "t", period: "10m" }).agg(
        pl.col("x").sum().alias("sx"),
        pl.col("u").max(),
      ),
  },
  {
    covers: [
      "LazyDataFrame.groupByRolling",
      "LazyGroupBy.agg",
      "LazyDataFrame.groupByRolling.indexColumn",
      "LazyDataFrame.groupByRolling.period",
      "LazyDataFrame.groupByRolling.offset",
      "LazyDataFrame.groupByRolling.closed",
      "LazyDataFrame.groupByRolling.by",
    ],
    query: (pl, f) =>
      f.mixed.groupByRolling({
        indexColumn: "t",
        period: "2h",
        offset: "0m",
        closed: "left",
        by: "g",
      }).agg(pl.col("x").sum()),
    sortBy: ["g", "t"],
  },
  {
    covers: ["LazyDataFrame.groupByRolling", "LazyGroupBy.len"],
    query: (pl, f) =>
      f.mixed.withColumns(pl.col("u").cast(pl.Int64).alias("n"))
        .groupByRolling({ indexColumn: "n", period: "3i", closed: "both" })
        .len(),
  },
];
