/**
 * Distinct rows
 *
 * @module
 */

import type { Table } from "apache-arrow";
import type { Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  return await client.scanParquet("trades.parquet")
    .select("symbol", "side")
    .unique({ maintainOrder: true })
    .toArrow();
}
