/**
 * Window expressions with over()
 *
 * Each trade next to its symbol's average price and its distance from it.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .select(
      pl.col("ts"),
      pl.col("symbol"),
      pl.col("price").mean().over("symbol").alias("symbol_avg"),
      pl.col("price").sub(pl.col("price").mean().over("symbol")).abs().alias("distance"),
    )
    .head(500)
    .toArrow();
}
