/**
 * Five-minute OHLCV bars per symbol with groupByDynamic
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .sort("ts")
    .groupByDynamic({ indexColumn: "ts", every: "5m", by: "symbol" })
    .agg(
      pl.col("price").first().alias("open"),
      pl.col("price").max().alias("high"),
      pl.col("price").min().alias("low"),
      pl.col("price").last().alias("close"),
      pl.col("qty").sum().alias("volume"),
    )
    .sort(["symbol", "ts"])
    .toArrow();
}
