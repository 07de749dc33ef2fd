/**
 * Group and aggregate
 *
 * `groupBy(...).agg(...)` takes the same keys and aggregations. Sorting the result makes the
 * order deterministic on both engines.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .groupBy(["symbol", "side"])
    .agg(
      pl.col("qty").sum().alias("volume"),
      pl.col("price").mean().alias("avg_price"),
      pl.col("price").max().alias("high"),
      pl.len().alias("trades"),
    )
    .sort(["symbol", "side"])
    .toArrow();
}
