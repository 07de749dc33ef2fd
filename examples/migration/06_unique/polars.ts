/**
 * Distinct rows
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  return pl.scanParquet(`${dir}/trades.parquet`)
    .select("symbol", "side")
    .unique({ maintainOrder: true })
    .collectSync();
}
