/**
 * Scan a Parquet file, filter rows, pick columns
 *
 * The query is unchanged. The file is named relative to the server's data root, and the
 * result comes back as an Arrow table.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/trades.parquet`)
    .filter(pl.col("qty").gt(400).and(pl.col("side").eq(pl.lit("buy"))))
    .select("ts", "symbol", "price", "qty")
    .collectSync();
}
