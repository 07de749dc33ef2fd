/**
 * Rolling statistics by row count
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/trades.parquet`)
    .filter(pl.col("symbol").eq(pl.lit("NVDA")))
    .select(
      pl.col("ts"),
      pl.col("price").rollingMean({ windowSize: 20 }).alias("ma20"),
      pl.col("price").rollingStd({ windowSize: 20, minPeriods: 5 }).alias("sd20"),
    )
    .tail(50)
    .collectSync();
}
