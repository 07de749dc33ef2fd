/**
 * Scan a Parquet file, filter rows, pick columns
 *
 * The query is unchanged. The file is named relative to the server's data root, and the
 * result comes back as an Arrow table.
 *
 * @module
 */

import type { Table } from "apache-arrow";
import pl, { type Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .filter(pl.col("qty").gt(400).and(pl.col("side").eq(pl.lit("buy"))))
    .select("ts", "symbol", "price", "qty")
    .toArrow();
}
