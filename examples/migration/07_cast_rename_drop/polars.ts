/**
 * Cast, rename and drop columns
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/trades.parquet`)
    .withColumns(pl.col("qty").cast(pl.Int32), pl.col("price").cast(pl.Float32))
    .rename({ qty: "quantity" })
    .drop("side")
    .head(100)
    .collectSync();
}
