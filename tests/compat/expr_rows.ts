/**
 * Compatibility cases: methods of Expr that pick, order, drop or generate rows.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { CompatCase } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

export const EXPR_ROWS_CASES: readonly CompatCase[] = [
  {
    covers: ["Expr.head", "Expr.tail", "Expr.head.length", "Expr.tail.length"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").head(3).alias("h"),
        pl.col("s").head({ length: 3 }).alias("hs"),
        pl.col("f").tail(3).alias("t"),
        pl.col("x").tail({ length: 3 }).alias("tx"),
      ),
  },
  {
    covers: ["Expr.head", "Expr.tail"],
    query: (pl, f) =>
      f.mixed.groupBy("g").agg(pl.col("i").head(2).alias("h"), pl.col("x").tail(1).alias("t")),
  },
  {
    covers: ["Expr.slice", "Expr.slice.offset", "Expr.slice.length"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").slice(2, 3).alias("a"),
        pl.col("s").slice({ offset: -4, length: 3 }).alias("b"),
        pl.col("x").slice(9, 3).alias("c"),
      ),
  },
  {
    covers: ["Expr.gather", "Expr.gatherEvery", "Expr.gather.index"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").gather([0, 2, 11, 5]).alias("g"),
        pl.col("s").gather({ index: [1, 1, 3, 0] }).alias("gs"),
        pl.col("x").gather(pl.col("u").head(4)).alias("ge"),
        pl.col("f").gatherEvery(3).alias("e3"),
      ),
  },
  {
    covers: ["Expr.gatherEvery"],
    query: (pl, f) => f.mixed.select(pl.col("i").gatherEvery(4, 1), pl.col("g").gatherEvery(4, 3)),
  },
  {
    covers: [
      "Expr.sort",
      "Expr.reverse",
      "Expr.sort.descending",
      "Expr.sort.nullsLast",
      "Expr.sort.maintainOrder",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").sort().alias("asc"),
        pl.col("i").sort(true).alias("desc"),
        pl.col("f").sort(false, true).alias("nl"),
        pl.col("s").sort({ descending: true, nullsLast: true }).alias("s"),
        pl.col("g").sort({ descending: false, maintainOrder: true }).alias("g"),
        pl.col("x").reverse().alias("rev"),
      ),
  },
  {
    covers: ["Expr.sortBy", "Expr.sortBy.by", "Expr.sortBy.descending"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").sortBy("x").alias("byx"),
        pl.col("s").sortBy(pl.col("u"), true).alias("byu"),
        pl.col("u").sortBy(["g", "x"], [true, false]).alias("byg"),
        pl.col("x").sortBy({ by: [pl.col("g"), "u"], descending: [false, true] }).alias("opt"),
      ),
  },
  {
    covers: ["Expr.argSort", "Expr.argSort.descending", "Expr.argSort.nullsLast"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("x").argSort().alias("a"),
        pl.col("x").argSort(true).alias("d"),
        pl.col("f").argSort({ descending: false, nullsLast: true }).alias("fn"),
        pl.col("u").argSort({ descending: true, nullsLast: false }).alias("u"),
      ),
  },
  {
    covers: ["Expr.unique", "Expr.unique.maintainOrder"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("g").unique(true).alias("g1"),
        pl.col("g").unique({ maintainOrder: true }),
      ),
  },
  {
    covers: ["Expr.unique"],
    query: (pl, f) => f.mixed.select(pl.col("i").unique()),
    sortBy: ["i"],
  },
  {
    covers: ["Expr.filter", "Expr.dropNulls", "Expr.dropNans"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").filter(pl.col("b")).alias("fb"),
        pl.col("x").filter(pl.col("x").gt(0.3)).head(6).alias("fx"),
        pl.col("f").dropNulls().head(6).alias("dn"),
        pl.col("f").dropNans().head(6).alias("dnan"),
      ),
  },
  {
    covers: ["Expr.filter"],
    query: (pl, f) =>
      f.mixed.groupBy("g").agg(pl.col("x").filter(pl.col("i").gt(2)).sum().alias("s")),
  },
  {
    // `where` is declared by nodejs-polars' typings but missing at run time: the expected
    // frame is filter()'s, as where() is Python Polars' alias of filter().
    covers: ["Expr.where"],
    query: (pl, f) =>
      f.mixed.select(pl.col("i").where(pl.col("b")), pl.col("x").where(pl.col("b"))),
    expected: () =>
      fixtures().mixed.select(pl.col("i").filter(pl.col("b")), pl.col("x").filter(pl.col("b"))),
  },
  {
    covers: ["Expr.explode", "Expr.flatten"],
    query: (pl, f) => f.mixed.select(pl.col("l").explode().alias("e")),
  },
  {
    covers: ["Expr.flatten", "Expr.implode"],
    query: (pl, f) =>
      f.mixed.select(pl.col("l").flatten(), pl.col("l").flatten().implode().explode().alias("r")),
  },
  {
    covers: ["Expr.extendConstant", "Expr.extendConstant.value", "Expr.extendConstant.n"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").extendConstant(7, 2).alias("i"),
        pl.col("s").extendConstant({ value: "z", n: 2 }).alias("s"),
        pl.col("x").extendConstant(null, 2).alias("x"),
        pl.col("b").extendConstant(true, 2).alias("b"),
      ),
  },
  {
    covers: ["Expr.repeatBy"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").repeatBy("u").alias("byu"),
        pl.col("s").repeatBy(pl.lit(2)).alias("two"),
        pl.col("x").repeatBy(pl.col("u").modulo(3)).alias("mod"),
      ),
  },
  {
    covers: ["Expr.reshape"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("u").reshape([3, 4]).alias("r34"),
        pl.col("x").reshape([-1, 4]).alias("r4"),
      ),
  },
  {
    covers: ["Expr.reshape"],
    query: (pl, f) => f.mixed.select(pl.col("i").reshape([-1]), pl.col("u").reshape([12])),
  },
  {
    covers: [
      "Expr.sample",
      "Expr.sample.n",
      "Expr.sample.seed",
      "Expr.sample.shuffle",
      "Expr.sample.withReplacement",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").sample(5, undefined, false, 42).alias("n5"),
        pl.col("s").sample({ n: 5, seed: 7, shuffle: true }).alias("n5s"),
        pl.col("x").sample({ n: 5, withReplacement: true, seed: 3 }).alias("rep"),
      ),
  },
  {
    covers: ["Expr.sample", "Expr.sample.frac"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").sample({ frac: 2, withReplacement: true, seed: 11, shuffle: true }).alias("f2"),
        pl.col("g").sample(undefined, 2, true, 5).alias("g2"),
      ),
  },
  {
    covers: ["Expr.shuffle", "Expr.shuffle.seed"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").shuffle(7).alias("i"),
        pl.col("s").shuffle({ seed: 123 }).alias("s"),
      ),
  },
  {
    covers: ["Expr.isDuplicated", "Expr.isUnique", "Expr.isFirstDistinct"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").isDuplicated().alias("dup"),
        pl.col("f").isUnique().alias("uniq"),
        pl.col("g").isFirstDistinct().alias("first"),
        pl.col("i").isFirstDistinct().alias("ifirst"),
      ),
  },
  {
    covers: ["Expr.peakMax", "Expr.peakMin"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("i").peakMax().alias("imax"),
        pl.col("x").peakMin().alias("xmin"),
        pl.col("f").peakMax().alias("fmax"),
      ),
  },
];
