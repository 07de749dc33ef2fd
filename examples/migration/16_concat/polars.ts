/**
 * Stack frames with concat
 *
 * `pl.concat` of lazy frames stays lazy and runs as one plan on the server.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  const trades = pl.scanParquet(`${dir}/trades.parquet`);
  const buys = trades.filter(pl.col("side").eq(pl.lit("buy"))).head(3);
  const sells = trades.filter(pl.col("side").eq(pl.lit("sell"))).head(3);
  return pl.concat([buys, sells], { how: "vertical" }).collectSync();
}
