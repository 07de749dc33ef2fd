/**
 * Compatibility cases: LazyDataFrame methods that reshape (explode, unpivot, unnest, row
 * indexes, null drops) and `pl.concat` of lazy frames.
 *
 * @module
 */

import { fixtures } from "./fixtures.ts";
import type { CompatCase } from "./_harness.ts";

export const FRAME_RESHAPE_CASES: readonly CompatCase[] = [
  {
    covers: ["LazyDataFrame.explode"],
    query: (_pl, f) => f.mixed.select("g", "l").explode("l"),
  },
  {
    covers: ["LazyDataFrame.explode"],
    query: (pl, f) =>
      f.mixed.select("u", "l", pl.col("l").alias("l2")).explode(["l", pl.col("l2")]),
  },
  {
    covers: ["LazyDataFrame.explode"],
    query: (pl, f) => f.mixed.select("l", pl.col("l").alias("m")).explode(),
  },
  {
    // Polars defines no order of unpivot's rows: the in-memory engine gives one column after
    // another, the streaming engine (the server's default, and Python Polars 2's) interleaves
    // them. The rows are compared sorted.
    covers: ["LazyDataFrame.unpivot"],
    query: (_pl, f) => f.mixed.select("g", "i", "x").unpivot("g", ["i", "x"]),
    sortBy: ["variable", "g", "value"],
  },
  {
    covers: [
      "LazyDataFrame.unpivot",
      "LazyDataFrame.unpivot.variableName",
      "LazyDataFrame.unpivot.valueName",
    ],
    query: (_pl, f) =>
      f.mixed.select("g", "b", "s").unpivot(["g", "b"], "s", {
        variableName: "column",
        valueName: "text",
      }),
    sortBy: ["column", "g", "b", "text"],
  },
  {
    covers: ["LazyDataFrame.unpivot"],
    query: (_pl, f) => f.mixed.select("g", "u", "x").unpivot("g", []),
    sortBy: ["variable", "g", "value"],
  },
  {
    // `melt` is the SDK's alias of unpivot (nodejs-polars 0.25 has unpivot only).
    covers: ["LazyDataFrame.unpivot"],
    query: (_pl, f) => f.mixed.select("g", "x").melt("g", "x", { valueName: "v" }),
    expected: () => fixtures().mixed.select("g", "x").unpivot("g", "x", { valueName: "v" }),
    sortBy: ["variable", "g", "v"],
  },
  {
    covers: ["LazyDataFrame.unnest"],
    query: (_pl, f) => f.mixed.select("u", "st").unnest("st"),
  },
  {
    covers: ["LazyDataFrame.unnest"],
    query: (pl, f) =>
      f.mixed.select(pl.col("st").alias("a"), pl.col("st").alias("b")).unnest(["a", "b"], "."),
  },
  {
    covers: ["LazyDataFrame.withRowIndex"],
    query: (_pl, f) => f.mixed.select("g", "x").withRowIndex(),
  },
  {
    covers: ["LazyDataFrame.withRowIndex"],
    query: (pl, f) => f.mixed.filter(pl.col("b")).withRowIndex("id", 1000),
  },
  {
    covers: ["LazyDataFrame.dropNulls"],
    query: (_pl, f) => f.mixed.dropNulls(),
  },
  {
    covers: ["LazyDataFrame.dropNulls"],
    query: (pl, f) =>
      pl.concat([
        f.mixed.dropNulls("i").select("u"),
        f.mixed.dropNulls("i", "s").select("u"),
        f.mixed.dropNulls(["b", "l"]).select("u"),
      ]),
  },
  {
    covers: ["pl.concat"],
    query: (pl, f) => pl.concat([f.left, f.left.filter(pl.col("k").gt(3))]),
  },
  {
    covers: ["pl.concat"],
    query: (pl, f) =>
      pl.concat([f.left, f.left.withColumns(pl.col("k").cast(pl.Float64))], {
        how: "verticalRelaxed",
      }),
  },
  {
    covers: ["pl.concat"],
    query: (pl, f) =>
      pl.concat([f.left, f.right.rename({ k: "rk", name: "rname" })], { how: "horizontal" }),
  },
  {
    covers: ["pl.concat", "pl.concat.how", "pl.concat.rechunk"],
    query: (pl, f) =>
      pl.concat([f.left, f.right.select("w", "k"), f.left.select("name")], {
        how: "diagonal",
        rechunk: true,
      }),
  },
  {
    covers: ["pl.concat", "pl.concat.how", "pl.concat.parallel"],
    query: (pl, f) =>
      pl.concat([f.left, f.right.select(pl.col("k").cast(pl.Int32), "w")], {
        how: "diagonalRelaxed",
        parallel: false,
      }),
  },
  {
    covers: ["pl.concat"],
    query: (pl, f) => pl.concat([f.right], { how: "horizontal" }),
  },
  {
    // Side by side, rows matched on the common column `k` (sorted by it).
    covers: ["pl.concat", "pl.concat.how"],
    query: (pl, f) =>
      pl.concat([
        f.left.select("k", "name"),
        f.right.select("k", "w"),
        f.left.select("k", pl.col("name").alias("again")),
      ], { how: "align" }),
  },
  {
    covers: ["pl.concat", "pl.concat.how"],
    query: (pl, f) =>
      pl.concat([
        pl.concat([f.left.select("k"), f.right.select("k", "w")], { how: "alignInner" }),
        pl.concat([f.left.select("k"), f.right.select("k", "w")], { how: "alignLeft" }),
        pl.concat([f.left.select("k"), f.right.select("k", "w")], { how: "alignRight" }),
        pl.concat([f.left.select("k"), f.right.select("k", "w")], { how: "alignFull" }),
      ], { how: "diagonal" }),
  },
  {
    // DataFrame.pivot (nodejs-polars has it on DataFrame only): eager on the server.
    covers: ["DataFrame.pivot"],
    query: (_pl, f) => f.mixed.select("g", "b", "x").pivot("x", { index: "g", on: "b" }),
    expected: () => fixtures().mixed.select("g", "b", "x").pivot("x", { index: "g", on: "b" }),
  },
  {
    covers: ["DataFrame.pivot"],
    query: (_pl, f) =>
      f.mixed.select("g", "b", "x", "u").pivot({
        values: ["x", "u"],
        index: "g",
        on: "b",
        aggregateFunc: "sum",
        sortColumns: true,
        separator: "|",
      }),
    expected: () =>
      fixtures().mixed.select("g", "b", "x", "u").pivot({
        values: ["x", "u"],
        index: "g",
        on: "b",
        aggregateFunc: "sum",
        sortColumns: true,
        separator: "|",
      }),
  },
  {
    covers: ["DataFrame.pivot"],
    query: (_pl, f) =>
      f.left.pivot("v", { index: "k", on: "name", aggregateFunc: "max", maintainOrder: false }),
    expected: () =>
      fixtures().left.pivot("v", {
        index: "k",
        on: "name",
        aggregateFunc: "max",
        maintainOrder: false,
      }),
    sortBy: ["k"],
  },
];
