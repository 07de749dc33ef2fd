/**
 * Sort by several keys and take the top rows
 *
 * @module
 */

import type { Table } from "apache-arrow";
import type { Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .sort(["qty", "price"], [true, false])
    .head(25)
    .toArrow();
}
