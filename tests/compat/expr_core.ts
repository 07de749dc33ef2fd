/**
 * Compatibility cases: methods of Expr itself.
 *
 * @module
 */

import type { CompatCase } from "./_harness.ts";

export const EXPR_CORE_CASES: readonly CompatCase[] = [
  {
    covers: ["Expr.abs"],
    query: (pl, f) => f.mixed.select(pl.col("i").abs(), pl.col("f").abs().alias("fa")),
  },
  {
    covers: ["Expr.over"],
    query: (pl, f) => f.mixed.select(pl.col("g"), pl.col("i").sum().over("g").alias("s")),
  },
];
