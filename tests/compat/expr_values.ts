/**
 * Compatibility cases: value matching and mapping (isIn, isBetween, replace,
 * replaceStrict) and column naming (exclude, keepName, prefix, suffix) of Expr.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { CompatCase } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

const BIG = 2n ** 60n;

export const EXPR_VALUES_CASES: readonly CompatCase[] = [
  {
    covers: ["Expr.isIn"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").isIn([3, 7, 100]).alias("ints"),
        pl.col("g").isIn(["a", "c"]).alias("strs"),
        pl.col("f").isIn([2.5, 0]).alias("floats"),
        pl.col("i").isIn([3, null], true).alias("nulls_eq"),
        pl.col("i").isIn(pl.col("l")).alias("in_list"),
        pl.col("b").isIn([true]).alias("bools"),
      ),
  },
  {
    // nodejs-polars turns a bigint list into UInt64 (and -3n into 3) and JS numbers into
    // Float64, where 2^60 + 3 and 2^60 are one value. The SDK sends a bigint list as exact
    // Int64: only i = 3 and i = -1 match (i = 0 must not match 2^60 + 3). Expected by hand.
    covers: ["Expr.isIn"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").add(pl.lit(BIG, pl.Int64)).isIn([BIG + 3n, BIG - 1n, 7n]).alias("exact"),
        pl.col("i").isIn([-5n, 12n, null]).alias("small"),
      ),
    expected: () =>
      pl.DataFrame([
        pl.Series("exact", [
          true,
          true,
          null,
          false,
          false,
          false,
          false,
          false,
          false,
          false,
          false,
          false,
        ]),
        pl.Series("small", [
          false,
          false,
          null,
          false,
          false,
          false,
          true,
          true,
          false,
          false,
          false,
          false,
        ]),
      ]),
  },
  {
    // Missing from nodejs-polars; Python Polars' is_between(lower, upper, closed): bounds
    // are expressions (strings name columns). Expected by hand for the literal bounds and
    // from explicit comparisons for the column bound.
    covers: ["Expr.isBetween"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").isBetween(0, 5).alias("both"),
        pl.col("i").isBetween(0, 5, "none").alias("none"),
        pl.col("i").isBetween(-1, 3, "left").alias("left"),
        pl.col("x").isBetween("f", pl.col("x").add(1), "right").alias("cols"),
      ),
    expected: () => {
      const T = true, F = false;
      const cols = fixtures().mixed.select(
        pl.col("x").gt(pl.col("f")).and(pl.col("x").ltEq(pl.col("x").add(1))).alias("cols"),
      ).getColumn("cols");
      return pl.DataFrame([
        pl.Series("both", [T, F, null, F, F, T, F, F, T, F, T, T]),
        pl.Series("none", [T, F, null, F, F, F, F, F, T, F, T, T]),
        pl.Series("left", [F, T, null, F, F, T, F, F, T, F, F, T]),
        cols,
      ]);
    },
  },
  {
    covers: ["Expr.replace", "Expr.replace.old"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("g").replace("a", "A").alias("one"),
        pl.col("g").replace(["a", "b"], ["A", "B"]).alias("two"),
        pl.col("i").replace([3, 7], [30, 70]).alias("ints"),
        pl.col("g").replace({ old: { a: "x", c: "z" } }).alias("map"),
        pl.col("s").replace(["fig", "kiwi"], "fruit").alias("many_one"),
      ),
  },
  {
    covers: ["Expr.replaceStrict", "Expr.replaceStrict.old", "Expr.replaceStrict.default_"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("g").replaceStrict(["a", "b", "c"], ["x", "y", "z"]).alias("all"),
        pl.col("g").replaceStrict(["a"], ["x"], "other").alias("default"),
        pl.col("g").replaceStrict({ old: { a: 1, b: 2, c: 3 } }).alias("map"),
        pl.col("g").replaceStrict(["a", "b", "c"], [1, 2, 3], undefined, pl.Int32).alias("typed"),
        pl.col("g").replaceStrict({ old: { a: 10 }, default_: pl.col("x") }).alias("expr_default"),
      ),
  },
  {
    // nodejs-polars' wrapper drops a falsy default (0 here) and then fails on unmatched
    // values; Python Polars' replace_strict(..., default=0) uses it. Expected by hand.
    covers: ["Expr.replaceStrict"],
    query: (pl, f) => f.mixed.select(pl.col("g").replaceStrict(["a"], [1], 0).alias("r")),
    expected: () =>
      pl.DataFrame([pl.Series("r", [1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0], pl.Float64)]),
  },
  {
    // In the options form nodejs-polars' wrapper reads only a mapping in `old` (a list becomes
    // its indexes) and drops `new_` and `returnDtype`; Python Polars' replace(old, new) and
    // replace_strict(..., return_dtype) apply them. Expected: the positional calls, which
    // nodejs-polars gets right.
    covers: [
      "Expr.replace",
      "Expr.replaceStrict",
      "Expr.replace.old",
      "Expr.replace.new_",
      "Expr.replaceStrict.old",
      "Expr.replaceStrict.new_",
      "Expr.replaceStrict.returnDtype",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").replace({ old: [3, 7], new_: [30, 70] }).alias("ints"),
        pl.col("g").replace({ old: "a", new_: pl.col("s").first() }).alias("expr"),
        pl.col("g").replaceStrict({ old: ["a", "b", "c"], new_: ["x", "y", "z"] }).alias("all"),
        pl.col("g").replaceStrict({ old: { a: 1, b: 2, c: 3 }, returnDtype: pl.UInt8 }).alias("u8"),
        pl.col("g").replaceStrict({ old: ["a"], new_: [1], default_: -1, returnDtype: pl.Int16 })
          .alias("i16"),
      ),
    expected: () =>
      fixtures().mixed.select(
        pl.col("i").replace([3, 7], [30, 70]).alias("ints"),
        pl.col("g").replace("a", pl.col("s").first()).alias("expr"),
        pl.col("g").replaceStrict(["a", "b", "c"], ["x", "y", "z"]).alias("all"),
        pl.col("g").replaceStrict(["a", "b", "c"], [1, 2, 3], undefined, pl.UInt8).alias("u8"),
        pl.col("g").replaceStrict(["a"], [1], -1, pl.Int16).alias("i16"),
      ),
  },
  {
    // An explicit null default_ (Python Polars' default=None) makes unmatched values null;
    // nodejs-polars' wrapper drops it (and fails on "b"). Expected: its native method.
    covers: ["Expr.replaceStrict", "Expr.replaceStrict.default_"],
    query: (pl, f) =>
      f.mixed.select(pl.col("g").replaceStrict({ old: { a: 1, c: 3 }, default_: null }).alias("r")),
    expected: () =>
      fixtures().mixed.select(
        pl._Expr(
          pl.col("g")._expr.replaceStrict(
            pl.lit(pl.Series(["a", "c"]))._expr,
            pl.lit(pl.Series([1, 3]))._expr,
            pl.lit(null)._expr,
            undefined,
          ),
        ).alias("r"),
      ),
  },
  {
    covers: ["Expr.exclude"],
    query: (pl, f) => f.mixed.select(pl.col("*").exclude("l", "st", "tz")),
  },
  {
    covers: ["Expr.exclude"],
    query: (pl, f) => f.left.select(pl.col("*").exclude(["v"])),
  },
  {
    covers: ["Expr.keepName", "Expr.prefix", "Expr.suffix"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").add(1).keepName(),
        pl.col(["u", "x"]).prefix("p_"),
        pl.col("x").mul(2).suffix("_2"),
      ),
  },
];
