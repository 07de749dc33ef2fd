/**
 * Slices of a frame
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  const lf = pl.scanParquet(`${dir}/trades.parquet`).select("ts", "symbol", "price");
  return pl.concat([lf.slice(100, 5).collectSync(), lf.tail(5).collectSync()]);
}
