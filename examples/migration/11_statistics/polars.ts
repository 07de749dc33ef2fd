/**
 * Summary statistics per group
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/trades.parquet`)
    .groupBy("symbol")
    .agg(
      pl.col("price").median().alias("median"),
      pl.col("price").std().alias("std"),
      pl.col("price").var().alias("var"),
      pl.col("price").quantile(0.9, "linear").alias("p90"),
      pl.col("side").nUnique().alias("sides"),
    )
    .sort("symbol")
    .collectSync();
}
