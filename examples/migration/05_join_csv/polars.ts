/**
 * Join trades with reference data from a CSV file
 *
 * Both sides of the join are scans on the server; nothing is downloaded to join.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  const symbols = pl.scanCSV(`${dir}/symbols.csv`);
  return pl.scanParquet(`${dir}/trades.parquet`)
    .join(symbols, { on: "symbol", how: "inner" })
    .groupBy("sector")
    .agg(pl.col("qty").sum().alias("volume"))
    .sort("sector")
    .collectSync();
}
