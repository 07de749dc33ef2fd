/**
 * Returns per symbol: shift and pctChange over a window
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .sort("ts")
    .select(
      pl.col("ts"),
      pl.col("symbol"),
      pl.col("price").shift(1).over("symbol").alias("prev"),
      pl.col("price").pctChange().over("symbol").alias("ret"),
    )
    .head(200)
    .toArrow();
}
