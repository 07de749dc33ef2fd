/**
 * Compatibility cases: LazyDataFrame methods over every column (fill, shift, reverse) and
 * the one-row statistics, which nodejs-polars types per column (a typed null where a type
 * has no such statistic). `f.mixed` has every fixture type; its schema is known to the SDK
 * (a stored frame), while `select(...)` frames make the SDK ask for their schema first.
 *
 * @module
 */

import type { CompatCase } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

export const FRAME_STATS_CASES: readonly CompatCase[] = [
  {
    covers: ["LazyDataFrame.fillNull"],
    query: (_pl, f) => f.mixed.select("i", "u", "f", "x").fillNull(0),
  },
  {
    covers: ["LazyDataFrame.fillNull"],
    query: (_pl, f) => f.mixed.select("g", "s").fillNull("missing"),
  },
  {
    covers: ["LazyDataFrame.fillNull"],
    query: (pl, f) => f.mixed.select("i", "f", "x").fillNull(pl.col("x")),
  },
  {
    covers: ["LazyDataFrame.fillNan"],
    query: (_pl, f) => f.mixed.fillNan(-1),
  },
  {
    covers: ["LazyDataFrame.fillNan"],
    query: (pl, f) =>
      f.mixed.select("i", "f", pl.col("f").cast(pl.Float32).alias("f32"), "x")
        .fillNan(pl.col("x")),
  },
  {
    covers: ["LazyDataFrame.shift"],
    query: (pl, f) => pl.concat([f.mixed.shift(2), f.mixed.shift(-3), f.mixed.shift(0)]),
  },
  {
    // nodejs-polars 0.25.2's typings take `shift({ periods })`, its runtime does not (it
    // fails converting the object to an integer): expected is the positional form.
    covers: ["LazyDataFrame.shift", "LazyDataFrame.shift.periods"],
    query: (_pl, f) => f.mixed.shift({ periods: 1 }),
    expected: () => fixtures().mixed.lazy().shift(1).collectSync(),
  },
  {
    covers: [
      "LazyDataFrame.shiftAndFill",
      "LazyDataFrame.shiftAndFill.n",
      "LazyDataFrame.shiftAndFill.fillValue",
    ],
    query: (pl, f) =>
      pl.concat([
        f.mixed.select("i", "u", "x").shiftAndFill(2, 0),
        f.mixed.select("i", "u", "x").shiftAndFill({ n: -1, fillValue: 99.5 }),
      ]),
  },
  {
    covers: ["LazyDataFrame.reverse"],
    query: (_pl, f) => f.mixed.reverse(),
  },
  {
    covers: ["LazyDataFrame.max", "LazyDataFrame.min"],
    query: (pl, f) => pl.concat([f.mixed.max(), f.mixed.min()], { how: "verticalRelaxed" }),
  },
  {
    covers: ["LazyDataFrame.mean", "LazyDataFrame.median"],
    query: (pl, f) => pl.concat([f.mixed.mean(), f.mixed.median()], { how: "verticalRelaxed" }),
  },
  {
    covers: ["LazyDataFrame.sum"],
    query: (_pl, f) => f.mixed.sum(),
  },
  {
    covers: ["LazyDataFrame.std", "LazyDataFrame.var"],
    query: (pl, f) =>
      pl.concat([f.mixed.std(), f.mixed.var(), f.mixed.std(0), f.mixed.var(2)], {
        how: "verticalRelaxed",
      }),
  },
  {
    covers: ["LazyDataFrame.quantile"],
    query: (pl, f) =>
      pl.concat([
        f.mixed.quantile(0.3),
        f.mixed.quantile(0.5, "linear"),
        f.mixed.quantile(1, "higher"),
        f.mixed.quantile(0.25, "lower"),
        f.mixed.quantile(0.75, "midpoint"),
      ]),
  },
  {
    covers: [
      "LazyDataFrame.max",
      "LazyDataFrame.min",
      "LazyDataFrame.mean",
      "LazyDataFrame.median",
      "LazyDataFrame.sum",
    ],
    query: (pl, f) => {
      const lf = f.mixed.withColumns(pl.col("x").mul(10).alias("x10")).select("g", "i", "x10", "l");
      return pl.concat([lf.max(), lf.min(), lf.sum()], { how: "verticalRelaxed" })
        .join(pl.concat([lf.mean(), lf.median()]).select(pl.col("x10").alias("m")), {
          how: "cross",
          maintainOrder: "left_right",
        });
    },
  },
  {
    covers: [
      "LazyDataFrame.std",
      "LazyDataFrame.var",
      "LazyDataFrame.quantile",
      "LazyDataFrame.fillNan",
    ],
    query: (pl, f) => {
      const lf = f.mixed.filter(pl.col("u").gt(2)).select("f", "s", "t", "b");
      return pl.concat([lf.std(), lf.var(1), lf.quantile(0.5).fillNan(0)], {
        how: "verticalRelaxed",
      });
    },
  },
];
