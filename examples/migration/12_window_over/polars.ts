/**
 * Window expressions with over()
 *
 * Each trade next to its symbol's average price and its distance from it.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/trades.parquet`)
    .select(
      pl.col("ts"),
      pl.col("symbol"),
      pl.col("price").mean().over("symbol").alias("symbol_avg"),
      pl.col("price").sub(pl.col("price").mean().over("symbol")).abs().alias("distance"),
    )
    .head(500)
    .collectSync();
}
