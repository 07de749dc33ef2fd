/**
 * Keep an intermediate result and query it twice
 *
 * `collect()` keeps the result on the server as a handle instead of downloading it; later
 * queries start from it. Release it (or let `await using` do so) when done.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  await using buys = await client.scanParquet("trades.parquet")
    .filter(pl.col("side").eq(pl.lit("buy")))
    .collect();
  const big = await buys.lazy().filter(pl.col("qty").gt(250)).select(pl.len().alias("n"))
    .toArrow();
  const small = await buys.lazy().filter(pl.col("qty").ltEq(250)).select(pl.len().alias("n"))
    .toArrow();
  return big.concat(small);
}
