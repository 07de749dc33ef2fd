/**
 * Keep an intermediate result and query it twice
 *
 * `collect()` keeps the result on the server as a handle instead of downloading it; later
 * queries start from it. Release it (or let `await using` do so) when done.
 *
 * @module
 */

import pl from "nodejs-polars";

export function run(dir: string): pl.DataFrame {
  const buys = pl.scanParquet(`${dir}/trades.parquet`)
    .filter(pl.col("side").eq(pl.lit("buy")))
    .collectSync();
  const big = buys.lazy().filter(pl.col("qty").gt(250)).select(pl.len().alias("n"));
  const small = buys.lazy().filter(pl.col("qty").ltEq(250)).select(pl.len().alias("n"));
  return pl.concat([big.collectSync(), small.collectSync()]);
}
