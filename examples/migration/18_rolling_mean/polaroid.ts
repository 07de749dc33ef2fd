/**
 * Rolling statistics by row count
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .filter(pl.col("symbol").eq(pl.lit("NVDA")))
    .select(
      pl.col("ts"),
      pl.col("price").rollingMean({ windowSize: 20 }).alias("ma20"),
      pl.col("price").rollingStd({ windowSize: 20, minPeriods: 5 }).alias("sd20"),
    )
    .tail(50)
    .toArrow();
}
