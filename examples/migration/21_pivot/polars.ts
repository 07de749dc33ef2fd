/**
 * Long to wide with pivot
 *
 * nodejs-polars pivots eager DataFrames; the SDK pivots on the server (the output columns depend
 * on the data, so that step runs eagerly there) and the result stays lazy.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  const volumes = pl.scanParquet(`${dir}/trades.parquet`)
    .groupBy(["symbol", "side"])
    .agg(pl.col("qty").sum().alias("volume"))
    .sort(["symbol", "side"])
    .collectSync();
  return volumes.pivot("volume", { index: "symbol", on: "side", aggregateFunc: "sum" });
}
