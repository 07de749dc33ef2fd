/**
 * Group and aggregate
 *
 * `groupBy(...).agg(...)` takes the same keys and aggregations. Sorting the result makes the
 * order deterministic on both engines.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/trades.parquet`)
    .groupBy(["symbol", "side"])
    .agg(
      pl.col("qty").sum().alias("volume"),
      pl.col("price").mean().alias("avg_price"),
      pl.col("price").max().alias("high"),
      pl.len().alias("trades"),
    )
    .sort(["symbol", "side"])
    .collectSync();
}
