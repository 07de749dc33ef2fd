/**
 * Returns per symbol: shift and pctChange over a window
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/trades.parquet`)
    .sort("ts")
    .select(
      pl.col("ts"),
      pl.col("symbol"),
      pl.col("price").shift(1).over("symbol").alias("prev"),
      pl.col("price").pctChange().over("symbol").alias("ret"),
    )
    .head(200)
    .collectSync();
}
