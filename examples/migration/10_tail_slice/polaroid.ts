/**
 * Slices of a frame
 *
 * @module
 */

import type { Table } from "apache-arrow";
import type { Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  const lf = client.scanParquet("trades.parquet").select("ts", "symbol", "price");
  const middle = await lf.slice(100, 5).toArrow();
  return middle.concat(await lf.tail(5).toArrow());
}
