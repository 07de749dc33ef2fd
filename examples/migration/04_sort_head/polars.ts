/**
 * Sort by several keys and take the top rows
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/trades.parquet`)
    .sort(["qty", "price"], [true, false])
    .head(25)
    .collectSync();
}
