/**
 * Summary statistics per group
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .groupBy("symbol")
    .agg(
      pl.col("price").median().alias("median"),
      pl.col("price").std().alias("std"),
      pl.col("price").var().alias("var"),
      pl.col("price").quantile(0.9, "linear").alias("p90"),
      pl.col("side").nUnique().alias("sides"),
    )
    .sort("symbol")
    .toArrow();
}
