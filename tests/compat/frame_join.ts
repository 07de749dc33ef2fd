/**
 * Compatibility cases: LazyDataFrame.joinAsof with every option (on or leftOn/rightOn, by,
 * strategy, numeric and duration tolerance, suffix, exact matches, coalesce).
 *
 * @module
 */

import type { CompatCase } from "./_harness.ts";

export const FRAME_JOIN_CASES: readonly CompatCase[] = [
  {
    covers: ["LazyDataFrame.joinAsof", "LazyDataFrame.joinAsof.on"],
    query: (_pl, f) => f.left.joinAsof(f.right, { on: "k" }),
  },
  {
    covers: [
      "LazyDataFrame.joinAsof",
      "LazyDataFrame.joinAsof.leftOn",
      "LazyDataFrame.joinAsof.rightOn",
      "LazyDataFrame.joinAsof.strategy",
      "LazyDataFrame.joinAsof.suffix",
    ],
    query: (_pl, f) =>
      f.left.joinAsof(f.right.rename({ k: "rk" }), {
        leftOn: "k",
        rightOn: "rk",
        strategy: "forward",
        suffix: "_r",
      }),
  },
  {
    covers: [
      "LazyDataFrame.joinAsof",
      "LazyDataFrame.joinAsof.strategy",
      "LazyDataFrame.joinAsof.tolerance",
    ],
    query: (_pl, f) => f.left.joinAsof(f.right, { on: "k", strategy: "forward", tolerance: 0.5 }),
  },
  {
    covers: ["LazyDataFrame.joinAsof", "LazyDataFrame.joinAsof.allowExactMatches"],
    query: (_pl, f) =>
      f.left.joinAsof(f.right, { on: "k", strategy: "nearest", allowExactMatches: false }),
  },
  {
    covers: [
      "LazyDataFrame.joinAsof",
      "LazyDataFrame.joinAsof.coalesce",
      "LazyDataFrame.joinAsof.checkSortedness",
    ],
    query: (_pl, f) =>
      f.left.joinAsof(f.right, { on: "k", coalesce: false, checkSortedness: false }),
  },
  {
    covers: ["LazyDataFrame.joinAsof", "LazyDataFrame.joinAsof.by"],
    query: (pl, f) =>
      f.mixed.select("t", "g", "x").joinAsof(
        f.mixed.filter(pl.col("u").gt(5)).select("t", "g", pl.col("u").alias("ru")),
        { on: "t", by: "g", tolerance: "2h" },
      ),
  },
  {
    covers: [
      "LazyDataFrame.joinAsof",
      "LazyDataFrame.joinAsof.byLeft",
      "LazyDataFrame.joinAsof.byRight",
      "LazyDataFrame.joinAsof.allowParallel",
      "LazyDataFrame.joinAsof.forceParallel",
    ],
    query: (pl, f) =>
      f.mixed.select("t", "g", "x").joinAsof(
        f.mixed.filter(pl.col("u").gt(5)).select("t", pl.col("g").alias("h"), "u"),
        {
          on: "t",
          byLeft: "g",
          byRight: ["h"],
          strategy: "backward",
          tolerance: "1d",
          allowParallel: false,
          forceParallel: false,
        },
      ),
  },
];
