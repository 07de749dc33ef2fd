/**
 * Five-minute OHLCV bars per symbol with groupByDynamic
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/trades.parquet`)
    .sort("ts")
    .groupByDynamic({ indexColumn: "ts", every: "5m", by: "symbol" })
    .agg(
      pl.col("price").first().alias("open"),
      pl.col("price").max().alias("high"),
      pl.col("price").min().alias("low"),
      pl.col("price").last().alias("close"),
      pl.col("qty").sum().alias("volume"),
    )
    .sort(["symbol", "ts"])
    .collectSync();
}
