/**
 * Join trades with reference data from a CSV file
 *
 * Both sides of the join are scans on the server; nothing is downloaded to join.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  const symbols = client.scanCSV("symbols.csv");
  return await client.scanParquet("trades.parquet")
    .join(symbols, { on: "symbol", how: "inner" })
    .groupBy("sector")
    .agg(pl.col("qty").sum().alias("volume"))
    .sort("sector")
    .toArrow();
}
